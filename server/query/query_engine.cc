#include "server/query/query_engine.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace abm::server {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status CheckParam(const std::string& metric, const sdk::ParamSpec& p,
                        const std::string& value) {
  const std::string field = absl::StrCat("params.", p.name);
  const auto check_min = [&](double v) -> absl::Status {
    if (p.min_exclusive ? v > p.min_value : v >= p.min_value)
      return absl::OkStatus();
    return Invalid(field,
                   absl::StrCat("must be ", p.min_exclusive ? ">" : ">=", " ",
                                p.min_value, ", got '", value, "'"));
  };
  switch (p.type) {
    case sdk::ParamType::kInteger: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v))
        return Invalid(field, absl::StrCat("must be an integer, got '", value,
                                           "' (metric ", metric, ")"));
      return check_min(static_cast<double>(v));
    }
    case sdk::ParamType::kReal: {
      double v;
      if (!absl::SimpleAtod(value, &v) || !std::isfinite(v))
        return Invalid(field, absl::StrCat("must be a finite number, got '",
                                           value, "' (metric ", metric, ")"));
      return check_min(v);
    }
    case sdk::ParamType::kChoice:
      if (std::find(p.choices.begin(), p.choices.end(), value) ==
          p.choices.end())
        return Invalid(field, absl::StrCat("'", value, "' is not one of ",
                                           absl::StrJoin(p.choices, ", ")));
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BindQuery(const QueryInput& input, const sdk::MetricSpec& spec,
                       sdk::Query* out) {
  out->metric = spec.name;
  if (input.scope.empty() || input.scope == "target") {
    out->scope = sdk::Scope::kTarget;
  } else if (input.scope == "all") {
    out->scope = sdk::Scope::kAll;
  } else {
    return Invalid(
        "scope", absl::StrCat("'", input.scope, "' is not one of target, all"));
  }
  out->group_by.clear();
  for (const std::string& dim : input.group_by) {
    if (std::find(spec.dimensions.begin(), spec.dimensions.end(), dim) ==
        spec.dimensions.end())
      return Invalid("group_by",
                     absl::StrCat("metric ", spec.name, " has no dimension '",
                                  dim, "' (dimensions: ",
                                  spec.dimensions.empty()
                                      ? std::string("none")
                                      : absl::StrJoin(spec.dimensions, ", "),
                                  ")"));
    if (std::find(out->group_by.begin(), out->group_by.end(), dim) !=
        out->group_by.end())
      return Invalid("group_by",
                     absl::StrCat("dimension '", dim, "' is named twice"));
    out->group_by.push_back(dim);
  }
  out->params.clear();
  for (const auto& param : input.params) {
    const std::string& name = param.first;
    const std::string& value = param.second;
    auto it =
        std::find_if(spec.params.begin(), spec.params.end(),
                     [&](const sdk::ParamSpec& p) { return p.name == name; });
    if (it == spec.params.end()) {
      std::vector<std::string> names;
      for (const auto& p : spec.params) names.push_back(p.name);
      return Invalid(
          absl::StrCat("params.", name),
          absl::StrCat("metric ", spec.name, " has no such parameter (",
                       names.empty() ? std::string("it takes none")
                                     : absl::StrJoin(names, ", "),
                       ")"));
    }
    if (auto s = CheckParam(spec.name, *it, value); !s.ok()) return s;
    out->params[name] = value;
  }
  for (const sdk::ParamSpec& p : spec.params)
    out->params.emplace(p.name, p.default_value);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ResultRow>> QueryEngine::Run(
    const QueryInput& input, absl::Time deadline) const {
  const sdk::Nanos from = input.from.value_or(0);
  const sdk::Nanos to = input.to.value_or(absl::ToUnixNanos(absl::Now()));
  std::vector<ResultRow> result;
  absl::Status status = host_->Read(
      input.metric,
      [&](const MetricBinding& binding, const Directory& directory) {
        sdk::Query query;
        if (auto s = BindQuery(input, *binding.spec, &query); !s.ok()) return s;
        if (from >= to)
          return Invalid("from",
                         "must be before to (the window is [from, to))");
        sdk::Nanos step = to - from;
        if (input.interval.has_value()) {
          step = *input.interval;
          if (step <= 0) return Invalid("interval", "must be positive");
          const sdk::Nanos span = to - from;
          const int64_t buckets = span / step + (span % step != 0);
          if (buckets > kMaxBuckets)
            return Invalid("interval",
                           absl::StrCat("gives ", buckets, " buckets; at most ",
                                        kMaxBuckets, " are allowed"));
        }
        std::vector<sdk::Row> rows;
        for (sdk::Nanos start = from; start < to;) {
          if (absl::Now() > deadline)
            return absl::DeadlineExceededError(
                absl::StrCat("query ", input.metric, " passed its deadline"));
          const sdk::Nanos end = (to - start <= step) ? to : start + step;
          query.from = start;
          query.to = end;
          rows.clear();
          if (auto s = PluginHost::CallQuery(binding, query, directory, &rows);
              !s.ok())
            return s;
          if (result.size() + rows.size() > kMaxRows)
            return absl::ResourceExhaustedError(absl::StrCat(
                "query ", input.metric, " gives more than ", kMaxRows,
                " rows; narrow the window, interval or group_by"));
          for (sdk::Row& r : rows) {
            ResultRow out{std::move(r), std::nullopt};
            if (input.interval.has_value()) out.bucket_start = start;
            result.push_back(std::move(out));
          }
          start = end;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  std::stable_sort(result.begin(), result.end(),
                   [](const ResultRow& a, const ResultRow& b) {
                     if (a.bucket_start != b.bucket_start)
                       return a.bucket_start < b.bucket_start;
                     return a.row.labels < b.row.labels;
                   });
  return result;
}

}  // namespace abm::server
