// Group commit: turns concurrent ingest calls into few durable log appends.
//
// Submit() hands a run of validated events to the committer and returns a
// future. Two threads form a pipeline:
//   commit thread: takes every pending submission at once, drops duplicates
//     (ids already stored, or earlier in the same group: first write wins)
//     and appends the rest as one chunk (one fsync);
//   apply thread: applies committed chunks to the plugin host, in log order,
//     and only then completes the futures of their submissions.
// So an acknowledged event is durable and visible to the next query, while
// the next group's fsync overlaps the previous group's application. On a log
// error nothing of the group is stored and its submissions get the error.
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

#include "abm/v1/event.pb.h"
#include "absl/status/status.h"
#include "google/protobuf/arena.h"
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
  // A committed group on its way to the plugins and the acks.
  struct Committed {
    std::vector<Pending> group;
    uint64_t first_seq = 0;
    std::vector<const abm::v1::Event*> accepted;
    absl::Status status;
  };
  void RunCommits();
  void RunApplies();
  Committed CommitGroup(std::vector<Pending> group);

  EventLog* log_;
  PluginHost* host_;
  DedupIndex* dedup_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_

  std::mutex apply_mu_;
  std::condition_variable apply_cv_;
  std::deque<Committed> committed_;  // guarded by apply_mu_
  bool commits_done_ = false;        // guarded by apply_mu_

  // Commit-thread buffers, reused across groups.
  std::string chunk_;
  std::vector<Fingerprint> fingerprints_;  // of the group, in order
  std::vector<Fingerprint> inserted_;

  size_t since_trim_ = 0;  // apply thread only

  std::thread commit_thread_;
  std::thread apply_thread_;
};

// Arena sizing for parsing `encoded_bytes` of events (replay and ingest).
google::protobuf::ArenaOptions ArenaOptionsFor(size_t encoded_bytes);

// Replays the whole log at start-up: fills `dedup` and feeds the host.
// Returns the number of events replayed.
absl::StatusOr<uint64_t> ReplayLog(EventLog* log, PluginHost* host,
                                   DedupIndex* dedup);

}  // namespace abm::server

#endif  // ABM_SERVER_INGEST_COMMITTER_H_
