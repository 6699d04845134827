// abm-bench: data generator and load tools for the ABM metrics server.
//
//   abm-bench generate --events=N [--seed=S] [--accounts=A]   NDJSON to stdout
//   abm-bench csv --events=N [...]     the same events as CSV for COPY
//   abm-bench ingest --server=H:P --events=N [--clients=K] [--batch=B]
//   abm-bench query --server=H:P [--reps=R] [--metrics=M1,M2]
//
// ingest pre-generates the stream (so generation is not timed), splits it
// into batches dealt round-robin to K concurrent clients, each sending its
// batches on one IngestStream, and reports events/s with durable acks.
// query runs every listed metric R times over the full window, grouped by
// segment (where offered), and as a 12-bucket monthly series; it reports the
// p50 and p99 latency seen by the client.
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/rpc_method.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/sync_stream.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "abm/v1/metrics.grpc.pb.h"
#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/marshalling.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/event_generator.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "server address");
ABSL_FLAG(int64_t, events, 100000, "events to generate");
ABSL_FLAG(uint64_t, seed, 42, "generator seed");
ABSL_FLAG(int, accounts, 20000, "accounts in the generated data");
ABSL_FLAG(int64_t, start, 1735689600,
          "first event time, seconds since the epoch");
ABSL_FLAG(int, span_days, 730, "days the generated events span");
ABSL_FLAG(int, clients, 1, "concurrent ingest clients");
ABSL_FLAG(int, batch, 1000, "events per batch");
ABSL_FLAG(int, reps, 50, "repetitions per query");
ABSL_FLAG(std::vector<std::string>, metrics, {},
          "query only these metrics (comma-separated; default: all)");
ABSL_FLAG(std::string, from, "2025-01-01T00:00:00Z", "query window start");
ABSL_FLAG(std::string, to, "2027-01-01T00:00:00Z", "query window end");

namespace {

using Clock = std::chrono::steady_clock;

abm::bench::GeneratorOptions Options() {
  abm::bench::GeneratorOptions o;
  o.seed = absl::GetFlag(FLAGS_seed);
  o.events = absl::GetFlag(FLAGS_events);
  o.accounts = absl::GetFlag(FLAGS_accounts);
  o.start_seconds = absl::GetFlag(FLAGS_start);
  o.span_days = absl::GetFlag(FLAGS_span_days);
  return o;
}

// One CSV field, quoted when it needs to be.
std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string Num(double v) { return absl::StrFormat("%.17g", v); }

// The generated stream flattened for PostgreSQL's COPY (see bench/pg), one
// row per stored event: duplicates (by event_id) are dropped, first wins, as
// the server does; rows stay in stream order (the log order).
int Csv() {
  abm::bench::EventGenerator gen(Options());
  abm::v1::Event e;
  absl::flat_hash_set<std::string> seen;
  std::string line;
  while (gen.Next(&e)) {
    if (!seen.insert(e.event_id()).second) continue;
    const auto& ts = e.occurred_at();
    std::vector<std::string> f(26);
    f[0] = Csv(e.event_id());
    f[1] = google::protobuf::util::TimeUtil::ToString(ts);
    f[2] = Csv(e.account_id());
    f[3] = Csv(e.contact_id());
    f[4] = Csv(e.campaign_id());
    switch (e.payload_case()) {
      case abm::v1::Event::kAccount:
        f[5] = "account";
        f[6] = Csv(e.account().segment());
        f[7] = Csv(e.account().region());
        f[8] = std::to_string(e.account().tier());
        f[9] = e.account().target() ? "t" : "f";
        break;
      case abm::v1::Event::kContact:
        f[5] = "contact";
        f[10] = abm::v1::Role_Name(e.contact().role());
        break;
      case abm::v1::Event::kEngagement:
        f[5] = "engagement";
        f[11] = abm::v1::EngagementType_Name(e.engagement().type());
        f[12] = Num(e.engagement().duration_seconds());
        break;
      case abm::v1::Event::kContent:
        f[5] = "content";
        f[13] = Csv(e.content().content_id());
        f[14] = abm::v1::ContentAction_Name(e.content().action());
        f[15] = Num(e.content().seconds());
        if (e.content().has_completion()) f[16] = Num(e.content().completion());
        break;
      case abm::v1::Event::kOpportunity:
        f[5] = "opportunity";
        f[17] = Csv(e.opportunity().opportunity_id());
        f[18] = abm::v1::OpportunityKind_Name(e.opportunity().kind());
        f[19] = Csv(e.opportunity().stage());
        if (e.opportunity().has_amount()) f[20] = Num(e.opportunity().amount());
        break;
      case abm::v1::Event::kRevenue:
        f[5] = "revenue";
        f[20] = Num(e.revenue().amount());
        break;
      case abm::v1::Event::kLifecycle:
        f[5] = "lifecycle";
        f[21] = abm::v1::LifecycleStatus_Name(e.lifecycle().status());
        break;
      case abm::v1::Event::kCost:
        f[5] = "cost";
        f[20] = Num(e.cost().amount());
        break;
      case abm::v1::Event::kNps:
        f[5] = "nps";
        f[22] = std::to_string(e.nps().score());
        break;
      case abm::v1::Event::kSurvey:
        f[5] = "survey";
        f[23] = Csv(e.survey().question_id());
        f[24] = std::to_string(e.survey().rating());
        break;
      case abm::v1::Event::kSocial:
        f[5] = "social";
        f[10] = Csv(e.social().platform());
        f[25] = Num(e.social().sentiment());
        break;
      default:
        break;
    }
    line = absl::StrJoin(f, ",");
    line += '\n';
    fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

int Generate() {
  abm::bench::EventGenerator gen(Options());
  abm::v1::Event e;
  std::string line;
  google::protobuf::util::JsonPrintOptions opts;
  while (gen.Next(&e)) {
    line.clear();
    (void)google::protobuf::util::MessageToJsonString(e, &line, opts);
    line += '\n';
    fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

std::shared_ptr<grpc::Channel> Channel() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server),
                                   grpc::InsecureChannelCredentials(), args);
}

int Ingest() {
  const int clients = absl::GetFlag(FLAGS_clients);
  const int batch_size = absl::GetFlag(FLAGS_batch);
  // Batches are serialized before the clock starts, as a COPY file would be
  // written before loading: the timed part is sending and storing.
  std::vector<std::vector<grpc::ByteBuffer>> work(clients);
  {
    abm::bench::EventGenerator gen(Options());
    abm::v1::IngestRequest req;
    int64_t n = 0;
    const auto deal = [&] {
      grpc::ByteBuffer buffer;
      bool own = false;
      (void)grpc::SerializationTraits<abm::v1::IngestRequest>::Serialize(
          req, &buffer, &own);
      work[n++ % clients].push_back(std::move(buffer));
      req.Clear();
    };
    while (gen.Next(req.add_events()))
      if (req.events_size() == batch_size) deal();
    req.mutable_events()->RemoveLast();
    if (req.events_size() > 0) deal();
  }
  std::vector<abm::v1::IngestResponse> results(clients);
  std::vector<std::string> errors(clients);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      // MetricsService.IngestStream, writing the pre-serialized batches.
      auto channel = Channel();
      const grpc::internal::RpcMethod method(
          "/abm.v1.MetricsService/IngestStream",
          grpc::internal::RpcMethod::CLIENT_STREAMING, channel);
      grpc::ClientContext ctx;
      std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer(
          grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(
              channel.get(), method, &ctx, &results[c]));
      for (const auto& buffer : work[c])
        if (!writer->Write(buffer)) break;
      writer->WritesDone();
      grpc::Status s = writer->Finish();
      if (!s.ok()) errors[c] = s.error_message();
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  int64_t accepted = 0, duplicates = 0, rejected = 0;
  for (int c = 0; c < clients; ++c) {
    if (!errors[c].empty()) {
      std::cerr << "client " << c << ": " << errors[c] << "\n";
      return 1;
    }
    accepted += results[c].accepted();
    duplicates += results[c].duplicates();
    rejected += results[c].rejected();
  }
  const int64_t total = accepted + duplicates + rejected;
  std::cout << absl::StrFormat(
      "ingest clients=%d batch=%d events=%d accepted=%d duplicates=%d "
      "rejected=%d seconds=%.3f events_per_s=%.0f\n",
      clients, batch_size, total, accepted, duplicates, rejected, seconds,
      total / seconds);
  return 0;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * v.size()));
  return v[i];
}

int Query() {
  auto stub = abm::v1::MetricsService::NewStub(Channel());
  abm::v1::ListMetricsResponse metrics;
  {
    grpc::ClientContext ctx;
    grpc::Status s = stub->ListMetrics(&ctx, {}, &metrics);
    if (!s.ok()) {
      std::cerr << s.error_message() << "\n";
      return 1;
    }
  }
  google::protobuf::Timestamp from, to;
  google::protobuf::util::TimeUtil::FromString(absl::GetFlag(FLAGS_from),
                                               &from);
  google::protobuf::util::TimeUtil::FromString(absl::GetFlag(FLAGS_to), &to);
  const int reps = absl::GetFlag(FLAGS_reps);
  std::cout << absl::StrFormat("%-22s %-9s %10s %10s %6s\n", "metric", "shape",
                               "p50_ms", "p99_ms", "rows");
  for (const auto& m : metrics.metrics()) {
    if (m.plugin() == "event_counts") continue;
    const auto only = absl::GetFlag(FLAGS_metrics);
    if (!only.empty() &&
        std::find(only.begin(), only.end(), m.name()) == only.end())
      continue;
    const bool segment = std::find(m.dimensions().begin(), m.dimensions().end(),
                                   "segment") != m.dimensions().end();
    for (const std::string shape : {"plain", "segment", "monthly"}) {
      if (shape == "segment" && !segment) continue;
      abm::v1::QueryRequest req;
      req.set_metric(m.name());
      req.set_scope("all");
      *req.mutable_from() = from;
      *req.mutable_to() = to;
      if (shape == "segment") req.add_group_by("segment");
      if (shape == "monthly") {
        // The last 12 thirty-day buckets of the window.
        req.mutable_from()->set_seconds(to.seconds() - 360 * 86400);
        req.mutable_interval()->set_seconds(30 * 86400);
      }
      std::vector<double> ms;
      int rows = 0;
      for (int r = 0; r < reps; ++r) {
        grpc::ClientContext ctx;
        abm::v1::QueryResponse resp;
        const auto start = Clock::now();
        grpc::Status s = stub->Query(&ctx, req, &resp);
        ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start)
                .count());
        if (!s.ok()) {
          std::cerr << m.name() << ": " << s.error_message() << "\n";
          return 1;
        }
        rows = resp.rows_size();
      }
      std::cout << absl::StrFormat("%-22s %-9s %10.3f %10.3f %6d\n", m.name(),
                                   shape, Percentile(ms, 0.5),
                                   Percentile(ms, 0.99), rows);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string cmd = args.size() > 1 ? args[1] : "";
  if (cmd == "generate") return Generate();
  if (cmd == "csv") return Csv();
  if (cmd == "ingest") return Ingest();
  if (cmd == "query") return Query();
  std::cerr << "usage: abm-bench generate|ingest|query [--flags]\n";
  return 2;
}
