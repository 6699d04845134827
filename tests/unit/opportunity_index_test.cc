// OpportunityIndex against a brute-force scan of the book: random
// opportunity events in batches (earlier events that move created, wins,
// losses, accounts that change with an earlier event), with windows queried
// between batches so that every merge path runs.
#include "plugins/common/opportunity_index.h"

#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace abm::plugins {
namespace {

using Entry = std::pair<sdk::Nanos, uint32_t>;  // (time, account)

std::vector<Entry> FromIndex(const OpportunityIndex& index,
                             const OpportunityBook& book, sdk::Nanos from,
                             sdk::Nanos to, OpportunityIndex::TimeOf time_of) {
  std::vector<Entry> got;
  index.ForEachIn(book, from, to, [&](const Opportunity& o) {
    got.emplace_back(*time_of(o), o.account);
  });
  return got;
}

std::vector<Entry> BruteForce(const OpportunityBook& book, sdk::Nanos from,
                              sdk::Nanos to, OpportunityIndex::TimeOf time_of) {
  std::vector<std::pair<Entry, uint32_t>> keyed;  // ((time, account), id)
  for (uint32_t id = 0; id < book.all().size(); ++id) {
    const auto t = time_of(book.all()[id]);
    if (t && *t >= from && *t < to)
      keyed.push_back({{*t, book.all()[id].account}, id});
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.first.first, a.second) <
           std::make_pair(b.first.first, b.second);
  });
  std::vector<Entry> out;
  for (const auto& k : keyed) out.push_back(k.first);
  return out;
}

// `batches` batches of 1..max_batch random events over `opportunities` ids.
void CheckAgainstBruteForce(int batches, int max_batch, int opportunities) {
  std::mt19937 rng(static_cast<unsigned>(11 + batches + max_batch));
  OpportunityBook book;
  const std::vector<std::pair<OpportunityIndex::TimeOf, const char*>> kinds = {
      {CreatedAt, "created"}, {WonAt, "won"}, {ClosedAtTime, "closed"}};
  std::vector<std::unique_ptr<OpportunityIndex>> indexes;
  for (const auto& k : kinds)
    indexes.push_back(std::make_unique<OpportunityIndex>(k.first));
  const char* kStages[] = {"inquiry", "application", "admitted", "enrolled",
                           "lost"};
  std::vector<std::string> ids, stages;
  uint64_t seq = 0;
  for (int batch = 0; batch < batches; ++batch) {
    const int n = 1 + static_cast<int>(rng() % max_batch);
    ids.assign(n, "");
    stages.assign(n, "");
    std::vector<sdk::Event> events(n);
    for (int i = 0; i < n; ++i) {
      ids[i] = "opp-" + std::to_string(rng() % opportunities);
      stages[i] = kStages[rng() % 5];
      sdk::Event& e = events[i];
      e.seq = seq++;
      e.kind = sdk::EventKind::kOpportunity;
      e.occurred_at = static_cast<sdk::Nanos>(rng() % 1000);  // many ties
      e.account = static_cast<uint32_t>(rng() % 20);
      e.opportunity.opportunity_id = ids[i];
      e.opportunity.kind = sdk::OpportunityKind::kEnrollment;
      e.opportunity.stage = stages[i];
      e.opportunity.has_amount = rng() % 2;
      e.opportunity.amount = static_cast<double>(rng() % 100);
    }
    for (const sdk::Event& e : events) book.Add(e);
    book.Finish();
    for (auto& index : indexes) index->Note(book);
    if (batch % 3 == 2) continue;  // sometimes two batches between queries
    for (size_t k = 0; k < kinds.size(); ++k) {
      for (int w = 0; w < 5; ++w) {
        sdk::Nanos from = static_cast<sdk::Nanos>(rng() % 1100) - 50;
        sdk::Nanos to = from + static_cast<sdk::Nanos>(rng() % 600);
        if (w == 0) from = INT64_MIN, to = INT64_MAX;
        ASSERT_EQ(FromIndex(*indexes[k], book, from, to, kinds[k].first),
                  BruteForce(book, from, to, kinds[k].first))
            << kinds[k].second << " batch " << batch << " [" << from << ", "
            << to << ")";
      }
    }
  }
}

TEST(OpportunityIndex, MatchesABruteForceScanAcrossSmallBatches) {
  // Few changes per batch: merged lazily, by the next query.
  CheckAgainstBruteForce(60, 40, 150);
}

TEST(OpportunityIndex, MatchesABruteForceScanAcrossLargeBatches) {
  // Batches past the eager threshold: merged in Note, then lazily.
  CheckAgainstBruteForce(8, 20000, 12000);
}

TEST(OpportunityIndex, IsEmptyBeforeAnyNote) {
  OpportunityBook book;
  OpportunityIndex index(CreatedAt);
  int calls = 0;
  index.ForEachIn(book, INT64_MIN, INT64_MAX,
                  [&](const Opportunity&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace abm::plugins
