// Command-line parsing for abmctl: global flags, a command, its positional
// arguments and its flags (`--name=value` or `--name value`; repeatable).
#ifndef ABM_CLIENTS_CLI_ARGS_H_
#define ABM_CLIENTS_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace abm::cli {

struct Args {
  std::vector<std::string> positional;                    // command first
  std::map<std::string, std::vector<std::string>> flags;  // name -> values

  // The last value of a flag, if given.
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> All(const std::string& name) const;
  bool Has(const std::string& name) const { return flags.count(name) > 0; }
};

// Flags that never take a value.
absl::StatusOr<Args> ParseArgs(int argc, char** argv);

// "90m", "36h", "7d", "45s" (a bare number is seconds).
absl::StatusOr<google::protobuf::Duration> ParseDuration(
    const std::string& text);
// RFC 3339 ("2026-03-01T00:00:00Z"), or a date ("2026-03-01", midnight UTC).
absl::StatusOr<google::protobuf::Timestamp> ParseTime(const std::string& text);

}  // namespace abm::cli

#endif  // ABM_CLIENTS_CLI_ARGS_H_
