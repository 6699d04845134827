// Faults with the real server: a full disk while ingesting, and corrupted or
// truncated log files at start.
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {
namespace fs = std::filesystem;

abm::v1::IngestRequest MakeBatch(int b, int size) {
  abm::v1::IngestRequest req;
  for (int i = 0; i < size; ++i) {
    abm::v1::Event* e = req.add_events();
    e->set_event_id("b" + std::to_string(b) + "-" + std::to_string(i));
    e->mutable_occurred_at()->set_seconds(1767225600 + b);
    e->set_account_id("acct-" + std::to_string(i % 40));
    e->mutable_social()->set_platform("x");
    e->mutable_social()->set_text(
        std::string(300, 'x'));  // fill the disk faster
  }
  return req;
}

int64_t StoredCount(const ServerProcess& server) {
  abm::v1::QueryRequest req;
  req.set_metric("event_count");
  req.set_scope("all");
  abm::v1::QueryResponse resp;
  grpc::ClientContext ctx;
  EXPECT_TRUE(server.metrics()->Query(&ctx, req, &resp).ok());
  return resp.rows_size() ? resp.rows(0).count() : -1;
}

TEST(DiskFull, IngestFailsCleanlyQueriesWorkAndIngestResumes) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  TempDir dir;
  const std::string mnt = dir.path() + "/mnt";
  fs::create_directory(mnt);
  ASSERT_EQ(mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=2m"), 0)
      << strerror(errno);
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};

  ServerProcess server(mnt + "/data");
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  auto stub = server.metrics();
  int64_t acked = 0;
  grpc::Status failure;
  int b = 0;
  for (; b < 2000; ++b) {
    grpc::ClientContext ctx;
    abm::v1::IngestResponse resp;
    failure = stub->Ingest(&ctx, MakeBatch(b, 100), &resp);
    if (!failure.ok()) break;
    acked += resp.accepted();
  }
  ASSERT_FALSE(failure.ok()) << "the disk never filled";
  EXPECT_EQ(failure.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << failure.error_message();
  EXPECT_GT(acked, 0);
  // Queries keep working and see exactly what was acknowledged.
  EXPECT_EQ(StoredCount(server), acked);

  // Space comes back: the failed batch goes in now.
  ASSERT_EQ(mount("tmpfs", mnt.c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0);
  {
    grpc::ClientContext ctx;
    abm::v1::IngestResponse resp;
    grpc::Status s = stub->Ingest(&ctx, MakeBatch(b, 100), &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.accepted(), 100);  // nothing of it was stored before
    acked += resp.accepted();
  }
  EXPECT_EQ(StoredCount(server), acked);
  EXPECT_EQ(server.Stop(), 0);
  ASSERT_TRUE(server.Start(&error)) << error;
  EXPECT_EQ(StoredCount(server), acked);
  server.Stop();
}

class CorruptLog : public ::testing::Test {
 protected:
  // A data dir with a real log of a few hundred events, server stopped.
  void SetUp() override {
    ServerProcess server(dir_.path() + "/data");
    std::string error;
    ASSERT_TRUE(server.Start(&error)) << error;
    auto stub = server.metrics();
    for (int b = 0; b < 5; ++b) {
      grpc::ClientContext ctx;
      abm::v1::IngestResponse resp;
      ASSERT_TRUE(stub->Ingest(&ctx, MakeBatch(b, 100), &resp).ok());
    }
    ASSERT_EQ(server.Stop(), 0);
    db_ = dir_.path() + "/data/events.db";
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(CorruptLog, OverwrittenHeaderRefusesToStart) {
  {
    std::fstream f(db_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f << "this is no longer an sqlite database header";
  }
  ServerProcess server(dir_.path() + "/data");
  std::string error;
  EXPECT_FALSE(server.Start(&error));
  EXPECT_NE(error.find("event log"), std::string::npos) << error;
}

TEST_F(CorruptLog, TruncatedFileRefusesToStart) {
  fs::resize_file(db_, fs::file_size(db_) / 3);
  ServerProcess server(dir_.path() + "/data");
  std::string error;
  EXPECT_FALSE(server.Start(&error));
  EXPECT_NE(error.find("event log"), std::string::npos) << error;
}

TEST_F(CorruptLog, GarbledPagesRefuseToStart) {
  const auto size = fs::file_size(db_);
  {
    std::fstream f(db_, std::ios::in | std::ios::out | std::ios::binary);
    for (std::streamoff at = 4096; at < static_cast<std::streamoff>(size);
         at += 4096) {
      f.seekp(at);
      f << "garbage garbage garbage garbage";
    }
  }
  ServerProcess server(dir_.path() + "/data");
  std::string error;
  EXPECT_FALSE(server.Start(&error)) << "a damaged log must not be served";
}

TEST(PluginFaults, BadPluginsDoNotTakeTheServerDown) {
  TempDir dir;
  const std::string plugins = dir.path() + "/plugins";
  fs::create_directory(plugins);
  fs::permissions(plugins, fs::perms::owner_all | fs::perms::group_read |
                               fs::perms::group_exec | fs::perms::others_read |
                               fs::perms::others_exec);
  fs::copy_file(BuiltinPluginDir() + "/event_counts.so",
                plugins + "/event_counts.so");
  for (const char* p : {"thrower", "crash_on_create", "abi_mismatch"})
    fs::copy_file(TestPluginDir() + "/" + p + ".so", plugins + "/" + p + ".so");
  ServerProcess server(dir.path() + "/data", {"--plugin-dir=" + plugins});
  std::string error;
  ASSERT_TRUE(server.Start(&error))
      << error;  // the bad ones are logged, skipped
  EXPECT_NE(server.log().find("crash_on_create"), std::string::npos);
  EXPECT_NE(server.log().find("abi_mismatch"), std::string::npos);
  auto stub = server.metrics();
  const auto query = [&](const std::string& metric, int deadline_ms,
                         abm::v1::QueryResponse* resp) {
    abm::v1::QueryRequest req;
    req.set_metric(metric);
    req.set_scope("all");
    if (metric == "slow_query") {
      (*req.mutable_params())["millis"] = "50";
      *req.mutable_from() = Ts("2026-01-01T00:00:00Z");
      *req.mutable_to() = Ts("2026-01-02T00:00:00Z");
      req.mutable_interval()->set_seconds(864);  // 100 buckets x 50 ms
    }
    grpc::ClientContext ctx;
    if (deadline_ms > 0)
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(deadline_ms));
    return stub->Query(&ctx, req, resp);
  };
  abm::v1::QueryResponse resp;
  grpc::Status s = query("throws_on_query", 0, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_NE(s.error_message().find("exploded on purpose"), std::string::npos);
  s = query("slow_query", 300, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server is up and the other metrics answer.
  EXPECT_TRUE(query("event_count", 5000, &resp).ok());
  // Apply throws: the thrower is marked failed; ingest and event_count go on.
  grpc::ClientContext ctx;
  abm::v1::IngestResponse ir;
  ASSERT_TRUE(
      stub->Ingest(
              &ctx,
              Batch(
                  {R"({"eventId":"x1","occurredAt":"2026-01-01T00:00:00Z","accountId":"a","campaignId":"explode","engagement":{"type":"ENGAGEMENT_TYPE_MEETING"}})"}),
              &ir)
          .ok());
  EXPECT_EQ(query("throws_on_query", 0, &resp).error_code(),
            grpc::StatusCode::INTERNAL);
  ASSERT_TRUE(query("event_count", 5000, &resp).ok());
  EXPECT_EQ(resp.rows(0).count(), 1);
}

}  // namespace
}  // namespace abm::testing
