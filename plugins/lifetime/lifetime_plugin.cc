// lifetime: retention_rate, churn_rate, lifetime_value (SPEC 4).
//
// status(a, t) is the status of a's latest lifecycle event with
// occurred_at < t (ties: log order); A(from) = accounts in scope ACTIVE at
// `from`. State per account: lifecycle events and revenue amounts in time
// order. These are account-population metrics: with group_by, every group
// with at least one account in scope has rows.
#include <limits>
#include <vector>

#include "abm/sdk/sdk.h"
#include "plugins/common/account_groups.h"
#include "plugins/common/ordered_series.h"
#include "plugins/common/per_account.h"
#include "plugins/common/rows.h"
#include "plugins/common/stats.h"

namespace abm::plugins {
namespace {

using sdk::LifecycleStatus;

struct AccountState {
  OrderedSeries<LifecycleStatus> lifecycle;
  OrderedSeries<double, SumCount> revenue;
  sdk::Nanos first_active = std::numeric_limits<sdk::Nanos>::max();

  bool ActiveAt(sdk::Nanos t) const {
    const LifecycleStatus* s = lifecycle.LastBefore(t);
    return s != nullptr && *s == LifecycleStatus::kActive;
  }
};

class LifetimePlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo Describe() const override {
    sdk::PluginInfo info;
    info.name = "lifetime";
    info.version = "1.0.0";
    info.consumes = sdk::KindBit(sdk::EventKind::kLifecycle) |
                    sdk::KindBit(sdk::EventKind::kRevenue);
    info.metrics = {
        {"retention_rate",
         "Share of the accounts active at the window's start that are still "
         "active at its end",
         "ratio",
         {},
         Dimensions()},
        {"churn_rate",
         "Share of the accounts active at the window's start that churned "
         "during the window",
         "ratio",
         {},
         Dimensions()},
        {"lifetime_value",
         "Lifetime revenue (everything before the window's end) of the "
         "accounts that became customers before the window's end: mean and "
         "total",
         "amount",
         {},
         Dimensions()},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      if (e.account == sdk::kNoIndex) continue;
      AccountState& a = accounts_.at(e.account);
      if (e.kind == sdk::EventKind::kRevenue) {
        a.revenue.Insert(e.occurred_at, e.amount);
      } else if (e.kind == sdk::EventKind::kLifecycle) {
        a.lifecycle.Insert(e.occurred_at, e.lifecycle);
        if (e.lifecycle == LifecycleStatus::kActive &&
            e.occurred_at < a.first_active)
          a.first_active = e.occurred_at;
      }
    }
  }

  sdk::Status Query(const sdk::Query& q, const sdk::Directory& dir,
                    std::vector<sdk::Row>* rows) const override {
    AccountGroups groups(q, dir);
    const int n = groups.group_count();
    if (q.metric == "lifetime_value") {
      std::vector<SumCount> ltv(n);
      for (uint32_t a : groups.accounts()) {
        const AccountState* s = accounts_.find(a);
        if (!s || s->first_active >= q.to) continue;
        SumCount total;  // whole blocks through their summaries
        s->revenue.ForEachSummarized(
            std::numeric_limits<sdk::Nanos>::min(), q.to,
            [&](const SumCount& block) { total.Merge(block); },
            [&](sdk::Nanos, double amount) { total.Add(amount); });
        ltv[groups.group(a)].Add(total.sum);
      }
      for (int g = 0; g < n; ++g) {
        AddMeasure(rows, groups.labels(g), "average", ltv[g].mean(),
                   ltv[g].count);
        AddMeasure(rows, groups.labels(g), "total", ltv[g].sum, ltv[g].count);
      }
      return sdk::Status::Ok();
    }
    const bool churn = q.metric == "churn_rate";
    std::vector<int64_t> base(n, 0), hits(n, 0);
    for (uint32_t a : groups.accounts()) {
      const AccountState* s = accounts_.find(a);
      if (!s || !s->ActiveAt(q.from)) continue;
      const int g = groups.group(a);
      ++base[g];
      if (churn ? ChurnedIn(*s, q) : s->ActiveAt(q.to)) ++hits[g];
    }
    for (int g = 0; g < n; ++g)
      rows->push_back({groups.labels(g), Ratio(hits[g], base[g]), base[g]});
    return sdk::Status::Ok();
  }

 private:
  static bool ChurnedIn(const AccountState& s, const sdk::Query& q) {
    bool churned = false;
    s.lifecycle.ForEachIn(q.from, q.to,
                          [&](sdk::Nanos, LifecycleStatus status) {
                            churned |= status == LifecycleStatus::kChurned;
                          });
    return churned;
  }

  PerAccount<AccountState> accounts_;
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::LifetimePlugin);
