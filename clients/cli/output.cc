#include "clients/cli/output.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace abm::cli {
namespace {

using Table = std::vector<std::vector<std::string>>;

void PrintTable(const Table& table, std::ostream& out) {
  std::vector<size_t> widths;
  for (const auto& row : table)
    for (size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  for (const auto& row : table) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void PrintCsv(const Table& table, std::ostream& out) {
  for (const auto& row : table) {
    std::vector<std::string> fields;
    for (const auto& f : row) fields.push_back(CsvField(f));
    out << absl::StrJoin(fields, ",") << "\n";
  }
}

std::string FormatValue(const abm::v1::Row& row) {
  if (!row.has_value()) return "";
  return absl::StrFormat("%.10g", row.value());
}

}  // namespace

absl::StatusOr<Format> ParseFormat(const std::string& text,
                                   bool stdout_is_tty) {
  if (text.empty()) return stdout_is_tty ? Format::kTable : Format::kJson;
  if (text == "table") return Format::kTable;
  if (text == "json") return Format::kJson;
  if (text == "csv") return Format::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("--output: '", text, "' is not one of table, json, csv"));
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string Sparkline(const std::vector<std::optional<double>>& values) {
  static const char* const kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& v : values) {
    if (!v) continue;
    lo = any ? std::min(lo, *v) : *v;
    hi = any ? std::max(hi, *v) : *v;
    any = true;
  }
  std::string out;
  for (const auto& v : values) {
    if (!v) {
      out += " ";
      continue;
    }
    const int i =
        hi > lo ? static_cast<int>((*v - lo) / (hi - lo) * 7 + 0.5) : 3;
    out += kBars[std::clamp(i, 0, 7)];
  }
  return out;
}

void PrintRows(const abm::v1::QueryResponse& response, Format format,
               std::ostream& out) {
  if (format == Format::kJson) {
    out << ToJson(response) << "\n";
    return;
  }
  std::set<std::string> keys;
  bool bucketed = false;
  for (const auto& row : response.rows()) {
    for (const auto& [k, v] : row.labels()) keys.insert(k);
    bucketed |= row.has_bucket_start();
  }
  Table table;
  std::vector<std::string> header;
  if (bucketed) header.push_back("bucket_start");
  header.insert(header.end(), keys.begin(), keys.end());
  header.push_back("value");
  header.push_back("count");
  table.push_back(header);
  // Series (same labels) for the sparklines, in first-seen order.
  std::map<std::vector<std::string>, std::vector<std::optional<double>>> series;
  std::vector<std::vector<std::string>> series_order;
  for (const auto& row : response.rows()) {
    std::vector<std::string> cells, label_values;
    if (bucketed)
      cells.push_back(
          google::protobuf::util::TimeUtil::ToString(row.bucket_start()));
    for (const auto& k : keys) {
      auto it = row.labels().find(k);
      label_values.push_back(it == row.labels().end() ? "" : it->second);
    }
    cells.insert(cells.end(), label_values.begin(), label_values.end());
    cells.push_back(FormatValue(row));
    cells.push_back(std::to_string(row.count()));
    table.push_back(cells);
    auto [it, fresh] = series.try_emplace(label_values);
    if (fresh) series_order.push_back(label_values);
    it->second.push_back(row.has_value() ? std::optional<double>(row.value())
                                         : std::nullopt);
  }
  if (format == Format::kCsv) {
    PrintCsv(table, out);
    return;
  }
  PrintTable(table, out);
  if (!bucketed) return;
  out << "\n";
  for (const auto& labels : series_order) {
    std::vector<std::string> parts;
    size_t i = 0;
    for (const auto& k : keys) parts.push_back(k + "=" + labels[i++]);
    out << "  " << Sparkline(series[labels]) << "  "
        << (parts.empty() ? std::string("(all)") : absl::StrJoin(parts, " "))
        << "\n";
  }
}

void PrintMetrics(const abm::v1::ListMetricsResponse& response, Format format,
                  std::ostream& out) {
  if (format == Format::kJson) {
    out << ToJson(response) << "\n";
    return;
  }
  Table table = {
      {"metric", "plugin", "unit", "params", "dimensions", "description"}};
  for (const auto& m : response.metrics()) {
    std::vector<std::string> params;
    for (const auto& p : m.params()) {
      std::string s = absl::StrCat(p.name(), "=", p.default_value());
      if (p.choices_size() > 0)
        absl::StrAppend(&s, " (", absl::StrJoin(p.choices(), "|"), ")");
      params.push_back(s);
    }
    table.push_back({m.name(), m.plugin(), m.unit(),
                     absl::StrJoin(params, "; "),
                     absl::StrJoin(m.dimensions(), ","), m.description()});
  }
  if (format == Format::kCsv)
    PrintCsv(table, out);
  else
    PrintTable(table, out);
}

void PrintPlugins(
    const google::protobuf::RepeatedPtrField<abm::v1::PluginInfo>& plugins,
    Format format, std::ostream& out) {
  Table table = {{"plugin", "version", "events_applied", "metrics"}};
  for (const auto& p : plugins)
    table.push_back({p.name(), p.version(), std::to_string(p.events_applied()),
                     absl::StrJoin(p.metrics(), ",")});
  if (format == Format::kCsv)
    PrintCsv(table, out);
  else
    PrintTable(table, out);
}

}  // namespace abm::cli
