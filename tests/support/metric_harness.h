// Test harness for metric plugins: the real event log (a SQLite file), the
// real committer and plugin host with every built-in plugin .so loaded, and
// the query engine. Events are built with the helpers below; event ids are
// assigned in ingest order when left empty.
#ifndef ABM_TESTS_SUPPORT_METRIC_HARNESS_H_
#define ABM_TESTS_SUPPORT_METRIC_HARNESS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abm/v1/event.pb.h"
#include "gtest/gtest.h"
#include "server/ingest/committer.h"
#include "server/log/sqlite_event_log.h"
#include "server/plugins/plugin_host.h"
#include "server/query/query_engine.h"
#include "tests/support/server_process.h"

namespace abm::testing {

// "2026-03-01" or "2026-03-01T10:00:00Z" (or with fractional seconds).
int64_t Nanos(const std::string& time);

// Event builders. `time` as accepted by Nanos().
abm::v1::Event Profile(const std::string& time, const std::string& account,
                       const std::string& segment = "",
                       const std::string& region = "", int tier = 0,
                       bool target = true);
abm::v1::Event ContactRole(const std::string& time, const std::string& account,
                           const std::string& contact, abm::v1::Role role);
abm::v1::Event Engage(const std::string& time, const std::string& account,
                      abm::v1::EngagementType type,
                      const std::string& campaign = "",
                      const std::string& contact = "", double duration = 0);
abm::v1::Event Content(const std::string& time, const std::string& account,
                       const std::string& content_id,
                       abm::v1::ContentAction action, double seconds = 0,
                       std::optional<double> completion = {},
                       const std::string& campaign = "",
                       const std::string& contact = "");
abm::v1::Event Opp(const std::string& time, const std::string& account,
                   const std::string& opportunity_id,
                   abm::v1::OpportunityKind kind, const std::string& stage,
                   std::optional<double> amount = {});
abm::v1::Event Revenue(const std::string& time, const std::string& account,
                       double amount);
abm::v1::Event Lifecycle(const std::string& time, const std::string& account,
                         abm::v1::LifecycleStatus status);
abm::v1::Event Cost(const std::string& time, const std::string& campaign,
                    double amount, const std::string& account = "");
abm::v1::Event Nps(const std::string& time, const std::string& account,
                   int score);
abm::v1::Event Survey(const std::string& time, const std::string& account,
                      const std::string& question, int rating);
abm::v1::Event Social(const std::string& time, const std::string& platform,
                      double sentiment, const std::string& account = "");
abm::v1::Event WithId(abm::v1::Event e, const std::string& id);

struct MetricQuery {
  std::string metric;
  std::string from = "1970-01-01";
  std::string to = "2030-01-01";
  std::string scope = "all";
  std::vector<std::string> group_by;
  std::map<std::string, std::string> params;
  std::optional<int64_t> interval_seconds;
};

// March 2026 ([2026-03-01, 2026-04-01)), the window most fixtures use.
MetricQuery March(const std::string& metric,
                  const std::string& scope = "target");

using Rows = std::vector<abm::server::ResultRow>;

class MetricHarness {
 public:
  // A fresh data dir, or `data_dir` (to reopen a log). With
  // `load_at_start` false no plugin is loaded until LoadAll().
  explicit MetricHarness(const std::string& data_dir = "",
                         bool load_at_start = true);
  ~MetricHarness();

  void Ingest(std::vector<abm::v1::Event> events);
  // Loads every built-in plugin at run time (back-filled from the log).
  void LoadAll();
  // Every metric the loaded plugins offer.
  std::vector<abm::sdk::MetricSpec> Metrics() const;
  absl::StatusOr<Rows> TryRun(const MetricQuery& q);
  Rows Run(const MetricQuery& q);  // fails the test on error
  const std::string& data_dir() const { return data_dir_; }

 private:
  std::unique_ptr<TempDir> temp_;
  std::string data_dir_;
  std::unique_ptr<abm::server::SqliteEventLog> log_;
  std::unique_ptr<abm::server::PluginLoader> loader_;
  std::unique_ptr<abm::server::PluginHost> host_;
  abm::server::DedupIndex dedup_;
  std::unique_ptr<abm::server::Committer> committer_;
  int64_t next_id_ = 0;
};

// The row with exactly these labels (and bucket), or nullptr.
const abm::sdk::Row* FindRow(const Rows& rows, const abm::sdk::Labels& labels,
                             std::optional<int64_t> bucket_start = {});

// Checks one row: present, value (nullopt = absent) and count.
::testing::AssertionResult HasRow(const Rows& rows,
                                  const abm::sdk::Labels& labels,
                                  std::optional<double> value, int64_t count,
                                  std::optional<int64_t> bucket_start = {});

std::string Describe(const Rows& rows);

}  // namespace abm::testing

#endif  // ABM_TESTS_SUPPORT_METRIC_HARNESS_H_
