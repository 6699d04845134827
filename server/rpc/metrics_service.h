// gRPC MetricsService: thin handlers that decode, call the ingest path or
// the query engine, and encode. Thread-safe (gRPC calls them concurrently).
// The ingest methods decode their requests themselves, event by event, so
// one undecodable event is rejected alone (see rpc/batch_decoder.h).
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
                 const TokenStore* tokens = nullptr);

  grpc::Status Query(grpc::ServerContext* context,
                     const abm::v1::QueryRequest* request,
                     abm::v1::QueryResponse* response) override;
  grpc::Status ListMetrics(grpc::ServerContext* context,
                           const abm::v1::ListMetricsRequest* request,
                           abm::v1::ListMetricsResponse* response) override;

 private:
  using RawStream =
      grpc::ServerReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>;
  // Ingest (unary: one batch) and IngestStream, over raw bytes.
  grpc::Status IngestRaw(grpc::ServerContext* context, RawStream* stream,
                         bool unary);

  Committer* committer_;
  PluginHost* host_;
  QueryEngine* engine_;
  const TokenStore* tokens_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_RPC_METRICS_SERVICE_H_
