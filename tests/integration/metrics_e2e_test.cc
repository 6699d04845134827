// The six metric plugins end to end: the real server process loads them at
// start, ingests over gRPC, and answers queries and ListMetrics over gRPC.
#include <set>

#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/metric_harness.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {

class MetricsEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/data");
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    stub_ = server_->metrics();
    abm::v1::IngestRequest req;
    int id = 0;
    for (auto e : std::vector<abm::v1::Event>{
             Profile("2026-01-01", "a1", "k12", "north", 1, true),
             Profile("2026-01-01", "a2", "he", "south", 2, true),
             Content("2026-02-10", "a1", "guide", abm::v1::CONTENT_ACTION_VIEW),
             Content("2026-02-20", "a1", "video", abm::v1::CONTENT_ACTION_VIEW),
             Content("2026-02-25", "a1", "guide",
                     abm::v1::CONTENT_ACTION_DOWNLOAD),
             Content("2026-03-01", "a1", "brochure",
                     abm::v1::CONTENT_ACTION_VIEW),
             Opp("2026-03-01", "a1", "O1", abm::v1::OPPORTUNITY_KIND_ENROLLMENT,
                 "inquiry", 1000),
             Opp("2026-03-09", "a1", "O1", abm::v1::OPPORTUNITY_KIND_ENROLLMENT,
                 "admitted"),
             Opp("2026-03-02", "a2", "O2", abm::v1::OPPORTUNITY_KIND_ENROLLMENT,
                 "inquiry"),
             Opp("2026-03-05", "a2", "O2", abm::v1::OPPORTUNITY_KIND_ENROLLMENT,
                 "lost"),
             Nps("2026-03-03", "a1", 10),
             Nps("2026-03-03", "a2", 3),
         }) {
      e.set_event_id("e" + std::to_string(id++));
      *req.add_events() = e;
    }
    grpc::ClientContext ctx;
    abm::v1::IngestResponse resp;
    ASSERT_TRUE(stub_->Ingest(&ctx, req, &resp).ok());
    ASSERT_EQ(resp.accepted(), 12);
  }

  abm::v1::QueryResponse Query(abm::v1::QueryRequest req) {
    grpc::ClientContext ctx;
    abm::v1::QueryResponse resp;
    grpc::Status s = stub_->Query(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  static abm::v1::QueryRequest March(const std::string& metric) {
    abm::v1::QueryRequest req;
    req.set_metric(metric);
    *req.mutable_from() = Ts("2026-03-01T00:00:00Z");
    *req.mutable_to() = Ts("2026-04-01T00:00:00Z");
    return req;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<abm::v1::MetricsService::Stub> stub_;
};

TEST_F(MetricsEndToEnd, WorkedExamplesOverGrpc) {
  auto resp = Query(March("stage_conversion"));
  ASSERT_EQ(resp.rows_size(), 3);
  // Sorted by labels: from_stage "admitted" < "application" < "inquiry".
  EXPECT_EQ(resp.rows(0).labels().at("from_stage"), "admitted");
  EXPECT_EQ(resp.rows(0).value(), 0.0);
  EXPECT_EQ(resp.rows(2).labels().at("from_stage"), "inquiry");
  EXPECT_EQ(resp.rows(2).value(), 0.5);
  EXPECT_EQ(resp.rows(2).count(), 2);

  auto req = March("content_influence");
  (*req.mutable_params())["model"] = "u_shaped";
  resp = Query(req);
  ASSERT_EQ(resp.rows_size(), 3);
  EXPECT_EQ(resp.rows(0).labels().at("content"), "brochure");
  EXPECT_DOUBLE_EQ(resp.rows(0).value(), 400);
  EXPECT_EQ(resp.rows(1).labels().at("content"), "guide");
  EXPECT_DOUBLE_EQ(resp.rows(1).value(), 500);
  EXPECT_DOUBLE_EQ(resp.rows(2).value(), 100);
}

TEST_F(MetricsEndToEnd, AbsentValuesAreUnsetAndBucketsCarryTheirStart) {
  auto req = March("nps");
  req.mutable_interval()->set_seconds(86400 * 2);
  req.add_group_by("segment");
  auto resp = Query(req);
  ASSERT_EQ(resp.rows_size(), 2);  // only the bucket with responses
  EXPECT_EQ(resp.rows(0).bucket_start().seconds(),
            Seconds("2026-03-03T00:00:00Z"));
  EXPECT_EQ(resp.rows(0).labels().at("segment"), "he");
  EXPECT_EQ(resp.rows(0).value(), -100);

  req = March("time_to_close");
  resp = Query(req);
  ASSERT_EQ(resp.rows_size(), 2);
  EXPECT_FALSE(resp.rows(0).has_value());
  EXPECT_EQ(resp.rows(0).count(), 0);
}

TEST_F(MetricsEndToEnd, ListMetricsDescribesAllNineteen) {
  grpc::ClientContext ctx;
  abm::v1::ListMetricsResponse resp;
  ASSERT_TRUE(stub_->ListMetrics(&ctx, {}, &resp).ok());
  std::set<std::string> names;
  for (const auto& m : resp.metrics()) {
    names.insert(m.name());
    EXPECT_FALSE(m.description().empty()) << m.name();
    EXPECT_FALSE(m.unit().empty()) << m.name();
    if (m.name() == "content_influence") {
      ASSERT_EQ(m.params_size(), 3);
      EXPECT_EQ(m.params(0).name(), "model");
      EXPECT_EQ(m.params(0).default_value(), "linear");
      EXPECT_EQ(m.params(0).choices_size(), 5);
      EXPECT_EQ(m.plugin(), "content");
    }
    if (m.name() == "social_sentiment") {
      ASSERT_EQ(m.dimensions_size(), 1);
      EXPECT_EQ(m.dimensions(0), "platform");
    }
  }
  for (const char* name :
       {"account_coverage", "engagement_rate", "engaged_contacts",
        "time_to_close", "stage_conversion", "influenced_pipeline",
        "pipeline_velocity", "closed_revenue", "average_deal_size", "roi",
        "retention_rate", "churn_rate", "lifetime_value", "nps",
        "social_sentiment", "survey_score", "content_consumption",
        "content_engagement", "content_influence"})
    EXPECT_EQ(names.count(name), 1u) << name;
}

TEST_F(MetricsEndToEnd, BadParametersNameTheParameter) {
  auto req = March("content_influence");
  (*req.mutable_params())["half_life_days"] = "-2";
  grpc::ClientContext ctx;
  abm::v1::QueryResponse resp;
  grpc::Status s = stub_->Query(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("params.half_life_days"), std::string::npos);
}

}  // namespace
}  // namespace abm::testing
