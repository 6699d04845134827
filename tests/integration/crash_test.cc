// Durability: kill -9 the real server while clients ingest; after a restart
// every acknowledged event is there, exactly once.
#include <atomic>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {

abm::v1::IngestRequest MakeBatch(int client, int batch, int size) {
  abm::v1::IngestRequest req;
  for (int i = 0; i < size; ++i) {
    abm::v1::Event* e = req.add_events();
    e->set_event_id("c" + std::to_string(client) + "-b" +
                    std::to_string(batch) + "-" + std::to_string(i));
    e->mutable_occurred_at()->set_seconds(1767225600 + batch);
    e->set_account_id("acct-" + std::to_string(i % 50));
    e->mutable_engagement()->set_type(abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN);
  }
  return req;
}

int64_t StoredCount(ServerProcess& server) {
  auto stub = server.metrics();
  abm::v1::QueryRequest req;
  req.set_metric("event_count");
  req.set_scope("all");
  abm::v1::QueryResponse resp;
  grpc::ClientContext ctx;
  EXPECT_TRUE(stub->Query(&ctx, req, &resp).ok());
  return resp.rows_size() ? resp.rows(0).count() : -1;
}

TEST(CrashTest, KillNineLosesNoAcknowledgedEvent) {
  TempDir dir;
  ServerProcess server(dir.path() + "/data");
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;

  constexpr int kClients = 4, kBatchSize = 200;
  std::mutex mu;
  std::vector<std::pair<int, int>> acked;  // (client, batch)
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto stub = server.metrics();
      for (int b = 0; !stop; ++b) {
        grpc::ClientContext ctx;
        abm::v1::IngestResponse resp;
        if (stub->Ingest(&ctx, MakeBatch(c, b, kBatchSize), &resp).ok() &&
            resp.accepted() == kBatchSize) {
          std::lock_guard lock(mu);
          acked.emplace_back(c, b);
        } else {
          return;  // the server is gone
        }
      }
    });
  }
  // Let the clients get going, then kill mid-stream.
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard lock(mu);
    if (acked.size() >= 40) break;
  }
  server.Kill();
  stop = true;
  for (auto& t : clients) t.join();
  const size_t acked_batches = acked.size();
  ASSERT_GE(acked_batches, 40u);

  ASSERT_TRUE(server.Start(&error)) << error;
  const int64_t stored = StoredCount(server);
  // Everything acknowledged is there (in-flight batches may be too).
  EXPECT_GE(stored, static_cast<int64_t>(acked_batches * kBatchSize));
  // ...and exactly once: re-sending every acknowledged batch stores nothing.
  auto stub = server.metrics();
  for (const auto& [c, b] : acked) {
    grpc::ClientContext ctx;
    abm::v1::IngestResponse resp;
    ASSERT_TRUE(stub->Ingest(&ctx, MakeBatch(c, b, kBatchSize), &resp).ok());
    ASSERT_EQ(resp.duplicates(), kBatchSize) << "batch " << c << "/" << b;
    ASSERT_EQ(resp.accepted(), 0);
  }
  EXPECT_EQ(StoredCount(server), stored);
  auto admin = server.admin();
  grpc::ClientContext ctx;
  abm::v1::GetStatsResponse stats;
  ASSERT_TRUE(admin->GetStats(&ctx, {}, &stats).ok());
  EXPECT_EQ(stats.events_stored(), stored);
  std::cout << "[ info ] acknowledged " << acked_batches * kBatchSize
            << " events before kill -9; " << stored
            << " stored after restart\n";
}

}  // namespace
}  // namespace abm::testing
