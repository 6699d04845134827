#include "server/rpc/admin_service.h"

#include "server/auth/access.h"
#include "server/rpc/status_convert.h"

namespace abm::server {
namespace {

void Encode(const PluginStatus& s, abm::v1::PluginInfo* out) {
  out->set_name(s.name);
  out->set_version(s.version);
  out->set_file(s.path);
  out->set_events_applied(static_cast<int64_t>(s.events_applied));
  for (const auto& m : s.metrics) out->add_metrics(m);
}

grpc::Status Respond(const absl::StatusOr<PluginStatus>& s,
                     abm::v1::PluginResponse* response) {
  if (!s.ok()) return ToGrpc(s.status());
  Encode(*s, response->mutable_plugin());
  response->set_backfill_seconds(s->backfill_seconds);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status AdminService::ListPlugins(grpc::ServerContext* context,
                                       const abm::v1::ListPluginsRequest*,
                                       abm::v1::ListPluginsResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleAdmin); !s.ok())
    return ToGrpc(s);
  for (const auto& p : host_->ListPlugins()) Encode(p, response->add_plugins());
  return grpc::Status::OK;
}

grpc::Status AdminService::LoadPlugin(grpc::ServerContext* context,
                                      const abm::v1::PluginRequest* request,
                                      abm::v1::PluginResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleAdmin); !s.ok())
    return ToGrpc(s);
  return Respond(host_->Load(request->name()), response);
}

grpc::Status AdminService::UnloadPlugin(grpc::ServerContext* context,
                                        const abm::v1::PluginRequest* request,
                                        abm::v1::PluginResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleAdmin); !s.ok())
    return ToGrpc(s);
  return Respond(host_->Unload(request->name()), response);
}

grpc::Status AdminService::ReloadPlugin(grpc::ServerContext* context,
                                        const abm::v1::PluginRequest* request,
                                        abm::v1::PluginResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleAdmin); !s.ok())
    return ToGrpc(s);
  return Respond(host_->Reload(request->name()), response);
}

grpc::Status AdminService::GetStats(grpc::ServerContext* context,
                                    const abm::v1::GetStatsRequest*,
                                    abm::v1::GetStatsResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleAdmin); !s.ok())
    return ToGrpc(s);
  response->set_events_stored(static_cast<int64_t>(log_->next_seq()));
  response->set_uptime_seconds(absl::ToDoubleSeconds(absl::Now() - started_));
  response->set_replay_seconds(replay_seconds_);
  response->set_accounts(static_cast<int64_t>(host_->account_count()));
  response->set_contacts(static_cast<int64_t>(host_->contact_count()));
  for (const auto& p : host_->ListPlugins()) Encode(p, response->add_plugins());
  return grpc::Status::OK;
}

}  // namespace abm::server
