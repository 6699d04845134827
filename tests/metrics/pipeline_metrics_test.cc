// pipeline plugin: time_to_close, stage_conversion, influenced_pipeline,
// pipeline_velocity, hand-computed from SPEC sections 4 and 5.
#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

constexpr auto kEnroll = abm::v1::OPPORTUNITY_KIND_ENROLLMENT;
constexpr auto kPartner = abm::v1::OPPORTUNITY_KIND_PARTNERSHIP;
constexpr auto kOpen = abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN;

abm::sdk::Labels Pair(const std::string& kind, const std::string& from,
                      const std::string& to) {
  return {{"kind", kind}, {"from_stage", from}, {"to_stage", to}};
}

TEST(StageConversion, WorkedExampleOfSpecSection5) {
  MetricHarness h;
  h.Ingest({Opp("2026-03-01", "a1", "O1", kEnroll, "inquiry"),
            Opp("2026-03-09", "a1", "O1", kEnroll, "admitted"),
            Opp("2026-03-02", "a2", "O2", kEnroll, "inquiry"),
            Opp("2026-03-05", "a2", "O2", kEnroll, "lost")});
  auto rows = h.Run(March("stage_conversion", "all"));
  ASSERT_EQ(rows.size(), 3u) << Describe(rows);
  EXPECT_TRUE(
      HasRow(rows, Pair("enrollment", "inquiry", "application"), 0.5, 2));
  EXPECT_TRUE(
      HasRow(rows, Pair("enrollment", "application", "admitted"), 1.0, 1));
  EXPECT_TRUE(HasRow(rows, Pair("enrollment", "admitted", "enrolled"), 0.0, 1));
}

TEST(StageConversion, KindsStagesAfterTheWindowAndLateEarlierEvents) {
  MetricHarness h;
  h.Ingest({
      Opp("2026-03-01", "a1", "O1", kEnroll, "inquiry"),
      Opp("2026-03-09", "a1", "O1", kEnroll, "admitted"),
      Opp("2026-03-02", "a2", "O2", kEnroll, "inquiry"),
      Opp("2026-03-05", "a2", "O2", kEnroll, "lost"),
      // Reaches every stage; the last one after the window still counts.
      Opp("2026-03-03", "a3", "O5", kEnroll, "inquiry"),
      Opp("2026-04-05", "a3", "O5", kEnroll, "enrolled"),
      // Created in February: out.
      Opp("2026-02-10", "a4", "O3", kPartner, "prospect"),
      // A partnership that only ever lost: its kind has rows, nothing reached.
      Opp("2026-03-10", "a4", "O4", kPartner, "lost"),
      // Arrives first at Mar 20, then an earlier event moves creation to Feb.
      Opp("2026-03-20", "a5", "O6", kEnroll, "admitted"),
  });
  h.Ingest({Opp("2026-02-25", "a5", "O6", kEnroll, "inquiry")});
  auto rows = h.Run(March("stage_conversion", "all"));
  ASSERT_EQ(rows.size(), 7u) << Describe(rows);
  EXPECT_TRUE(
      HasRow(rows, Pair("enrollment", "inquiry", "application"), 2.0 / 3, 3));
  EXPECT_TRUE(
      HasRow(rows, Pair("enrollment", "application", "admitted"), 1.0, 2));
  EXPECT_TRUE(HasRow(rows, Pair("enrollment", "admitted", "enrolled"), 0.5, 2));
  EXPECT_TRUE(HasRow(rows, Pair("partnership", "prospect", "qualified"),
                     std::nullopt, 0));
  EXPECT_TRUE(HasRow(rows, Pair("partnership", "negotiation", "signed"),
                     std::nullopt, 0));
}

TEST(StageConversion, NoOpportunitiesNoRowsAndScopeAndGroups) {
  MetricHarness h;
  EXPECT_TRUE(h.Run(March("stage_conversion", "all")).empty());
  h.Ingest({Profile("2026-01-01", "a1", "k12", "", 0, true),
            Profile("2026-01-01", "a2", "he", "", 0, false),
            Opp("2026-03-01", "a1", "O1", kPartner, "qualified"),
            Opp("2026-03-01", "a2", "O2", kPartner, "prospect")});
  auto rows = h.Run(March("stage_conversion", "target"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(
      HasRow(rows, Pair("partnership", "prospect", "qualified"), 1.0, 1));
  EXPECT_TRUE(
      HasRow(rows, Pair("partnership", "qualified", "proposal"), 0.0, 1));
  auto q = March("stage_conversion", "all");
  q.group_by = {"segment"};
  rows = h.Run(q);
  ASSERT_EQ(rows.size(), 8u);
  auto labels = Pair("partnership", "prospect", "qualified");
  labels["segment"] = "he";
  EXPECT_TRUE(HasRow(rows, labels, 0.0, 1));
}

class TimeToClose : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Profile("2026-01-01", "a1", "k12", "", 0, true),
        Profile("2026-01-01", "a2", "he", "", 0, false),
        Profile("2026-01-01", "a3", "he", "", 0, true),
        Engage("2026-02-20", "a1", kOpen),  // a1's first touch: start of O1
        Opp("2026-03-01", "a1", "O1", kEnroll, "inquiry", 1000),
        Opp("2026-03-11", "a1", "O1", kEnroll, "enrolled"),
        Opp("2026-03-05", "a2", "O2", kPartner, "prospect"),
        Opp("2026-03-15", "a2", "O2", kPartner, "signed"),
        Opp("2026-03-20", "a2", "O2", kPartner,
            "signed"),  // won_at stays Mar 15
        Opp("2026-03-02T12:00:00Z", "a3", "O3", kEnroll, "inquiry"),
        Opp("2026-03-04", "a3", "O3", kEnroll, "enrolled"),
        Engage("2026-03-03", "a3", kOpen),  // after creation: start = created
        Opp("2026-03-20", "a1", "O4", kEnroll, "inquiry"),
        Opp("2026-04-02", "a1", "O4", kEnroll, "enrolled"),  // won in April
    });
  }
  MetricHarness h_;
};

TEST_F(TimeToClose, MeanAndMedianOfDaysToWin) {
  auto rows = h_.Run(March("time_to_close", "all"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "mean"}}, (19 + 10 + 1.5) / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "median"}}, 10, 3));
  rows = h_.Run(March("time_to_close", "target"));
  EXPECT_TRUE(HasRow(rows, {{"measure", "mean"}}, 10.25, 2));
  EXPECT_TRUE(HasRow(rows, {{"measure", "median"}}, 10.25, 2));  // even count
}

TEST_F(TimeToClose, GroupByKind) {
  auto q = March("time_to_close", "all");
  q.group_by = {"kind"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(
      HasRow(rows, {{"kind", "enrollment"}, {"measure", "median"}}, 10.25, 2));
  EXPECT_TRUE(
      HasRow(rows, {{"kind", "partnership"}, {"measure", "mean"}}, 10, 1));
  q.group_by = {"kind", "segment"};
  rows = h_.Run(q);
  EXPECT_TRUE(HasRow(
      rows, {{"kind", "enrollment"}, {"measure", "mean"}, {"segment", "he"}},
      1.5, 1));
}

TEST_F(TimeToClose, NothingWonGivesAbsentValuesOrNoRows) {
  auto q = March("time_to_close", "all");
  q.from = "2025-01-01";
  q.to = "2025-06-01";
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "mean"}}, std::nullopt, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "median"}}, std::nullopt, 0));
  q.group_by = {"kind"};
  EXPECT_TRUE(h_.Run(q).empty());
}

class InfluencedPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Engage("2026-01-01", "a1", kOpen, "c1"),
        Content("2026-03-10", "a1", "guide", abm::v1::CONTENT_ACTION_VIEW, 0,
                {}, "c2"),
        // O1: the latest event carrying an amount gives 1000.
        Opp("2026-03-10", "a1", "O1", kEnroll, "inquiry", 500),
        Opp("2026-03-12", "a1", "O1", kEnroll, "application", 1000),
        Opp("2026-03-13", "a1", "O1", kEnroll, "admitted"),
        // O2: a touch exactly 90 days before creation counts; 91 does not.
        Engage("2025-12-15", "a2", kOpen, "c1"),
        Engage("2025-12-14", "a2", kOpen, "c4"),
        Opp("2026-03-15", "a2", "O2", kPartner, "prospect", 300),
        // O3: no campaign touch in its lookback (after creation / no campaign).
        Engage("2026-03-21", "a3", kOpen, "c3"),
        Engage("2026-03-19", "a3", kOpen, ""),
        Opp("2026-03-20", "a3", "O3", kEnroll, "inquiry", 500),
        // O4: amount only on its first event.
        Opp("2026-03-25", "a1", "O4", kEnroll, "inquiry", 200),
        Opp("2026-03-26", "a1", "O4", kEnroll, "application"),
    });
  }
  MetricHarness h_;
};

TEST_F(InfluencedPipeline, AmountAndShare) {
  auto rows = h_.Run(March("influenced_pipeline", "all"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "amount"}}, 1500, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "share"}}, 0.75, 4));
}

TEST_F(InfluencedPipeline, GroupByCampaignCountsEveryTouchingCampaign) {
  auto q = March("influenced_pipeline", "all");
  q.group_by = {"campaign"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 4u) << Describe(rows);
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c1"}, {"measure", "amount"}}, 1500, 3));
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c1"}, {"measure", "share"}}, 0.75, 4));
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c2"}, {"measure", "amount"}}, 1200, 2));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c2"}, {"measure", "share"}}, 0.6, 4));
}

TEST_F(InfluencedPipeline, LookbackZeroKeepsTheCreationInstant) {
  auto q = March("influenced_pipeline", "all");
  q.params = {{"lookback_days", "0"}};
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "amount"}}, 1000, 1));
  EXPECT_TRUE(HasRow(rows, {{"measure", "share"}}, 0.5, 4));
  q.params = {{"lookback_days", "-1"}};
  EXPECT_EQ(h_.TryRun(q).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(InfluencedPipeline, ZeroTotalLeavesShareAbsent) {
  h_.Ingest({Opp("2026-05-02", "a1", "O5", kEnroll, "inquiry")});
  auto q = March("influenced_pipeline", "all");
  q.from = "2026-05-01";
  q.to = "2026-06-01";
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "amount"}}, 0, 1));
  EXPECT_TRUE(HasRow(rows, {{"measure", "share"}}, std::nullopt, 1));
  q.from = "2025-05-01";
  q.to = "2025-06-01";
  rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "amount"}}, 0, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "share"}}, std::nullopt, 0));
}

class PipelineVelocity : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Opp("2026-03-01", "a1", "O1", kEnroll, "inquiry", 1000),
        Opp("2026-03-11", "a1", "O1", kEnroll, "enrolled"),
        Opp("2026-03-05", "a2", "O2", kEnroll, "inquiry"),
        Opp("2026-03-20", "a2", "O2", kEnroll, "lost"),
        Opp("2026-02-10", "a3", "O3", kPartner, "prospect", 500),
        Opp("2026-03-02", "a3", "O3", kPartner, "signed"),
        Opp("2026-03-15", "a4", "O4", kPartner, "prospect"),
        Opp("2026-01-01", "a5", "O5", kPartner, "prospect"),
        Opp("2026-02-01", "a5", "O5", kPartner, "lost"),
    });
  }
  MetricHarness h_;
};

TEST_F(PipelineVelocity, AllMeasures) {
  auto rows = h_.Run(March("pipeline_velocity", "all"));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "opportunities"}}, 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "win_rate"}}, 2.0 / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "avg_deal_size"}}, 750, 2));
  EXPECT_TRUE(HasRow(rows, {{"measure", "avg_cycle_days"}}, 15, 2));
  EXPECT_TRUE(HasRow(rows, {{"measure", "velocity"}}, 100, 3));
}

TEST_F(PipelineVelocity, EmptyWindowAndZeroCycle) {
  auto q = March("pipeline_velocity", "all");
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "opportunities"}}, 0, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "win_rate"}}, std::nullopt, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "velocity"}}, std::nullopt, 0));
  // Created and won at the same instant: cycle 0, velocity absent.
  h_.Ingest({Opp("2026-06-01", "a6", "O6", kEnroll, "enrolled", 10)});
  q.from = "2026-06-01";
  q.to = "2026-07-01";
  rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "avg_cycle_days"}}, 0, 1));
  EXPECT_TRUE(HasRow(rows, {{"measure", "win_rate"}}, 1, 1));
  EXPECT_TRUE(HasRow(rows, {{"measure", "velocity"}}, std::nullopt, 1));
}

TEST_F(PipelineVelocity,
       GroupsExistForOpportunitiesCreatedOrClosedInTheWindow) {
  h_.Ingest({Profile("2026-01-01", "a3", "he", "", 0, true),
             Profile("2026-01-01", "a5", "late", "", 0, true)});
  auto q = March("pipeline_velocity", "all");
  q.group_by = {"segment"};
  auto rows = h_.Run(q);
  EXPECT_EQ(rows.size(), 10u) << Describe(rows);  // "" and "he"; not "late"
  EXPECT_TRUE(
      HasRow(rows, {{"measure", "opportunities"}, {"segment", "he"}}, 0, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "win_rate"}, {"segment", "he"}}, 1, 1));
  EXPECT_TRUE(HasRow(rows, {{"measure", "velocity"}, {"segment", "he"}}, 0, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "velocity"}, {"segment", ""}},
                     3 * 0.5 * 1000 / 10.0, 3));
}

}  // namespace
}  // namespace abm::testing
