// The plugin host: owns the directory and the loaded plugins, applies
// committed events to them, and lends them to queries.
//
// Threading: one state lock (shared mutex) guards the directory, the plugin
// set and every plugin's state. ApplyCommitted (one thread: the committer)
// takes it exclusively; Read (queries, listings) takes it shared, so a plugin
// never sees Apply and Query at once, while queries run concurrently with each
// other. Load/Reload back-fill a new instance from the log mostly outside the
// exclusive lock, then swap it in atomically; an unloaded or replaced
// instance is destroyed once the queries holding it are done.
// Errors: every call into a plugin is guarded; an exception becomes an error
// for that call. A plugin whose Apply threw is marked failed until reloaded.
#ifndef ABM_SERVER_PLUGINS_PLUGIN_HOST_H_
#define ABM_SERVER_PLUGINS_PLUGIN_HOST_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>  // std::shared_lock
#include <string>
#include <vector>

#include "abm/sdk/plugin.h"
#include "abm/v1/event.pb.h"
#include "absl/status/statusor.h"
#include "server/log/event_log.h"
#include "server/plugins/parallel_for.h"
#include "server/plugins/plugin_loader.h"
#include "server/plugins/state_lock.h"
#include "server/state/directory.h"

namespace abm::server {

struct PluginStatus {
  std::string name, version, path, failure;
  std::vector<std::string> metrics;
  uint64_t events_applied = 0;
  double backfill_seconds = 0;
};

// A metric and the plugin that answers it, valid inside a Read callback.
struct MetricBinding {
  const LoadedPlugin* plugin = nullptr;
  const sdk::MetricSpec* spec = nullptr;
};

class PluginHost {
 public:
  // Chunks are applied to several plugins at once on `apply_threads`
  // threads (the caller included).
  PluginHost(EventLog* log, PluginLoader* loader, size_t apply_threads = 2)
      : log_(log),
        loader_(loader),
        parallel_(apply_threads > 1 ? apply_threads - 1 : 0),
        scratch_(parallel_.threads()) {}

  // Loads plugins before the start-up replay (no back-fill: the replay will
  // feed them). Empty `names` means every plugin in the directory.
  absl::Status LoadAtStartup(const std::vector<std::string>& names);

  // Applies a committed chunk (directory first, then each plugin). Events
  // must be exactly the chunk starting at first_seq; one caller at a time.
  void ApplyCommitted(uint64_t first_seq,
                      const std::vector<const abm::v1::Event*>& events);

  absl::StatusOr<PluginStatus> Load(const std::string& name);
  absl::StatusOr<PluginStatus> Reload(const std::string& name);
  absl::StatusOr<PluginStatus> Unload(const std::string& name);

  // Runs `fn` under the shared state lock with the metric's binding.
  // NOT_FOUND when no loaded plugin owns the metric.
  absl::Status Read(const std::string& metric,
                    const std::function<absl::Status(const MetricBinding&,
                                                     const Directory&)>& fn);
  // Calls the plugin's Query, turning exceptions into INTERNAL.
  static absl::Status CallQuery(const MetricBinding& binding,
                                const sdk::Query& query,
                                const Directory& directory,
                                std::vector<sdk::Row>* rows);

  struct MetricEntry {
    std::string plugin;
    sdk::MetricSpec spec;
  };
  std::vector<MetricEntry> ListMetrics() const;
  std::vector<PluginStatus> ListPlugins() const;
  size_t account_count() const;
  size_t contact_count() const;
  uint64_t applied_seq() const;

 private:
  using PluginMap = std::map<std::string, std::shared_ptr<LoadedPlugin>>;

  absl::StatusOr<PluginStatus> LoadOrReplace(const std::string& name,
                                             bool replace);
  // Metric names of `candidate` already owned by another plugin.
  absl::Status CheckMetricConflicts(const LoadedPlugin& candidate) const;
  absl::Status Backfill(LoadedPlugin* plugin, uint64_t from_seq,
                        uint64_t* next_seq, bool exclusive_held);
  static void ApplyTo(LoadedPlugin* plugin,
                      const std::vector<sdk::Event>& views,
                      const Directory& directory,
                      std::vector<const sdk::Event*>* scratch);
  static PluginStatus StatusOf(const LoadedPlugin& p);

  EventLog* log_;
  PluginLoader* loader_;
  std::mutex admin_mu_;  // serialises Load/Reload/Unload

  mutable StateLock state_mu_;
  Directory directory_;       // guarded by state_mu_
  PluginMap plugins_;         // guarded by state_mu_
  uint64_t applied_seq_ = 0;  // guarded by state_mu_: next seq to apply
  // ApplyCommitted's buffers and workers (one caller at a time).
  std::vector<sdk::Event> views_;
  std::vector<LoadedPlugin*> apply_order_;
  ParallelFor parallel_;
  std::vector<std::vector<const sdk::Event*>> scratch_;  // per apply thread
};

}  // namespace abm::server

#endif  // ABM_SERVER_PLUGINS_PLUGIN_HOST_H_
