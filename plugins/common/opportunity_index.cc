#include "plugins/common/opportunity_index.h"

#include <algorithm>
#include <utility>

namespace abm::plugins {

std::optional<sdk::Nanos> CreatedAt(const Opportunity& o) { return o.created; }

std::optional<sdk::Nanos> WonAt(const Opportunity& o) {
  if (!o.won) return std::nullopt;
  return o.won_at;
}

std::optional<sdk::Nanos> ClosedAtTime(const Opportunity& o) {
  if (!o.closed()) return std::nullopt;
  return o.closed_at();
}

void OpportunityIndex::Note(const OpportunityBook& book) {
  for (uint32_t id : book.changed()) {
    if (id >= is_pending_.size()) is_pending_.resize(id + 1, false);
    if (is_pending_[id]) continue;
    is_pending_[id] = true;
    pending_.push_back(id);
  }
  constexpr size_t kEagerMin = 4096;
  if (pending_.size() >= std::max(kEagerMin, ids_.size() / 8)) {
    std::lock_guard lock(mu_);
    Merge(book);
  }
}

void OpportunityIndex::Refresh(const OpportunityBook& book) const {
  std::lock_guard lock(mu_);
  if (!pending_.empty()) Merge(book);
}

void OpportunityIndex::Merge(const OpportunityBook& book) const {
  // Drop the entries of changed opportunities, keeping the order.
  size_t kept = 0;
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (is_pending_[ids_[i]]) continue;
    times_[kept] = times_[i];
    ids_[kept] = ids_[i];
    ++kept;
  }
  times_.resize(kept);
  ids_.resize(kept);
  // Their new entries, sorted, merged into the rest by (time, id).
  std::vector<std::pair<sdk::Nanos, uint32_t>> fresh;
  fresh.reserve(pending_.size());
  for (uint32_t id : pending_) {
    is_pending_[id] = false;
    if (auto t = time_of_(book.all()[id])) fresh.emplace_back(*t, id);
  }
  pending_.clear();
  std::sort(fresh.begin(), fresh.end());
  std::vector<sdk::Nanos> times;
  std::vector<uint32_t> ids;
  times.reserve(kept + fresh.size());
  ids.reserve(kept + fresh.size());
  size_t a = 0, b = 0;
  while (a < kept || b < fresh.size()) {
    const bool take_old =
        b == fresh.size() ||
        (a < kept && std::make_pair(times_[a], ids_[a]) < fresh[b]);
    if (take_old) {
      times.push_back(times_[a]);
      ids.push_back(ids_[a++]);
    } else {
      times.push_back(fresh[b].first);
      ids.push_back(fresh[b++].second);
    }
  }
  times_ = std::move(times);
  ids_ = std::move(ids);
}

}  // namespace abm::plugins
