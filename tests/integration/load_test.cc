// Load: 16 concurrent clients (8 ingesting, 8 querying) against the real
// server for ABM_LOAD_SECONDS (default 60): no call fails, every
// acknowledged event is stored exactly once, and memory stays bounded.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/events.h"
#include "tests/support/server_process.h"

namespace abm::testing {
namespace {

int64_t RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  return -1;
}

abm::v1::IngestRequest Batch(int client, int b) {
  abm::v1::IngestRequest req;
  for (int i = 0; i < 200; ++i) {
    abm::v1::Event* e = req.add_events();
    e->set_event_id("l" + std::to_string(client) + "-" + std::to_string(b) +
                    "-" + std::to_string(i));
    e->mutable_occurred_at()->set_seconds(1767225600 +
                                          (b * 200 + i) % 86400 * 30);
    e->set_account_id("acct-" + std::to_string((client * 31 + i) % 500));
    if (i % 3 == 0) {
      e->mutable_content()->set_content_id("guide-" + std::to_string(i % 7));
      e->mutable_content()->set_action(abm::v1::CONTENT_ACTION_VIEW);
    } else {
      e->mutable_engagement()->set_type(abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN);
    }
  }
  return req;
}

TEST(Load, SixteenClientsMixingIngestAndQueries) {
  const char* env = std::getenv("ABM_LOAD_SECONDS");
  const int seconds = env ? std::atoi(env) : 60;
  TempDir dir;
  ServerProcess server(dir.path() + "/data");
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;

  std::atomic<bool> stop{false};
  std::atomic<int64_t> acked{0}, queries{0}, failures{0};
  std::mutex mu;
  std::string first_failure;
  const auto fail = [&](const grpc::Status& s) {
    ++failures;
    std::lock_guard lock(mu);
    if (first_failure.empty()) first_failure = s.error_message();
  };
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&, c] {
      auto stub = server.metrics();
      for (int b = 0; !stop; ++b) {
        grpc::ClientContext ctx;
        abm::v1::IngestResponse resp;
        grpc::Status s = stub->Ingest(&ctx, Batch(c, b), &resp);
        if (!s.ok())
          fail(s);
        else
          acked += resp.accepted();
      }
    });
  const char* metrics[] = {"account_coverage",
                           "engagement_rate",
                           "content_consumption",
                           "content_influence",
                           "nps",
                           "event_count"};
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&, c] {
      auto stub = server.metrics();
      for (int i = 0; !stop; ++i) {
        abm::v1::QueryRequest req;
        req.set_metric(metrics[(c + i) % 6]);
        req.set_scope("all");
        if (i % 2) req.add_group_by("segment");
        if (i % 3 == 0) {
          *req.mutable_from() = Ts("2026-01-01T00:00:00Z");
          *req.mutable_to() = Ts("2027-01-01T00:00:00Z");
          req.mutable_interval()->set_seconds(30 * 86400);
        }
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
        abm::v1::QueryResponse resp;
        grpc::Status s = stub->Query(&ctx, req, &resp);
        if (!s.ok())
          fail(s);
        else
          ++queries;
      }
    });
  std::this_thread::sleep_for(std::chrono::seconds(seconds / 4));
  const int64_t rss_early = RssKib(server.pid());
  const int64_t acked_early = acked.load();
  std::this_thread::sleep_for(std::chrono::seconds(seconds - seconds / 4));
  stop = true;
  for (auto& t : clients) t.join();
  const int64_t rss_late = RssKib(server.pid());

  EXPECT_EQ(failures.load(), 0) << first_failure;
  // Every acknowledged event stored, once.
  abm::v1::QueryRequest req;
  req.set_metric("event_count");
  req.set_scope("all");
  abm::v1::QueryResponse resp;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server.metrics()->Query(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.rows(0).count(), acked.load());
  // Memory grows with the data, not with the number of calls: at most
  // 2 KiB per event stored after the first quarter.
  const int64_t growth = rss_late - rss_early;
  EXPECT_LT(growth, 2 * (acked.load() - acked_early) + 16 * 1024)
      << "RSS " << rss_early << " -> " << rss_late << " KiB";
  std::cout << "[ info ] " << seconds << " s: " << acked.load()
            << " events acknowledged, " << queries.load() << " queries, RSS "
            << rss_early / 1024 << " -> " << rss_late / 1024 << " MiB\n";
}

}  // namespace
}  // namespace abm::testing
