// Query validation and bucketing (SPEC section 3), through the real host and
// the example plugin.
#include "server/query/query_engine.h"

#include <memory>

#include "gtest/gtest.h"
#include "server/ingest/committer.h"
#include "server/log/sqlite_event_log.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::server {
namespace {

using abm::testing::Seconds;

sdk::Nanos At(const std::string& t) {
  return Seconds(t) * sdk::kNanosPerSecond;
}

class QueryEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = std::move(SqliteEventLog::Open(dir_.path() + "/events.db")).value();
    loader_ = std::move(PluginLoader::Create(abm::testing::BuiltinPluginDir()))
                  .value();
    host_ = std::make_unique<PluginHost>(log_.get(), loader_.get());
    ASSERT_TRUE(host_->LoadAtStartup({"event_counts"}).ok());
    committer_ = std::make_unique<Committer>(log_.get(), host_.get(), &dedup_);
    events_ = abm::testing::Evs({
        R"({"eventId":"p","occurredAt":"2026-01-01T00:00:00Z","accountId":"a1","account":{"segment":"k12","tier":2,"target":true}})",
        R"({"eventId":"1","occurredAt":"2026-01-01T00:00:00Z","accountId":"a1","engagement":{"type":"ENGAGEMENT_TYPE_MEETING"}})",
        R"({"eventId":"2","occurredAt":"2026-01-01T23:59:59Z","accountId":"a1","engagement":{"type":"ENGAGEMENT_TYPE_MEETING"}})",
        R"({"eventId":"3","occurredAt":"2026-01-02T00:00:00Z","accountId":"a2","engagement":{"type":"ENGAGEMENT_TYPE_MEETING"}})",
        R"({"eventId":"4","occurredAt":"2026-01-03T12:00:00Z","accountId":"a2","engagement":{"type":"ENGAGEMENT_TYPE_MEETING"}})",
    });
    std::vector<const abm::v1::Event*> ptrs;
    for (const auto& e : events_) ptrs.push_back(&e);
    ASSERT_TRUE(committer_->Submit(ptrs).get().status.ok());
  }

  QueryInput Input() {
    QueryInput in;
    in.metric = "event_count";
    in.scope = "all";
    in.from = At("2026-01-01T00:00:00Z");
    in.to = At("2026-01-03T18:00:00Z");
    return in;
  }

  abm::testing::TempDir dir_;
  std::unique_ptr<SqliteEventLog> log_;
  std::unique_ptr<PluginLoader> loader_;
  std::unique_ptr<PluginHost> host_;
  DedupIndex dedup_;
  std::unique_ptr<Committer> committer_;
  std::vector<abm::v1::Event> events_;
};

TEST_F(QueryEngineTest, OneWindowWithoutInterval) {
  QueryEngine engine(host_.get());
  auto rows = engine.Run(Input()).value();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row.count, 5);
  EXPECT_FALSE(rows[0].bucket_start.has_value());
}

TEST_F(QueryEngineTest, BucketsAreCutFromFromAndTheLastAtTo) {
  QueryEngine engine(host_.get());
  QueryInput in = Input();
  in.interval = sdk::kNanosPerDay;
  auto rows = engine.Run(in).value();
  ASSERT_EQ(rows.size(), 3u);  // Jan 1, Jan 2, Jan 3 (cut at 18:00)
  EXPECT_EQ(*rows[0].bucket_start, At("2026-01-01T00:00:00Z"));
  EXPECT_EQ(rows[0].row.count, 3);  // profile + two at the day's edges
  EXPECT_EQ(*rows[1].bucket_start, At("2026-01-02T00:00:00Z"));
  EXPECT_EQ(rows[1].row.count, 1);  // from is inclusive
  EXPECT_EQ(*rows[2].bucket_start, At("2026-01-03T00:00:00Z"));
  EXPECT_EQ(rows[2].row.count, 1);

  in.to = At("2026-01-03T12:00:00Z");  // to is exclusive
  rows = engine.Run(in).value();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].row.count, 0);
}

TEST_F(QueryEngineTest, RowsSortByBucketThenLabels) {
  QueryEngine engine(host_.get());
  QueryInput in = Input();
  in.interval = 2 * sdk::kNanosPerDay;
  in.group_by = {"kind", "segment"};
  auto rows = engine.Run(in).value();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].row.labels,
            (sdk::Labels{{"kind", "account"}, {"segment", "k12"}}));
  EXPECT_EQ(rows[1].row.labels,
            (sdk::Labels{{"kind", "engagement"}, {"segment", ""}}));
  EXPECT_EQ(rows[2].row.labels,
            (sdk::Labels{{"kind", "engagement"}, {"segment", "k12"}}));
  EXPECT_EQ(*rows[3].bucket_start, At("2026-01-03T00:00:00Z"));
}

TEST_F(QueryEngineTest, DefaultScopeIsTarget) {
  QueryEngine engine(host_.get());
  QueryInput in = Input();
  in.scope = "";
  EXPECT_EQ(engine.Run(in).value()[0].row.count, 3);
}

TEST_F(QueryEngineTest, Errors) {
  QueryEngine engine(host_.get());
  QueryInput in = Input();
  in.metric = "no_such_metric";
  EXPECT_EQ(engine.Run(in).status().code(), absl::StatusCode::kNotFound);

  in = Input();
  in.scope = "everyone";
  auto s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("scope"), absl::string_view::npos);

  in = Input();
  in.group_by = {"campaign"};
  s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("campaign"), absl::string_view::npos);

  in = Input();
  in.params["lookback_days"] = "3";
  s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("params.lookback_days"), absl::string_view::npos);

  in = Input();
  in.to = in.from;
  s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("from"), absl::string_view::npos);

  in = Input();
  in.interval = 0;
  EXPECT_EQ(engine.Run(in).status().code(), absl::StatusCode::kInvalidArgument);

  in = Input();
  in.from = 0;
  in.to = 10000 * sdk::kNanosPerSecond;
  in.interval = sdk::kNanosPerSecond;  // exactly 10,000 buckets: allowed
  EXPECT_TRUE(engine.Run(in).ok());
  in.to = 10001 * sdk::kNanosPerSecond - 1;  // 10,001 buckets
  s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("interval"), absl::string_view::npos);
}

TEST(BindQuery, ValidatesParamsAndFillsDefaults) {
  sdk::MetricSpec spec;
  spec.name = "m";
  spec.dimensions = {"segment"};
  spec.params = {
      {"lookback_days", sdk::ParamType::kInteger, "90", "", 0, false, {}},
      {"half_life_days", sdk::ParamType::kReal, "7", "", 0, true, {}},
      {"model",
       sdk::ParamType::kChoice,
       "linear",
       "",
       0,
       false,
       {"linear", "u_shaped"}},
  };
  QueryInput in;
  sdk::Query q;
  ASSERT_TRUE(BindQuery(in, spec, &q).ok());
  EXPECT_EQ(q.params.at("lookback_days"), "90");
  EXPECT_EQ(q.real_param("half_life_days"), 7.0);
  EXPECT_EQ(q.params.at("model"), "linear");

  in.params = {{"lookback_days", "0"}};
  EXPECT_TRUE(BindQuery(in, spec, &q).ok());
  in.params = {{"lookback_days", "-1"}};
  EXPECT_FALSE(BindQuery(in, spec, &q).ok());
  in.params = {{"lookback_days", "1.5"}};
  EXPECT_FALSE(BindQuery(in, spec, &q).ok());
  in.params = {{"half_life_days", "0"}};
  EXPECT_FALSE(BindQuery(in, spec, &q).ok());
  in.params = {{"half_life_days", "0.25"}};
  EXPECT_TRUE(BindQuery(in, spec, &q).ok());
  in.params = {{"half_life_days", "nan"}};
  EXPECT_FALSE(BindQuery(in, spec, &q).ok());
  in.params = {{"model", "w_shaped"}};
  auto s = BindQuery(in, spec, &q);
  EXPECT_NE(s.message().find("params.model"), absl::string_view::npos);
  in.params = {};
  in.group_by = {"segment", "segment"};
  EXPECT_FALSE(BindQuery(in, spec, &q).ok());
}

}  // namespace
}  // namespace abm::server
