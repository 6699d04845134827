// The event log, dedup and group commit, on a real SQLite file with the real
// example plugin fed by the committer.
#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <thread>

#include "gtest/gtest.h"
#include "server/ingest/committer.h"
#include "server/log/sqlite_event_log.h"
#include "server/plugins/plugin_host.h"
#include "server/query/query_engine.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::server {
namespace {

using abm::testing::Ev;

std::string Engagement(const std::string& id, const std::string& account,
                       const std::string& time = "2026-03-02T10:00:00Z") {
  return R"({"eventId":")" + id + R"(","occurredAt":")" + time +
         R"(","accountId":")" + account +
         R"(","engagement":{"type":"ENGAGEMENT_TYPE_EMAIL_OPEN"}})";
}

// A server core without gRPC: log, host with event_counts, committer.
struct Core {
  explicit Core(const std::string& dir) {
    log = std::move(SqliteEventLog::Open(dir + "/events.db")).value();
    loader = std::move(PluginLoader::Create(abm::testing::BuiltinPluginDir()))
                 .value();
    host = std::make_unique<PluginHost>(log.get(), loader.get());
    EXPECT_TRUE(host->LoadAtStartup({"event_counts"}).ok());
    replayed = ReplayLog(log.get(), host.get(), &dedup).value();
    committer = std::make_unique<Committer>(log.get(), host.get(), &dedup);
  }
  CommitOutcome Submit(const std::vector<abm::v1::Event>& events) {
    std::vector<const abm::v1::Event*> ptrs;
    for (const auto& e : events) ptrs.push_back(&e);
    return committer->Submit(ptrs).get();
  }
  int64_t Count(const std::string& scope = "all") {
    QueryEngine engine(host.get());
    QueryInput in;
    in.metric = "event_count";
    in.scope = scope;
    auto rows = engine.Run(in);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? (*rows)[0].row.count : -1;
  }

  std::unique_ptr<SqliteEventLog> log;
  std::unique_ptr<PluginLoader> loader;
  std::unique_ptr<PluginHost> host;
  DedupIndex dedup;
  std::unique_ptr<Committer> committer;
  uint64_t replayed = 0;
};

int64_t ChunkRows(const std::string& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM chunks", -1, &st, nullptr);
  sqlite3_step(st);
  const int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

TEST(SqliteEventLog, AppendScanAndReopen) {
  abm::testing::TempDir dir;
  const std::string path = dir.path() + "/events.db";
  {
    auto log = std::move(SqliteEventLog::Open(path)).value();
    EXPECT_EQ(log->next_seq(), 0u);
    ASSERT_TRUE(log->Append(0, 2, "ab").ok());
    ASSERT_TRUE(log->Append(2, 3, "cde").ok());
    EXPECT_FALSE(log->Append(7, 1, "x").ok());  // not at the end
    EXPECT_EQ(log->next_seq(), 5u);
  }
  auto log = std::move(SqliteEventLog::Open(path)).value();
  EXPECT_EQ(log->next_seq(), 5u);
  std::vector<std::pair<uint64_t, std::string>> seen;
  ASSERT_TRUE(log->Scan(0,
                        [&](uint64_t first, absl::string_view bytes) {
                          seen.emplace_back(first, std::string(bytes));
                          return absl::OkStatus();
                        })
                  .ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(uint64_t{0}, std::string("ab")));
  EXPECT_EQ(seen[1], std::make_pair(uint64_t{2}, std::string("cde")));
  seen.clear();
  ASSERT_TRUE(log->Scan(2,
                        [&](uint64_t first, absl::string_view bytes) {
                          seen.emplace_back(first, std::string(bytes));
                          return absl::OkStatus();
                        })
                  .ok());
  EXPECT_EQ(seen.size(), 1u);
}

TEST(SqliteEventLog, RefusesAFileThatIsNotALog) {
  abm::testing::TempDir dir;
  const std::string path = dir.path() + "/events.db";
  FILE* f = fopen(path.c_str(), "w");
  fputs("this is not a database, just text that fills a page ........", f);
  fclose(f);
  auto log = SqliteEventLog::Open(path);
  EXPECT_FALSE(log.ok());
}

TEST(Committer, DuplicatesAcrossAndWithinBatchesFirstWriteWins) {
  abm::testing::TempDir dir;
  Core core(dir.path());
  auto first = core.Submit(
      abm::testing::Evs({Engagement("e1", "a1"), Engagement("e2", "a1"),
                         Engagement("e1", "a2")}));
  ASSERT_TRUE(first.status.ok());
  EXPECT_EQ(first.accepted, 2);
  EXPECT_EQ(first.duplicates, 1);  // e1 again in the same batch
  // Same id, different payload: still a duplicate, nothing changes.
  auto second = core.Submit(
      abm::testing::Evs({Engagement("e2", "a9", "2027-01-01T00:00:00Z"),
                         Engagement("e3", "a1")}));
  EXPECT_EQ(second.accepted, 1);
  EXPECT_EQ(second.duplicates, 1);
  EXPECT_EQ(core.Count(), 3);
  EXPECT_EQ(core.host->account_count(), 1u);  // a2 and a9 were never stored
  EXPECT_EQ(core.log->next_seq(), 3u);
}

TEST(Committer, DedupSurvivesRestart) {
  abm::testing::TempDir dir;
  {
    Core core(dir.path());
    EXPECT_EQ(core.Submit(abm::testing::Evs({Engagement("e1", "a1")})).accepted,
              1);
  }
  Core core(dir.path());
  EXPECT_EQ(core.replayed, 1u);
  auto again = core.Submit(abm::testing::Evs({Engagement("e1", "a1")}));
  EXPECT_EQ(again.accepted, 0);
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(core.Count(), 1);
}

TEST(Committer, ConcurrentWritersShareCommits) {
  abm::testing::TempDir dir;
  Core core(dir.path());
  constexpr int kThreads = 8, kCalls = 40, kPerCall = 50;
  std::atomic<int64_t> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCalls; ++c) {
        std::vector<abm::v1::Event> events;
        for (int i = 0; i < kPerCall; ++i)
          events.push_back(
              Ev(Engagement("t" + std::to_string(t) + "-" + std::to_string(c) +
                                "-" + std::to_string(i),
                            "acct-" + std::to_string(i % 7))));
        accepted += core.Submit(events).accepted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), kThreads * kCalls * kPerCall);
  EXPECT_EQ(core.Count(), kThreads * kCalls * kPerCall);
  EXPECT_EQ(core.log->next_seq(), uint64_t{kThreads * kCalls * kPerCall});
  // Group commit: fewer appends (chunks) than calls.
  const int64_t chunks = ChunkRows(dir.path() + "/events.db");
  EXPECT_LT(chunks, kThreads * kCalls);
  std::cout << "[ info ] " << kThreads * kCalls << " calls, " << chunks
            << " commits\n";
}

TEST(Committer, ReplayFollowsLogOrderForProfileTies) {
  abm::testing::TempDir dir;
  // Two profiles of a1 at the same instant: the later one in log order wins.
  const std::string t = "2026-03-02T10:00:00Z";
  {
    Core core(dir.path());
    core.Submit(abm::testing::Evs(
        {R"({"eventId":"p1","occurredAt":")" + t +
             R"(","accountId":"a1","account":{"segment":"first","target":true}})",
         R"({"eventId":"p2","occurredAt":")" + t +
             R"(","accountId":"a1","account":{"segment":"second","target":false}})"}));
    EXPECT_EQ(core.Count("target"), 0);
  }
  Core core(dir.path());
  EXPECT_EQ(core.Count("target"), 0);  // still "second" after replay
  EXPECT_EQ(core.Count("all"), 2);
  // An older profile arriving later does not win.
  core.Submit(abm::testing::Evs(
      {R"({"eventId":"p0","occurredAt":"2026-03-01T00:00:00Z","accountId":"a1","account":{"target":true}})"}));
  EXPECT_EQ(core.Count("target"), 0);
}

}  // namespace
}  // namespace abm::server
