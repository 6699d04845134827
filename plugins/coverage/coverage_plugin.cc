// coverage: account_coverage, engagement_rate, engaged_contacts (SPEC 4).
//
// State, per account: its touch times; its engagement events (type,
// campaign, duration) in time order; and per contact its interaction times.
// Queries visit only the accounts in scope and, per account, only the
// events inside the window (binary search).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "abm/sdk/sdk.h"
#include "plugins/common/account_groups.h"
#include "plugins/common/group_table.h"
#include "plugins/common/interner.h"
#include "plugins/common/ordered_series.h"
#include "plugins/common/per_account.h"
#include "plugins/common/rows.h"
#include "plugins/common/stats.h"

namespace abm::plugins {
namespace {

using sdk::EngagementType;

struct EngagementItem {
  double duration_seconds;
  uint32_t campaign;
  EngagementType type;
};

// Per-block summary of an account's engagements (see OrderedSeries).
struct EngagementCounts {
  int64_t delivered = 0, opens = 0, clicks = 0, impressions = 0, ad_clicks = 0,
          visits = 0;
  double visit_seconds = 0;
  void Add(const EngagementItem& e) {
    switch (e.type) {
      case EngagementType::kEmailDelivered:
        ++delivered;
        break;
      case EngagementType::kEmailOpen:
        ++opens;
        break;
      case EngagementType::kEmailClick:
        ++clicks;
        break;
      case EngagementType::kAdImpression:
        ++impressions;
        break;
      case EngagementType::kAdClick:
        ++ad_clicks;
        break;
      case EngagementType::kWebVisit:
        ++visits;
        visit_seconds += e.duration_seconds;
        break;
      default:
        break;
    }
  }
  void Merge(const EngagementCounts& o) {
    delivered += o.delivered;
    opens += o.opens;
    clicks += o.clicks;
    impressions += o.impressions;
    ad_clicks += o.ad_clicks;
    visits += o.visits;
    visit_seconds += o.visit_seconds;
  }
};

struct ContactInteractions {
  uint32_t contact;
  OrderedSeries<NoValue> times;
};

// A touch is an engagement or a content event: both series are searched.
struct AccountState {
  OrderedSeries<EngagementItem, EngagementCounts> engagements;
  OrderedSeries<NoValue> content_touches;
  std::vector<ContactInteractions> contacts;
};

class CoveragePlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo Describe() const override {
    sdk::PluginInfo info;
    info.name = "coverage";
    info.version = "1.0.0";
    info.consumes = sdk::KindBit(sdk::EventKind::kEngagement) |
                    sdk::KindBit(sdk::EventKind::kContent);
    info.metrics = {
        {"account_coverage",
         "Share of the accounts in scope with at least one touch (engagement "
         "or content event) in the window",
         "ratio",
         {},
         Dimensions()},
        {"engagement_rate",
         "Email open and click rates, ad click rate and mean web-visit "
         "duration of the engagement events in the window",
         "ratio",
         {},
         Dimensions({"campaign"})},
        {"engaged_contacts",
         "Mean number of distinct decision makers and influencers per account "
         "who interacted in the window",
         "contacts per account",
         {},
         Dimensions()},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      if (e.account == sdk::kNoIndex) continue;
      AccountState& a = accounts_.at(e.account);
      if (e.kind == sdk::EventKind::kEngagement)
        a.engagements.Insert(e.occurred_at, {e.engagement.duration_seconds,
                                             campaigns_.Intern(e.campaign_id),
                                             e.engagement.type});
      else
        a.content_touches.Insert(e.occurred_at);
      if (e.is_interaction() && e.contact != sdk::kNoIndex)
        ContactOf(&a, e.contact).Insert(e.occurred_at);
    }
  }

  sdk::Status Query(const sdk::Query& q, const sdk::Directory& dir,
                    std::vector<sdk::Row>* rows) const override {
    if (q.metric == "account_coverage") return Coverage(q, dir, rows);
    if (q.metric == "engagement_rate") return EngagementRate(q, dir, rows);
    if (q.metric == "engaged_contacts") return EngagedContacts(q, dir, rows);
    return sdk::Status::InvalidArgument("unknown metric " + q.metric);
  }

 private:
  static OrderedSeries<NoValue>& ContactOf(AccountState* a, uint32_t contact) {
    for (auto& c : a->contacts)
      if (c.contact == contact) return c.times;
    a->contacts.push_back({contact, {}});
    return a->contacts.back().times;
  }

  sdk::Status Coverage(const sdk::Query& q, const sdk::Directory& dir,
                       std::vector<sdk::Row>* rows) const {
    AccountGroups groups(q, dir);
    std::vector<int64_t> covered(groups.group_count(), 0);
    for (uint32_t a : groups.accounts()) {
      const AccountState* s = accounts_.find(a);
      if (s && (s->engagements.AnyIn(q.from, q.to) ||
                s->content_touches.AnyIn(q.from, q.to)))
        ++covered[groups.group(a)];
    }
    for (int g = 0; g < groups.group_count(); ++g) {
      const int64_t n = groups.group_sizes()[g];
      rows->push_back({groups.labels(g), Ratio(covered[g], n), n});
    }
    return sdk::Status::Ok();
  }

  sdk::Status EngagementRate(const sdk::Query& q, const sdk::Directory& dir,
                             std::vector<sdk::Row>* rows) const {
    AccountGroups groups(q, dir);
    const bool by_campaign = GroupsBy(q, "campaign");
    GroupTable<EngagementCounts> counts(groups.group_count(),
                                        by_campaign ? campaigns_.size() : 1);
    if (q.group_by.empty()) counts.at(0, 0);
    for (uint32_t a : groups.accounts()) {
      const AccountState* s = accounts_.find(a);
      if (!s) continue;
      const int g = groups.group(a);
      if (by_campaign) {
        s->engagements.ForEachIn(q.from, q.to,
                                 [&](sdk::Nanos, const EngagementItem& e) {
                                   counts.at(g, e.campaign).Add(e);
                                 });
        continue;
      }
      // Whole blocks inside the window count through their summaries.
      EngagementCounts& c = counts.at(g, 0);
      s->engagements.ForEachSummarized(
          q.from, q.to, [&](const EngagementCounts& block) { c.Merge(block); },
          [&](sdk::Nanos, const EngagementItem& e) { c.Add(e); });
    }
    counts.ForEach([&](int g, uint32_t campaign, const EngagementCounts& c) {
      sdk::Labels labels = groups.labels(g);
      if (by_campaign) labels["campaign"] = campaigns_.str(campaign);
      AddMeasure(rows, labels, "email_open_rate", Ratio(c.opens, c.delivered),
                 c.delivered);
      AddMeasure(rows, labels, "email_click_rate", Ratio(c.clicks, c.delivered),
                 c.delivered);
      AddMeasure(rows, labels, "ad_click_rate",
                 Ratio(c.ad_clicks, c.impressions), c.impressions);
      AddMeasure(rows, labels, "avg_visit_seconds",
                 Ratio(c.visit_seconds, c.visits), c.visits);
    });
    return sdk::Status::Ok();
  }

  sdk::Status EngagedContacts(const sdk::Query& q, const sdk::Directory& dir,
                              std::vector<sdk::Row>* rows) const {
    AccountGroups groups(q, dir);
    std::vector<int64_t> dms(groups.group_count(), 0);
    std::vector<int64_t> infs(groups.group_count(), 0);
    for (uint32_t a : groups.accounts()) {
      const AccountState* s = accounts_.find(a);
      if (!s) continue;
      for (const ContactInteractions& c : s->contacts) {
        const sdk::Role role = dir.contact_role(c.contact);
        if (role != sdk::Role::kDecisionMaker && role != sdk::Role::kInfluencer)
          continue;
        if (!c.times.AnyIn(q.from, q.to)) continue;
        ++(role == sdk::Role::kDecisionMaker ? dms : infs)[groups.group(a)];
      }
    }
    for (int g = 0; g < groups.group_count(); ++g) {
      const int64_t n = groups.group_sizes()[g];
      AddMeasure(rows, groups.labels(g), "decision_makers", Ratio(dms[g], n),
                 n);
      AddMeasure(rows, groups.labels(g), "influencers", Ratio(infs[g], n), n);
      AddMeasure(rows, groups.labels(g), "total", Ratio(dms[g] + infs[g], n),
                 n);
    }
    return sdk::Status::Ok();
  }

  Interner campaigns_;
  PerAccount<AccountState> accounts_;
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::CoveragePlugin);
