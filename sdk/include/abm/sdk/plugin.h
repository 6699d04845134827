// The plugin interface: what a metric plugin implements and exports.
//
// A plugin is one class derived from abm::sdk::Plugin plus one line,
// ABM_PLUGIN(ClassName), in one .cc file. The host:
//   * reads the exported ABI version first and refuses a mismatch;
//   * calls Describe() once, to route metrics and validate queries;
//   * calls Apply() with every stored event of the kinds it consumes, in log
//     order, in batches, never concurrently with Query() or another Apply();
//   * calls Query() concurrently from several threads (it must be const in
//     effect: no mutation without your own synchronisation).
// Exceptions thrown from any of these become an error for that call only; do
// not rely on it for control flow. State must be derived from events alone:
// the host rebuilds it by replaying the log at start-up and on reload.
#ifndef ABM_SDK_PLUGIN_H_
#define ABM_SDK_PLUGIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "abm/sdk/directory.h"
#include "abm/sdk/event.h"
#include "abm/sdk/query.h"
#include "abm/sdk/version.h"

namespace abm::sdk {

enum class ParamType : uint8_t { kInteger, kReal, kChoice };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kInteger;
  std::string default_value;
  std::string description;
  // kInteger / kReal: value >= min_value (> when min_exclusive).
  double min_value = 0;
  bool min_exclusive = false;
  std::vector<std::string> choices;  // kChoice
};

// Group-by dimensions every account-based metric may offer.
inline const std::vector<std::string>& AccountDimensions() {
  static const std::vector<std::string> kDims = {"segment", "region", "tier"};
  return kDims;
}

struct MetricSpec {
  std::string name;
  std::string description;
  std::string unit;
  std::vector<ParamSpec> params;
  // Every dimension group_by may name (account ones included, if allowed).
  std::vector<std::string> dimensions;
};

struct PluginInfo {
  std::string name;
  std::string version;
  uint32_t consumes = kAllKinds;  // bit set of KindBit(EventKind)
  std::vector<MetricSpec> metrics;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo Describe() const = 0;
  virtual void Apply(const EventBatch& events, const Directory& directory) = 0;
  virtual Status Query(const Query& query, const Directory& directory,
                       std::vector<Row>* rows) const = 0;
};

using PluginFactory = Plugin* (*)();
using AbiVersionFunction = uint32_t (*)();

}  // namespace abm::sdk

// Names of the exported entry points. Each is a Boost.DLL-style alias: a
// data symbol in section "boostdll" holding the address of the function,
// so the host reads it with boost::dll::shared_library::get_alias without
// the plugin needing Boost headers.
#define ABM_PLUGIN_ABI_SYMBOL "abm_plugin_abi_version"
#define ABM_PLUGIN_CREATE_SYMBOL "abm_plugin_create"

// Exports `PluginClass` (default-constructible) and the SDK ABI version.
#define ABM_PLUGIN(PluginClass)                                           \
  namespace {                                                             \
  uint32_t AbmPluginAbiVersionImpl() { return ::abm::sdk::kAbiVersion; }  \
  ::abm::sdk::Plugin* AbmPluginCreateImpl() { return new PluginClass(); } \
  }                                                                       \
  extern "C" {                                                            \
  __attribute__((visibility("default"), section("boostdll")))             \
  const void* abm_plugin_abi_version =                                    \
      reinterpret_cast<const void*>(&AbmPluginAbiVersionImpl);            \
  __attribute__((visibility("default"), section("boostdll")))             \
  const void* abm_plugin_create =                                         \
      reinterpret_cast<const void*>(&AbmPluginCreateImpl);                \
  }                                                                       \
  static_assert(true, "")

#endif  // ABM_SDK_PLUGIN_H_
