// Conversion of stored protobuf events into the SDK's plain event views.
//
// The views point into the protobuf messages, which must outlive them.
// BuildViews interns ids into the directory (committer path); ResolveViews
// only looks them up (back-fill path, every id is already interned).
#ifndef ABM_SERVER_STATE_EVENT_VIEWS_H_
#define ABM_SERVER_STATE_EVENT_VIEWS_H_

#include <cstdint>
#include <vector>

#include "abm/sdk/event.h"
#include "abm/v1/event.pb.h"
#include "server/state/directory.h"

namespace abm::server {

void BuildViews(const std::vector<const abm::v1::Event*>& events,
                uint64_t first_seq, Directory* directory,
                std::vector<sdk::Event>* out);

void ResolveViews(const std::vector<const abm::v1::Event*>& events,
                  uint64_t first_seq, const Directory& directory,
                  std::vector<sdk::Event>* out);

// Nanoseconds since the epoch of a protobuf timestamp.
inline sdk::Nanos ToNanos(const google::protobuf::Timestamp& t) {
  return t.seconds() * sdk::kNanosPerSecond + t.nanos();
}

}  // namespace abm::server

#endif  // ABM_SERVER_STATE_EVENT_VIEWS_H_
