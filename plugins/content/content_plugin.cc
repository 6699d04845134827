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
#include "plugins/common/opportunity_index.h"
#include "plugins/common/ordered_series.h"
#include "plugins/common/per_account.h"
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

// Per-block summary of an account's content events (see OrderedSeries):
// one cell per (content, action) that occurs in the block.
struct ContentCell {
  uint32_t content;
  ContentAction action;
  int64_t events = 0;
  SumCount view_seconds, view_completion;  // views only
};

struct ContentSummary {
  std::vector<ContentCell> cells;
  void Add(const ContentItem& item) {
    ContentCell* cell = nullptr;
    for (ContentCell& c : cells)
      if (c.content == item.content && c.action == item.action) cell = &c;
    if (cell == nullptr) {
      cells.push_back({item.content, item.action});
      cell = &cells.back();
    }
    ++cell->events;
    if (item.action != ContentAction::kView) return;
    cell->view_seconds.Add(item.seconds);
    if (item.has_completion) cell->view_completion.Add(item.completion);
  }
  void Merge(const ContentSummary&) {}  // callers read the cells instead
};

const char* ActionLabel(ContentAction a) {
  switch (a) {
    case ContentAction::kView:
      return "view";
    case ContentAction::kDownload:
      return "download";
    case ContentAction::kShare:
      return "share";
    default:
      return "";
  }
}

// Adds the credit shares of n ordered touches under `model` (SPEC
// content_influence) to per_item[item of touch i]. `touch_time[i]` is the
// touch's time, `created` the opportunity's creation, used by time_decay.
enum class Model { kFirstTouch, kLastTouch, kLinear, kUShaped, kTimeDecay };

Model ModelNamed(const std::string& name) {
  if (name == "first_touch") return Model::kFirstTouch;
  if (name == "last_touch") return Model::kLastTouch;
  if (name == "u_shaped") return Model::kUShaped;
  if (name == "time_decay") return Model::kTimeDecay;
  return Model::kLinear;  // the default; the host checked the choice
}

void AddShares(Model model, const std::vector<uint32_t>& items,
               const std::vector<sdk::Nanos>& touch_time, sdk::Nanos created,
               double half_life_days, std::vector<double>* per_item) {
  const size_t n = items.size();
  auto add = [&](size_t i, double share) { (*per_item)[items[i]] += share; };
  if (model == Model::kFirstTouch) {
    add(0, 1);
  } else if (model == Model::kLastTouch) {
    add(n - 1, 1);
  } else if (model == Model::kUShaped) {
    if (n == 1) {
      add(0, 1);
    } else if (n == 2) {
      add(0, 0.5);
      add(1, 0.5);
    } else {
      add(0, 0.4);
      for (size_t i = 1; i + 1 < n; ++i)
        add(i, 0.2 / static_cast<double>(n - 2));
      add(n - 1, 0.4);
    }
  } else if (model == Model::kTimeDecay) {
    // 2^(-age/h), scaled by the youngest touch's weight (the last one) so
    // that nothing underflows to 0/0; the normalised shares are unchanged.
    const double youngest = sdk::ToDays(created - touch_time[n - 1]);
    std::vector<double> w(n);
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
      w[i] = std::exp2(-(sdk::ToDays(created - touch_time[i]) - youngest) /
                       half_life_days);
      total += w[i];
    }
    for (size_t i = 0; i < n; ++i) add(i, w[i] / total);
  } else {  // linear
    for (size_t i = 0; i < n; ++i) add(i, 1.0 / static_cast<double>(n));
  }
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
         "events",
         {},
         Dimensions()},
        {"content_engagement",
         "Per content item, mean seconds and mean completion of its views in "
         "the window",
         "seconds / ratio",
         {},
         Dimensions()},
        {"content_influence",
         "Opportunity amount credited to content items that touched the "
         "account in the lookback before creation, under an attribution model",
         "amount",
         {{"model",
           sdk::ParamType::kChoice,
           "linear",
           "attribution model",
           0,
           false,
           {"first_touch", "last_touch", "linear", "u_shaped", "time_decay"}},
          LookbackDaysParam(),
          {"half_life_days",
           sdk::ParamType::kReal,
           "7",
           "time_decay half-life in days (real > 0)",
           0,
           true,
           {}}},
         Dimensions()},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      book_.Add(e);
      if (e.kind != sdk::EventKind::kContent || e.account == sdk::kNoIndex)
        continue;
      accounts_.at(e.account).Insert(
          e.occurred_at,
          {contents_.Intern(e.content.content_id), e.content.action,
           e.content.has_completion, e.content.seconds, e.content.completion,
           std::string(e.event_id)});
    }
    book_.Finish();
    created_.Note(book_);
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
  using Series = OrderedSeries<ContentItem, ContentSummary>;

  // For the content events of S in the window: on_cell(group, cell) for
  // the summary cells of blocks inside the window, on_item(group, item) for
  // the other events.
  template <typename OnCell, typename OnItem>
  void ForEachInWindow(const sdk::Query& q, const AccountGroups& groups,
                       OnCell&& on_cell, OnItem&& on_item) const {
    for (uint32_t a : groups.accounts()) {
      const Series* s = accounts_.find(a);
      if (!s) continue;
      const int g = groups.group(a);
      s->ForEachSummarized(
          q.from, q.to,
          [&](const ContentSummary& block) {
            for (const ContentCell& c : block.cells) on_cell(g, c);
          },
          [&](sdk::Nanos, const ContentItem& item) { on_item(g, item); });
    }
  }

  sdk::Status Consumption(const sdk::Query& q, const AccountGroups& groups,
                          std::vector<sdk::Row>* rows) const {
    GroupTable<int64_t> counts(groups.group_count(), contents_.size() * 4);
    const auto key = [](uint32_t content, ContentAction action) {
      return content * 4 + static_cast<uint32_t>(action);
    };
    ForEachInWindow(
        q, groups,
        [&](int g, const ContentCell& c) {
          counts.at(g, key(c.content, c.action)) += c.events;
        },
        [&](int g, const ContentItem& item) {
          ++counts.at(g, key(item.content, item.action));
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
      SumCount seconds, completion;
    };
    GroupTable<Acc> accs(groups.group_count(), contents_.size());
    ForEachInWindow(
        q, groups,
        [&](int g, const ContentCell& c) {
          if (c.action != ContentAction::kView) return;
          Acc& acc = accs.at(g, c.content);
          acc.seconds.Merge(c.view_seconds);
          acc.completion.Merge(c.view_completion);
        },
        [&](int g, const ContentItem& item) {
          if (item.action != ContentAction::kView) return;
          Acc& acc = accs.at(g, item.content);
          acc.seconds.Add(item.seconds);
          if (item.has_completion) acc.completion.Add(item.completion);
        });
    accs.ForEach([&](int g, uint32_t content, const Acc& acc) {
      const sdk::Labels labels =
          With(groups.labels(g), "content", contents_.str(content));
      AddMeasure(rows, labels, "avg_seconds", acc.seconds.mean(),
                 acc.seconds.count);
      AddMeasure(rows, labels, "avg_completion", acc.completion.mean(),
                 acc.completion.count);
    });
    return sdk::Status::Ok();
  }

  sdk::Status Influence(const sdk::Query& q, const AccountGroups& groups,
                        std::vector<sdk::Row>* rows) const {
    const Model model = ModelNamed(q.string_param("model"));
    const int64_t lookback = q.int_param("lookback_days", 90);
    const double half_life = q.real_param("half_life_days", 7);
    struct Credit {
      double value = 0;
      int64_t opportunities = 0;
    };
    GroupTable<Credit> credits(groups.group_count(), contents_.size());
    std::vector<const ContentItem*> touches;
    std::vector<sdk::Nanos> times;
    std::vector<uint32_t> items;
    std::vector<double> per_item(contents_.size(), 0.0);
    for (const Opportunity& o : OpportunitiesByAccount([&](auto emit) {
           created_.ForEachIn(book_, q.from, q.to, [&](const Opportunity& o) {
             if (groups.in_scope(o.account)) emit(o);
           });
         })) {
      const Series* s = accounts_.find(o.account);
      if (!s) continue;
      // Touches in [created - lookback, created], by (occurred_at, event_id):
      // the series is in time order, so only runs of equal times need sorting.
      touches.clear();
      times.clear();
      s->ForEachIn(o.created - DaysToNanos(lookback), o.created + 1,
                   [&](sdk::Nanos t, const ContentItem& item) {
                     times.push_back(t);
                     touches.push_back(&item);
                   });
      if (touches.empty()) continue;
      for (size_t a = 0; a < times.size();) {
        size_t b = a + 1;
        while (b < times.size() && times[b] == times[a]) ++b;
        if (b - a > 1)
          std::sort(touches.begin() + static_cast<std::ptrdiff_t>(a),
                    touches.begin() + static_cast<std::ptrdiff_t>(b),
                    [](const ContentItem* x, const ContentItem* y) {
                      return x->event_id < y->event_id;
                    });
        a = b;
      }
      items.clear();
      for (const ContentItem* t : touches) items.push_back(t->content);
      // Sum the shares of each item's touches, then credit amount x sum.
      AddShares(model, items, times, o.created, half_life, &per_item);
      const int g = groups.group(o.account);
      for (uint32_t item : items) {  // each item once: its sum is reset after
        if (per_item[item] > 0) {
          Credit& c = credits.at(g, item);
          c.value += o.amount * per_item[item];
          ++c.opportunities;
        }
        per_item[item] = 0;
      }
    }
    credits.ForEach([&](int g, uint32_t item, const Credit& c) {
      rows->push_back({With(groups.labels(g), "content", contents_.str(item)),
                       c.value, c.opportunities});
    });
    return sdk::Status::Ok();
  }

  Interner contents_;
  PerAccount<Series> accounts_;
  OpportunityBook book_;
  OpportunityIndex created_{CreatedAt};  // opportunities by creation
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::ContentPlugin);
