#include "clients/cli/ndjson.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace abm::cli {

absl::StatusOr<bool> ParseEventLine(const std::string& line,
                                    abm::v1::Event* event) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return false;
  event->Clear();
  google::protobuf::util::JsonParseOptions options;
  auto status =
      google::protobuf::util::JsonStringToMessage(line, event, options);
  if (!status.ok())
    return absl::InvalidArgumentError(
        absl::StrCat("not a valid event: ", std::string(status.message())));
  return true;
}

}  // namespace abm::cli
