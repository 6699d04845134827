// The opportunity pipelines of SPEC section 2: ordered stages per kind.
//
// The last stage of a kind is its won stage; "lost" closes an opportunity as
// lost and reaches no stage. Constant data, thread-safe.
#ifndef ABM_SDK_PIPELINES_H_
#define ABM_SDK_PIPELINES_H_

#include <string>
#include <string_view>
#include <vector>

#include "abm/sdk/event.h"

namespace abm::sdk {

constexpr std::string_view kLostStage = "lost";

struct Pipeline {
  OpportunityKind kind;
  std::string_view name;  // label value: "enrollment" / "partnership"
  std::vector<std::string_view> stages;

  // Index of `stage` in the order, or -1 (also for "lost").
  int StageIndex(std::string_view stage) const {
    for (size_t i = 0; i < stages.size(); ++i) {
      if (stages[i] == stage) return static_cast<int>(i);
    }
    return -1;
  }
  int won_index() const { return static_cast<int>(stages.size()) - 1; }
  std::string StageList() const {
    std::string out;
    for (auto s : stages) {
      if (!out.empty()) out += ", ";
      out += s;
    }
    return out;
  }
};

inline const Pipeline* PipelineFor(OpportunityKind kind) {
  static const Pipeline kEnrollment{
      OpportunityKind::kEnrollment,
      "enrollment",
      {"inquiry", "application", "admitted", "enrolled"}};
  static const Pipeline kPartnership{
      OpportunityKind::kPartnership,
      "partnership",
      {"prospect", "qualified", "proposal", "negotiation", "signed"}};
  switch (kind) {
    case OpportunityKind::kEnrollment:
      return &kEnrollment;
    case OpportunityKind::kPartnership:
      return &kPartnership;
    default:
      return nullptr;
  }
}

}  // namespace abm::sdk

#endif  // ABM_SDK_PIPELINES_H_
