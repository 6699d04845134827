// Group commit: turns concurrent ingest calls into few durable log appends.
//
// Submit() hands a run of validated events to the committer thread and
// returns a future. The thread takes every pending submission at once, drops
// duplicates (ids already stored, or earlier in the same group: first write
// wins), appends the rest as one chunk (one fsync), applies the chunk to the
// plugin host, and only then completes the futures. So an acknowledged event
// is durable and visible to the next query. On a log error nothing of the
// group is stored and every submission in it gets the error.
// The caller keeps the submitted events alive until its future is ready.
#ifndef ABM_SERVER_INGEST_COMMITTER_H_
#define ABM_SERVER_INGEST_COMMITTER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "abm/v1/event.pb.h"
#include "server/log/dedup_index.h"
#include "server/log/event_log.h"
#include "server/plugins/plugin_host.h"

namespace abm::server {

struct CommitOutcome {
  absl::Status status;
  int64_t accepted = 0;
  int64_t duplicates = 0;
};

class Committer {
 public:
  // `dedup` must already hold every stored id (see ReplayLog).
  Committer(EventLog* log, PluginHost* host, DedupIndex* dedup);
  ~Committer();  // completes pending submissions, then stops

  std::future<CommitOutcome> Submit(std::vector<const abm::v1::Event*> events);

 private:
  struct Pending {
    std::vector<const abm::v1::Event*> events;
    std::promise<CommitOutcome> promise;
    CommitOutcome outcome;
  };
  void Run();
  void CommitGroup(std::vector<Pending>* group);

  EventLog* log_;
  PluginHost* host_;
  DedupIndex* dedup_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::thread thread_;

  // Committer-thread buffers, reused across groups.
  std::string chunk_;
  std::vector<const abm::v1::Event*> accepted_;
  std::vector<Fingerprint> inserted_;
};

// Replays the whole log at start-up: fills `dedup` and feeds the host.
// Returns the number of events replayed.
absl::StatusOr<uint64_t> ReplayLog(EventLog* log, PluginHost* host,
                                   DedupIndex* dedup);

}  // namespace abm::server

#endif  // ABM_SERVER_INGEST_COMMITTER_H_
