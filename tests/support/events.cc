#include "tests/support/events.h"

#include <cstdlib>
#include <iostream>

#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace abm::testing {

abm::v1::Event Ev(const std::string& json) {
  abm::v1::Event e;
  auto s = google::protobuf::util::JsonStringToMessage(json, &e);
  if (!s.ok()) {
    std::cerr << "bad test event " << json << ": " << s.ToString() << "\n";
    std::abort();
  }
  return e;
}

std::vector<abm::v1::Event> Evs(const std::vector<std::string>& lines) {
  std::vector<abm::v1::Event> out;
  for (const auto& l : lines) out.push_back(Ev(l));
  return out;
}

abm::v1::IngestRequest Batch(const std::vector<std::string>& lines) {
  abm::v1::IngestRequest r;
  for (const auto& l : lines) *r.add_events() = Ev(l);
  return r;
}

google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  google::protobuf::Timestamp t;
  if (!google::protobuf::util::TimeUtil::FromString(rfc3339, &t)) {
    std::cerr << "bad test time " << rfc3339 << "\n";
    std::abort();
  }
  return t;
}

int64_t Seconds(const std::string& rfc3339) { return Ts(rfc3339).seconds(); }

}  // namespace abm::testing
