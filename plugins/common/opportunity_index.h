// OpportunityIndex: the opportunities of a book ordered by one derived time
// (created, won_at, closed_at), so that a query reads only those whose time
// falls in its window: a binary search, then a contiguous run. Ids follow
// the order opportunities first appeared in, which roughly follows time, so
// the run reads the book nearly in memory order.
//
// Kept lazily. Apply hands over the ids the book re-derived (Note); the
// first query after a change merges them in, O(n + d log d) for d changed
// of n. Queries are const and run concurrently, so the merge is guarded by
// a mutex; Note runs only in Apply, which never overlaps a query (the host's
// state lock), so no query reads the index while it is merged.
#ifndef ABM_PLUGINS_COMMON_OPPORTUNITY_INDEX_H_
#define ABM_PLUGINS_COMMON_OPPORTUNITY_INDEX_H_

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "abm/sdk/event.h"
#include "plugins/common/opportunities.h"

namespace abm::plugins {

class OpportunityIndex {
 public:
  // The time an opportunity is indexed by, or nullopt to leave it out.
  using TimeOf = std::optional<sdk::Nanos> (*)(const Opportunity&);

  explicit OpportunityIndex(TimeOf time_of) : time_of_(time_of) {}

  // Records the opportunities the book's last Finish re-derived; call from
  // Plugin::Apply only. Merges at once when they are many (an eighth of
  // the index), so a replay's changes do not all wait for the first query
  // and the merges cost O(1) per change, amortised.
  void Note(const OpportunityBook& book);

  // Calls f(const Opportunity&) for every indexed opportunity of `book`
  // with from <= time < to, in (time, id) order.
  template <typename F>
  void ForEachIn(const OpportunityBook& book, sdk::Nanos from, sdk::Nanos to,
                 F&& f) const {
    Refresh(book);
    const std::vector<Opportunity>& all = book.all();
    size_t i = static_cast<size_t>(
        std::lower_bound(times_.begin(), times_.end(), from) - times_.begin());
    for (; i < times_.size() && times_[i] < to; ++i) f(all[ids_[i]]);
  }

 private:
  void Refresh(const OpportunityBook& book) const;
  void Merge(const OpportunityBook& book) const;  // with mu_ held

  TimeOf time_of_;
  mutable std::mutex mu_;                  // guards the merge in Refresh
  mutable std::vector<sdk::Nanos> times_;  // ascending, with ids_
  mutable std::vector<uint32_t> ids_;
  mutable std::vector<uint32_t> pending_;  // noted, not merged yet
  mutable std::vector<bool> is_pending_;   // by id
};

// The indexes the built-in plugins use.
std::optional<sdk::Nanos> CreatedAt(const Opportunity& o);
std::optional<sdk::Nanos> WonAt(const Opportunity& o);         // won only
std::optional<sdk::Nanos> ClosedAtTime(const Opportunity& o);  // closed only

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_OPPORTUNITY_INDEX_H_
