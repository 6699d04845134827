#include "server/plugins/plugin_host.h"

#include <chrono>
#include <exception>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/logging.h"
#include "server/state/event_views.h"

namespace abm::server {

void PluginHost::ApplyTo(LoadedPlugin* plugin,
                         const std::vector<sdk::Event>& views,
                         const Directory& directory,
                         std::vector<const sdk::Event*>* scratch) {
  if (!plugin->failure.empty()) return;
  scratch->clear();
  const uint32_t mask = plugin->info.consumes;
  for (const sdk::Event& v : views) {
    if (mask & sdk::KindBit(v.kind)) scratch->push_back(&v);
  }
  if (scratch->empty()) return;
  try {
    plugin->instance->Apply(sdk::EventBatch(scratch->data(), scratch->size()),
                            directory);
    plugin->events_applied += scratch->size();
  } catch (const std::exception& e) {
    plugin->failure = absl::StrCat("Apply threw: ", e.what());
  } catch (...) {
    plugin->failure = "Apply threw an unknown exception";
  }
  if (!plugin->failure.empty())
    LogError(absl::StrCat("plugin ", plugin->name, " failed: ", plugin->failure,
                          "; its metrics answer errors until it is reloaded"));
}

void PluginHost::ApplyCommitted(
    uint64_t first_seq, const std::vector<const abm::v1::Event*>& events) {
  std::unique_lock lock(state_mu_);
  BuildViews(events, first_seq, &directory_, &views_);
  for (const sdk::Event& v : views_) directory_.ApplyProfile(v);
  // Plugins are independent: apply to several at once (the directory is
  // read-only meanwhile, and each plugin is on one thread).
  apply_order_.clear();
  for (auto& [name, plugin] : plugins_) apply_order_.push_back(plugin.get());
  parallel_.Run(apply_order_.size(), [this](size_t i, size_t thread) {
    ApplyTo(apply_order_[i], views_, directory_, &scratch_[thread]);
  });
  applied_seq_ = first_seq + events.size();
}

absl::Status PluginHost::CheckMetricConflicts(
    const LoadedPlugin& candidate) const {
  std::vector<std::string> seen;
  for (const sdk::MetricSpec& m : candidate.info.metrics) {
    for (const std::string& s : seen) {
      if (s == m.name)
        return absl::FailedPreconditionError(
            absl::StrCat("plugin '", candidate.name, "' declares metric '",
                         m.name, "' twice"));
    }
    seen.push_back(m.name);
    for (const auto& [name, other] : plugins_) {
      if (name == candidate.name) continue;
      for (const sdk::MetricSpec& o : other->info.metrics) {
        if (o.name == m.name)
          return absl::AlreadyExistsError(absl::StrCat(
              "plugin '", candidate.name, "' declares metric '", m.name,
              "', which plugin '", name,
              "' already provides; unload that plugin or rename the metric"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status PluginHost::LoadAtStartup(const std::vector<std::string>& names) {
  const std::vector<std::string> wanted =
      names.empty() ? loader_->Available() : names;
  for (const std::string& name : wanted) {
    auto loaded = loader_->Load(name);
    if (!loaded.ok()) {
      LogError(std::string(loaded.status().message()));
      if (!names.empty()) return loaded.status();  // asked for by name
      continue;
    }
    std::unique_lock lock(state_mu_);
    if (auto s = CheckMetricConflicts(**loaded); !s.ok()) {
      LogError(std::string(s.message()));
      if (!names.empty()) return s;
      continue;
    }
    LogInfo(absl::StrCat("loaded plugin ", name, " ", (*loaded)->info.version,
                         " from ", (*loaded)->path));
    plugins_[name] = std::move(*loaded);
  }
  return absl::OkStatus();
}

absl::Status PluginHost::Backfill(LoadedPlugin* plugin, uint64_t from_seq,
                                  uint64_t* next_seq, bool exclusive_held) {
  static const absl::Status kStop = absl::CancelledError("stop");
  abm::v1::EventBatch batch;
  std::vector<const abm::v1::Event*> ptrs;
  std::vector<sdk::Event> views;
  std::vector<const sdk::Event*> scratch;
  *next_seq = from_seq;
  absl::Status s =
      log_->Scan(from_seq, [&](uint64_t first, absl::string_view bytes) {
        std::shared_lock<StateLock> lock(state_mu_, std::defer_lock);
        if (!exclusive_held) lock.lock();
        if (first >= applied_seq_) return kStop;  // not applied to the host yet
        if (!batch.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
          return absl::DataLossError(absl::StrCat("event log chunk at seq ",
                                                  first, " does not parse"));
        ptrs.clear();
        for (const auto& e : batch.events()) ptrs.push_back(&e);
        ResolveViews(ptrs, first, directory_, &views);
        ApplyTo(plugin, views, directory_, &scratch);
        *next_seq = first + ptrs.size();
        return absl::OkStatus();
      });
  if (s.code() == absl::StatusCode::kCancelled) return absl::OkStatus();
  return s;
}

absl::StatusOr<PluginStatus> PluginHost::LoadOrReplace(const std::string& name,
                                                       bool replace) {
  std::lock_guard admin(admin_mu_);
  {
    std::shared_lock lock(state_mu_);
    const bool present = plugins_.count(name) > 0;
    if (replace && !present)
      return absl::NotFoundError(
          absl::StrCat("plugin '", name, "' is not loaded; use load"));
    if (!replace && present)
      return absl::AlreadyExistsError(
          absl::StrCat("plugin '", name, "' is already loaded; use reload"));
  }
  const auto start = std::chrono::steady_clock::now();
  auto loaded = loader_->Load(name);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<LoadedPlugin> fresh = std::move(*loaded);
  {
    std::shared_lock lock(state_mu_);
    if (auto s = CheckMetricConflicts(*fresh); !s.ok()) return s;
  }
  // Phase 1: catch up without blocking the committer for long.
  uint64_t next = 0;
  if (auto s = Backfill(fresh.get(), 0, &next, false); !s.ok()) return s;
  std::shared_ptr<LoadedPlugin> old;
  {
    // Phase 2: the chunks applied meanwhile, then the atomic swap.
    std::unique_lock lock(state_mu_);
    if (auto s = Backfill(fresh.get(), next, &next, true); !s.ok()) return s;
    if (auto s = CheckMetricConflicts(*fresh); !s.ok()) return s;
    if (!fresh->failure.empty())
      return absl::FailedPreconditionError(absl::StrCat(
          "plugin '", name, "' failed during back-fill: ", fresh->failure));
    auto& slot = plugins_[name];
    old = std::move(slot);
    slot = fresh;
  }
  old.reset();  // no query holds it any more: the exclusive lock drained them
  PluginStatus status = StatusOf(*fresh);
  status.backfill_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  LogInfo(absl::StrCat(replace ? "reloaded" : "loaded", " plugin ", name, " ",
                       fresh->info.version, "; back-filled ",
                       status.events_applied, " events in ",
                       status.backfill_seconds, " s"));
  return status;
}

absl::StatusOr<PluginStatus> PluginHost::Load(const std::string& name) {
  return LoadOrReplace(name, false);
}

absl::StatusOr<PluginStatus> PluginHost::Reload(const std::string& name) {
  return LoadOrReplace(name, true);
}

absl::StatusOr<PluginStatus> PluginHost::Unload(const std::string& name) {
  std::lock_guard admin(admin_mu_);
  std::shared_ptr<LoadedPlugin> old;
  {
    std::unique_lock lock(state_mu_);
    auto it = plugins_.find(name);
    if (it == plugins_.end())
      return absl::NotFoundError(
          absl::StrCat("plugin '", name, "' is not loaded"));
    old = std::move(it->second);
    plugins_.erase(it);
  }
  PluginStatus status = StatusOf(*old);
  old.reset();
  LogInfo(absl::StrCat("unloaded plugin ", name));
  return status;
}

absl::Status PluginHost::Read(
    const std::string& metric,
    const std::function<absl::Status(const MetricBinding&, const Directory&)>&
        fn) {
  std::shared_lock lock(state_mu_);
  for (const auto& [name, plugin] : plugins_) {
    for (const sdk::MetricSpec& spec : plugin->info.metrics) {
      if (spec.name != metric) continue;
      if (!plugin->failure.empty())
        return absl::InternalError(
            absl::StrCat("plugin '", name, "' failed (", plugin->failure,
                         "); reload it with: abmctl plugins reload ", name));
      return fn(MetricBinding{plugin.get(), &spec}, directory_);
    }
  }
  return absl::NotFoundError(absl::StrCat(
      "unknown metric '", metric, "'; list metrics with: abmctl metrics"));
}

absl::Status PluginHost::CallQuery(const MetricBinding& binding,
                                   const sdk::Query& query,
                                   const Directory& directory,
                                   std::vector<sdk::Row>* rows) {
  sdk::Status st;
  try {
    st = binding.plugin->instance->Query(query, directory, rows);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("plugin '", binding.plugin->name, "' failed: ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat("plugin '", binding.plugin->name,
                                            "' failed (unknown exception)"));
  }
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.code),
                      absl::StrCat(binding.plugin->name, ": ", st.message));
}

PluginStatus PluginHost::StatusOf(const LoadedPlugin& p) {
  PluginStatus s;
  s.name = p.name;
  s.version = p.info.version;
  s.path = p.path;
  s.failure = p.failure;
  s.events_applied = p.events_applied.load();
  for (const auto& m : p.info.metrics) s.metrics.push_back(m.name);
  return s;
}

std::vector<PluginHost::MetricEntry> PluginHost::ListMetrics() const {
  std::shared_lock lock(state_mu_);
  std::vector<MetricEntry> out;
  for (const auto& [name, plugin] : plugins_) {
    for (const auto& m : plugin->info.metrics) out.push_back({name, m});
  }
  return out;
}

std::vector<PluginStatus> PluginHost::ListPlugins() const {
  std::shared_lock lock(state_mu_);
  std::vector<PluginStatus> out;
  for (const auto& [name, plugin] : plugins_) out.push_back(StatusOf(*plugin));
  return out;
}

size_t PluginHost::account_count() const {
  std::shared_lock lock(state_mu_);
  return directory_.account_count();
}

size_t PluginHost::contact_count() const {
  std::shared_lock lock(state_mu_);
  return directory_.contact_count();
}

uint64_t PluginHost::applied_seq() const {
  std::shared_lock lock(state_mu_);
  return applied_seq_;
}

}  // namespace abm::server
