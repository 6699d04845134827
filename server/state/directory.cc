#include "server/state/directory.h"

namespace abm::server {

uint32_t Directory::InternAccount(absl::string_view id) {
  auto [it, inserted] =
      account_index_.try_emplace(id, static_cast<uint32_t>(accounts_.size()));
  if (inserted) accounts_.push_back(Account{std::string(id)});
  return it->second;
}

uint32_t Directory::InternContact(absl::string_view id) {
  auto [it, inserted] =
      contact_index_.try_emplace(id, static_cast<uint32_t>(contacts_.size()));
  if (inserted) contacts_.push_back(Contact{std::string(id)});
  return it->second;
}

uint32_t Directory::find_account(std::string_view id) const {
  auto it = account_index_.find(absl::string_view(id.data(), id.size()));
  return it == account_index_.end() ? sdk::kNoIndex : it->second;
}

uint32_t Directory::FindContact(absl::string_view id) const {
  auto it = contact_index_.find(id);
  return it == contact_index_.end() ? sdk::kNoIndex : it->second;
}

sdk::AccountProfile Directory::account_profile(uint32_t a) const {
  const Account& acc = accounts_[a];
  sdk::AccountProfile p;
  p.name = acc.name;
  p.segment = acc.segment;
  p.region = acc.region;
  p.tier = acc.tier;
  p.target = acc.target;
  p.has_profile = acc.version.set;
  return p;
}

void Directory::ApplyProfile(const sdk::Event& e) {
  if (e.kind == sdk::EventKind::kAccount && e.account != sdk::kNoIndex) {
    Account& acc = accounts_[e.account];
    if (!acc.version.OlderThan(e.occurred_at, e.seq)) return;
    acc.version = Version{true, e.occurred_at, e.seq};
    acc.name.assign(e.account_profile.name);
    acc.segment.assign(e.account_profile.segment);
    acc.region.assign(e.account_profile.region);
    acc.tier = e.account_profile.tier;
    acc.target = e.account_profile.target;
  } else if (e.kind == sdk::EventKind::kContact && e.contact != sdk::kNoIndex) {
    Contact& c = contacts_[e.contact];
    if (!c.version.OlderThan(e.occurred_at, e.seq)) return;
    c.version = Version{true, e.occurred_at, e.seq};
    c.role = e.contact_profile.role;
  }
}

}  // namespace abm::server
