// Small numeric helpers shared by the metric plugins (SPEC section 4: means
// are arithmetic; the median of an even count is the mean of the middle two;
// a mean or median over nothing, or a ratio over 0, is absent).
#ifndef ABM_PLUGINS_COMMON_STATS_H_
#define ABM_PLUGINS_COMMON_STATS_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace abm::plugins {

inline std::optional<double> Ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

// A running sum and count: sums (0 over nothing) and means (absent).
struct SumCount {
  double sum = 0;
  int64_t count = 0;
  void Add(double v) {
    sum += v;
    ++count;
  }
  void Merge(const SumCount& o) {
    sum += o.sum;
    count += o.count;
  }
  std::optional<double> mean() const {
    return Ratio(sum, static_cast<double>(count));
  }
};

// Median of `values` (reordered in place); absent when empty.
inline std::optional<double> Median(std::vector<double>* values) {
  if (values->empty()) return std::nullopt;
  const size_t n = values->size();
  auto mid = values->begin() + n / 2;
  std::nth_element(values->begin(), mid, values->end());
  const double upper = *mid;
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(values->begin(), mid);
  return (lower + upper) / 2;
}

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_STATS_H_
