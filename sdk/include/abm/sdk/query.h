// One metric query for one window, as the host hands it to a plugin.
//
// The host has already checked the metric name, the scope, every group-by
// dimension against the metric's descriptor, and every parameter (unknown
// names, types, ranges); `params` holds every declared parameter, defaults
// filled in. Interval bucketing is the host's job: a plugin answers for
// [from, to) only. Rows may come back in any order; the host sorts them.
#ifndef ABM_SDK_QUERY_H_
#define ABM_SDK_QUERY_H_

#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "abm/sdk/event.h"

namespace abm::sdk {

enum class Scope : uint8_t { kTarget = 0, kAll = 1 };

struct Query {
  std::string metric;
  Nanos from = 0;  // inclusive
  Nanos to = 0;    // exclusive
  std::vector<std::string> group_by;
  Scope scope = Scope::kTarget;
  std::map<std::string, std::string> params;

  // Typed access to validated parameters; `fallback` only if undeclared.
  double real_param(const std::string& name, double fallback = 0) const {
    auto it = params.find(name);
    return it == params.end() ? fallback
                              : std::strtod(it->second.c_str(), nullptr);
  }
  int64_t int_param(const std::string& name, int64_t fallback = 0) const {
    auto it = params.find(name);
    return it == params.end() ? fallback
                              : std::strtoll(it->second.c_str(), nullptr, 10);
  }
  std::string string_param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
  bool contains(Nanos t) const { return t >= from && t < to; }
};

using Labels = std::map<std::string, std::string>;

struct Row {
  Labels labels;
  std::optional<double> value;  // absent where the metric is undefined
  int64_t count = 0;
};

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument = 3,
  kNotFound = 5,
  kFailedPrecondition = 9,
  kInternal = 13,
};

struct Status {
  StatusCode code = StatusCode::kOk;
  std::string message;
  bool ok() const { return code == StatusCode::kOk; }
  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status Internal(std::string m) {
    return {StatusCode::kInternal, std::move(m)};
  }
};

}  // namespace abm::sdk

#endif  // ABM_SDK_QUERY_H_
