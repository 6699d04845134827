// Opens plugin shared libraries from the plugin directory, by name only.
//
// Load(name) checks the name ([a-z0-9_-]+), resolves NAME.so inside the
// plugin directory (a path that leaves it, through ".." or a symlink, is
// refused), copies the file to a private scratch directory and opens the
// copy, so a rebuilt .so is always new code even while an older image of the
// same path is still mapped. Before calling anything else it reads the
// plugin's ABI version and refuses a mismatch. Thread-safe.
#ifndef ABM_SERVER_PLUGINS_PLUGIN_LOADER_H_
#define ABM_SERVER_PLUGINS_PLUGIN_LOADER_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "abm/sdk/plugin.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace abm::server {

// One live plugin instance. The instance's deleter keeps the library mapped
// until the object is destroyed.
struct LoadedPlugin {
  std::string name;  // the file's stem, the plugin's identity in the host
  std::string path;
  sdk::PluginInfo info;
  std::shared_ptr<sdk::Plugin> instance;
  std::atomic<uint64_t> events_applied{0};
  std::string failure;  // set when Apply threw: the state is unusable
};

class PluginLoader {
 public:
  // Creates a private scratch directory under the system temp directory.
  static absl::StatusOr<std::unique_ptr<PluginLoader>> Create(
      std::string plugin_dir);
  ~PluginLoader();

  absl::StatusOr<std::unique_ptr<LoadedPlugin>> Load(absl::string_view name);

  // Names of the plugins present in the directory, sorted.
  std::vector<std::string> Available() const;
  const std::string& plugin_dir() const { return plugin_dir_; }

 private:
  PluginLoader(std::string plugin_dir, std::string scratch_dir)
      : plugin_dir_(std::move(plugin_dir)),
        scratch_dir_(std::move(scratch_dir)) {}
  absl::StatusOr<std::string> ResolvePath(absl::string_view name) const;

  std::string plugin_dir_;
  std::string scratch_dir_;
  std::atomic<uint64_t> counter_{0};
};

bool IsValidPluginName(absl::string_view name);

}  // namespace abm::server

#endif  // ABM_SERVER_PLUGINS_PLUGIN_LOADER_H_
