// Conversion of absl::Status to grpc::Status (same code, same message).
#ifndef ABM_SERVER_RPC_STATUS_CONVERT_H_
#define ABM_SERVER_RPC_STATUS_CONVERT_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace abm::server {

inline grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

}  // namespace abm::server

#endif  // ABM_SERVER_RPC_STATUS_CONVERT_H_
