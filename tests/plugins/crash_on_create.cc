// Test plugin: its constructor throws, so loading it must fail cleanly.
#include <stdexcept>

#include "abm/sdk/sdk.h"

namespace {
class CrashOnCreate : public abm::sdk::Plugin {
 public:
  CrashOnCreate() { throw std::runtime_error("cannot start"); }
  abm::sdk::PluginInfo Describe() const override { return {}; }
  void Apply(const abm::sdk::EventBatch&, const abm::sdk::Directory&) override {
  }
  abm::sdk::Status Query(const abm::sdk::Query&, const abm::sdk::Directory&,
                         std::vector<abm::sdk::Row>*) const override {
    return abm::sdk::Status::Ok();
  }
};
}  // namespace

ABM_PLUGIN(CrashOnCreate);
