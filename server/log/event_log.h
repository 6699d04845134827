// The event log: the single, durable source of truth of the server.
//
// The log stores events in chunks. A chunk is a serialized abm.v1.EventBatch
// holding `count` events whose log positions (seq) are first_seq ..
// first_seq + count - 1; chunks are contiguous and in log order. Everything
// above this interface (dedup, directory, plugins) is derived by replaying it,
// so any backend that keeps these promises can sit underneath:
//   * Append is durable when it returns OK (survives kill -9 and power loss);
//     on error nothing of the chunk is visible after a restart.
//   * Append is called by one thread at a time; Scan may run concurrently with
//     Append from other threads and sees a prefix of the log.
#ifndef ABM_SERVER_LOG_EVENT_LOG_H_
#define ABM_SERVER_LOG_EVENT_LOG_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace abm::server {

class EventLog {
 public:
  using ChunkVisitor =
      std::function<absl::Status(uint64_t first_seq, absl::string_view bytes)>;

  virtual ~EventLog() = default;

  // Number of events stored, which is also the seq of the next event.
  virtual uint64_t next_seq() const = 0;

  // Stores one chunk; first_seq must equal next_seq().
  virtual absl::Status Append(uint64_t first_seq, uint32_t count,
                              absl::string_view chunk) = 0;

  // Calls `visit` for every chunk with first_seq >= from_seq, in order. A
  // non-OK status from `visit` stops the scan and is returned.
  virtual absl::Status Scan(uint64_t from_seq, const ChunkVisitor& visit) = 0;
};

}  // namespace abm::server

#endif  // ABM_SERVER_LOG_EVENT_LOG_H_
