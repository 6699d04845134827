// content plugin: content_consumption, content_engagement, content_influence
// (every attribution model, and SPEC section 5's worked example).
#include <cmath>

#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

constexpr auto kView = abm::v1::CONTENT_ACTION_VIEW;
constexpr auto kDownload = abm::v1::CONTENT_ACTION_DOWNLOAD;
constexpr auto kShare = abm::v1::CONTENT_ACTION_SHARE;
constexpr auto kEnroll = abm::v1::OPPORTUNITY_KIND_ENROLLMENT;

TEST(ContentConsumption, CountsPerContentAndAction) {
  MetricHarness h;
  h.Ingest({Profile("2026-01-01", "a1", "k12", "", 0, true),
            Profile("2026-01-01", "a2", "he", "", 0, false),
            Content("2026-03-02", "a1", "guide", kView),
            Content("2026-03-03", "a1", "guide", kView),
            Content("2026-03-03", "a1", "guide", kDownload),
            Content("2026-03-04", "a1", "video", kView),
            Content("2026-03-04", "a2", "guide", kShare),
            Content("2026-04-04", "a1", "video", kShare)});
  auto rows = h.Run(March("content_consumption"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(HasRow(rows, {{"action", "view"}, {"content", "guide"}}, 2, 2));
  EXPECT_TRUE(
      HasRow(rows, {{"action", "download"}, {"content", "guide"}}, 1, 1));
  EXPECT_TRUE(HasRow(rows, {{"action", "view"}, {"content", "video"}}, 1, 1));
  auto q = March("content_consumption", "all");
  q.group_by = {"segment"};
  rows = h.Run(q);
  EXPECT_TRUE(HasRow(
      rows, {{"action", "share"}, {"content", "guide"}, {"segment", "he"}}, 1,
      1));
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  q.group_by = {};
  EXPECT_TRUE(h.Run(q).empty());
}

TEST(ContentEngagement, MeansOverViews) {
  MetricHarness h;
  h.Ingest({Content("2026-03-02", "a1", "guide", kView, 30, 0.5),
            Content("2026-03-03", "a1", "guide", kView, 90),
            Content("2026-03-03", "a1", "guide", kDownload, 500, 1.0),
            Content("2026-03-04", "a1", "video", kView, 10, 1.0),
            Content("2026-03-04", "a1", "brochure", kDownload, 10, 1.0)});
  auto rows = h.Run(March("content_engagement", "all"));
  ASSERT_EQ(rows.size(), 4u) << Describe(rows);  // brochure has no views
  EXPECT_TRUE(
      HasRow(rows, {{"content", "guide"}, {"measure", "avg_seconds"}}, 60, 2));
  EXPECT_TRUE(HasRow(
      rows, {{"content", "guide"}, {"measure", "avg_completion"}}, 0.5, 1));
  EXPECT_TRUE(
      HasRow(rows, {{"content", "video"}, {"measure", "avg_seconds"}}, 10, 1));
  EXPECT_TRUE(HasRow(
      rows, {{"content", "video"}, {"measure", "avg_completion"}}, 1, 1));
}

class ContentInfluence : public ::testing::Test {
 protected:
  void SetUp() override {
    // SPEC section 5: O1 (1000, created Mar 1) with four touches.
    h_.Ingest({Content("2026-02-10", "a1", "guide", kView),
               Content("2026-02-20", "a1", "video", kView),
               Content("2026-02-25", "a1", "guide", kDownload),
               Content("2026-03-01", "a1", "brochure", kView),
               Opp("2026-03-01", "a1", "O1", kEnroll, "inquiry", 1000)});
  }
  Rows Run(const std::string& model) {
    auto q = March("content_influence", "all");
    q.params = {{"model", model}};
    return h_.Run(q);
  }
  MetricHarness h_;
};

TEST_F(ContentInfluence, UShapedWorkedExample) {
  auto rows = Run("u_shaped");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(HasRow(rows, {{"content", "guide"}}, 500, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "video"}}, 100, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "brochure"}}, 400, 1));
}

TEST_F(ContentInfluence, LinearIsTheDefault) {
  auto q = March("content_influence", "all");
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"content", "guide"}}, 500, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "video"}}, 250, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "brochure"}}, 250, 1));
}

TEST_F(ContentInfluence, FirstAndLastTouch) {
  auto rows = Run("first_touch");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(HasRow(rows, {{"content", "guide"}}, 1000, 1));
  rows = Run("last_touch");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(HasRow(rows, {{"content", "brochure"}}, 1000, 1));
}

TEST_F(ContentInfluence, TimeDecay) {
  const double w[] = {std::exp2(-19 / 7.0), std::exp2(-9 / 7.0),
                      std::exp2(-4 / 7.0), 1.0};
  const double total = w[0] + w[1] + w[2] + w[3];
  auto rows = Run("time_decay");
  EXPECT_TRUE(
      HasRow(rows, {{"content", "guide"}}, 1000 * (w[0] + w[2]) / total, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "video"}}, 1000 * w[1] / total, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "brochure"}}, 1000 * w[3] / total, 1));
  auto q = March("content_influence", "all");
  q.params = {{"model", "time_decay"}, {"half_life_days", "1"}};
  const double v[] = {std::exp2(-19.0), std::exp2(-9.0), std::exp2(-4.0), 1.0};
  const double vt = v[0] + v[1] + v[2] + v[3];
  EXPECT_TRUE(HasRow(h_.Run(q), {{"content", "video"}}, 1000 * v[1] / vt, 1));
  q.params = {{"half_life_days", "0"}};
  EXPECT_EQ(h_.TryRun(q).status().code(), absl::StatusCode::kInvalidArgument);
  q.params = {{"model", "w_shaped"}};
  EXPECT_EQ(h_.TryRun(q).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ContentInfluence, TwoTouchesAndLookback) {
  auto q = March("content_influence", "all");
  q.params = {{"model", "u_shaped"}, {"lookback_days", "4"}};
  auto rows = h_.Run(q);  // touches Feb 25 (exactly 4 days) and Mar 1
  ASSERT_EQ(rows.size(), 2u) << Describe(rows);
  EXPECT_TRUE(HasRow(rows, {{"content", "guide"}}, 500, 1));
  EXPECT_TRUE(HasRow(rows, {{"content", "brochure"}}, 500, 1));
  q.params = {{"model", "u_shaped"}, {"lookback_days", "0"}};
  rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(HasRow(rows, {{"content", "brochure"}}, 1000, 1));
}

TEST_F(ContentInfluence, CountsDistinctOpportunitiesAndSkipsUntouched) {
  h_.Ingest({
      // O2: amount 0 still gives shares, so it is counted.
      Content("2026-03-05", "a2", "guide", kView),
      Opp("2026-03-06", "a2", "O2", kEnroll, "inquiry"),
      // O3: no content touch in its lookback.
      Content("2026-03-09", "a3", "guide", kView),
      Opp("2026-03-08", "a3", "O3", kEnroll, "inquiry", 700),
  });
  auto rows = Run("u_shaped");
  EXPECT_TRUE(HasRow(rows, {{"content", "guide"}}, 500, 2));
  EXPECT_TRUE(HasRow(rows, {{"content", "video"}}, 100, 1));
}

TEST(ContentInfluenceTies, SameInstantTouchesOrderByEventId) {
  MetricHarness h;
  h.Ingest(
      {WithId(Content("2026-03-01", "a1", "x", kView), "e-b"),
       WithId(Content("2026-03-01", "a1", "y", kView), "e-a"),
       WithId(Opp("2026-03-02", "a1", "O1", kEnroll, "inquiry", 10), "o")});
  auto q = March("content_influence", "all");
  q.params = {{"model", "first_touch"}};
  auto rows = h.Run(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(HasRow(rows, {{"content", "y"}}, 10, 1));
  q.params = {{"model", "last_touch"}};
  EXPECT_TRUE(HasRow(h.Run(q), {{"content", "x"}}, 10, 1));
}

}  // namespace
}  // namespace abm::testing
