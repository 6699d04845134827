// nps_lite: NPS over every nps event in the window (no scope, no groups).
#include <vector>

#include "abm/sdk/sdk.h"

namespace {

class NpsLite : public abm::sdk::Plugin {
 public:
  abm::sdk::PluginInfo Describe() const override {
    abm::sdk::MetricSpec m;
    m.name = "nps_lite";
    m.description = "Net promoter score of every response in the window";
    m.unit = "score";
    return {
        "nps_lite", "0.1.0", abm::sdk::KindBit(abm::sdk::EventKind::kNps), {m}};
  }
  void Apply(const abm::sdk::EventBatch& events,
             const abm::sdk::Directory&) override {
    for (const abm::sdk::Event& e : events)
      scores_.push_back({e.occurred_at, e.nps.score});
  }
  abm::sdk::Status Query(const abm::sdk::Query& q, const abm::sdk::Directory&,
                         std::vector<abm::sdk::Row>* rows) const override {
    int64_t n = 0, promoters = 0, detractors = 0;
    for (const auto& [at, score] : scores_) {
      if (!q.contains(at)) continue;
      ++n;
      promoters += score >= 9;
      detractors += score <= 6;
    }
    abm::sdk::Row row;
    row.count = n;
    if (n > 0) row.value = 100.0 * (promoters - detractors) / n;
    rows->push_back(row);
    return abm::sdk::Status::Ok();
  }

 private:
  std::vector<std::pair<abm::sdk::Nanos, int>> scores_;
};

}  // namespace

ABM_PLUGIN(NpsLite);
