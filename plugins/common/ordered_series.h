// OrderedSeries<T>: values kept in time order, for events that arrive in any
// order of occurred_at.
//
// Entries with equal times stay in insertion order. Plugins insert in log
// order (the host applies events, at start-up, reload and live, in log
// order), so equal times are in log order: the SPEC's tie-breaker. Storage
// is a list of sorted blocks, each holding its times and values in two
// arrays: an insert anywhere costs O(log n + block), a window [from, to) is
// found by binary search over contiguous times, and a series of NoValue
// holds times only (8 bytes an entry). With a Summary (a commutative
// aggregate: `void Add(const T&)`, `void Merge(const Summary&)`), every
// block keeps the aggregate of its entries, and ForEachSummarized answers a
// window from the summaries of the blocks it covers whole, scanning only the
// blocks cut by its edges. Not synchronised: plugins mutate it only in Apply.
#ifndef ABM_PLUGINS_COMMON_ORDERED_SERIES_H_
#define ABM_PLUGINS_COMMON_ORDERED_SERIES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "abm/sdk/event.h"

namespace abm::plugins {

struct NoValue {};

// The summary of a series that keeps none.
struct NoSummary {
  template <typename T>
  void Add(const T&) {}
  void Merge(const NoSummary&) {}
};

template <typename T, typename Summary = NoSummary>
class OrderedSeries {
 public:
  static constexpr bool kTimesOnly = std::is_empty_v<T>;

  void Insert(sdk::Nanos time, T value = T()) {
    ++size_;
    if (blocks_.empty() || time >= blocks_.back().times.back()) {
      // Common case: in order. Append, opening a new block when full.
      if (blocks_.empty() || blocks_.back().times.size() >= kBlock)
        blocks_.emplace_back();
      blocks_.back().Append(time, std::move(value));
      return;
    }
    // The last block whose first time is <= `time` holds the insert point
    // (after every entry with an equal time).
    auto it = std::upper_bound(
        blocks_.begin(), blocks_.end(), time,
        [](sdk::Nanos t, const Block& b) { return t < b.times.front(); });
    if (it != blocks_.begin()) --it;
    Block& block = *it;
    const size_t at = static_cast<size_t>(
        std::upper_bound(block.times.begin(), block.times.end(), time) -
        block.times.begin());
    block.InsertAt(at, time, std::move(value));
    if (block.times.size() > 2 * kBlock) {
      Block tail = block.SplitAt(kBlock);
      blocks_.insert(it + 1, std::move(tail));
    }
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls f(time, value) for every entry with from <= time < to, in order.
  template <typename F>
  void ForEachIn(sdk::Nanos from, sdk::Nanos to, F&& f) const {
    if (from >= to) return;
    for (size_t b = FirstBlockEndingAtOrAfter(from); b < blocks_.size(); ++b) {
      const Block& block = blocks_[b];
      size_t i = static_cast<size_t>(
          std::lower_bound(block.times.begin(), block.times.end(), from) -
          block.times.begin());
      for (; i < block.times.size(); ++i) {
        if (block.times[i] >= to) return;
        f(block.times[i], block.value(i));
      }
    }
  }

  // For the entries with from <= time < to: on_block(summary) for every
  // block entirely inside the window, on_entry(time, value) for the others.
  template <typename OnBlock, typename OnEntry>
  void ForEachSummarized(sdk::Nanos from, sdk::Nanos to, OnBlock&& on_block,
                         OnEntry&& on_entry) const {
    if (from >= to) return;
    for (size_t b = FirstBlockEndingAtOrAfter(from); b < blocks_.size(); ++b) {
      const Block& block = blocks_[b];
      if (block.times.front() >= to) return;
      if (block.times.front() >= from && block.times.back() < to) {
        on_block(block.summary);
        continue;
      }
      size_t i = static_cast<size_t>(
          std::lower_bound(block.times.begin(), block.times.end(), from) -
          block.times.begin());
      for (; i < block.times.size() && block.times[i] < to; ++i)
        on_entry(block.times[i], block.value(i));
    }
  }

  // Number of entries with from <= time < to.
  size_t CountIn(sdk::Nanos from, sdk::Nanos to) const {
    size_t n = 0;
    ForEachIn(from, to, [&](sdk::Nanos, const T&) { ++n; });
    return n;
  }

  // True when some entry has from <= time < to.
  bool AnyIn(sdk::Nanos from, sdk::Nanos to) const {
    if (from >= to) return false;
    const size_t b = FirstBlockEndingAtOrAfter(from);
    if (b == blocks_.size()) return false;
    const auto& times = blocks_[b].times;
    return *std::lower_bound(times.begin(), times.end(), from) < to;
  }

  // The value of the last entry (in order) with time < t, or nullptr.
  const T* LastBefore(sdk::Nanos t) const {
    const size_t b = FirstBlockEndingAtOrAfter(t);
    if (b < blocks_.size()) {
      const auto& times = blocks_[b].times;
      const size_t i = static_cast<size_t>(
          std::lower_bound(times.begin(), times.end(), t) - times.begin());
      if (i > 0) return &blocks_[b].value(i - 1);
    }
    if (b == 0) return nullptr;
    const Block& prev = blocks_[b - 1];
    return &prev.value(prev.times.size() - 1);
  }

  // Time of the first entry; only when !empty().
  sdk::Nanos first_time() const { return blocks_.front().times.front(); }

 private:
  static constexpr size_t kBlock = 512;

  struct Block {
    std::vector<sdk::Nanos> times;
    std::vector<T> values;  // unused when kTimesOnly
    Summary summary;

    const T& value(size_t i) const {
      if constexpr (kTimesOnly) {
        static const T kEmpty{};
        return kEmpty;
      } else {
        return values[i];
      }
    }
    void Append(sdk::Nanos t, T v) {
      times.push_back(t);
      summary.Add(v);
      if constexpr (!kTimesOnly) values.push_back(std::move(v));
    }
    void InsertAt(size_t at, sdk::Nanos t, T v) {
      times.insert(times.begin() + static_cast<std::ptrdiff_t>(at), t);
      summary.Add(v);
      if constexpr (!kTimesOnly)
        values.insert(values.begin() + static_cast<std::ptrdiff_t>(at),
                      std::move(v));
    }
    void Resummarize() {
      summary = Summary();
      for (size_t i = 0; i < times.size(); ++i) summary.Add(value(i));
    }
    Block SplitAt(size_t at) {
      Block tail;
      tail.times.assign(times.begin() + static_cast<std::ptrdiff_t>(at),
                        times.end());
      times.resize(at);
      if constexpr (!kTimesOnly) {
        tail.values.assign(
            std::make_move_iterator(values.begin() +
                                    static_cast<std::ptrdiff_t>(at)),
            std::make_move_iterator(values.end()));
        values.resize(at);
      }
      Resummarize();
      tail.Resummarize();
      return tail;
    }
  };

  // Index of the first block whose last time is >= t.
  size_t FirstBlockEndingAtOrAfter(sdk::Nanos t) const {
    auto it = std::lower_bound(
        blocks_.begin(), blocks_.end(), t,
        [](const Block& b, sdk::Nanos v) { return b.times.back() < v; });
    return static_cast<size_t>(it - blocks_.begin());
  }

  std::vector<Block> blocks_;
  size_t size_ = 0;
};

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_ORDERED_SERIES_H_
