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

// 40 bytes, laid out without padding: queries stream over all of them.
struct Opportunity {
  sdk::Nanos created = 0;
  double amount = 0;
  sdk::Nanos won_at = 0;
  sdk::Nanos lost_at = 0;
  uint32_t account = sdk::kNoIndex;
  sdk::OpportunityKind kind = sdk::OpportunityKind::kUnspecified;
  bool won = false;
  bool lost = false;
  int8_t max_stage = -1;

  bool closed() const { return won || lost; }
  sdk::Nanos closed_at() const { return won ? won_at : lost_at; }
  // SPEC reached(O, s_i): an event at stage s_j with j >= i.
  bool reached(int stage_index) const { return max_stage >= stage_index; }
  const sdk::Pipeline& pipeline() const { return *sdk::PipelineFor(kind); }
};

// Label value of a kind: "enrollment" / "partnership".
std::string KindLabel(sdk::OpportunityKind kind);

// Number of OpportunityKind values (unspecified included): keys of
// per-kind tables.
constexpr uint32_t kOpportunityKinds = 3;

class OpportunityBook {
 public:
  // Takes an opportunity event (others are ignored).
  void Add(const sdk::Event& event);
  // Recomputes what Add touched since the last call. Call at batch end.
  void Finish();
  // The ids the last Finish recomputed (for indexes over the book).
  const std::vector<uint32_t>& changed() const { return changed_; }

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
  std::vector<uint32_t> changed_;
  std::vector<bool> is_dirty_;
};

// The opportunities that visit(emit) passes to emit(const Opportunity&),
// copied and ordered by account (then as emitted): a query that reads
// per-account state for each opportunity then loads each account's state
// once, not once per opportunity, and reads the copies in order.
template <typename Visit>
std::vector<Opportunity> OpportunitiesByAccount(Visit&& visit) {
  std::vector<const Opportunity*> kept;
  uint32_t accounts = 0;
  visit([&](const Opportunity& o) {
    if (o.account == sdk::kNoIndex) return;
    kept.push_back(&o);
    accounts = std::max(accounts, o.account + 1);
  });
  // Counting sort by account: stable, linear.
  std::vector<uint32_t> start(accounts + 1, 0);
  for (const Opportunity* o : kept) ++start[o->account + 1];
  for (uint32_t a = 0; a < accounts; ++a) start[a + 1] += start[a];
  std::vector<Opportunity> ordered(kept.size());
  for (const Opportunity* o : kept) ordered[start[o->account]++] = *o;
  return ordered;
}

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_OPPORTUNITIES_H_
