// The host's directory of accounts and contacts (SPEC "Derived state").
//
// Interns account and contact ids to dense indexes and keeps each one's
// latest profile: greatest occurred_at wins, ties to the later log position.
// Implements sdk::Directory for plugins. Not synchronised: the plugin host
// guards it with its state lock (writes exclusive, reads shared).
#ifndef ABM_SERVER_STATE_DIRECTORY_H_
#define ABM_SERVER_STATE_DIRECTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "abm/sdk/directory.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace abm::server {

class Directory : public sdk::Directory {
 public:
  // Index of the id, adding it when new.
  uint32_t InternAccount(absl::string_view id);
  uint32_t InternContact(absl::string_view id);
  uint32_t FindContact(absl::string_view id) const;

  // Applies an account or contact profile event (others are ignored).
  void ApplyProfile(const sdk::Event& event);

  uint32_t account_count() const override {
    return static_cast<uint32_t>(accounts_.size());
  }
  std::string_view account_id(uint32_t a) const override {
    return accounts_[a].id;
  }
  sdk::AccountProfile account_profile(uint32_t a) const override;
  uint32_t find_account(std::string_view id) const override;
  uint32_t contact_count() const override {
    return static_cast<uint32_t>(contacts_.size());
  }
  std::string_view contact_id(uint32_t c) const override {
    return contacts_[c].id;
  }
  sdk::Role contact_role(uint32_t c) const override {
    return contacts_[c].role;
  }

 private:
  struct Version {
    bool set = false;
    sdk::Nanos at = 0;
    uint64_t seq = 0;
    // True when an event at (at, seq) replaces this version.
    bool OlderThan(sdk::Nanos t, uint64_t s) const {
      return !set || at < t || (at == t && seq < s);
    }
  };
  struct Account {
    std::string id, name, segment, region;
    int32_t tier = 0;
    bool target = false;
    Version version;
  };
  struct Contact {
    std::string id;
    sdk::Role role = sdk::Role::kUnspecified;
    Version version;
  };

  std::vector<Account> accounts_;
  std::vector<Contact> contacts_;
  absl::flat_hash_map<std::string, uint32_t> account_index_;
  absl::flat_hash_map<std::string, uint32_t> contact_index_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_STATE_DIRECTORY_H_
