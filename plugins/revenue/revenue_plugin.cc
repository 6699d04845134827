// revenue: closed_revenue, average_deal_size, roi (SPEC 4).
//
// State: the opportunity book, campaign touches per account (for ROI
// attribution), and cost events per campaign in time order. Cost events are
// never filtered by scope.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "abm/sdk/sdk.h"
#include "plugins/common/account_groups.h"
#include "plugins/common/group_table.h"
#include "plugins/common/opportunities.h"
#include "plugins/common/opportunity_index.h"
#include "plugins/common/ordered_series.h"
#include "plugins/common/rows.h"
#include "plugins/common/stats.h"
#include "plugins/common/touches.h"

namespace abm::plugins {
namespace {

class RevenuePlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo Describe() const override {
    sdk::PluginInfo info;
    info.name = "revenue";
    info.version = "1.0.0";
    info.consumes = sdk::KindBit(sdk::EventKind::kOpportunity) |
                    sdk::KindBit(sdk::EventKind::kEngagement) |
                    sdk::KindBit(sdk::EventKind::kContent) |
                    sdk::KindBit(sdk::EventKind::kCost);
    info.metrics = {
        {"closed_revenue",
         "Sum of the amounts of the opportunities won in the window",
         "amount",
         {},
         Dimensions({"kind"})},
        {"average_deal_size",
         "Mean amount of the opportunities won in the window",
         "amount",
         {},
         Dimensions({"kind"})},
        {"roi",
         "Closed revenue, campaign cost and return on investment "
         "(revenue - cost) / cost in the window; per campaign, revenue of the "
         "won opportunities the campaign touched in their lookback",
         "ratio",
         {LookbackDaysParam()},
         {"campaign"}},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      book_.Add(e);
      touches_.Add(e);
      if (e.kind == sdk::EventKind::kCost) {
        const uint32_t c = cost_campaigns_.Intern(e.campaign_id);
        if (c >= costs_.size()) costs_.resize(c + 1);
        costs_[c].Insert(e.occurred_at, e.amount);
      }
    }
    book_.Finish();
    won_.Note(book_);
  }

  sdk::Status Query(const sdk::Query& q, const sdk::Directory& dir,
                    std::vector<sdk::Row>* rows) const override {
    AccountGroups groups(q, dir);
    if (q.metric == "roi") return Roi(q, groups, rows);
    const bool average = q.metric == "average_deal_size";
    const bool by_kind = GroupsBy(q, "kind");
    // Per (account group, kind); kind 0 stands for any when not grouped.
    GroupTable<SumCount> sums(groups.group_count(), kOpportunityKinds);
    if (q.group_by.empty()) sums.at(0, 0);
    won_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
      if (!groups.in_scope(o.account)) return;
      const uint32_t kind = by_kind ? static_cast<uint32_t>(o.kind) : 0;
      sums.at(groups.group(o.account), kind).Add(o.amount);
    });
    sums.ForEach([&](int g, uint32_t kind, const SumCount& sum) {
      sdk::Labels labels = groups.labels(g);
      if (by_kind)
        labels["kind"] = KindLabel(static_cast<sdk::OpportunityKind>(kind));
      rows->push_back({labels,
                       average ? sum.mean() : std::optional<double>(sum.sum),
                       sum.count});
    });
    return sdk::Status::Ok();
  }

 private:
  SumCount CostIn(uint32_t campaign, const sdk::Query& q) const {
    SumCount s;
    costs_[campaign].ForEachIn(
        q.from, q.to, [&](sdk::Nanos, double amount) { s.Add(amount); });
    return s;
  }

  static void Emit(const sdk::Labels& labels, const SumCount& revenue,
                   const SumCount& cost, std::vector<sdk::Row>* rows) {
    AddMeasure(rows, labels, "revenue", revenue.sum, revenue.count);
    AddMeasure(rows, labels, "cost", cost.sum, cost.count);
    AddMeasure(rows, labels, "roi", Ratio(revenue.sum - cost.sum, cost.sum),
               revenue.count);
  }

  sdk::Status Roi(const sdk::Query& q, const AccountGroups& groups,
                  std::vector<sdk::Row>* rows) const {
    if (!GroupsBy(q, "campaign")) {
      SumCount revenue, cost;
      won_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
        if (groups.in_scope(o.account)) revenue.Add(o.amount);
      });
      for (uint32_t c = 0; c < costs_.size(); ++c) {
        const SumCount s = CostIn(c, q);
        cost.sum += s.sum;
        cost.count += s.count;
      }
      Emit({}, revenue, cost, rows);
      return sdk::Status::Ok();
    }
    const int64_t lookback = q.int_param("lookback_days", 90);
    std::map<std::string, std::pair<SumCount, SumCount>>
        by_campaign;  // revenue, cost
    for (const Opportunity& o : OpportunitiesByAccount([&](auto emit) {
           won_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
             if (groups.in_scope(o.account)) emit(o);
           });
         })) {
      for (uint32_t c :
           touches_.CampaignsInLookback(o.account, o.created, lookback))
        by_campaign[touches_.campaigns().str(c)].first.Add(o.amount);
    }
    for (uint32_t c = 0; c < costs_.size(); ++c) {
      const SumCount s = CostIn(c, q);
      if (s.count > 0) by_campaign[cost_campaigns_.str(c)].second = s;
    }
    for (const auto& [campaign, sums] : by_campaign)
      Emit({{"campaign", campaign}}, sums.first, sums.second, rows);
    return sdk::Status::Ok();
  }

  OpportunityBook book_;
  OpportunityIndex won_{WonAt};  // won opportunities by won_at
  CampaignTouches touches_;
  Interner cost_campaigns_;
  std::vector<OrderedSeries<double>> costs_;
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::RevenuePlugin);
