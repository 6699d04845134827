// The real abm-server process over gRPC on loopback.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <future>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {

std::string Visit(const std::string& id, const std::string& account,
                  const std::string& time = "2026-03-02T10:00:00Z") {
  return R"({"eventId":")" + id + R"(","occurredAt":")" + time +
         R"(","accountId":")" + account +
         R"(","engagement":{"type":"ENGAGEMENT_TYPE_WEB_VISIT","durationSeconds":30}})";
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/data");
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    metrics_ = server_->metrics();
    admin_ = server_->admin();
  }

  abm::v1::IngestResponse Ingest(const std::vector<std::string>& lines,
                                 grpc::Status* status_out = nullptr) {
    grpc::ClientContext ctx;
    abm::v1::IngestResponse resp;
    grpc::Status s = metrics_->Ingest(&ctx, Batch(lines), &resp);
    if (status_out)
      *status_out = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  grpc::Status Query(const abm::v1::QueryRequest& req,
                     abm::v1::QueryResponse* resp) {
    grpc::ClientContext ctx;
    return metrics_->Query(&ctx, req, resp);
  }

  int64_t EventCount() {
    abm::v1::QueryRequest req;
    req.set_metric("event_count");
    req.set_scope("all");
    abm::v1::QueryResponse resp;
    grpc::Status s = Query(req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.rows_size() == 1 ? resp.rows(0).count() : -1;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<abm::v1::MetricsService::Stub> metrics_;
  std::unique_ptr<abm::v1::AdminService::Stub> admin_;
};

TEST_F(ServerTest, IngestReportsAcceptedDuplicatesAndRejectionsByIndex) {
  auto resp = Ingest(
      {Visit("e1", "a1"),
       R"({"eventId":"bad","occurredAt":"2026-03-02T10:00:00Z","accountId":"a1","nps":{"score":11}})",
       Visit("e1", "a2"), Visit("e2", "a1")});
  EXPECT_EQ(resp.accepted(), 2);
  EXPECT_EQ(resp.duplicates(), 1);
  EXPECT_EQ(resp.rejected(), 1);
  ASSERT_EQ(resp.rejections_size(), 1);
  EXPECT_EQ(resp.rejections(0).index(), 1);
  EXPECT_NE(resp.rejections(0).reason().find("nps.score"), std::string::npos);
  EXPECT_EQ(EventCount(), 2);

  // The rejected id stays free.
  resp = Ingest(
      {R"({"eventId":"bad","occurredAt":"2026-03-02T10:00:00Z","accountId":"a1","nps":{"score":10}})"});
  EXPECT_EQ(resp.accepted(), 1);
  // Retrying a whole batch is safe.
  resp = Ingest({Visit("e1", "a1"), Visit("e2", "a1")});
  EXPECT_EQ(resp.accepted(), 0);
  EXPECT_EQ(resp.duplicates(), 2);
  EXPECT_EQ(EventCount(), 3);
}

TEST_F(ServerTest, OversizedBatchIsRefusedWithItsLimit) {
  std::vector<std::string> lines;
  for (int i = 0; i < 10001; ++i)
    lines.push_back(Visit("e" + std::to_string(i), "a"));
  grpc::Status s;
  Ingest(lines, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("10000"), std::string::npos);
  EXPECT_EQ(EventCount(), 0);
}

TEST_F(ServerTest, IngestStreamSummarisesEveryBatch) {
  grpc::ClientContext ctx;
  abm::v1::IngestResponse resp;
  auto writer = metrics_->IngestStream(&ctx, &resp);
  for (int b = 0; b < 20; ++b) {
    std::vector<std::string> lines;
    for (int i = 0; i < 100; ++i)
      lines.push_back(
          Visit("s" + std::to_string(b * 100 + i), "a" + std::to_string(i)));
    lines.push_back(Visit("s0", "a0"));  // a duplicate in every batch
    if (b == 7) lines.push_back(R"({"eventId":"x","accountId":"a"})");
    ASSERT_TRUE(writer->Write(Batch(lines)));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(resp.accepted(), 2000);
  EXPECT_EQ(resp.duplicates(), 20);
  EXPECT_EQ(resp.rejected(), 1);
  ASSERT_EQ(resp.rejections_size(), 1);
  EXPECT_EQ(resp.rejections(0).batch(), 7);
  EXPECT_EQ(resp.rejections(0).index(), 101);
  EXPECT_NE(resp.rejections(0).reason().find("occurred_at"), std::string::npos);
  EXPECT_EQ(EventCount(), 2000);
}

// gRPC's own decoding would fail a whole call on one string that is not
// UTF-8 (and end a stream as if the client had finished): the server
// rejects that event alone, naming the field, and stores the rest.
TEST_F(ServerTest, InvalidUtf8IsRejectedPerEventNamingTheField) {
  abm::v1::IngestRequest bad = Batch({Visit("u1", "a1"), Visit("u2", "a2")});
  bad.mutable_events(1)->mutable_account_id()->assign("a\xff\xfe");
  grpc::ClientContext ctx;
  abm::v1::IngestResponse resp;
  grpc::Status s = metrics_->Ingest(&ctx, bad, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.accepted(), 1);
  ASSERT_EQ(resp.rejections_size(), 1);
  EXPECT_EQ(resp.rejections(0).index(), 1);
  EXPECT_EQ(resp.rejections(0).reason(), "account_id: is not valid UTF-8");

  // In a stream: the batches after the bad one are stored too, and a
  // nested field is named by its path.
  abm::v1::IngestRequest nested = Batch(
      {R"({"eventId":"u3","occurredAt":"2026-03-02T10:00:00Z","accountId":"a1","account":{"name":"N"}})",
       Visit("u4", "a1")});
  nested.mutable_events(0)->mutable_account()->mutable_name()->assign("\xc3");
  grpc::ClientContext sctx;
  abm::v1::IngestResponse sresp;
  auto writer = metrics_->IngestStream(&sctx, &sresp);
  ASSERT_TRUE(writer->Write(Batch({Visit("u5", "a1")})));
  ASSERT_TRUE(writer->Write(nested));
  ASSERT_TRUE(writer->Write(Batch({Visit("u6", "a1")})));
  writer->WritesDone();
  s = writer->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(sresp.accepted(), 3);  // u5, u4, u6
  ASSERT_EQ(sresp.rejections_size(), 1);
  EXPECT_EQ(sresp.rejections(0).batch(), 1);
  EXPECT_EQ(sresp.rejections(0).index(), 0);
  EXPECT_EQ(sresp.rejections(0).reason(), "account.name: is not valid UTF-8");
  EXPECT_EQ(EventCount(), 4);
}

TEST_F(ServerTest, AMalformedRequestIsInvalidArgumentAndStoresNothing) {
  grpc::GenericStub generic(server_->channel());
  grpc::ClientContext ctx;
  const std::string garbage =
      "\x0a\xff\xff\xff\xff\x0f";  // length past the end
  grpc::Slice slice(garbage);
  grpc::ByteBuffer request(&slice, 1), response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&ctx, "/abm.v1.MetricsService/Ingest", grpc::StubOptions(),
                    &request, &response,
                    [&](grpc::Status s) { done.set_value(s); });
  const grpc::Status s = done.get_future().get();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("request"), std::string::npos);
  EXPECT_EQ(EventCount(), 0);
}

TEST_F(ServerTest, QueryErrorsCarryTheirCodes) {
  abm::v1::QueryRequest req;
  abm::v1::QueryResponse resp;
  req.set_metric("nope");
  EXPECT_EQ(Query(req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  req.set_metric("event_count");
  req.add_group_by("planet");
  grpc::Status s = Query(req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("planet"), std::string::npos);
  req.clear_group_by();
  *req.mutable_from() = Ts("2026-03-02T00:00:00Z");
  *req.mutable_to() = Ts("2026-03-01T00:00:00Z");
  EXPECT_EQ(Query(req, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServerTest, BucketedQueryCarriesBucketStart) {
  Ingest({Visit("e1", "a1", "2026-03-01T10:00:00Z"),
          Visit("e2", "a1", "2026-03-03T10:00:00Z")});
  abm::v1::QueryRequest req;
  req.set_metric("event_count");
  req.set_scope("all");
  *req.mutable_from() = Ts("2026-03-01T00:00:00Z");
  *req.mutable_to() = Ts("2026-03-04T00:00:00Z");
  req.mutable_interval()->set_seconds(86400);
  abm::v1::QueryResponse resp;
  ASSERT_TRUE(Query(req, &resp).ok());
  ASSERT_EQ(resp.rows_size(), 3);
  EXPECT_EQ(resp.rows(0).bucket_start().seconds(),
            Seconds("2026-03-01T00:00:00Z"));
  EXPECT_EQ(resp.rows(0).count(), 1);
  EXPECT_EQ(resp.rows(1).count(), 0);
  EXPECT_EQ(resp.rows(2).bucket_start().seconds(),
            Seconds("2026-03-03T00:00:00Z"));
  EXPECT_EQ(resp.rows(2).count(), 1);
}

TEST_F(ServerTest, ListMetricsDescribesTheExamplePlugin) {
  grpc::ClientContext ctx;
  abm::v1::ListMetricsResponse resp;
  ASSERT_TRUE(metrics_->ListMetrics(&ctx, {}, &resp).ok());
  bool found = false;
  for (const auto& m : resp.metrics()) {
    if (m.name() != "event_count") continue;
    found = true;
    EXPECT_EQ(m.plugin(), "event_counts");
    EXPECT_EQ(m.unit(), "events");
    EXPECT_FALSE(m.description().empty());
  }
  EXPECT_TRUE(found);
}

TEST_F(ServerTest, AdminLoadsUnloadsReloadsAndReportsStats) {
  Ingest({Visit("e1", "a1"), Visit("e2", "a2")});
  {
    grpc::ClientContext ctx;
    abm::v1::PluginResponse resp;
    abm::v1::PluginRequest req;
    req.set_name("event_counts");
    ASSERT_TRUE(admin_->UnloadPlugin(&ctx, req, &resp).ok());
  }
  abm::v1::QueryRequest q;
  q.set_metric("event_count");
  abm::v1::QueryResponse qr;
  EXPECT_EQ(Query(q, &qr).error_code(), grpc::StatusCode::NOT_FOUND);
  {
    grpc::ClientContext ctx;
    abm::v1::PluginResponse resp;
    abm::v1::PluginRequest req;
    req.set_name("event_counts");
    ASSERT_TRUE(admin_->LoadPlugin(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.plugin().events_applied(), 2);
  }
  EXPECT_EQ(EventCount(), 2);
  {
    grpc::ClientContext ctx;
    abm::v1::PluginResponse resp;
    abm::v1::PluginRequest req;
    req.set_name("event_counts");
    ASSERT_TRUE(admin_->ReloadPlugin(&ctx, req, &resp).ok());
    req.set_name("../../etc/passwd");
    grpc::ClientContext ctx2;
    EXPECT_EQ(admin_->LoadPlugin(&ctx2, req, &resp).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  grpc::ClientContext ctx;
  abm::v1::GetStatsResponse stats;
  ASSERT_TRUE(admin_->GetStats(&ctx, {}, &stats).ok());
  EXPECT_EQ(stats.events_stored(), 2);
  EXPECT_EQ(stats.accounts(), 2);
  EXPECT_GT(stats.uptime_seconds(), 0);
  ASSERT_GE(stats.plugins_size(), 1);
  for (const auto& p : stats.plugins())
    if (p.name() == "event_counts") EXPECT_EQ(p.events_applied(), 2);
}

TEST_F(ServerTest, HealthAndReflectionAnswer) {
  auto health = grpc::health::v1::Health::NewStub(server_->channel());
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto reflection =
      grpc::reflection::v1alpha::ServerReflection::NewStub(server_->channel());
  grpc::ClientContext rctx;
  auto stream = reflection->ServerReflectionInfo(&rctx);
  grpc::reflection::v1alpha::ServerReflectionRequest rreq;
  rreq.set_list_services("");
  ASSERT_TRUE(stream->Write(rreq));
  grpc::reflection::v1alpha::ServerReflectionResponse rresp;
  ASSERT_TRUE(stream->Read(&rresp));
  std::vector<std::string> names;
  for (const auto& s : rresp.list_services_response().service())
    names.push_back(s.name());
  stream->WritesDone();
  EXPECT_NE(std::find(names.begin(), names.end(), "abm.v1.MetricsService"),
            names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "abm.v1.AdminService"),
            names.end());
}

TEST_F(ServerTest, RestartReplaysTheLogAndLogsIt) {
  Ingest({Visit("e1", "a1"), Visit("e2", "a2"), Visit("e3", "a3")});
  EXPECT_EQ(server_->Stop(), 0);
  std::string error;
  ASSERT_TRUE(server_->Start(&error)) << error;
  metrics_ = server_->metrics();
  EXPECT_EQ(EventCount(), 3);
  EXPECT_NE(server_->log().find("replayed 3 events"), std::string::npos)
      << server_->log();
  EXPECT_NE(server_->log().find("loaded plugin event_counts"),
            std::string::npos);
}

TEST(ServerStartup, RefusesASecondServerOnTheSameDataDir) {
  TempDir dir;
  ServerProcess first(dir.path() + "/data");
  ASSERT_TRUE(first.Start());
  ServerProcess second(dir.path() + "/data");
  std::string error;
  EXPECT_FALSE(second.Start(&error));
  EXPECT_NE(error.find("in use"), std::string::npos) << error;
}

}  // namespace
}  // namespace abm::testing
