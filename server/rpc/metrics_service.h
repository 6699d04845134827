// gRPC MetricsService: thin handlers that decode, call the ingest path or
// the query engine, and encode. Thread-safe (gRPC calls them concurrently).
#ifndef ABM_SERVER_RPC_METRICS_SERVICE_H_
#define ABM_SERVER_RPC_METRICS_SERVICE_H_

#include "abm/v1/metrics.grpc.pb.h"
#include "server/auth/token_store.h"
#include "server/ingest/committer.h"
#include "server/plugins/plugin_host.h"
#include "server/query/query_engine.h"

namespace abm::server {

// The ingest batch limit (events per IngestRequest).
constexpr int kMaxBatchEvents = 10000;

class MetricsService final : public abm::v1::MetricsService::Service {
 public:
  // `tokens` null: no access control.
  MetricsService(Committer* committer, PluginHost* host, QueryEngine* engine,
                 const TokenStore* tokens = nullptr)
      : committer_(committer), host_(host), engine_(engine), tokens_(tokens) {}

  grpc::Status Ingest(grpc::ServerContext* context,
                      const abm::v1::IngestRequest* request,
                      abm::v1::IngestResponse* response) override;
  grpc::Status IngestStream(grpc::ServerContext* context,
                            grpc::ServerReader<abm::v1::IngestRequest>* reader,
                            abm::v1::IngestResponse* response) override;
  grpc::Status Query(grpc::ServerContext* context,
                     const abm::v1::QueryRequest* request,
                     abm::v1::QueryResponse* response) override;
  grpc::Status ListMetrics(grpc::ServerContext* context,
                           const abm::v1::ListMetricsRequest* request,
                           abm::v1::ListMetricsResponse* response) override;

 private:
  Committer* committer_;
  PluginHost* host_;
  QueryEngine* engine_;
  const TokenStore* tokens_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_RPC_METRICS_SERVICE_H_
