// OpportunityBook: opportunities derived from `opportunity` events exactly as
// SPEC section 2 "Derived state" defines them, whatever order events arrive in.
//
// Each opportunity keeps its (few) events; after every Apply batch the
// derived fields of the touched opportunities are recomputed:
//   account, kind, created   from the earliest event (time, then log order)
//   amount                   latest event carrying an amount, else 0
//   won / won_at             earliest event at the kind's won stage
//   lost / lost_at           earliest `lost` event, when not won
//   max_stage                highest stage index reached (-1: none)
// Stage names are read against kind(O), the kind of the earliest event.
// Not synchronised: Apply/Finish only from Plugin::Apply.
#ifndef ABM_PLUGINS_COMMON_OPPORTUNITIES_H_
#define ABM_PLUGINS_COMMON_OPPORTUNITIES_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "abm/sdk/event.h"
#include "abm/sdk/pipelines.h"

namespace abm::plugins {

struct Opportunity {
  uint32_t account = sdk::kNoIndex;
  sdk::OpportunityKind kind = sdk::OpportunityKind::kUnspecified;
  sdk::Nanos created = 0;
  double amount = 0;
  bool won = false;
  sdk::Nanos won_at = 0;
  bool lost = false;
  sdk::Nanos lost_at = 0;
  int max_stage = -1;

  bool closed() const { return won || lost; }
  sdk::Nanos closed_at() const { return won ? won_at : lost_at; }
  // SPEC reached(O, s_i): an event at stage s_j with j >= i.
  bool reached(int stage_index) const { return max_stage >= stage_index; }
  const sdk::Pipeline& pipeline() const { return *sdk::PipelineFor(kind); }
};

// Label value of a kind: "enrollment" / "partnership".
std::string KindLabel(sdk::OpportunityKind kind);

class OpportunityBook {
 public:
  // Takes an opportunity event (others are ignored).
  void Add(const sdk::Event& event);
  // Recomputes what Add touched since the last call. Call at batch end.
  void Finish();

  const std::vector<Opportunity>& all() const { return derived_; }
  size_t size() const { return derived_.size(); }

 private:
  struct Update {
    sdk::Nanos time;
    uint64_t seq;
    uint32_t account;
    sdk::OpportunityKind kind;
    int8_t stage_code;  // see StageCode() in the .cc; kLostCode for lost
    bool has_amount;
    double amount;
  };
  void Derive(uint32_t id);

  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::vector<Update>> updates_;
  std::vector<Opportunity> derived_;
  std::vector<uint32_t> dirty_;
  std::vector<bool> is_dirty_;
};

// Copies of the opportunities for which keep(o) holds, ordered by account
// (then as in book.all()): a query that reads per-account state for each
// opportunity then loads each account's state once, not once per
// opportunity, and reads the opportunities themselves in order.
template <typename Keep>
std::vector<Opportunity> OpportunitiesByAccount(const OpportunityBook& book,
                                                Keep&& keep) {
  std::vector<uint32_t> kept;
  uint32_t accounts = 0;
  const std::vector<Opportunity>& all = book.all();
  for (uint32_t i = 0; i < all.size(); ++i) {
    if (all[i].account == sdk::kNoIndex || !keep(all[i])) continue;
    kept.push_back(i);
    accounts = std::max(accounts, all[i].account + 1);
  }
  // Counting sort by account: stable, linear.
  std::vector<uint32_t> start(accounts + 1, 0);
  for (uint32_t i : kept) ++start[all[i].account + 1];
  for (uint32_t a = 0; a < accounts; ++a) start[a + 1] += start[a];
  std::vector<Opportunity> ordered(kept.size());
  for (uint32_t i : kept) ordered[start[all[i].account]++] = all[i];
  return ordered;
}

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_OPPORTUNITIES_H_
