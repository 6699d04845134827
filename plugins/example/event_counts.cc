// event_counts: the smallest useful plugin, and the one the plugin author
// guide walks through. Metric `event_count`: the number of events of the
// accounts in scope (plus `cost` and `social`, never filtered by scope) with
// occurred_at in the window; group-by `kind` and the account dimensions.
#include <algorithm>
#include <string>
#include <vector>

#include "abm/sdk/sdk.h"

#ifndef EVENT_COUNTS_VERSION
#define EVENT_COUNTS_VERSION "1.0.0"
#endif

namespace {

using abm::sdk::EventKind;

const char* KindName(EventKind k) {
  static const char* const kNames[] = {
      "account",   "contact", "engagement", "content", "opportunity", "revenue",
      "lifecycle", "cost",    "nps",        "survey",  "social"};
  return kNames[static_cast<int>(k)];
}

class EventCounts : public abm::sdk::Plugin {
 public:
  abm::sdk::PluginInfo Describe() const override {
    abm::sdk::MetricSpec metric;
    metric.name = "event_count";
    metric.description = "Number of stored events in the window";
    metric.unit = "events";
    metric.dimensions = {"kind", "segment", "region", "tier"};
    return {
        "event_counts", EVENT_COUNTS_VERSION, abm::sdk::kAllKinds, {metric}};
  }

  void Apply(const abm::sdk::EventBatch& events,
             const abm::sdk::Directory&) override {
    for (const abm::sdk::Event& e : events)
      events_.push_back({e.occurred_at, e.account, e.kind});
  }

  abm::sdk::Status Query(const abm::sdk::Query& q,
                         const abm::sdk::Directory& dir,
                         std::vector<abm::sdk::Row>* rows) const override {
    std::map<abm::sdk::Labels, int64_t> counts;
    for (const Item& item : events_) {
      if (!q.contains(item.at)) continue;
      const bool unscoped =
          item.kind == EventKind::kCost || item.kind == EventKind::kSocial;
      abm::sdk::AccountProfile profile;
      if (item.account != abm::sdk::kNoIndex)
        profile = dir.account_profile(item.account);
      if (!unscoped && q.scope == abm::sdk::Scope::kTarget && !profile.target)
        continue;
      abm::sdk::Labels labels;
      for (const std::string& dim : q.group_by) {
        if (dim == "kind") labels[dim] = KindName(item.kind);
        if (dim == "segment") labels[dim] = std::string(profile.segment);
        if (dim == "region") labels[dim] = std::string(profile.region);
        if (dim == "tier")
          labels[dim] = profile.tier == 0 ? "" : std::to_string(profile.tier);
      }
      ++counts[labels];
    }
    if (q.group_by.empty() && counts.empty()) counts[{}] = 0;
    for (const auto& [labels, n] : counts)
      rows->push_back({labels, static_cast<double>(n), n});
    return abm::sdk::Status::Ok();
  }

 private:
  struct Item {
    abm::sdk::Nanos at;
    uint32_t account;
    EventKind kind;
  };
  std::vector<Item> events_;
};

}  // namespace

ABM_PLUGIN(EventCounts);
