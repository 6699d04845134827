#include "server/rpc/metrics_service.h"

#include <deque>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/auth/access.h"
#include "server/ingest/validator.h"
#include "server/rpc/status_convert.h"
#include "server/state/event_views.h"

namespace abm::server {
namespace {

// Validates a batch: rejections go to `response`, valid events are returned.
absl::StatusOr<std::vector<const abm::v1::Event*>> Screen(
    const abm::v1::IngestRequest& request, int64_t batch_index,
    abm::v1::IngestResponse* response) {
  if (request.events_size() > kMaxBatchEvents)
    return absl::InvalidArgumentError(
        absl::StrCat("events: a batch holds at most ", kMaxBatchEvents,
                     " events, got ", request.events_size(), "; split it"));
  std::vector<const abm::v1::Event*> valid;
  valid.reserve(request.events_size());
  for (int i = 0; i < request.events_size(); ++i) {
    const abm::v1::Event& e = request.events(i);
    absl::Status s = ValidateEvent(e);
    if (s.ok()) {
      valid.push_back(&e);
      continue;
    }
    abm::v1::Rejection* r = response->add_rejections();
    r->set_index(i);
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

}  // namespace

grpc::Status MetricsService::Ingest(grpc::ServerContext* context,
                                    const abm::v1::IngestRequest* request,
                                    abm::v1::IngestResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleIngest); !s.ok())
    return ToGrpc(s);
  auto valid = Screen(*request, 0, response);
  if (!valid.ok()) return ToGrpc(valid.status());
  if (valid->empty()) return grpc::Status::OK;
  CommitOutcome outcome = committer_->Submit(std::move(*valid)).get();
  if (!outcome.status.ok()) return ToGrpc(outcome.status);
  AddOutcome(outcome, response);
  return grpc::Status::OK;
}

grpc::Status MetricsService::IngestStream(
    grpc::ServerContext* context,
    grpc::ServerReader<abm::v1::IngestRequest>* reader,
    abm::v1::IngestResponse* response) {
  if (auto s = CheckAccess(tokens_, *context, kRoleIngest); !s.ok())
    return ToGrpc(s);
  // Batches are committed as they arrive, a few in flight at once; the
  // requests stay alive until their commits are done. Each request is
  // parsed onto its own arena (its events' strings in a few blocks, freed
  // at once), sized for a batch of about 1,000 events.
  constexpr size_t kInFlight = 4;
  constexpr size_t kTypicalBatchBytes = 256 << 10;
  struct InFlight {
    std::unique_ptr<google::protobuf::Arena> arena;
    std::future<CommitOutcome> done;
  };
  std::deque<InFlight> in_flight;
  absl::Status failure;
  const auto finish_one = [&] {
    CommitOutcome o = in_flight.front().done.get();
    in_flight.pop_front();
    if (!o.status.ok() && failure.ok()) failure = o.status;
    AddOutcome(o, response);
  };
  for (int64_t batch = 0;; ++batch) {
    auto arena = std::make_unique<google::protobuf::Arena>(
        ArenaOptionsFor(kTypicalBatchBytes));
    auto* request =
        google::protobuf::Arena::CreateMessage<abm::v1::IngestRequest>(
            arena.get());
    if (!reader->Read(request)) break;
    auto valid = Screen(*request, batch, response);
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
  return ToGrpc(failure);
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
