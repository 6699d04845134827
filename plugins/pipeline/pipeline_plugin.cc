// pipeline: time_to_close, stage_conversion, influenced_pipeline,
// pipeline_velocity (SPEC 4). Opportunities are those whose account is in
// the query's scope; group labels come from that account's profile.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "abm/sdk/sdk.h"
#include "plugins/common/account_groups.h"
#include "plugins/common/group_table.h"
#include "plugins/common/opportunities.h"
#include "plugins/common/opportunity_index.h"
#include "plugins/common/rows.h"
#include "plugins/common/stats.h"
#include "plugins/common/touches.h"

namespace abm::plugins {
namespace {

class PipelinePlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo Describe() const override {
    sdk::PluginInfo info;
    info.name = "pipeline";
    info.version = "1.0.0";
    info.consumes = sdk::KindBit(sdk::EventKind::kOpportunity) |
                    sdk::KindBit(sdk::EventKind::kEngagement) |
                    sdk::KindBit(sdk::EventKind::kContent);
    info.metrics = {
        {"time_to_close",
         "Mean and median days from an opportunity's start (its creation or "
         "its account's first touch, whichever is earlier) to its win, over "
         "opportunities won in the window",
         "days",
         {},
         Dimensions({"kind"})},
        {"stage_conversion",
         "Share of the opportunities created in the window that reached a "
         "stage which went on to reach the next one, per consecutive pair of "
         "stages",
         "ratio",
         {},
         Dimensions()},
        {"influenced_pipeline",
         "Amount of the opportunities created in the window whose account had "
         "a campaign touch in the lookback before creation, and its share of "
         "all",
         "amount",
         {LookbackDaysParam()},
         Dimensions({"campaign"})},
        {"pipeline_velocity",
         "Opportunities created, win rate, average deal size, average cycle "
         "days and velocity = N x win rate x deal size / cycle days",
         "amount per day",
         {},
         Dimensions()},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      book_.Add(e);
      touches_.Add(e);
    }
    book_.Finish();
    created_.Note(book_);
    won_.Note(book_);
    closed_.Note(book_);
  }

  sdk::Status Query(const sdk::Query& q, const sdk::Directory& dir,
                    std::vector<sdk::Row>* rows) const override {
    AccountGroups groups(q, dir);
    if (q.metric == "time_to_close") return TimeToClose(q, groups, rows);
    if (q.metric == "stage_conversion") return StageConversion(q, groups, rows);
    if (q.metric == "influenced_pipeline") return Influenced(q, groups, rows);
    if (q.metric == "pipeline_velocity") return Velocity(q, groups, rows);
    return sdk::Status::InvalidArgument("unknown metric " + q.metric);
  }

 private:
  sdk::Status TimeToClose(const sdk::Query& q, const AccountGroups& groups,
                          std::vector<sdk::Row>* rows) const {
    const bool by_kind = GroupsBy(q, "kind");
    // Per (account group, kind); kind 0 stands for any when not grouped.
    GroupTable<std::vector<double>> days(groups.group_count(),
                                         kOpportunityKinds);
    if (q.group_by.empty()) days.at(0, 0);
    won_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
      if (!groups.in_scope(o.account)) return;
      sdk::Nanos start = o.created;
      if (auto t = touches_.earliest(o.account); t && *t < start) start = *t;
      const uint32_t kind = by_kind ? static_cast<uint32_t>(o.kind) : 0;
      days.at(groups.group(o.account), kind)
          .push_back(sdk::ToDays(o.won_at - start));
    });
    days.ForEach([&](int g, uint32_t kind, std::vector<double> values) {
      sdk::Labels labels = groups.labels(g);
      if (by_kind)
        labels["kind"] = KindLabel(static_cast<sdk::OpportunityKind>(kind));
      SumCount mean;
      for (double d : values) mean.Add(d);
      const auto n = static_cast<int64_t>(values.size());
      AddMeasure(rows, labels, "mean", mean.mean(), n);
      AddMeasure(rows, labels, "median", Median(&values), n);
    });
    return sdk::Status::Ok();
  }

  sdk::Status StageConversion(const sdk::Query& q, const AccountGroups& groups,
                              std::vector<sdk::Row>* rows) const {
    // Per (account group, kind): #reached of each stage index.
    constexpr size_t kMaxStages = 8;
    GroupTable<std::array<int64_t, kMaxStages>> reached(groups.group_count(),
                                                        kOpportunityKinds);
    created_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
      if (!groups.in_scope(o.account)) return;
      auto& counts =
          reached.at(groups.group(o.account), static_cast<uint32_t>(o.kind));
      const size_t stages = o.pipeline().stages.size();
      for (size_t s = 0; s < stages && o.reached(static_cast<int>(s)); ++s)
        ++counts[s];
    });
    reached.ForEach([&](int g, uint32_t key, const auto& counts) {
      const auto kind = static_cast<sdk::OpportunityKind>(key);
      const sdk::Pipeline& p = *sdk::PipelineFor(kind);
      const sdk::Labels labels =
          With(groups.labels(g), "kind", KindLabel(kind));
      for (size_t s = 0; s + 1 < p.stages.size(); ++s) {
        sdk::Labels l = labels;
        l["from_stage"] = std::string(p.stages[s]);
        l["to_stage"] = std::string(p.stages[s + 1]);
        rows->push_back({l, Ratio(counts[s + 1], counts[s]), counts[s]});
      }
    });
    return sdk::Status::Ok();
  }

  sdk::Status Influenced(const sdk::Query& q, const AccountGroups& groups,
                         std::vector<sdk::Row>* rows) const {
    const bool by_campaign = GroupsBy(q, "campaign");
    const int64_t lookback = q.int_param("lookback_days", 90);
    // All opportunities per account group; influenced ones per (group,
    // campaign), campaign 0 standing for any without `campaign`.
    GroupTable<SumCount> all(groups.group_count(), 1);
    if (q.group_by.empty()) all.at(0, 0);
    GroupTable<SumCount> influenced(
        groups.group_count(), by_campaign ? touches_.campaigns().size() : 1);
    std::vector<uint32_t> campaigns;
    for (const Opportunity& o : OpportunitiesByAccount([&](auto emit) {
           created_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
             if (groups.in_scope(o.account)) emit(o);
           });
         })) {
      const int g = groups.group(o.account);
      all.at(g, 0).Add(o.amount);
      const sdk::Nanos from = o.created - DaysToNanos(lookback);
      if (!by_campaign) {
        if (touches_.HasCampaignTouch(o.account, from, o.created))
          influenced.at(g, 0).Add(o.amount);
        continue;
      }
      campaigns.clear();
      touches_.ForEachCampaignTouch(
          o.account, from, o.created, [&](uint32_t c) {
            if (std::find(campaigns.begin(), campaigns.end(), c) ==
                campaigns.end())
              campaigns.push_back(c);
          });
      for (uint32_t c : campaigns) influenced.at(g, c).Add(o.amount);
    }
    const auto emit = [&](const sdk::Labels& labels, const SumCount& infl,
                          const SumCount& total) {
      AddMeasure(rows, labels, "amount", infl.sum, infl.count);
      AddMeasure(rows, labels, "share", Ratio(infl.sum, total.sum),
                 total.count);
    };
    if (!by_campaign) {
      all.ForEach([&](int g, uint32_t, const SumCount& total) {
        emit(groups.labels(g), influenced.at(g, 0), total);
      });
      return sdk::Status::Ok();
    }
    influenced.ForEach([&](int g, uint32_t c, const SumCount& infl) {
      emit(With(groups.labels(g), "campaign", touches_.campaigns().str(c)),
           infl, all.at(g, 0));
    });
    return sdk::Status::Ok();
  }

  sdk::Status Velocity(const sdk::Query& q, const AccountGroups& groups,
                       std::vector<sdk::Row>* rows) const {
    struct Acc {
      int64_t created = 0, closed = 0;
      SumCount deal, cycle;
    };
    // Created in W and closed in W are counted apart, each from its index.
    GroupTable<Acc> accs(groups.group_count(), 1);
    if (q.group_by.empty()) accs.at(0, 0);
    created_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
      if (groups.in_scope(o.account))
        ++accs.at(groups.group(o.account), 0).created;
    });
    closed_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
      if (!groups.in_scope(o.account)) return;
      Acc& acc = accs.at(groups.group(o.account), 0);
      ++acc.closed;
      if (o.won) {
        acc.deal.Add(o.amount);
        acc.cycle.Add(sdk::ToDays(o.won_at - o.created));
      }
    });
    accs.ForEach([&](int g, uint32_t, const Acc& acc) {
      const sdk::Labels& labels = groups.labels(g);
      const int64_t won = acc.deal.count;
      const auto n = static_cast<double>(acc.created);
      const std::optional<double> win_rate = Ratio(won, acc.closed);
      const std::optional<double> deal = acc.deal.mean();
      const std::optional<double> cycle = acc.cycle.mean();
      std::optional<double> velocity;
      if (win_rate && deal && cycle && *cycle != 0)
        velocity = n * *win_rate * *deal / *cycle;
      AddMeasure(rows, labels, "opportunities", n, acc.created);
      AddMeasure(rows, labels, "win_rate", win_rate, acc.closed);
      AddMeasure(rows, labels, "avg_deal_size", deal, won);
      AddMeasure(rows, labels, "avg_cycle_days", cycle, won);
      AddMeasure(rows, labels, "velocity", velocity, acc.created);
    });
    return sdk::Status::Ok();
  }

  OpportunityBook book_;
  OpportunityIndex created_{CreatedAt};    // by creation
  OpportunityIndex won_{WonAt};            // won ones, by won_at
  OpportunityIndex closed_{ClosedAtTime};  // closed ones, by closed_at
  CampaignTouches touches_;
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::PipelinePlugin);
