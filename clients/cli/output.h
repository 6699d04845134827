// Rendering of server answers for abmctl: aligned tables (with a sparkline
// per series for bucketed queries), protobuf-JSON, and CSV.
#ifndef ABM_CLIENTS_CLI_OUTPUT_H_
#define ABM_CLIENTS_CLI_OUTPUT_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "abm/v1/admin.pb.h"
#include "abm/v1/metrics.pb.h"
#include "absl/status/statusor.h"

namespace abm::cli {

enum class Format { kTable, kJson, kCsv };

// "table", "json" or "csv"; empty picks table on a terminal, else json.
absl::StatusOr<Format> ParseFormat(const std::string& text, bool stdout_is_tty);

// JSON in the protobuf mapping; `count` is printed even when 0.
std::string ToJson(const google::protobuf::Message& message);

void PrintRows(const abm::v1::QueryResponse& response, Format format,
               std::ostream& out);
void PrintMetrics(const abm::v1::ListMetricsResponse& response, Format format,
                  std::ostream& out);
void PrintPlugins(
    const google::protobuf::RepeatedPtrField<abm::v1::PluginInfo>& plugins,
    Format format, std::ostream& out);

// ▁▂▃▄▅▆▇█ for a series of values (absent values print as a space).
std::string Sparkline(const std::vector<std::optional<double>>& values);

}  // namespace abm::cli

#endif  // ABM_CLIENTS_CLI_OUTPUT_H_
