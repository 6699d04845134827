// CampaignTouches: per account, its touches (engagement and content events)
// that carry a campaign, in time order, plus its earliest touch of any kind.
// Serves "influenced" and ROI attribution (a touch with campaign c in
// [created(O) - lookback_days, created(O)]) and time_to_close's start(O).
// Not synchronised: Add only from Plugin::Apply.
#ifndef ABM_PLUGINS_COMMON_TOUCHES_H_
#define ABM_PLUGINS_COMMON_TOUCHES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "abm/sdk/event.h"
#include "plugins/common/interner.h"
#include "plugins/common/ordered_series.h"

namespace abm::plugins {

class CampaignTouches {
 public:
  // Takes a touch (other events are ignored).
  void Add(const sdk::Event& event);

  // Earliest touch of the account at any time, if it has one.
  std::optional<sdk::Nanos> earliest(uint32_t account) const;

  // Calls f(campaign_id) for each touch of `account` with a campaign and
  // from <= time <= to (both ends inclusive), in time order.
  template <typename F>
  void ForEachCampaignTouch(uint32_t account, sdk::Nanos from, sdk::Nanos to,
                            F&& f) const {
    if (account >= by_account_.size() || to < from) return;
    // [from, to] inclusive is [from, to + 1) in nanoseconds.
    by_account_[account].ForEachIn(
        from, to + 1, [&](sdk::Nanos, uint32_t campaign) { f(campaign); });
  }

  // True when `account` has a touch with a campaign in [from, to].
  bool HasCampaignTouch(uint32_t account, sdk::Nanos from,
                        sdk::Nanos to) const {
    return account < by_account_.size() && from <= to &&
           by_account_[account].AnyIn(from, to + 1);
  }

  // Distinct campaigns that touched `account` in [created - lookback_days,
  // created] (both ends inclusive), in order of first touch.
  std::vector<uint32_t> CampaignsInLookback(uint32_t account,
                                            sdk::Nanos created,
                                            int64_t lookback_days) const;

  const Interner& campaigns() const { return campaigns_; }

 private:
  Interner campaigns_;
  std::vector<OrderedSeries<uint32_t>> by_account_;
  std::vector<sdk::Nanos> earliest_;  // INT64_MAX: none
};

// Days as nanoseconds, for lookback windows (integer days).
inline sdk::Nanos DaysToNanos(int64_t days) { return days * sdk::kNanosPerDay; }

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_TOUCHES_H_
