// Test plugin: declares `event_count`, a metric the example plugin owns.
#include "abm/sdk/sdk.h"

namespace {
class DupMetric : public abm::sdk::Plugin {
 public:
  abm::sdk::PluginInfo Describe() const override {
    abm::sdk::MetricSpec m;
    m.name = "event_count";
    return {"dup_metric", "1.0.0", abm::sdk::kAllKinds, {m}};
  }
  void Apply(const abm::sdk::EventBatch&, const abm::sdk::Directory&) override {
  }
  abm::sdk::Status Query(const abm::sdk::Query&, const abm::sdk::Directory&,
                         std::vector<abm::sdk::Row>*) const override {
    return abm::sdk::Status::Ok();
  }
};
}  // namespace

ABM_PLUGIN(DupMetric);
