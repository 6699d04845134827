// revenue plugin: closed_revenue, average_deal_size, roi, hand-computed from
// SPEC section 4.
#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

constexpr auto kEnroll = abm::v1::OPPORTUNITY_KIND_ENROLLMENT;
constexpr auto kPartner = abm::v1::OPPORTUNITY_KIND_PARTNERSHIP;
constexpr auto kOpen = abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN;

class ClosedRevenue : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Profile("2026-01-01", "a1", "k12", "", 0, true),
        Profile("2026-01-01", "a2", "he", "", 0, true),
        Profile("2026-01-01", "a3", "he", "", 0, false),
        Opp("2026-02-01", "a1", "O1", kEnroll, "inquiry", 1000),
        Opp("2026-03-11", "a1", "O1", kEnroll, "enrolled"),
        Opp("2026-03-01", "a2", "O2", kPartner, "proposal", 5000),
        Opp("2026-03-15", "a2", "O2", kPartner, "signed"),
        Opp("2026-03-02", "a1", "O3", kEnroll, "inquiry"),
        Opp("2026-03-20", "a1", "O3", kEnroll, "enrolled"),  // no amount: 0
        Opp("2026-03-02", "a1", "O4", kEnroll, "inquiry", 99),
        Opp("2026-04-02", "a1", "O4", kEnroll, "enrolled"),  // won in April
        // The latest amount counts, even one set after the win.
        Opp("2026-03-01", "a3", "O5", kPartner, "negotiation", 100),
        Opp("2026-03-10", "a3", "O5", kPartner, "signed"),
        Opp("2026-04-02", "a3", "O5", kPartner, "signed", 7000),
        // Won, then a lost event: still won.
        Opp("2026-02-01", "a2", "O6", kEnroll, "enrolled", 0),
        Opp("2026-03-25", "a2", "O6", kEnroll, "lost"),
    });
  }
  MetricHarness h_;
};

TEST_F(ClosedRevenue, SumAndCountOfWonInWindow) {
  EXPECT_TRUE(HasRow(h_.Run(March("closed_revenue", "all")), {}, 13000, 4));
  EXPECT_TRUE(HasRow(h_.Run(March("closed_revenue", "target")), {}, 6000, 3));
}

TEST_F(ClosedRevenue, AverageDealSize) {
  EXPECT_TRUE(HasRow(h_.Run(March("average_deal_size", "all")), {}, 3250, 4));
  auto q = March("average_deal_size", "all");
  q.group_by = {"kind"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(HasRow(rows, {{"kind", "enrollment"}}, 500, 2));
  EXPECT_TRUE(HasRow(rows, {{"kind", "partnership"}}, 6000, 2));
}

TEST_F(ClosedRevenue, GroupByKindAndSegment) {
  auto q = March("closed_revenue", "all");
  q.group_by = {"kind", "segment"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 2u) << Describe(rows);
  EXPECT_TRUE(
      HasRow(rows, {{"kind", "enrollment"}, {"segment", "k12"}}, 1000, 2));
  EXPECT_TRUE(
      HasRow(rows, {{"kind", "partnership"}, {"segment", "he"}}, 12000, 2));
}

TEST_F(ClosedRevenue, NothingWon) {
  auto q = March("closed_revenue", "all");
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  EXPECT_TRUE(HasRow(h_.Run(q), {}, 0, 0));
  q.metric = "average_deal_size";
  EXPECT_TRUE(HasRow(h_.Run(q), {}, std::nullopt, 0));
  q.group_by = {"kind"};
  EXPECT_TRUE(h_.Run(q).empty());
}

class Roi : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Profile("2026-01-01", "a1", "", "", 0, true),
        Profile("2026-01-01", "a2", "", "", 0, true),
        Profile("2026-01-01", "a9", "", "", 0, false),
        Cost("2026-03-01", "c1", 400),
        Cost("2026-03-20", "c1", 600, "a9"),  // never filtered by scope
        Cost("2026-03-05", "c2", 1000), Cost("2026-03-07", "c3", 0),
        Cost("2026-02-01", "c1", 999),  // outside
        Engage("2026-02-15", "a1", kOpen, "c1"),
        Engage("2026-02-16", "a1", kOpen, "c4"),
        Opp("2026-03-01", "a1", "O1", kEnroll, "inquiry", 1000),
        Opp("2026-03-11", "a1", "O1", kEnroll, "enrolled"),
        Engage("2026-02-10", "a2", kOpen, "c1"),
        Engage("2026-01-01", "a2", kOpen, "c2"),
        Opp("2026-02-20", "a2", "O2", kPartner, "prospect", 5000),
        Opp("2026-03-15", "a2", "O2", kPartner, "signed"),
        Opp("2026-03-01", "a9", "O9", kPartner, "signed", 800),  // not target
    });
  }
  MetricQuery RoiQuery() { return March("roi", "target"); }
  MetricHarness h_;
};

TEST_F(Roi, Totals) {
  auto rows = h_.Run(RoiQuery());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "revenue"}}, 6000, 2));
  EXPECT_TRUE(HasRow(rows, {{"measure", "cost"}}, 2000, 4));
  EXPECT_TRUE(HasRow(rows, {{"measure", "roi"}}, 2, 2));
  rows = h_.Run(March("roi", "all"));
  EXPECT_TRUE(HasRow(rows, {{"measure", "revenue"}}, 6800, 3));
}

TEST_F(Roi, PerCampaign) {
  auto q = RoiQuery();
  q.group_by = {"campaign"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 12u) << Describe(rows);
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c1"}, {"measure", "revenue"}}, 6000, 2));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c1"}, {"measure", "cost"}}, 1000, 2));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c1"}, {"measure", "roi"}}, 5, 2));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c2"}, {"measure", "roi"}}, 4, 1));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c3"}, {"measure", "cost"}}, 0, 1));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c3"}, {"measure", "revenue"}}, 0, 0));
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c3"}, {"measure", "roi"}}, std::nullopt, 0));
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c4"}, {"measure", "revenue"}}, 1000, 1));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c4"}, {"measure", "cost"}}, 0, 0));
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c4"}, {"measure", "roi"}}, std::nullopt, 1));
}

TEST_F(Roi, LookbackParam) {
  auto q = RoiQuery();
  q.group_by = {"campaign"};
  q.params = {{"lookback_days", "10"}};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 9u) << Describe(rows);  // c1, c2, c3; c4 is gone
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c1"}, {"measure", "revenue"}}, 5000, 1));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c1"}, {"measure", "roi"}}, 4, 1));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c2"}, {"measure", "roi"}}, -1, 0));
}

TEST_F(Roi, OnlyCampaignGrouping) {
  auto q = RoiQuery();
  q.group_by = {"segment"};
  EXPECT_EQ(h_.TryRun(q).status().code(), absl::StatusCode::kInvalidArgument);
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  q.group_by = {};
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "roi"}}, std::nullopt, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "cost"}}, 0, 0));
  q.group_by = {"campaign"};
  EXPECT_TRUE(h_.Run(q).empty());
}

}  // namespace
}  // namespace abm::testing
