#include "plugins/common/opportunities.h"

#include <tuple>

namespace abm::plugins {
namespace {

constexpr int8_t kLostCode = 100;
constexpr int8_t kUnknownCode = -1;
constexpr int kPartnershipOffset = 50;

// A code for a stage name independent of any kind: the enrollment index, or
// kPartnershipOffset + the partnership index.
int8_t StageCode(sdk::OpportunityKind kind, std::string_view stage) {
  if (stage == sdk::kLostStage) return kLostCode;
  const sdk::Pipeline* p = sdk::PipelineFor(kind);
  const int i = p ? p->StageIndex(stage) : -1;
  if (i < 0) return kUnknownCode;
  return static_cast<int8_t>(
      kind == sdk::OpportunityKind::kPartnership ? kPartnershipOffset + i : i);
}

// Index of a stage code in `kind`'s order, or -1 (lost, or another kind's).
int StageIndexIn(sdk::OpportunityKind kind, int8_t code) {
  if (code == kLostCode || code == kUnknownCode) return -1;
  const bool partnership_code = code >= kPartnershipOffset;
  if (partnership_code != (kind == sdk::OpportunityKind::kPartnership))
    return -1;
  return partnership_code ? code - kPartnershipOffset : code;
}

}  // namespace

std::string KindLabel(sdk::OpportunityKind kind) {
  const sdk::Pipeline* p = sdk::PipelineFor(kind);
  return p ? std::string(p->name) : std::string();
}

void OpportunityBook::Add(const sdk::Event& e) {
  if (e.kind != sdk::EventKind::kOpportunity) return;
  const auto& o = e.opportunity;
  auto [it, inserted] = ids_.try_emplace(
      std::string(o.opportunity_id), static_cast<uint32_t>(derived_.size()));
  const uint32_t id = it->second;
  if (inserted) {
    updates_.emplace_back();
    derived_.emplace_back();
    is_dirty_.push_back(false);
  }
  updates_[id].push_back(Update{e.occurred_at, e.seq, e.account, o.kind,
                                StageCode(o.kind, o.stage), o.has_amount,
                                o.amount});
  if (!is_dirty_[id]) {
    is_dirty_[id] = true;
    dirty_.push_back(id);
  }
}

void OpportunityBook::Finish() {
  for (uint32_t id : dirty_) {
    Derive(id);
    is_dirty_[id] = false;
  }
  changed_.swap(dirty_);
  dirty_.clear();
}

void OpportunityBook::Derive(uint32_t id) {
  const std::vector<Update>& ups = updates_[id];
  const auto key = [](const Update& u) {
    return std::make_tuple(u.time, u.seq);
  };
  const Update* first = &ups[0];
  const Update* latest_amount = nullptr;
  for (const Update& u : ups) {
    if (key(u) < key(*first)) first = &u;
    if (u.has_amount && (!latest_amount || key(*latest_amount) < key(u)))
      latest_amount = &u;
  }
  Opportunity o;
  o.account = first->account;
  o.kind = first->kind;
  o.created = first->time;
  o.amount = latest_amount ? latest_amount->amount : 0;
  const sdk::Pipeline* pipeline = sdk::PipelineFor(o.kind);
  const int won_index = pipeline ? pipeline->won_index() : -2;
  bool any_lost = false;
  for (const Update& u : ups) {
    const int index = StageIndexIn(o.kind, u.stage_code);
    if (index > o.max_stage) o.max_stage = static_cast<int8_t>(index);
    if (index == won_index && (!o.won || u.time < o.won_at)) {
      o.won = true;
      o.won_at = u.time;
    }
    if (u.stage_code == kLostCode && (!any_lost || u.time < o.lost_at)) {
      any_lost = true;
      o.lost_at = u.time;
    }
  }
  o.lost = any_lost && !o.won;
  derived_[id] = o;
}

}  // namespace abm::plugins
