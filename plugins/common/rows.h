// Helpers to build result rows and metric descriptors the same way in every
// built-in plugin.
#ifndef ABM_PLUGINS_COMMON_ROWS_H_
#define ABM_PLUGINS_COMMON_ROWS_H_

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "abm/sdk/plugin.h"

namespace abm::plugins {

// `base` plus one more label.
inline sdk::Labels With(sdk::Labels base, const std::string& key,
                        std::string value) {
  base[key] = std::move(value);
  return base;
}

// Appends a row labelled `labels` + {measure: name}.
inline void AddMeasure(std::vector<sdk::Row>* rows, const sdk::Labels& labels,
                       const std::string& measure, std::optional<double> value,
                       int64_t count) {
  rows->push_back(sdk::Row{With(labels, "measure", measure), value, count});
}

inline bool GroupsBy(const sdk::Query& q, const std::string& dim) {
  return std::find(q.group_by.begin(), q.group_by.end(), dim) !=
         q.group_by.end();
}

// Account dimensions plus `extra` metric-specific ones.
inline std::vector<std::string> Dimensions(
    std::vector<std::string> extra = {}) {
  std::vector<std::string> dims = sdk::AccountDimensions();
  dims.insert(dims.end(), extra.begin(), extra.end());
  return dims;
}

inline sdk::ParamSpec LookbackDaysParam() {
  return {"lookback_days",
          sdk::ParamType::kInteger,
          "90",
          "days before an opportunity's creation in which touches count "
          "(integer >= 0)",
          0,
          false,
          {}};
}

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_ROWS_H_
