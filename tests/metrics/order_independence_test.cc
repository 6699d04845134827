// Property: results depend only on the set of stored events. The same
// generated event set, ingested in two different orders and batchings,
// replayed after a restart, and back-filled into plugins loaded at run
// time, gives identical rows for every metric, scope, group-by, window,
// bucket interval and parameter.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "google/protobuf/util/time_util.h"
#include "tests/support/metric_harness.h"

namespace abm::testing {
namespace {

// Distinct instants for every event whose ties are broken by log order
// (profiles, lifecycle, opportunity updates); content may share instants.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::vector<abm::v1::Event> Make(int n) {
    std::vector<abm::v1::Event> out;
    const char* segments[] = {"k12", "higher-ed", "district", ""};
    const char* regions[] = {"north", "south", ""};
    const char* campaigns[] = {"", "spring", "open-day", "webinar"};
    const char* contents[] = {"guide", "video", "brochure"};
    const char* stages_e[] = {"inquiry", "application", "admitted", "enrolled",
                              "lost"};
    const char* stages_p[] = {"prospect",    "qualified", "proposal",
                              "negotiation", "signed",    "lost"};
    for (int i = 0; i < n; ++i) {
      const std::string a = "acct-" + std::to_string(Pick(12));
      const std::string t = Time();
      const std::string c = campaigns[Pick(4)];
      abm::v1::Event e;
      switch (Pick(12)) {
        case 0:
          e = Profile(t, a, segments[Pick(4)], regions[Pick(3)],
                      static_cast<int>(Pick(4)), Pick(3) != 0);
          break;
        case 1:
          e = ContactRole(t, a, "c" + std::to_string(Pick(20)),
                          static_cast<abm::v1::Role>(1 + Pick(3)));
          break;
        case 2:
        case 3:
          e = Engage(t, a, static_cast<abm::v1::EngagementType>(1 + Pick(9)), c,
                     Pick(2) ? "c" + std::to_string(Pick(20)) : "", Pick(300));
          break;
        case 4:
        case 5: {
          std::optional<double> completion;
          if (Pick(2)) completion = Pick(11) / 10.0;
          // Content shares instants on purpose: ties go by event id.
          e = Content(Pick(3) == 0 ? shared_time_ : t, a, contents[Pick(3)],
                      static_cast<abm::v1::ContentAction>(1 + Pick(3)),
                      Pick(600), completion, c,
                      Pick(2) ? "c" + std::to_string(Pick(20)) : "");
          break;
        }
        case 6:
        case 7: {
          const bool enroll = Pick(2);
          const std::string id = "opp-" + std::to_string(Pick(25));
          // An opportunity keeps its first kind and account.
          auto [it, fresh] = opp_kind_.try_emplace(id, enroll, a);
          const bool kind_enroll = it->second.first;
          std::optional<double> amount;
          if (Pick(2)) amount = 100.0 * Pick(50);
          e = Opp(t, it->second.second, id,
                  kind_enroll ? abm::v1::OPPORTUNITY_KIND_ENROLLMENT
                              : abm::v1::OPPORTUNITY_KIND_PARTNERSHIP,
                  kind_enroll ? stages_e[Pick(5)] : stages_p[Pick(6)], amount);
          break;
        }
        case 8:
          e = Pick(2) ? Revenue(t, a, 10.0 * Pick(100))
                      : Lifecycle(
                            t, a,
                            static_cast<abm::v1::LifecycleStatus>(1 + Pick(2)));
          break;
        case 9:
          e = Cost(t, campaigns[1 + Pick(3)], 5.0 * Pick(100),
                   Pick(2) ? a : "");
          break;
        case 10:
          e = Pick(2) ? Nps(t, a, static_cast<int>(Pick(11)))
                      : Survey(t, a, "q" + std::to_string(Pick(3)),
                               1 + static_cast<int>(Pick(5)));
          break;
        default:
          e = Social(t, Pick(2) ? "x" : "y",
                     (static_cast<double>(Pick(21)) - 10) / 10.0,
                     Pick(2) ? a : "");
      }
      e.set_event_id("g-" + std::to_string(i));
      out.push_back(e);
    }
    return out;
  }

 private:
  uint32_t Pick(uint32_t n) {
    return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_);
  }
  // A distinct second in 2025-10-01 .. 2026-06-30.
  std::string Time() {
    int64_t s;
    do {
      s = 1759276800 + Pick(273 * 86400);
    } while (!used_.insert(s).second);
    google::protobuf::Timestamp ts;
    ts.set_seconds(s);
    return google::protobuf::util::TimeUtil::ToString(ts);
  }

  std::mt19937 rng_;
  std::set<int64_t> used_;
  std::map<std::string, std::pair<bool, std::string>> opp_kind_;
  std::string shared_time_ = "2026-02-14T09:00:00Z";
};

std::vector<MetricQuery> QueriesFor(const abm::sdk::MetricSpec& spec) {
  std::vector<std::vector<std::string>> groupings = {{}};
  for (const auto& d : spec.dimensions) groupings.push_back({d});
  if (spec.dimensions.size() >= 2)
    groupings.push_back({spec.dimensions.front(), spec.dimensions.back()});
  std::vector<std::map<std::string, std::string>> params = {{}};
  for (const auto& p : spec.params) {
    if (p.name == "lookback_days") params.push_back({{"lookback_days", "7"}});
    if (p.name == "half_life_days")
      params.push_back({{"model", "time_decay"}, {"half_life_days", "2.5"}});
    if (p.name == "model")
      for (const auto& m : p.choices) params.push_back({{"model", m}});
  }
  std::vector<MetricQuery> out;
  for (const char* scope : {"target", "all"}) {
    for (const auto& g : groupings) {
      for (const auto& p : params) {
        MetricQuery q;
        q.metric = spec.name;
        q.scope = scope;
        q.group_by = g;
        q.params = p;
        out.push_back(q);  // everything
        q.from = "2026-01-01";
        q.to = "2026-03-15T12:00:00Z";
        out.push_back(q);  // a window
        q.from = "2025-10-01";
        q.to = "2026-07-01";
        q.interval_seconds = 30 * 86400;
        out.push_back(q);  // monthly-ish buckets, the last one cut short
      }
    }
  }
  return out;
}

::testing::AssertionResult SameRows(const Rows& a, const Rows& b) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure()
           << a.size() << " vs " << b.size() << " rows\n"
           << Describe(a) << "---\n"
           << Describe(b);
  for (size_t i = 0; i < a.size(); ++i) {
    const auto& x = a[i];
    const auto& y = b[i];
    const bool values_match =
        x.row.value.has_value() == y.row.value.has_value() &&
        (!x.row.value || std::fabs(*x.row.value - *y.row.value) <=
                             1e-9 * std::max(1.0, std::fabs(*x.row.value)));
    if (x.row.labels != y.row.labels || x.bucket_start != y.bucket_start ||
        x.row.count != y.row.count || !values_match)
      return ::testing::AssertionFailure() << "row " << i << " differs\n"
                                           << Describe(a) << "---\n"
                                           << Describe(b);
  }
  return ::testing::AssertionSuccess();
}

TEST(OrderIndependence, EveryMetricIgnoresArrivalOrderRestartAndReload) {
  Generator gen(20261204);
  std::vector<abm::v1::Event> events = gen.Make(3000);

  MetricHarness in_order;
  in_order.Ingest(events);

  // Shuffled, in random batch sizes, with duplicates of earlier events.
  std::mt19937 rng(7);
  std::vector<abm::v1::Event> shuffled = events;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  TempDir dir;
  {
    MetricHarness reordered(dir.path());
    for (size_t i = 0; i < shuffled.size();) {
      const size_t n = std::min<size_t>(1 + rng() % 97, shuffled.size() - i);
      std::vector<abm::v1::Event> batch(shuffled.begin() + i,
                                        shuffled.begin() + i + n);
      batch.push_back(shuffled[rng() % (i + n)]);  // a duplicate
      reordered.Ingest(batch);
      i += n;
    }
  }
  MetricHarness replayed(dir.path());           // restart: replay
  MetricHarness backfilled(dir.path(), false);  // load at run time
  backfilled.LoadAll();

  const auto metrics = in_order.Metrics();
  ASSERT_EQ(metrics.size(), 20u);  // 19 SPEC metrics + the example's
  int compared = 0, non_empty = 0;
  for (const auto& spec : metrics) {
    for (const MetricQuery& q : QueriesFor(spec)) {
      const Rows expected = in_order.Run(q);
      SCOPED_TRACE(q.metric + " scope=" + q.scope + " from=" + q.from);
      ASSERT_TRUE(SameRows(expected, replayed.Run(q)));
      ASSERT_TRUE(SameRows(expected, backfilled.Run(q)));
      ++compared;
      non_empty += !expected.empty();
    }
  }
  std::cout << "[ info ] " << compared << " queries compared, " << non_empty
            << " with rows\n";
  EXPECT_GT(non_empty, compared * 3 / 4);  // the data exercises the metrics
}

}  // namespace
}  // namespace abm::testing
