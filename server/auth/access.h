// Per-call access check for the gRPC handlers: with auth on (a TokenStore),
// the call's "authorization: Bearer TOKEN" metadata must carry `role`.
#ifndef ABM_SERVER_AUTH_ACCESS_H_
#define ABM_SERVER_AUTH_ACCESS_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "server/auth/token_store.h"

namespace abm::server {

inline absl::Status CheckAccess(const TokenStore* tokens,
                                const grpc::ServerContext& context, Role role) {
  if (tokens == nullptr) return absl::OkStatus();  // auth off
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  const absl::string_view value =
      it == metadata.end()
          ? absl::string_view()
          : absl::string_view(it->second.data(), it->second.size());
  return tokens->Authorize(value, role);
}

}  // namespace abm::server

#endif  // ABM_SERVER_AUTH_ACCESS_H_
