// Parsing of one NDJSON line into an event (the SPEC's JSON form: the
// protobuf JSON mapping). Blank lines are "no event", not an error.
#ifndef ABM_CLIENTS_CLI_NDJSON_H_
#define ABM_CLIENTS_CLI_NDJSON_H_

#include <string>

#include "abm/v1/event.pb.h"
#include "absl/status/statusor.h"

namespace abm::cli {

// true: `event` holds the line's event; false: the line is blank.
absl::StatusOr<bool> ParseEventLine(const std::string& line,
                                    abm::v1::Event* event);

}  // namespace abm::cli

#endif  // ABM_CLIENTS_CLI_NDJSON_H_
