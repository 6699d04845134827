#include "plugins/common/account_groups.h"

#include <unordered_map>

namespace abm::plugins {

bool IsAccountDimension(const std::string& dim) {
  return dim == "segment" || dim == "region" || dim == "tier";
}

sdk::Labels AccountLabels(const sdk::AccountProfile& p,
                          const std::vector<std::string>& group_by) {
  sdk::Labels labels;
  for (const std::string& dim : group_by) {
    if (dim == "segment") labels[dim] = std::string(p.segment);
    if (dim == "region") labels[dim] = std::string(p.region);
    if (dim == "tier") labels[dim] = p.tier == 0 ? "" : std::to_string(p.tier);
  }
  return labels;
}

AccountGroups::AccountGroups(const sdk::Query& query,
                             const sdk::Directory& directory) {
  std::vector<std::string> dims;
  for (const auto& dim : query.group_by)
    if (IsAccountDimension(dim)) dims.push_back(dim);
  const bool grouped = !dims.empty();
  const uint32_t n = directory.account_count();
  group_.assign(n, -1);
  if (!grouped) {
    labels_.emplace_back();
    sizes_.push_back(0);
  }
  // Groups are keyed by the raw attribute values, joined; labels are built
  // once per group.
  std::unordered_map<std::string, int> ids;
  std::string key;
  for (uint32_t a = 0; a < n; ++a) {
    const sdk::AccountProfile p = directory.account_profile(a);
    if (query.scope == sdk::Scope::kTarget && !p.target) continue;
    int g = 0;
    if (grouped) {
      key.clear();
      for (const std::string& dim : dims) {
        if (dim == "segment")
          key.append(p.segment);
        else if (dim == "region")
          key.append(p.region);
        else
          key += static_cast<char>('0' + p.tier);
        key += '\x1f';
      }
      auto [it, inserted] =
          ids.try_emplace(key, static_cast<int>(labels_.size()));
      if (inserted) {
        labels_.push_back(AccountLabels(p, dims));
        sizes_.push_back(0);
      }
      g = it->second;
    }
    group_[a] = g;
    ++sizes_[g];
    accounts_.push_back(a);
  }
}

}  // namespace abm::plugins
