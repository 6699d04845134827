// EventGenerator: a deterministic (seeded), realistic education-ABM event
// stream per SPEC section 2, for benchmarks and load tests.
//
// Accounts (feeder schools, districts, universities, corporate partners)
// with profiles that change over time, contacts with roles, campaigns,
// engagements, content, enrollment and partnership opportunities that move
// through their stages (with skipped stages and losses), revenue, lifecycle
// with churn and re-activation, NPS, surveys, social mentions, costs, and a
// small share of duplicate deliveries. Time advances over `span_days` with
// jitter, so events arrive slightly out of order. Same options, same stream.
#ifndef ABM_BENCH_EVENT_GENERATOR_H_
#define ABM_BENCH_EVENT_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "abm/v1/event.pb.h"

namespace abm::bench {

struct GeneratorOptions {
  uint64_t seed = 42;
  int64_t events = 1000000;
  int accounts = 20000;
  int campaigns = 40;
  int64_t start_seconds = 1735689600;  // 2025-01-01T00:00:00Z
  int span_days = 730;
  double duplicate_rate = 0.002;
};

class EventGenerator {
 public:
  explicit EventGenerator(const GeneratorOptions& options);

  // Fills `event` with the next event; false when the stream is done.
  bool Next(abm::v1::Event* event);
  int64_t produced() const { return produced_; }

 private:
  struct OpenOpportunity {
    std::string id;
    std::string account;
    abm::v1::OpportunityKind kind;
    int stage;
  };

  uint32_t Pick(uint32_t n);
  double Uniform();
  int64_t NextTime();
  std::string Account();
  void Fill(abm::v1::Event* e);
  void FillOpportunity(abm::v1::Event* e);

  GeneratorOptions options_;
  std::mt19937_64 rng_;
  int64_t produced_ = 0;
  int64_t next_id_ = 0;
  std::vector<OpenOpportunity> open_;
  int64_t next_opportunity_ = 0;
  std::vector<abm::v1::Event> recent_;  // for duplicate deliveries
};

}  // namespace abm::bench

#endif  // ABM_BENCH_EVENT_GENERATOR_H_
