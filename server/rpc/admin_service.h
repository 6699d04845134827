// gRPC AdminService: plugin management and server statistics. Thin
// handlers over PluginHost. Thread-safe.
#ifndef ABM_SERVER_RPC_ADMIN_SERVICE_H_
#define ABM_SERVER_RPC_ADMIN_SERVICE_H_

#include "abm/v1/admin.grpc.pb.h"
#include "absl/time/time.h"
#include "server/auth/token_store.h"
#include "server/log/event_log.h"
#include "server/plugins/plugin_host.h"

namespace abm::server {

class AdminService final : public abm::v1::AdminService::Service {
 public:
  // `tokens` null: no access control; else every call needs the admin role.
  AdminService(PluginHost* host, EventLog* log, double replay_seconds,
               const TokenStore* tokens = nullptr)
      : host_(host),
        log_(log),
        replay_seconds_(replay_seconds),
        started_(absl::Now()),
        tokens_(tokens) {}

  grpc::Status ListPlugins(grpc::ServerContext*,
                           const abm::v1::ListPluginsRequest*,
                           abm::v1::ListPluginsResponse*) override;
  grpc::Status LoadPlugin(grpc::ServerContext*, const abm::v1::PluginRequest*,
                          abm::v1::PluginResponse*) override;
  grpc::Status UnloadPlugin(grpc::ServerContext*, const abm::v1::PluginRequest*,
                            abm::v1::PluginResponse*) override;
  grpc::Status ReloadPlugin(grpc::ServerContext*, const abm::v1::PluginRequest*,
                            abm::v1::PluginResponse*) override;
  grpc::Status GetStats(grpc::ServerContext*, const abm::v1::GetStatsRequest*,
                        abm::v1::GetStatsResponse*) override;

 private:
  PluginHost* host_;
  EventLog* log_;
  double replay_seconds_;
  absl::Time started_;
  const TokenStore* tokens_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_RPC_ADMIN_SERVICE_H_
