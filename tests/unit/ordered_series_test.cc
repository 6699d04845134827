// OrderedSeries against a reference (a stable sort by time), across block
// splits, out-of-order inserts and equal times.
#include "plugins/common/ordered_series.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"

namespace abm::plugins {
namespace {

struct Ref {
  sdk::Nanos time;
  int value;  // insertion number: equal times must keep this order
};

TEST(OrderedSeries, MatchesAStableSortUnderRandomInserts) {
  std::mt19937 rng(3);
  OrderedSeries<int> series;
  std::vector<Ref> ref;
  for (int i = 0; i < 20000; ++i) {
    // Mostly in order, often out of order, many equal times.
    sdk::Nanos t = i / 3;
    if (rng() % 3 == 0) t = static_cast<sdk::Nanos>(rng() % 7000);
    series.Insert(t, i);
    ref.push_back({t, i});
  }
  std::stable_sort(ref.begin(), ref.end(),
                   [](const Ref& a, const Ref& b) { return a.time < b.time; });
  ASSERT_EQ(series.size(), ref.size());
  std::vector<Ref> got;
  series.ForEachIn(INT64_MIN, INT64_MAX, [&](sdk::Nanos t, int v) {
    got.push_back({t, v});
  });
  ASSERT_EQ(got.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    ASSERT_EQ(got[i].time, ref[i].time) << i;
    ASSERT_EQ(got[i].value, ref[i].value) << i;
  }
  for (int q = 0; q < 500; ++q) {
    const sdk::Nanos from = static_cast<sdk::Nanos>(rng() % 7100) - 50;
    const sdk::Nanos to = from + static_cast<sdk::Nanos>(rng() % 300);
    size_t expected = 0;
    const int* last = nullptr;
    for (const Ref& r : ref) {
      expected += r.time >= from && r.time < to;
      if (r.time < from) last = &r.value;
    }
    EXPECT_EQ(series.CountIn(from, to), expected);
    EXPECT_EQ(series.AnyIn(from, to), expected > 0);
    const int* got_last = series.LastBefore(from);
    ASSERT_EQ(got_last == nullptr, last == nullptr);
    if (last) EXPECT_EQ(*got_last, *last);
  }
}

struct SumAndCount {
  int64_t sum = 0, count = 0;
  void Add(int v) {
    sum += v;
    ++count;
  }
  void Merge(const SumAndCount& o) {
    sum += o.sum;
    count += o.count;
  }
};

TEST(OrderedSeries, SummariesAnswerWindowsLikeAScan) {
  std::mt19937 rng(5);
  OrderedSeries<int, SumAndCount> series;
  for (int i = 0; i < 30000; ++i) {
    sdk::Nanos t = i / 2;
    if (rng() % 4 == 0) t = static_cast<sdk::Nanos>(rng() % 15000);
    series.Insert(t, static_cast<int>(rng() % 1000));
  }
  int whole_blocks = 0;
  for (int q = 0; q < 400; ++q) {
    const sdk::Nanos from = static_cast<sdk::Nanos>(rng() % 16000) - 500;
    const sdk::Nanos to = from + static_cast<sdk::Nanos>(rng() % 9000);
    SumAndCount scan, summarized;
    series.ForEachIn(from, to, [&](sdk::Nanos, int v) { scan.Add(v); });
    series.ForEachSummarized(
        from, to,
        [&](const SumAndCount& s) {
          summarized.Merge(s);
          ++whole_blocks;
        },
        [&](sdk::Nanos, int v) { summarized.Add(v); });
    ASSERT_EQ(summarized.sum, scan.sum) << from << ".." << to;
    ASSERT_EQ(summarized.count, scan.count);
  }
  EXPECT_GT(whole_blocks, 100);  // the summaries were used
}

TEST(OrderedSeries, TimesOnlyAndEdges) {
  OrderedSeries<NoValue> s;
  EXPECT_FALSE(s.AnyIn(0, 10));
  EXPECT_EQ(s.LastBefore(5), nullptr);
  s.Insert(5);
  s.Insert(3);
  EXPECT_TRUE(s.AnyIn(5, 6));  // from inclusive
  EXPECT_FALSE(s.AnyIn(6, 10));
  EXPECT_FALSE(s.AnyIn(0, 3));  // to exclusive
  EXPECT_FALSE(s.AnyIn(5, 5));  // empty window
  EXPECT_EQ(s.first_time(), 3);
  EXPECT_NE(s.LastBefore(4), nullptr);
  EXPECT_EQ(s.LastBefore(3), nullptr);
}

}  // namespace
}  // namespace abm::plugins
