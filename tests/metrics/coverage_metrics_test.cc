// coverage plugin: account_coverage, engagement_rate, engaged_contacts,
// hand-computed from SPEC section 4.
#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

using L = abm::sdk::Labels;
using abm::v1::CONTENT_ACTION_VIEW;
constexpr auto kDelivered = abm::v1::ENGAGEMENT_TYPE_EMAIL_DELIVERED;
constexpr auto kOpen = abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN;
constexpr auto kClick = abm::v1::ENGAGEMENT_TYPE_EMAIL_CLICK;
constexpr auto kImpression = abm::v1::ENGAGEMENT_TYPE_AD_IMPRESSION;
constexpr auto kAdClick = abm::v1::ENGAGEMENT_TYPE_AD_CLICK;
constexpr auto kVisit = abm::v1::ENGAGEMENT_TYPE_WEB_VISIT;
constexpr auto kMeeting = abm::v1::ENGAGEMENT_TYPE_MEETING;

class AccountCoverage : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Profile("2026-01-01", "a1", "k12", "north", 1, true),
        Profile("2026-01-01", "a2", "k12", "south", 0, true),
        Profile("2026-01-01", "a3", "higher-ed", "", 2, true),
        Profile("2026-01-01", "a4", "k12", "", 0, false),
        // a6: two profiles at the same instant; the later in log order wins.
        Profile("2026-01-01", "a6", "k12", "", 0, true),
        Profile("2026-01-01", "a6", "k12", "", 0, false),
        // a7: the newer profile (target) arrives before an older one.
        Profile("2026-01-02", "a7", "college", "", 0, true),
        Profile("2026-01-01", "a7", "college", "", 0, false),
        Engage("2026-03-05", "a1", kOpen),
        Content("2026-02-20", "a2", "guide", CONTENT_ACTION_VIEW),
        Engage("2026-04-01", "a2", kOpen),  // the window's end is exclusive
        Engage("2026-03-31T23:59:59Z", "a3", kDelivered),  // reach is a touch
        Engage("2026-03-10", "a4", kMeeting),
        Engage("2026-03-10", "a5", kMeeting),  // no profile: scope all only
        Engage("2026-03-01", "a7", kOpen),     // the start is inclusive
    });
  }
  MetricHarness h_;
};

TEST_F(AccountCoverage, TargetScope) {
  // S = {a1, a2, a3, a7}; touched in March: a1, a3, a7.
  EXPECT_TRUE(HasRow(h_.Run(March("account_coverage")), {}, 0.75, 4));
}

TEST_F(AccountCoverage, AllScopeCountsEveryAccountSeen) {
  // S = a1..a7; touched: a1, a3, a4, a5, a7.
  EXPECT_TRUE(HasRow(h_.Run(March("account_coverage", "all")), {}, 5.0 / 7, 7));
}

TEST_F(AccountCoverage, GroupBySegmentAndTier) {
  auto q = March("account_coverage");
  q.group_by = {"segment"};
  auto rows = h_.Run(q);
  EXPECT_EQ(rows.size(), 3u) << Describe(rows);
  EXPECT_TRUE(HasRow(rows, {{"segment", "k12"}}, 0.5, 2));
  EXPECT_TRUE(HasRow(rows, {{"segment", "higher-ed"}}, 1.0, 1));
  EXPECT_TRUE(HasRow(rows, {{"segment", "college"}}, 1.0, 1));
  q.group_by = {"tier"};
  rows = h_.Run(q);
  EXPECT_EQ(rows.size(), 3u) << Describe(rows);
  EXPECT_TRUE(HasRow(rows, {{"tier", ""}}, 0.5, 2));  // a2, a7
  EXPECT_TRUE(HasRow(rows, {{"tier", "1"}}, 1.0, 1));
  EXPECT_TRUE(HasRow(rows, {{"tier", "2"}}, 1.0, 1));
  q.group_by = {"region", "segment"};
  rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"region", "north"}, {"segment", "k12"}}, 1.0, 1));
  EXPECT_TRUE(HasRow(rows, {{"region", "south"}, {"segment", "k12"}}, 0.0, 1));
  EXPECT_TRUE(HasRow(rows, {{"region", ""}, {"segment", "college"}}, 1.0, 1));
}

TEST_F(AccountCoverage, DailyBuckets) {
  auto q = March("account_coverage");
  q.from = "2026-03-01";
  q.to = "2026-03-06";
  q.interval_seconds = 2 * 86400;
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 3u) << Describe(rows);
  EXPECT_TRUE(HasRow(rows, {}, 0.25, 4, Nanos("2026-03-01")));  // a7
  EXPECT_TRUE(HasRow(rows, {}, 0.0, 4, Nanos("2026-03-03")));
  EXPECT_TRUE(HasRow(rows, {}, 0.25, 4,
                     Nanos("2026-03-05")));  // a1, last bucket is 1 day
}

TEST(AccountCoverageEmpty, NoAccountsGivesOneAbsentRowOrNone) {
  MetricHarness h;
  EXPECT_TRUE(HasRow(h.Run(March("account_coverage")), {}, std::nullopt, 0));
  auto q = March("account_coverage");
  q.group_by = {"segment"};
  EXPECT_TRUE(h.Run(q).empty());
}

class EngagementRate : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Ingest({
        Profile("2026-01-01", "a1", "k12", "", 0, true),
        Profile("2026-01-01", "a2", "he", "", 0, true),
        Profile("2026-01-01", "a3", "k12", "", 0, false),
    });
    std::vector<abm::v1::Event> ev;
    for (int i = 0; i < 4; ++i)
      ev.push_back(Engage("2026-03-02", "a1", kDelivered, "c1"));
    for (int i = 0; i < 2; ++i)
      ev.push_back(Engage("2026-03-03", "a1", kOpen, "c1"));
    ev.push_back(Engage("2026-03-03", "a1", kClick, "c1"));
    for (int i = 0; i < 2; ++i)
      ev.push_back(Engage("2026-03-04", "a1", kImpression, "c2"));
    ev.push_back(Engage("2026-03-04", "a1", kAdClick, "c2"));
    ev.push_back(Engage("2026-03-05", "a1", kVisit, "c1", "", 30));
    ev.push_back(Engage("2026-03-05", "a1", kVisit, "", "", 90));
    ev.push_back(Engage("2026-03-06", "a1", kMeeting, "c3"));
    ev.push_back(Engage("2026-03-07", "a2", kDelivered, "c1"));
    ev.push_back(Engage("2026-03-07", "a2", kOpen, "c1"));
    for (int i = 0; i < 10; ++i)
      ev.push_back(Engage("2026-03-07", "a3", kDelivered, "c1"));
    ev.push_back(
        Engage("2026-02-07", "a1", kOpen, "c1"));  // outside the window
    h_.Ingest(ev);
  }
  MetricHarness h_;
};

TEST_F(EngagementRate, MeasuresOverTheTargetAccounts) {
  auto rows = h_.Run(March("engagement_rate"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "email_open_rate"}}, 0.6, 5));
  EXPECT_TRUE(HasRow(rows, {{"measure", "email_click_rate"}}, 0.2, 5));
  EXPECT_TRUE(HasRow(rows, {{"measure", "ad_click_rate"}}, 0.5, 2));
  EXPECT_TRUE(HasRow(rows, {{"measure", "avg_visit_seconds"}}, 60, 2));
  // Row order: by labels, so measures alphabetically.
  EXPECT_EQ(rows[0].row.labels.at("measure"), "ad_click_rate");
  EXPECT_EQ(rows[3].row.labels.at("measure"), "email_open_rate");
}

TEST_F(EngagementRate, AllScope) {
  auto rows = h_.Run(March("engagement_rate", "all"));
  EXPECT_TRUE(HasRow(rows, {{"measure", "email_open_rate"}}, 3.0 / 15, 15));
}

TEST_F(EngagementRate, GroupByCampaignIncludesTheEmptyCampaign) {
  auto q = March("engagement_rate");
  q.group_by = {"campaign"};
  auto rows = h_.Run(q);
  EXPECT_EQ(rows.size(), 16u) << Describe(rows);  // c1, c2, c3, ""
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c1"}, {"measure", "email_open_rate"}},
                     0.6, 5));
  EXPECT_TRUE(HasRow(
      rows, {{"campaign", "c1"}, {"measure", "avg_visit_seconds"}}, 30, 1));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c1"}, {"measure", "ad_click_rate"}},
                     std::nullopt, 0));
  EXPECT_TRUE(
      HasRow(rows, {{"campaign", "c2"}, {"measure", "ad_click_rate"}}, 0.5, 2));
  EXPECT_TRUE(HasRow(rows, {{"campaign", "c2"}, {"measure", "email_open_rate"}},
                     std::nullopt, 0));
  EXPECT_TRUE(HasRow(rows, {{"campaign", ""}, {"measure", "avg_visit_seconds"}},
                     90, 1));
  // A campaign with only a meeting still has its (undefined) rows.
  EXPECT_TRUE(HasRow(rows,
                     {{"campaign", "c3"}, {"measure", "email_click_rate"}},
                     std::nullopt, 0));
}

TEST_F(EngagementRate, GroupBySegmentAndCampaign) {
  auto q = March("engagement_rate");
  q.group_by = {"segment", "campaign"};
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(
      rows,
      {{"campaign", "c1"}, {"measure", "email_open_rate"}, {"segment", "k12"}},
      0.5, 4));
  EXPECT_TRUE(HasRow(
      rows,
      {{"campaign", "c1"}, {"measure", "email_open_rate"}, {"segment", "he"}},
      1.0, 1));
}

TEST_F(EngagementRate, EmptyWindowKeepsItsRows) {
  auto q = March("engagement_rate");
  q.from = "2025-01-01";
  q.to = "2025-02-01";
  auto rows = h_.Run(q);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(
      HasRow(rows, {{"measure", "avg_visit_seconds"}}, std::nullopt, 0));
  q.group_by = {"campaign"};
  EXPECT_TRUE(h_.Run(q).empty());
}

class EngagedContacts : public ::testing::Test {
 protected:
  void SetUp() override {
    using abm::v1::ROLE_DECISION_MAKER;
    using abm::v1::ROLE_INFLUENCER;
    using abm::v1::ROLE_OTHER;
    h_.Ingest({
        Profile("2026-01-01", "a1", "k12", "", 0, true),
        Profile("2026-01-01", "a2", "k12", "", 0, true),
        Profile("2026-01-01", "a3", "he", "", 0, true),
        Profile("2026-01-01", "a4", "he", "", 0, false),
        ContactRole("2026-01-01", "a1", "c1", ROLE_DECISION_MAKER),
        ContactRole("2026-01-01", "a1", "c2", ROLE_INFLUENCER),
        ContactRole("2026-01-01", "a1", "c3", ROLE_OTHER),
        ContactRole("2026-01-01", "a1", "c5", ROLE_DECISION_MAKER),
        ContactRole("2026-01-01", "a1", "c6", ROLE_INFLUENCER),
        ContactRole("2026-01-01", "a2", "c7", ROLE_DECISION_MAKER),
        // c8: the newer profile (DM) wins over an older one ingested later.
        ContactRole("2026-03-10", "a3", "c8", ROLE_DECISION_MAKER),
        ContactRole("2026-03-05", "a3", "c8", ROLE_INFLUENCER),
        ContactRole("2026-01-01", "a4", "c9", ROLE_DECISION_MAKER),
        Engage("2026-03-02", "a1", kOpen, "", "c1"),
        Content("2026-03-03", "a1", "guide", CONTENT_ACTION_VIEW, 0, {}, "",
                "c1"),
        Engage("2026-03-02", "a1", kVisit, "", "c2"),
        Engage("2026-03-02", "a1", kMeeting, "", "c3"),    // OTHER role
        Engage("2026-03-02", "a1", kClick, "", "c4"),      // no role
        Engage("2026-03-02", "a1", kDelivered, "", "c5"),  // reach only
        Engage("2026-02-02", "a1", kOpen, "", "c6"),       // outside
        Engage("2026-03-02", "a2", kOpen, "", "c7"),
        Engage("2026-03-04", "a2", kClick, "", "c1"),  // c1 counts for a2 too
        Engage("2026-03-20", "a3", kMeeting, "", "c8"),
        Engage("2026-03-20", "a4", kMeeting, "", "c9"),
    });
  }
  MetricHarness h_;
};

TEST_F(EngagedContacts, MeansOverTheAccountsInScope) {
  auto rows = h_.Run(March("engaged_contacts"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(HasRow(rows, {{"measure", "decision_makers"}}, 4.0 / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "influencers"}}, 1.0 / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "total"}}, 5.0 / 3, 3));
  rows = h_.Run(March("engaged_contacts", "all"));
  EXPECT_TRUE(HasRow(rows, {{"measure", "decision_makers"}}, 5.0 / 4, 4));
}

TEST_F(EngagedContacts, GroupBySegment) {
  auto q = March("engaged_contacts");
  q.group_by = {"segment"};
  auto rows = h_.Run(q);
  EXPECT_TRUE(HasRow(rows, {{"measure", "decision_makers"}, {"segment", "k12"}},
                     1.5, 2));
  EXPECT_TRUE(
      HasRow(rows, {{"measure", "influencers"}, {"segment", "k12"}}, 0.5, 2));
  EXPECT_TRUE(HasRow(rows, {{"measure", "total"}, {"segment", "he"}}, 1.0, 1));
}

TEST_F(EngagedContacts, AccountsWithoutContactsCountAsZero) {
  auto q = March("engaged_contacts");
  q.from = "2026-03-15";
  auto rows = h_.Run(q);  // only a3's c8 interacts
  EXPECT_TRUE(HasRow(rows, {{"measure", "decision_makers"}}, 1.0 / 3, 3));
  EXPECT_TRUE(HasRow(rows, {{"measure", "influencers"}}, 0.0, 3));
}

}  // namespace
}  // namespace abm::testing
