// lifetime plugin: retention_rate, churn_rate, lifetime_value, hand-computed
// from SPEC section 4.
#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

constexpr auto kActive = abm::v1::LIFECYCLE_STATUS_ACTIVE;
constexpr auto kChurned = abm::v1::LIFECYCLE_STATUS_CHURNED;

class Lifetime : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<abm::v1::Event> ev;
    for (const char* a : {"a1", "a2", "a3", "a4"})
      ev.push_back(Profile("2026-01-01", a, "x", "", 0, true));
    for (const char* a : {"a5", "a6", "a7", "a8", "a9"})
      ev.push_back(Profile("2026-01-01", a, "y", "", 0, true));
    ev.push_back(Profile("2026-01-01", "a10", "z", "", 0, true));
    ev.push_back(Profile("2026-01-01", "n1", "x", "", 0, false));
    const std::vector<abm::v1::Event> life = {
        Lifecycle("2026-01-01", "a1", kActive),
        Lifecycle("2026-01-01", "a2", kActive),
        Lifecycle("2026-03-10", "a2", kChurned),
        Lifecycle("2026-01-01", "a3", kActive),
        Lifecycle("2026-03-10", "a3", kChurned),
        Lifecycle("2026-03-20", "a3", kActive),  // re-activated
        Lifecycle("2026-03-05", "a4", kActive),  // became active in the window
        Lifecycle("2026-03-01", "a5", kActive),  // at `from`: not before it
        Lifecycle("2026-02-01", "a6", kChurned),
        Lifecycle("2026-02-01", "a7", kActive),   // same instant: the later
        Lifecycle("2026-02-01", "a7", kChurned),  //   in log order wins
        Lifecycle("2026-02-01", "a8", kChurned),
        Lifecycle("2026-02-01", "a8", kActive),
        Lifecycle("2026-01-01", "a9", kActive),
        Lifecycle("2026-04-01", "a9", kChurned),  // at `to`: not in W
        Lifecycle("2026-01-01", "n1", kActive),   // not a target account
        Revenue("2026-01-15", "a1", 100),
        Revenue("2026-03-15", "a1", 50),
        Revenue("2026-02-01", "a2", 200),
        Revenue("2026-03-06", "a4", 70),
        Revenue("2026-04-01", "a4", 30),    // at `to`: excluded
        Revenue("2026-01-01", "a6", 1000),  // a6 never active
        Revenue("2025-06-01", "a9", 40),  // before becoming a customer: counts
        Revenue("2026-01-01", "n1", 5000),
    };
    ev.insert(ev.end(), life.begin(), life.end());
    h_.Ingest(ev);
  }
  MetricHarness h_;
};

TEST_F(Lifetime, RetentionRate) {
  // A(from) = a1, a2, a3, a8, a9; still active at `to`: a1, a3, a8, a9.
  EXPECT_TRUE(HasRow(h_.Run(March("retention_rate")), {}, 0.8, 5));
  EXPECT_TRUE(HasRow(h_.Run(March("retention_rate", "all")), {}, 5.0 / 6, 6));
}

TEST_F(Lifetime, ChurnRate) {
  EXPECT_TRUE(HasRow(h_.Run(March("churn_rate")), {}, 0.4, 5));  // a2, a3
}

TEST_F(Lifetime, LifetimeValue) {
  // C = a1, a2, a3, a4, a5, a7, a8, a9 (an ACTIVE event before `to`).
  auto rows = h_.Run(March("lifetime_value"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "total"}}, 460, 8));
  EXPECT_TRUE(HasRow(rows, {{"measure", "average"}}, 57.5, 8));
}

TEST_F(Lifetime, GroupsWithAnAccountInScopeHaveRows) {
  auto q = March("retention_rate");
  q.group_by = {"segment"};
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 3u) << Describe(rows);
  EXPECT_TRUE(HasRow(rows, {{"segment", "x"}}, 2.0 / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"segment", "y"}}, 1.0, 2));
  EXPECT_TRUE(HasRow(rows, {{"segment", "z"}}, std::nullopt, 0));
  q.metric = "lifetime_value";
  rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "total"}, {"segment", "z"}}, 0, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "average"}, {"segment", "z"}},
                     std::nullopt, 0));
  EXPECT_TRUE(HasRow(rows, {{"measure", "total"}, {"segment", "x"}}, 420, 4));
}

TEST_F(Lifetime, WindowStartIsIgnoredByLifetimeValue) {
  auto q = March("lifetime_value");
  q.from = "2026-03-31";
  EXPECT_TRUE(HasRow(h_.Run(q), {{"measure", "total"}}, 460, 8));
  q.to = "2026-02-01";
  q.from = "2026-01-01";
  // Before Feb 1: a1, a2, a3, a9 are customers; revenue 100 + 0 + 0 + 40.
  EXPECT_TRUE(HasRow(h_.Run(q), {{"measure", "total"}}, 140, 4));
}

TEST(LifetimeEmpty, NoCustomers) {
  MetricHarness h;
  EXPECT_TRUE(HasRow(h.Run(March("retention_rate")), {}, std::nullopt, 0));
  EXPECT_TRUE(
      HasRow(h.Run(March("lifetime_value")), {{"measure", "total"}}, 0, 0));
}

}  // namespace
}  // namespace abm::testing
