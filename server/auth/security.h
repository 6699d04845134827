// Turns the server's security flags into gRPC server credentials and the
// token store, and enforces the listening policy: a non-loopback address
// needs TLS and auth tokens unless --insecure is given.
#ifndef ABM_SERVER_AUTH_SECURITY_H_
#define ABM_SERVER_AUTH_SECURITY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/auth/token_store.h"

namespace abm::server {

struct SecurityOptions {
  std::string listen;
  std::string auth_tokens;  // file; empty: no auth
  std::string tls_cert;     // PEM; with tls_key: TLS
  std::string tls_key;
  std::string tls_client_ca;  // PEM; requires and verifies client certificates
  bool insecure = false;      // allow a non-loopback address without TLS + auth
};

struct Security {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  std::unique_ptr<TokenStore> tokens;  // null: auth off
  bool tls = false;
};

absl::StatusOr<Security> ConfigureSecurity(const SecurityOptions& options);

// 127.0.0.0/8, localhost, [::1] and unix: sockets.
bool IsLoopbackAddress(absl::string_view listen);

}  // namespace abm::server

#endif  // ABM_SERVER_AUTH_SECURITY_H_
