// content: content_consumption, content_engagement, content_influence
// (SPEC 4).
//
// State per account: its content events in time order (content id, action,
// seconds, completion, event id for the (occurred_at, event_id) touch order
// of attribution), and the opportunity book.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "abm/sdk/sdk.h"
#include "plugins/common/account_groups.h"
#include "plugins/common/group_table.h"
#include "plugins/common/interner.h"
#include "plugins/common/opportunities.h"
#include "plugins/common/ordered_series.h"
#include "plugins/common/rows.h"
#include "plugins/common/stats.h"
#include "plugins/common/touches.h"

namespace abm::plugins {
namespace {

using sdk::ContentAction;

struct ContentItem {
  uint32_t content;
  ContentAction action;
  bool has_completion;
  double seconds;
  double completion;
  std::string event_id;
};

const char* ActionLabel(ContentAction a) {
  switch (a) {
    case ContentAction::kView: return "view";
    case ContentAction::kDownload: return "download";
    case ContentAction::kShare: return "share";
    default: return "";
  }
}

// Credit shares of n ordered touches under `model` (SPEC content_influence).
// `age_days[i]` = days(created(O) - t_i), used by time_decay.
std::vector<double> Shares(const std::string& model,
                           const std::vector<double>& age_days,
                           double half_life_days) {
  const size_t n = age_days.size();
  std::vector<double> s(n, 0.0);
  if (model == "first_touch") {
    s[0] = 1;
  } else if (model == "last_touch") {
    s[n - 1] = 1;
  } else if (model == "u_shaped") {
    if (n == 1) {
      s[0] = 1;
    } else if (n == 2) {
      s[0] = s[1] = 0.5;
    } else {
      s[0] = s[n - 1] = 0.4;
      for (size_t i = 1; i + 1 < n; ++i) s[i] = 0.2 / static_cast<double>(n - 2);
    }
  } else if (model == "time_decay") {
    // 2^(-age/h), scaled by the youngest touch's weight so that nothing
    // overflows or divides 0 by 0; the normalised shares are unchanged.
    const double youngest = *std::min_element(age_days.begin(), age_days.end());
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
      s[i] = std::exp2(-(age_days[i] - youngest) / half_life_days);
      total += s[i];
    }
    for (double& v : s) v /= total;
  } else {  // linear
    for (double& v : s) v = 1.0 / static_cast<double>(n);
  }
  return s;
}

class ContentPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo Describe() const override {
    sdk::PluginInfo info;
    info.name = "content";
    info.version = "1.0.0";
    info.consumes = sdk::KindBit(sdk::EventKind::kContent) |
                    sdk::KindBit(sdk::EventKind::kOpportunity);
    info.metrics = {
        {"content_consumption",
         "Number of content events per content item and action in the window",
         "events", {}, Dimensions()},
        {"content_engagement",
         "Per content item, mean seconds and mean completion of its views in "
         "the window",
         "seconds / ratio", {}, Dimensions()},
        {"content_influence",
         "Opportunity amount credited to content items that touched the "
         "account in the lookback before creation, under an attribution model",
         "amount",
         {{"model", sdk::ParamType::kChoice, "linear",
           "attribution model",
           0, false,
           {"first_touch", "last_touch", "linear", "u_shaped", "time_decay"}},
          LookbackDaysParam(),
          {"half_life_days", sdk::ParamType::kReal, "7",
           "time_decay half-life in days (real > 0)", 0, true, {}}},
         Dimensions()},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      book_.Add(e);
      if (e.kind != sdk::EventKind::kContent || e.account == sdk::kNoIndex) continue;
      if (e.account >= accounts_.size()) accounts_.resize(e.account + 1);
      accounts_[e.account].Insert(
          e.occurred_at,
          {contents_.Intern(e.content.content_id), e.content.action,
           e.content.has_completion, e.content.seconds, e.content.completion,
           std::string(e.event_id)});
    }
    book_.Finish();
  }

  sdk::Status Query(const sdk::Query& q, const sdk::Directory& dir,
                    std::vector<sdk::Row>* rows) const override {
    AccountGroups groups(q, dir);
    if (q.metric == "content_consumption") return Consumption(q, groups, rows);
    if (q.metric == "content_engagement") return Engagement(q, groups, rows);
    if (q.metric == "content_influence") return Influence(q, groups, rows);
    return sdk::Status::InvalidArgument("unknown metric " + q.metric);
  }

 private:
  using Series = OrderedSeries<ContentItem>;

  const Series* series(uint32_t a) const {
    return a < accounts_.size() ? &accounts_[a] : nullptr;
  }

  // Calls f(group, item) for each content event of S in the window.
  template <typename F>
  void ForEachInWindow(const sdk::Query& q, const AccountGroups& groups,
                       F&& f) const {
    for (uint32_t a : groups.accounts()) {
      const Series* s = series(a);
      if (!s) continue;
      const int g = groups.group(a);
      s->ForEachIn(q.from, q.to, [&](sdk::Nanos, const ContentItem& item) { f(g, item); });
    }
  }

  sdk::Status Consumption(const sdk::Query& q, const AccountGroups& groups,
                          std::vector<sdk::Row>* rows) const {
    GroupTable<int64_t> counts(groups.group_count(), contents_.size() * 4);
    ForEachInWindow(q, groups, [&](int g, const ContentItem& item) {
      ++counts.at(g, item.content * 4 + static_cast<uint32_t>(item.action));
    });
    counts.ForEach([&](int g, uint32_t key, int64_t n) {
      sdk::Labels labels = groups.labels(g);
      labels["content"] = contents_.str(key / 4);
      labels["action"] = ActionLabel(static_cast<ContentAction>(key % 4));
      rows->push_back({labels, static_cast<double>(n), n});
    });
    return sdk::Status::Ok();
  }

  sdk::Status Engagement(const sdk::Query& q, const AccountGroups& groups,
                         std::vector<sdk::Row>* rows) const {
    struct Acc {
      MeanAccumulator seconds, completion;
    };
    GroupTable<Acc> accs(groups.group_count(), contents_.size());
    ForEachInWindow(q, groups, [&](int g, const ContentItem& item) {
      if (item.action != ContentAction::kView) return;
      Acc& acc = accs.at(g, item.content);
      acc.seconds.Add(item.seconds);
      if (item.has_completion) acc.completion.Add(item.completion);
    });
    accs.ForEach([&](int g, uint32_t content, const Acc& acc) {
      const sdk::Labels labels = With(groups.labels(g), "content", contents_.str(content));
      AddMeasure(rows, labels, "avg_seconds", acc.seconds.mean(), acc.seconds.count);
      AddMeasure(rows, labels, "avg_completion", acc.completion.mean(),
                 acc.completion.count);
    });
    return sdk::Status::Ok();
  }

  sdk::Status Influence(const sdk::Query& q, const AccountGroups& groups,
                        std::vector<sdk::Row>* rows) const {
    const std::string model = q.string_param("model");
    const int64_t lookback = q.int_param("lookback_days", 90);
    const double half_life = q.real_param("half_life_days", 7);
    struct Credit {
      double value = 0;
      int64_t opportunities = 0;
    };
    std::map<std::pair<int, uint32_t>, Credit> credits;
    for (const Opportunity& o : book_.all()) {
      if (!q.contains(o.created) || !groups.in_scope(o.account)) continue;
      const Series* s = series(o.account);
      if (!s) continue;
      // Touches in [created - lookback, created], by (occurred_at, event_id).
      std::vector<std::pair<sdk::Nanos, const ContentItem*>> found;
      s->ForEachIn(o.created - DaysToNanos(lookback), o.created + 1,
                   [&](sdk::Nanos t, const ContentItem& item) { found.emplace_back(t, &item); });
      if (found.empty()) continue;
      std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first
                                  : a.second->event_id < b.second->event_id;
      });
      std::vector<double> ages;
      for (const auto& [t, item] : found) ages.push_back(sdk::ToDays(o.created - t));
      const std::vector<double> shares = Shares(model, ages, half_life);
      // Sum the shares of each item's touches, then credit amount x sum.
      std::map<uint32_t, double> per_item;
      for (size_t i = 0; i < found.size(); ++i)
        if (shares[i] > 0) per_item[found[i].second->content] += shares[i];
      const int g = groups.group(o.account);
      for (const auto& [content, share] : per_item) {
        if (share <= 0) continue;
        Credit& c = credits[{g, content}];
        c.value += o.amount * share;
        ++c.opportunities;
      }
    }
    for (const auto& [key, c] : credits)
      rows->push_back({With(groups.labels(key.first), "content",
                            contents_.str(key.second)),
                       c.value, c.opportunities});
    return sdk::Status::Ok();
  }

  Interner contents_;
  std::vector<Series> accounts_;
  OpportunityBook book_;
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::ContentPlugin);
