#include "clients/cli/args.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace abm::cli {
namespace {

bool IsBooleanFlag(const std::string& name) { return name == "help"; }

}  // namespace

std::optional<std::string> Args::Get(const std::string& name) const {
  auto it = flags.find(name);
  if (it == flags.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::All(const std::string& name) const {
  auto it = flags.find(name);
  return it == flags.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<Args> ParseArgs(int argc, char** argv) {
  Args args;
  bool only_positional = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (only_positional || a.size() < 3 || a.rfind("--", 0) != 0) {
      if (a == "--") {
        only_positional = true;
        continue;
      }
      args.positional.push_back(a);
      continue;
    }
    const size_t eq = a.find('=');
    std::string name =
        a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value;
    if (eq != std::string::npos) {
      value = a.substr(eq + 1);
    } else if (!IsBooleanFlag(name)) {
      if (i + 1 >= argc)
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    }
    args.flags[name].push_back(value);
  }
  return args;
}

absl::StatusOr<google::protobuf::Duration> ParseDuration(
    const std::string& text) {
  if (text.empty()) return absl::InvalidArgumentError("empty duration");
  int64_t unit = 1;
  std::string number = text;
  switch (text.back()) {
    case 's':
      unit = 1;
      number.pop_back();
      break;
    case 'm':
      unit = 60;
      number.pop_back();
      break;
    case 'h':
      unit = 3600;
      number.pop_back();
      break;
    case 'd':
      unit = 86400;
      number.pop_back();
      break;
    default:
      break;
  }
  double value;
  if (!absl::SimpleAtod(number, &value) || !(value > 0) || value * unit > 1e11)
    return absl::InvalidArgumentError(
        absl::StrCat("bad duration '", text,
                     "': use a positive number with s, m, h or d (e.g. 7d)"));
  const double seconds = value * static_cast<double>(unit);
  google::protobuf::Duration d;
  d.set_seconds(static_cast<int64_t>(seconds));
  d.set_nanos(
      static_cast<int32_t>((seconds - static_cast<double>(d.seconds())) * 1e9));
  return d;
}

absl::StatusOr<google::protobuf::Timestamp> ParseTime(const std::string& text) {
  const std::string full = text.size() == 10 ? text + "T00:00:00Z" : text;
  google::protobuf::Timestamp t;
  if (!google::protobuf::util::TimeUtil::FromString(full, &t))
    return absl::InvalidArgumentError(
        absl::StrCat("bad time '", text,
                     "': use RFC 3339, e.g. 2026-03-01T00:00:00Z, or a date"));
  return t;
}

}  // namespace abm::cli
