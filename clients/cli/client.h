// The connection abmctl uses: the channel (plaintext or TLS with a CA file)
// and per-call contexts carrying the bearer token and a deadline.
#ifndef ABM_CLIENTS_CLI_CLIENT_H_
#define ABM_CLIENTS_CLI_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace abm::cli {

struct ClientOptions {
  std::string server;  // host:port
  std::string token;   // sent as "authorization: Bearer <token>"
  std::string tls_ca;  // PEM file; empty for plaintext
};

class Client {
 public:
  static absl::StatusOr<Client> Connect(const ClientOptions& options);

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // A context with the token; `deadline_seconds` <= 0 means none.
  std::unique_ptr<grpc::ClientContext> Context(
      double deadline_seconds = 0) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
};

// "NOT_FOUND: message" for a failed call.
std::string DescribeStatus(const grpc::Status& status);

}  // namespace abm::cli

#endif  // ABM_CLIENTS_CLI_CLIENT_H_
