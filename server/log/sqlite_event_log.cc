#include "server/log/sqlite_event_log.h"

#include "absl/strings/str_cat.h"

namespace abm::server {
namespace {

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string msg = absl::StrCat("event log: ", what, ": ", sqlite3_errmsg(db));
  if ((code & 0xff) == SQLITE_FULL) return absl::ResourceExhaustedError(msg);
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    return absl::DataLossError(msg);
  return absl::UnavailableError(msg);
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return SqliteError(db, sql);
  }
  return absl::OkStatus();
}

constexpr int kFormatVersion = 1;

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteEventLog>> SqliteEventLog::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(
        absl::StrCat("event log: cannot open ", path, ": ", msg));
  }
  std::unique_ptr<SqliteEventLog> log(new SqliteEventLog(path, db));
  if (auto s = log->Init(); !s.ok()) return s;
  return log;
}

absl::Status SqliteEventLog::Init() {
  sqlite3_busy_timeout(db_, 5000);
  if (auto s = Exec(db_, "PRAGMA journal_mode=WAL"); !s.ok()) return s;
  if (auto s = Exec(db_, "PRAGMA synchronous=FULL"); !s.ok()) return s;
  if (auto s = Exec(db_, "PRAGMA quick_check"); !s.ok()) return s;
  if (auto s = Exec(db_,
                    "CREATE TABLE IF NOT EXISTS chunks("
                    " first_seq INTEGER PRIMARY KEY,"
                    " count INTEGER NOT NULL,"
                    " events BLOB NOT NULL)");
      !s.ok())
    return s;
  if (auto s = Exec(db_,
                    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, "
                    "value TEXT NOT NULL)");
      !s.ok())
    return s;
  const std::string put_version =
      absl::StrCat("INSERT OR IGNORE INTO meta VALUES('format_version', '",
                   kFormatVersion, "')");
  if (auto s = Exec(db_, put_version.c_str()); !s.ok()) return s;

  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "SELECT value FROM meta WHERE key='format_version'",
                         -1, &stmt, nullptr) != SQLITE_OK)
    return SqliteError(db_, "read format version");
  std::string version;
  if (sqlite3_step(stmt) == SQLITE_ROW)
    version = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  if (version != std::to_string(kFormatVersion))
    return absl::FailedPreconditionError(
        absl::StrCat("event log: ", path_, " has format version '", version,
                     "'; this server reads version ", kFormatVersion));

  if (sqlite3_prepare_v2(db_,
                         "SELECT first_seq + count FROM chunks ORDER BY "
                         "first_seq DESC LIMIT 1",
                         -1, &stmt, nullptr) != SQLITE_OK)
    return SqliteError(db_, "read log end");
  if (sqlite3_step(stmt) == SQLITE_ROW)
    next_seq_ = static_cast<uint64_t>(sqlite3_column_int64(stmt, 0));
  sqlite3_finalize(stmt);

  if (sqlite3_prepare_v2(db_, "INSERT INTO chunks VALUES(?, ?, ?)", -1,
                         &insert_, nullptr) != SQLITE_OK)
    return SqliteError(db_, "prepare insert");
  return absl::OkStatus();
}

SqliteEventLog::~SqliteEventLog() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

absl::Status SqliteEventLog::Append(uint64_t first_seq, uint32_t count,
                                    absl::string_view chunk) {
  if (first_seq != next_seq_.load())
    return absl::InternalError(absl::StrCat("event log: append at ", first_seq,
                                            ", expected ", next_seq_.load()));
  sqlite3_reset(insert_);
  sqlite3_bind_int64(insert_, 1, static_cast<sqlite3_int64>(first_seq));
  sqlite3_bind_int64(insert_, 2, count);
  sqlite3_bind_blob(insert_, 3, chunk.data(), static_cast<int>(chunk.size()),
                    SQLITE_STATIC);
  // A single statement in autocommit mode is its own durable transaction.
  const int rc = sqlite3_step(insert_);
  sqlite3_reset(insert_);
  sqlite3_clear_bindings(insert_);
  if (rc != SQLITE_DONE) return SqliteError(db_, "append");
  next_seq_ = first_seq + count;
  return absl::OkStatus();
}

absl::Status SqliteEventLog::Scan(uint64_t from_seq,
                                  const ChunkVisitor& visit) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    absl::Status s = SqliteError(db, "open for scan");
    sqlite3_close(db);
    return s;
  }
  sqlite3_stmt* stmt = nullptr;
  absl::Status status;
  if (sqlite3_prepare_v2(db,
                         "SELECT first_seq, events FROM chunks WHERE "
                         "first_seq >= ? ORDER BY first_seq",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    status = SqliteError(db, "prepare scan");
  } else {
    sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(from_seq));
    int rc;
    while (status.ok() && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto first = static_cast<uint64_t>(sqlite3_column_int64(stmt, 0));
      const void* blob = sqlite3_column_blob(stmt, 1);
      const int size = sqlite3_column_bytes(stmt, 1);
      status = visit(first, absl::string_view(static_cast<const char*>(blob),
                                              static_cast<size_t>(size)));
    }
    if (status.ok() && rc != SQLITE_DONE) status = SqliteError(db, "scan");
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return status;
}

}  // namespace abm::server
