// EventLog on SQLite: the embedded default (one file, nothing to run).
//
// WAL journal, synchronous=FULL: a committed Append is fsync'd. One row per
// chunk, keyed by first_seq, so a group commit of thousands of events is one
// row and one fsync. Scan opens its own read connection (WAL readers do not
// block the writer).
#ifndef ABM_SERVER_LOG_SQLITE_EVENT_LOG_H_
#define ABM_SERVER_LOG_SQLITE_EVENT_LOG_H_

#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/log/event_log.h"

namespace abm::server {

class SqliteEventLog : public EventLog {
 public:
  // Opens (creating if needed) the log file at `path`. Refuses a file that
  // is not an ABM event log or fails SQLite's quick integrity check.
  static absl::StatusOr<std::unique_ptr<SqliteEventLog>> Open(
      const std::string& path);
  ~SqliteEventLog() override;

  uint64_t next_seq() const override { return next_seq_.load(); }
  absl::Status Append(uint64_t first_seq, uint32_t count,
                      absl::string_view chunk) override;
  absl::Status Scan(uint64_t from_seq, const ChunkVisitor& visit) override;

 private:
  SqliteEventLog(std::string path, sqlite3* db)
      : path_(std::move(path)), db_(db) {}
  absl::Status Init();

  std::string path_;
  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
  std::atomic<uint64_t> next_seq_{0};
};

}  // namespace abm::server

#endif  // ABM_SERVER_LOG_SQLITE_EVENT_LOG_H_
