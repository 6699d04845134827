#include "plugins/common/touches.h"

#include <algorithm>
#include <limits>

namespace abm::plugins {

void CampaignTouches::Add(const sdk::Event& e) {
  if (!e.is_touch() || e.account == sdk::kNoIndex) return;
  if (e.account >= by_account_.size()) {
    by_account_.resize(e.account + 1);
    earliest_.resize(e.account + 1, std::numeric_limits<sdk::Nanos>::max());
  }
  if (e.occurred_at < earliest_[e.account])
    earliest_[e.account] = e.occurred_at;
  if (!e.campaign_id.empty())
    by_account_[e.account].Insert(e.occurred_at,
                                  campaigns_.Intern(e.campaign_id));
}

std::optional<sdk::Nanos> CampaignTouches::earliest(uint32_t account) const {
  if (account >= earliest_.size() ||
      earliest_[account] == std::numeric_limits<sdk::Nanos>::max())
    return std::nullopt;
  return earliest_[account];
}

std::vector<uint32_t> CampaignTouches::CampaignsInLookback(
    uint32_t account, sdk::Nanos created, int64_t lookback_days) const {
  std::vector<uint32_t> out;
  ForEachCampaignTouch(account, created - DaysToNanos(lookback_days), created,
                       [&](uint32_t c) {
                         if (std::find(out.begin(), out.end(), c) == out.end())
                           out.push_back(c);
                       });
  return out;
}

}  // namespace abm::plugins
