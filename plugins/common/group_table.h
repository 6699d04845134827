// GroupTable<T>: per-query accumulators keyed by (account group, small
// metric key) — a campaign, content item, question, kind... — held in one
// dense array when that is small, else in a hash map. Iteration visits the
// cells that were touched, in (group, key) order for the dense form.
#ifndef ABM_PLUGINS_COMMON_GROUP_TABLE_H_
#define ABM_PLUGINS_COMMON_GROUP_TABLE_H_

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace abm::plugins {

template <typename T>
class GroupTable {
 public:
  GroupTable(int groups, uint32_t keys)
      : keys_(std::max<uint32_t>(keys, 1)),
        dense_(static_cast<uint64_t>(std::max(groups, 1)) * keys_ <=
               kMaxDense) {
    if (dense_) {
      cells_.resize(static_cast<size_t>(std::max(groups, 1)) * keys_);
      used_.resize(cells_.size(), 0);
    }
  }

  T& at(int group, uint32_t key) {
    const uint64_t i = static_cast<uint64_t>(group) * keys_ + key;
    if (!dense_) return sparse_[i];
    used_[i] = 1;
    return cells_[i];
  }

  // f(group, key, const T&) for every touched cell.
  template <typename F>
  void ForEach(F&& f) const {
    if (dense_) {
      for (size_t i = 0; i < cells_.size(); ++i)
        if (used_[i])
          f(static_cast<int>(i / keys_), static_cast<uint32_t>(i % keys_),
            cells_[i]);
      return;
    }
    std::vector<uint64_t> order;
    order.reserve(sparse_.size());
    for (const auto& [i, v] : sparse_) order.push_back(i);
    std::sort(order.begin(), order.end());
    for (uint64_t i : order)
      f(static_cast<int>(i / keys_), static_cast<uint32_t>(i % keys_),
        sparse_.at(i));
  }

 private:
  static constexpr uint64_t kMaxDense = 1 << 20;
  uint64_t keys_;
  bool dense_;
  std::vector<T> cells_;
  std::vector<uint8_t> used_;
  std::unordered_map<uint64_t, T> sparse_;
};

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_GROUP_TABLE_H_
