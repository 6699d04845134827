// brand plugin: nps, social_sentiment, survey_score, hand-computed from SPEC
// section 4.
#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

class Brand : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Profile("2026-01-01", "a1", "k12", "", 0, true),
        Profile("2026-01-01", "a2", "he", "", 0, true),
        Profile("2026-01-01", "a3", "he", "", 0, false),
        Nps("2026-03-02", "a1", 10),
        Nps("2026-03-03", "a1", 9),
        Nps("2026-03-04", "a1", 7),
        Nps("2026-03-05", "a2", 6),
        Nps("2026-03-06", "a2", 0),
        Nps("2026-03-07", "a3", 10),
        Nps("2026-02-07", "a1", 0),  // outside
        Social("2026-03-02", "x", 0.5),
        Social("2026-03-02", "x", 0.05),
        Social("2026-03-02", "x", -0.05),
        Social("2026-03-02", "x", 0.049),
        Social("2026-03-02", "y", -1),
        Social("2026-03-02", "y", 0, "a3"),
        Social("2026-04-01", "y", 1),  // outside
        Survey("2026-03-02", "a1", "q1", 5),
        Survey("2026-03-02", "a1", "q1", 4),
        Survey("2026-03-02", "a1", "q2", 1),
        Survey("2026-03-02", "a2", "q1", 3),
        Survey("2026-03-02", "a3", "q1", 1),
    });
  }
  MetricHarness h_;
};

TEST_F(Brand, Nps) {
  EXPECT_TRUE(HasRow(h_.Run(March("nps")), {}, 0, 5));
  EXPECT_TRUE(HasRow(h_.Run(March("nps", "all")), {}, 100.0 / 6, 6));
  auto q = March("nps");
  q.group_by = {"segment"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(HasRow(rows, {{"segment", "k12"}}, 200.0 / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"segment", "he"}}, -100, 2));
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  EXPECT_TRUE(h_.Run(q).empty());
  q.group_by = {};
  EXPECT_TRUE(HasRow(h_.Run(q), {}, std::nullopt, 0));
}

TEST_F(Brand, SocialSentimentIgnoresScopeAndSplitsAtTheThresholds) {
  auto rows = h_.Run(March("social_sentiment"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "mean"}}, -0.451 / 6, 6));
  EXPECT_TRUE(HasRow(rows, {{"measure", "positive_share"}}, 2.0 / 6, 6));
  EXPECT_TRUE(HasRow(rows, {{"measure", "neutral_share"}}, 2.0 / 6, 6));
  EXPECT_TRUE(HasRow(rows, {{"measure", "negative_share"}}, 2.0 / 6, 6));
  auto q = March("social_sentiment");
  q.group_by = {"platform"};
  rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_TRUE(
      HasRow(rows, {{"measure", "mean"}, {"platform", "x"}}, 0.549 / 4, 4));
  EXPECT_TRUE(HasRow(rows, {{"measure", "negative_share"}, {"platform", "x"}},
                     0.25, 4));
  EXPECT_TRUE(
      HasRow(rows, {{"measure", "positive_share"}, {"platform", "y"}}, 0, 2));
  EXPECT_TRUE(
      HasRow(rows, {{"measure", "neutral_share"}, {"platform", "y"}}, 0.5, 2));
  q.group_by = {"segment"};
  EXPECT_EQ(h_.TryRun(q).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(Brand, SurveyScorePerQuestion) {
  auto rows = h_.Run(March("survey_score"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(HasRow(rows, {{"question", "q1"}}, 4, 3));
  EXPECT_TRUE(HasRow(rows, {{"question", "q2"}}, 1, 1));
  auto q = March("survey_score", "all");
  q.group_by = {"segment"};
  rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(HasRow(rows, {{"question", "q1"}, {"segment", "he"}}, 2, 2));
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  q.group_by = {};
  EXPECT_TRUE(h_.Run(q).empty());
}

}  // namespace
}  // namespace abm::testing
