// AccountGroups: the accounts in a query's scope and their account-dimension
// group (SPEC section 3), computed once per query from the host directory.
//
// scope target = accounts whose current profile has target = true; scope all
// = every account seen in any event. Group labels come from the current
// profile: segment, region, and tier as its decimal string ("" when 0).
// Only the account dimensions named in group_by form groups; with none, every
// account is in group 0 with no labels.
#ifndef ABM_PLUGINS_COMMON_ACCOUNT_GROUPS_H_
#define ABM_PLUGINS_COMMON_ACCOUNT_GROUPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "abm/sdk/directory.h"
#include "abm/sdk/query.h"

namespace abm::plugins {

bool IsAccountDimension(const std::string& dim);

// Labels of an account's profile for the account dimensions in `group_by`.
sdk::Labels AccountLabels(const sdk::AccountProfile& profile,
                          const std::vector<std::string>& group_by);

class AccountGroups {
 public:
  AccountGroups(const sdk::Query& query, const sdk::Directory& directory);

  bool in_scope(uint32_t account) const {
    return account < group_.size() && group_[account] >= 0;
  }
  // Group of an in-scope account.
  int group(uint32_t account) const { return group_[account]; }
  int group_count() const { return static_cast<int>(labels_.size()); }
  const sdk::Labels& labels(int group) const { return labels_[group]; }
  // Number of in-scope accounts of each group.
  const std::vector<int64_t>& group_sizes() const { return sizes_; }
  const std::vector<uint32_t>& accounts() const { return accounts_; }

 private:
  std::vector<int> group_;  // per account: group, or -1 when out of scope
  std::vector<sdk::Labels> labels_;
  std::vector<int64_t> sizes_;
  std::vector<uint32_t> accounts_;  // in scope, ascending
};

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_ACCOUNT_GROUPS_H_
