// Runs metric queries (SPEC section 3): validates a query against the
// metric's descriptor, cuts the window into buckets, asks the owning plugin
// for each bucket under one consistent view of the state, and returns the
// rows sorted by bucket_start, then labels. Thread-safe.
// Errors: NOT_FOUND for an unknown metric; INVALID_ARGUMENT naming the
// offending parameter (scope, group_by, params.NAME, from/to, interval);
// RESOURCE_EXHAUSTED past the row limit; DEADLINE_EXCEEDED when `deadline`
// passes between buckets.
#ifndef ABM_SERVER_QUERY_QUERY_ENGINE_H_
#define ABM_SERVER_QUERY_QUERY_ENGINE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "abm/sdk/query.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/plugins/plugin_host.h"

namespace abm::server {

constexpr int64_t kMaxBuckets = 10000;
constexpr size_t kMaxRows = 1000000;

struct QueryInput {
  std::string metric;
  std::optional<sdk::Nanos> from, to;  // defaults: epoch, now
  std::optional<sdk::Nanos> interval;  // none: one window
  std::vector<std::string> group_by;
  std::string scope;  // "", "target" or "all"
  std::map<std::string, std::string> params;
};

struct ResultRow {
  sdk::Row row;
  std::optional<sdk::Nanos> bucket_start;
};

class QueryEngine {
 public:
  explicit QueryEngine(PluginHost* host) : host_(host) {}

  absl::StatusOr<std::vector<ResultRow>> Run(
      const QueryInput& input,
      absl::Time deadline = absl::InfiniteFuture()) const;

 private:
  PluginHost* host_;
};

// Checks `input` against `spec` and fills `out` (window excluded), with every
// declared parameter present (defaults filled). Exposed for tests.
absl::Status BindQuery(const QueryInput& input, const sdk::MetricSpec& spec,
                       sdk::Query* out);

}  // namespace abm::server

#endif  // ABM_SERVER_QUERY_QUERY_ENGINE_H_
