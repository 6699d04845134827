// OrderedSeries<T>: values kept in (time, seq) order, for events that arrive
// in any order.
//
// Stored as a list of sorted blocks, so an insert anywhere costs O(log n +
// block) and a window [from, to) is found by binary search, never by a scan
// of the whole history. `seq` is the log position, the tie-breaker the SPEC
// calls "log order". Not synchronised: plugins mutate it only in Apply.
#ifndef ABM_PLUGINS_COMMON_ORDERED_SERIES_H_
#define ABM_PLUGINS_COMMON_ORDERED_SERIES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "abm/sdk/event.h"

namespace abm::plugins {

template <typename T>
class OrderedSeries {
 public:
  struct Entry {
    sdk::Nanos time;
    uint64_t seq;
    T value;
  };

  void Insert(sdk::Nanos time, uint64_t seq, T value) {
    Entry entry{time, seq, std::move(value)};
    ++size_;
    if (blocks_.empty()) {
      blocks_.emplace_back();
      blocks_.back().reserve(4);
    }
    if (!Less(entry, blocks_.back().back_or(entry))) {
      // Common case: in order. Append, opening a new block when full.
      if (blocks_.back().size() >= kBlock) blocks_.emplace_back();
      blocks_.back().push_back(std::move(entry));
      return;
    }
    // Find the last block whose first entry is not after the new one.
    auto it = std::upper_bound(
        blocks_.begin(), blocks_.end(), entry,
        [](const Entry& e, const Block& b) { return Less(e, b.front()); });
    if (it != blocks_.begin()) --it;
    Block& block = *it;
    block.insert(std::upper_bound(block.begin(), block.end(), entry, Less),
                 std::move(entry));
    if (block.size() > 2 * kBlock) {
      Block tail(block.begin() + kBlock, block.end());
      block.resize(kBlock);
      blocks_.insert(it + 1, std::move(tail));
    }
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls f(entry) for every entry with from <= time < to, in order.
  template <typename F>
  void ForEachIn(sdk::Nanos from, sdk::Nanos to, F&& f) const {
    if (from >= to) return;
    for (size_t b = FirstBlockEndingAtOrAfter(from); b < blocks_.size(); ++b) {
      const Block& block = blocks_[b];
      auto e = std::lower_bound(
          block.begin(), block.end(), from,
          [](const Entry& x, sdk::Nanos t) { return x.time < t; });
      for (; e != block.end(); ++e) {
        if (e->time >= to) return;
        f(*e);
      }
    }
  }

  // Calls f(entry) for every entry, in order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Block& block : blocks_)
      for (const Entry& e : block) f(e);
  }

  // True when some entry has from <= time < to.
  bool AnyIn(sdk::Nanos from, sdk::Nanos to) const {
    const Entry* e = FirstAtOrAfter(from);
    return e != nullptr && e->time < to;
  }

  // The first entry with time >= t, or nullptr.
  const Entry* FirstAtOrAfter(sdk::Nanos t) const {
    for (size_t b = FirstBlockEndingAtOrAfter(t); b < blocks_.size(); ++b) {
      const Block& block = blocks_[b];
      auto e = std::lower_bound(
          block.begin(), block.end(), t,
          [](const Entry& x, sdk::Nanos v) { return x.time < v; });
      if (e != block.end()) return &*e;
    }
    return nullptr;
  }

  // The last entry (in (time, seq) order) with time < t, or nullptr.
  const Entry* LastBefore(sdk::Nanos t) const {
    size_t b = FirstBlockEndingAtOrAfter(t);
    // Block b holds the first entry >= t (if any); the answer is just before.
    if (b < blocks_.size()) {
      const Block& block = blocks_[b];
      auto e = std::lower_bound(
          block.begin(), block.end(), t,
          [](const Entry& x, sdk::Nanos v) { return x.time < v; });
      if (e != block.begin()) return &*(e - 1);
    }
    if (b == 0) return nullptr;
    return &blocks_[b - 1].back();
  }

  const Entry* First() const {
    return blocks_.empty() ? nullptr : &blocks_.front().front();
  }

 private:
  static constexpr size_t kBlock = 512;

  struct Block : std::vector<Entry> {
    using std::vector<Entry>::vector;
    const Entry& back_or(const Entry& fallback) const {
      return this->empty() ? fallback : this->back();
    }
  };

  static bool Less(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }

  // Index of the first block whose last entry has time >= t.
  size_t FirstBlockEndingAtOrAfter(sdk::Nanos t) const {
    auto it = std::lower_bound(
        blocks_.begin(), blocks_.end(), t,
        [](const Block& b, sdk::Nanos v) { return b.back().time < v; });
    return static_cast<size_t>(it - blocks_.begin());
  }

  std::vector<Block> blocks_;
  size_t size_ = 0;
};

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_ORDERED_SERIES_H_
