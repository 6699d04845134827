// Test plugin: misbehaves on purpose.
//   metric `throws_on_query`: its Query throws std::runtime_error.
//   metric `slow_query`: sleeps params.millis per call (deadline tests).
//   Apply throws when it sees an event whose campaign_id is "explode".
#include <chrono>
#include <stdexcept>
#include <thread>

#include "abm/sdk/sdk.h"

namespace {
class Thrower : public abm::sdk::Plugin {
 public:
  abm::sdk::PluginInfo Describe() const override {
    abm::sdk::MetricSpec throws;
    throws.name = "throws_on_query";
    abm::sdk::MetricSpec slow;
    slow.name = "slow_query";
    slow.params = {{"millis", abm::sdk::ParamType::kInteger, "100", "sleep"}};
    return {"thrower", "1.0.0", abm::sdk::kAllKinds, {throws, slow}};
  }
  void Apply(const abm::sdk::EventBatch& events,
             const abm::sdk::Directory&) override {
    for (const auto& e : events)
      if (e.campaign_id == "explode") throw std::runtime_error("explode event");
  }
  abm::sdk::Status Query(const abm::sdk::Query& q, const abm::sdk::Directory&,
                         std::vector<abm::sdk::Row>* rows) const override {
    if (q.metric == "throws_on_query")
      throw std::runtime_error("query exploded on purpose");
    std::this_thread::sleep_for(
        std::chrono::milliseconds(q.int_param("millis")));
    rows->push_back({{}, 1.0, 1});
    return abm::sdk::Status::Ok();
  }
};
}  // namespace

ABM_PLUGIN(Thrower);
