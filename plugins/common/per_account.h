// PerAccount<State>: plugin state indexed by the directory's dense account
// index, grown on demand. Not synchronised: mutate only in Apply.
#ifndef ABM_PLUGINS_COMMON_PER_ACCOUNT_H_
#define ABM_PLUGINS_COMMON_PER_ACCOUNT_H_

#include <cstdint>
#include <vector>

namespace abm::plugins {

template <typename State>
class PerAccount {
 public:
  // The account's state, created when first touched.
  State& at(uint32_t account) {
    if (account >= states_.size()) states_.resize(account + 1);
    return states_[account];
  }
  // The account's state, or nullptr when it has none yet.
  const State* find(uint32_t account) const {
    return account < states_.size() ? &states_[account] : nullptr;
  }

 private:
  std::vector<State> states_;
};

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_PER_ACCOUNT_H_
