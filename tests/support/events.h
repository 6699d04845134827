// Test helpers: events from their SPEC JSON form, and timestamps.
#ifndef ABM_TESTS_SUPPORT_EVENTS_H_
#define ABM_TESTS_SUPPORT_EVENTS_H_

#include <string>
#include <vector>

#include "abm/v1/event.pb.h"
#include "abm/v1/metrics.pb.h"

namespace abm::testing {

// Parses one event in the protobuf JSON mapping; aborts the test on error.
abm::v1::Event Ev(const std::string& json);
std::vector<abm::v1::Event> Evs(const std::vector<std::string>& json_lines);
abm::v1::IngestRequest Batch(const std::vector<std::string>& json_lines);

// Seconds since the epoch of an RFC 3339 time.
int64_t Seconds(const std::string& rfc3339);
google::protobuf::Timestamp Ts(const std::string& rfc3339);

}  // namespace abm::testing

#endif  // ABM_TESTS_SUPPORT_EVENTS_H_
