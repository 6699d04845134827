// The plugin host with real .so files: load, query, reload with back-fill,
// unload under concurrent queries, and refusal of bad plugins.
#include "server/plugins/plugin_host.h"

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "server/ingest/committer.h"
#include "server/log/sqlite_event_log.h"
#include "server/query/query_engine.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::server {
namespace {
namespace fs = std::filesystem;

class PluginHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_dir_ = dir_.path() + "/plugins";
    fs::create_directory(plugin_dir_);
    chmod(plugin_dir_.c_str(), 0755);
    Install(abm::testing::BuiltinPluginDir() + "/event_counts.so",
            "event_counts");
    for (const char* p : {"thrower", "abi_mismatch", "dup_metric", "no_exports",
                          "crash_on_create"})
      Install(abm::testing::TestPluginDir() + "/" + p + ".so", p);
    log_ = std::move(SqliteEventLog::Open(dir_.path() + "/events.db")).value();
    loader_ = std::move(PluginLoader::Create(plugin_dir_)).value();
    host_ = std::make_unique<PluginHost>(log_.get(), loader_.get());
    committer_ = std::make_unique<Committer>(log_.get(), host_.get(), &dedup_);
  }

  void Install(const std::string& from, const std::string& name) {
    fs::copy_file(from, plugin_dir_ + "/" + name + ".so",
                  fs::copy_options::overwrite_existing);
  }

  void Ingest(int n, const std::string& prefix,
              const std::string& campaign = "") {
    std::vector<abm::v1::Event> events;
    for (int i = 0; i < n; ++i)
      events.push_back(abm::testing::Ev(
          R"({"eventId":")" + prefix + std::to_string(i) +
          R"(","occurredAt":"2026-02-01T00:00:00Z","accountId":"a)" +
          std::to_string(i % 5) + R"(","campaignId":")" + campaign +
          R"(","engagement":{"type":"ENGAGEMENT_TYPE_WEB_VISIT"}})"));
    std::vector<const abm::v1::Event*> ptrs;
    for (const auto& e : events) ptrs.push_back(&e);
    ASSERT_TRUE(committer_->Submit(ptrs).get().status.ok());
  }

  absl::StatusOr<int64_t> Count() {
    QueryEngine engine(host_.get());
    QueryInput in;
    in.metric = "event_count";
    in.scope = "all";
    auto rows = engine.Run(in);
    if (!rows.ok()) return rows.status();
    return (*rows)[0].row.count;
  }

  abm::testing::TempDir dir_;
  std::string plugin_dir_;
  std::unique_ptr<SqliteEventLog> log_;
  std::unique_ptr<PluginLoader> loader_;
  std::unique_ptr<PluginHost> host_;
  DedupIndex dedup_;
  std::unique_ptr<Committer> committer_;
};

TEST_F(PluginHostTest, LoadBackfillsTheWholeLogBeforeAnswering) {
  Ingest(120, "e");
  EXPECT_EQ(Count().status().code(), absl::StatusCode::kNotFound);
  auto loaded = host_->Load("event_counts");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->events_applied, 120u);
  EXPECT_EQ(*Count(), 120);
  Ingest(30, "f");
  EXPECT_EQ(*Count(), 150);
  EXPECT_EQ(host_->Load("event_counts").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(PluginHostTest, ReloadPicksUpARebuiltLibraryWithBackfill) {
  ASSERT_TRUE(host_->Load("event_counts").ok());
  Ingest(40, "e");
  ASSERT_EQ(host_->ListPlugins()[0].version, "1.0.0");
  // "Rebuild" the plugin: same path, new code.
  Install(abm::testing::TestPluginDir() + "/event_counts_v2.so",
          "event_counts");
  auto reloaded = host_->Reload("event_counts");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->version, "2.0.0");
  EXPECT_EQ(*Count(), 40);
  Ingest(2, "f");
  EXPECT_EQ(*Count(), 42);
}

TEST_F(PluginHostTest, ReloadWhileIngestingLosesAndDoublesNothing) {
  ASSERT_TRUE(host_->Load("event_counts").ok());
  std::atomic<bool> stop{false};
  std::atomic<int> batches{0};
  std::thread writer([&] {
    for (int b = 0; !stop && b < 400; ++b) {
      Ingest(25, "w" + std::to_string(b) + "-");
      ++batches;
    }
  });
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(host_->Reload("event_counts").ok());
  stop = true;
  writer.join();
  EXPECT_EQ(*Count(), batches.load() * 25);
}

TEST_F(PluginHostTest, UnloadUnderConcurrentQueries) {
  ASSERT_TRUE(host_->Load("event_counts").ok());
  Ingest(50, "e");
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, not_found{0}, other{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      while (!stop) {
        auto c = Count();
        if (c.ok() && *c == 50)
          ++ok;
        else if (c.status().code() == absl::StatusCode::kNotFound)
          ++not_found;
        else
          ++other;
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(host_->Unload("event_counts").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(host_->Load("event_counts").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(host_->Unload("event_counts").ok(), true);
  EXPECT_EQ(host_->Unload("event_counts").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PluginHostTest, RefusesAnAbiMismatchNamingBothVersions) {
  auto s = host_->Load("abi_mismatch").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("99.0"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find(sdk::AbiString(sdk::kAbiVersion)),
            absl::string_view::npos)
      << s;
  EXPECT_NE(s.message().find("rebuild"), absl::string_view::npos) << s;
  EXPECT_TRUE(host_->ListPlugins().empty());
}

TEST_F(PluginHostTest, RefusesAMissingExportAndAFailingConstructor) {
  auto s = host_->Load("no_exports").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("abm_plugin_create"), absl::string_view::npos)
      << s;
  s = host_->Load("crash_on_create").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("cannot start"), absl::string_view::npos) << s;
}

TEST_F(PluginHostTest, RefusesADuplicateMetric) {
  ASSERT_TRUE(host_->Load("event_counts").ok());
  auto s = host_->Load("dup_metric").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(s.message().find("event_count"), absl::string_view::npos);
  EXPECT_NE(s.message().find("event_counts"), absl::string_view::npos);
  EXPECT_EQ(host_->ListPlugins().size(), 1u);
}

TEST_F(PluginHostTest, RefusesNamesThatAreNotPluginNames) {
  for (const char* name : {"../event_counts", "a/b", "", "Event", "x.so"})
    EXPECT_EQ(host_->Load(name).status().code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  EXPECT_EQ(host_->Load("absent").status().code(), absl::StatusCode::kNotFound);
  // A symlink that leaves the plugin dir is refused.
  fs::create_symlink(abm::testing::BuiltinPluginDir() + "/event_counts.so",
                     plugin_dir_ + "/outside.so");
  EXPECT_EQ(host_->Load("outside").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(PluginHostTest, AThrowingPluginFailsOnlyItsOwnCalls) {
  ASSERT_TRUE(host_->Load("event_counts").ok());
  ASSERT_TRUE(host_->Load("thrower").ok());
  Ingest(3, "e");
  QueryEngine engine(host_.get());
  QueryInput in;
  in.metric = "throws_on_query";
  auto s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("exploded on purpose"), absl::string_view::npos);
  EXPECT_EQ(*Count(), 3);

  Ingest(1, "x", "explode");  // thrower's Apply throws
  s = engine.Run(in).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("reload"), absl::string_view::npos) << s;
  EXPECT_EQ(*Count(), 4);  // the other plugin is unaffected
  bool marked = false;
  for (const auto& p : host_->ListPlugins())
    marked |= p.name == "thrower" && !p.failure.empty();
  EXPECT_TRUE(marked);
}

TEST_F(PluginHostTest, DeadlineStopsAMultiBucketQuery) {
  ASSERT_TRUE(host_->Load("thrower").ok());
  QueryEngine engine(host_.get());
  QueryInput in;
  in.metric = "slow_query";
  in.params = {{"millis", "20"}};
  in.from = 0;
  in.to = 100 * sdk::kNanosPerSecond;
  in.interval = sdk::kNanosPerSecond;  // 100 buckets x 20 ms
  auto s = engine.Run(in, absl::Now() + absl::Milliseconds(100)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(PluginLoader, RefusesAPluginDirWritableByOthers) {
  abm::testing::TempDir dir;
  chmod(dir.path().c_str(), 0777);
  auto loader = PluginLoader::Create(dir.path());
  EXPECT_EQ(loader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(loader.status().message().find("chmod o-w"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace abm::server
