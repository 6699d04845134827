#include "server/rpc/metrics_service.h"

#include <deque>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/auth/access.h"
#include "server/ingest/validator.h"
#include "server/rpc/batch_decoder.h"
#include "server/rpc/status_convert.h"
#include "server/state/event_views.h"

namespace abm::server {
namespace {

// Validates a decoded batch: rejections (undecodable or invalid events) go
// to `response`, valid events are returned.
absl::StatusOr<std::vector<const abm::v1::Event*>> Screen(
    const std::vector<DecodedEvent>& batch, int64_t batch_index,
    abm::v1::IngestResponse* response) {
  if (batch.size() > static_cast<size_t>(kMaxBatchEvents))
    return absl::InvalidArgumentError(
        absl::StrCat("events: a batch holds at most ", kMaxBatchEvents,
                     " events, got ", batch.size(), "; split it"));
  std::vector<const abm::v1::Event*> valid;
  valid.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    absl::Status s = batch[i].event == nullptr
                         ? absl::InvalidArgumentError(batch[i].error)
                         : ValidateEvent(*batch[i].event);
    if (s.ok()) {
      valid.push_back(batch[i].event);
      continue;
    }
    abm::v1::Rejection* r = response->add_rejections();
    r->set_index(static_cast<int32_t>(i));
    r->set_batch(batch_index);
    r->set_reason(std::string(s.message()));
    response->set_rejected(response->rejected() + 1);
  }
  return valid;
}

void AddOutcome(const CommitOutcome& o, abm::v1::IngestResponse* response) {
  response->set_accepted(response->accepted() + o.accepted);
  response->set_duplicates(response->duplicates() + o.duplicates);
}

absl::Time DeadlineOf(const grpc::ServerContext* context) {
  const auto d = context->deadline();
  if (d == std::chrono::system_clock::time_point::max())
    return absl::InfiniteFuture();
  return absl::FromChrono(d);
}

// The bytes of a received message: its one slice, or its slices joined
// into `joined`.
absl::string_view Flatten(const grpc::ByteBuffer& buffer,
                          std::vector<grpc::Slice>* slices,
                          std::string* joined) {
  slices->clear();
  if (!buffer.Dump(slices).ok()) return {};
  if (slices->size() == 1)
    return absl::string_view(
        reinterpret_cast<const char*>((*slices)[0].begin()),
        (*slices)[0].size());
  joined->clear();
  for (const grpc::Slice& s : *slices)
    joined->append(reinterpret_cast<const char*>(s.begin()), s.size());
  return *joined;
}

// Method indexes of abm.v1.MetricsService, in the order of the proto.
constexpr int kIngestMethod = 0;
constexpr int kIngestStreamMethod = 1;

}  // namespace

MetricsService::MetricsService(Committer* committer, PluginHost* host,
                               QueryEngine* engine, const TokenStore* tokens)
    : committer_(committer), host_(host), engine_(engine), tokens_(tokens) {
  // Both ingest methods take raw bytes and decode them event by event (see
  // batch_decoder.h). On the wire they are unchanged: Ingest is still one
  // request and one response, IngestStream many requests and one response.
  using Handler =
      grpc::internal::BidiStreamingHandler<MetricsService, grpc::ByteBuffer,
                                           grpc::ByteBuffer>;
  for (const bool unary : {true, false}) {
    MarkMethodStreamed(
        unary ? kIngestMethod : kIngestStreamMethod,
        new Handler(
            [unary](MetricsService* self, grpc::ServerContext* context,
                    RawStream* stream) {
              return self->IngestRaw(context, stream, unary);
            },
            this));
  }
}

grpc::Status MetricsService::IngestRaw(grpc::ServerContext* context,
                                       RawStream* stream, bool unary) {
  if (auto s = CheckAccess(tokens_, *context, kRoleIngest); !s.ok())
    return ToGrpc(s);
  // Batches are committed as they arrive, a few in flight at once; their
  // events stay alive (on their arena) until their commits are done. Each
  // batch is decoded onto its own arena: its strings and messages sit in a
  // few blocks, freed at once.
  constexpr size_t kInFlight = 4;
  struct InFlight {
    std::unique_ptr<google::protobuf::Arena> arena;
    std::future<CommitOutcome> done;
  };
  std::deque<InFlight> in_flight;
  abm::v1::IngestResponse response;
  absl::Status failure;
  const auto finish_one = [&] {
    CommitOutcome o = in_flight.front().done.get();
    in_flight.pop_front();
    if (!o.status.ok() && failure.ok()) failure = o.status;
    AddOutcome(o, &response);
  };
  grpc::ByteBuffer buffer;
  std::vector<grpc::Slice> slices;
  std::string joined;
  std::vector<DecodedEvent> decoded;
  for (int64_t batch = 0; !unary || batch == 0; ++batch) {
    if (!stream->Read(&buffer)) {
      if (unary) failure = absl::InvalidArgumentError("request: missing");
      break;
    }
    const absl::string_view bytes = Flatten(buffer, &slices, &joined);
    auto arena = std::make_unique<google::protobuf::Arena>(
        ArenaOptionsFor(bytes.size()));
    if (auto s = DecodeIngestRequest(bytes, arena.get(), &decoded); !s.ok()) {
      failure = s;
      break;
    }
    buffer.Clear();
    auto valid = Screen(decoded, unary ? 0 : batch, &response);
    if (!valid.ok()) {
      failure = valid.status();
      break;
    }
    if (valid->empty()) continue;
    auto done = committer_->Submit(std::move(*valid));
    in_flight.push_back({std::move(arena), std::move(done)});
    while (in_flight.size() > kInFlight) finish_one();
    if (!failure.ok()) break;
  }
  while (!in_flight.empty()) finish_one();
  if (!failure.ok()) return ToGrpc(failure);
  grpc::Slice slice(response.SerializeAsString());
  grpc::ByteBuffer out(&slice, 1);
  if (!stream->Write(out))
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the client went away before the response");
  return grpc::Status::OK;
}

namespace {

// Times the server can represent: [1678-01-01, 2262-01-01) in nanoseconds.
constexpr int64_t kMinQuerySeconds = -9214560000;
constexpr int64_t kMaxQuerySeconds = 9214646400;

absl::Status CheckRange(absl::string_view field, int64_t seconds,
                        int32_t nanos) {
  if (seconds < kMinQuerySeconds || seconds >= kMaxQuerySeconds || nanos < 0 ||
      nanos > 999999999)
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": out of range (the server handles 1678-01-01 to 2262-01-01)"));
  return absl::OkStatus();
}

absl::Status DecodeQuery(const abm::v1::QueryRequest& request,
                         QueryInput* input) {
  input->metric = request.metric();
  if (request.has_from()) {
    if (auto s = CheckRange("from", request.from().seconds(),
                            request.from().nanos());
        !s.ok())
      return s;
    input->from = ToNanos(request.from());
  }
  if (request.has_to()) {
    if (auto s = CheckRange("to", request.to().seconds(), request.to().nanos());
        !s.ok())
      return s;
    input->to = ToNanos(request.to());
  }
  if (request.has_interval()) {
    const auto& d = request.interval();
    if (d.seconds() < 0 || d.seconds() >= kMaxQuerySeconds || d.nanos() < 0 ||
        d.nanos() > 999999999)
      return absl::InvalidArgumentError(
          "interval: must be a positive duration");
    input->interval = d.seconds() * sdk::kNanosPerSecond + d.nanos();
  }
  input->group_by.assign(request.group_by().begin(), request.group_by().end());
  input->scope = request.scope();
  input->params.insert(request.params().begin(), request.params().end());
  return absl::OkStatus();
}

}  // namespace

grpc::Status MetricsService::Query(grpc::ServerContext* context,
                                   const abm::v1::QueryRequest* request,
                                   abm::v1::QueryResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleQuery); !s.ok())
    return ToGrpc(s);
  QueryInput input;
  if (auto s = DecodeQuery(*request, &input); !s.ok()) return ToGrpc(s);
  auto rows = engine_->Run(input, DeadlineOf(context));
  if (!rows.ok()) return ToGrpc(rows.status());
  response->mutable_rows()->Reserve(static_cast<int>(rows->size()));
  for (ResultRow& r : *rows) {
    abm::v1::Row* out = response->add_rows();
    out->mutable_labels()->insert(r.row.labels.begin(), r.row.labels.end());
    if (r.bucket_start.has_value()) {
      out->mutable_bucket_start()->set_seconds(*r.bucket_start /
                                               sdk::kNanosPerSecond);
      out->mutable_bucket_start()->set_nanos(
          static_cast<int32_t>(*r.bucket_start % sdk::kNanosPerSecond));
    }
    if (r.row.value.has_value()) out->set_value(*r.row.value);
    out->set_count(r.row.count);
  }
  return grpc::Status::OK;
}

grpc::Status MetricsService::ListMetrics(
    grpc::ServerContext* context, const abm::v1::ListMetricsRequest*,
    abm::v1::ListMetricsResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleQuery); !s.ok())
    return ToGrpc(s);
  for (const auto& entry : host_->ListMetrics()) {
    abm::v1::MetricDescriptor* m = response->add_metrics();
    m->set_name(entry.spec.name);
    m->set_plugin(entry.plugin);
    m->set_description(entry.spec.description);
    m->set_unit(entry.spec.unit);
    for (const auto& d : entry.spec.dimensions) m->add_dimensions(d);
    for (const sdk::ParamSpec& p : entry.spec.params) {
      abm::v1::ParamDescriptor* pd = m->add_params();
      pd->set_name(p.name);
      pd->set_type(p.type == sdk::ParamType::kInteger ? "integer"
                   : p.type == sdk::ParamType::kReal  ? "real"
                                                      : "choice");
      pd->set_default_value(p.default_value);
      pd->set_description(p.description);
      for (const auto& c : p.choices) pd->add_choices(c);
    }
  }
  return grpc::Status::OK;
}

}  // namespace abm::server
