// The host's account and contact directory, lent to plugins.
//
// Accounts and contacts are interned to dense indexes [0, count) in the order
// they first appear in the log; Event::account / Event::contact carry them.
// Profiles follow SPEC "Derived state": the profile event with the greatest
// occurred_at wins, ties going to the later one in log order. An account with
// no profile has empty attributes and target == false; a contact without one
// has Role::kUnspecified.
//
// Threading: a Directory is only valid during the Apply or Query call it was
// passed to, and is never modified while a plugin reads it.
#ifndef ABM_SDK_DIRECTORY_H_
#define ABM_SDK_DIRECTORY_H_

#include <cstdint>
#include <string_view>

#include "abm/sdk/event.h"

namespace abm::sdk {

struct AccountProfile {
  std::string_view name, segment, region;
  int32_t tier = 0;
  bool target = false;
  bool has_profile = false;
};

class Directory {
 public:
  virtual ~Directory() = default;

  virtual uint32_t account_count() const = 0;
  virtual std::string_view account_id(uint32_t account) const = 0;
  virtual AccountProfile account_profile(uint32_t account) const = 0;
  // kNoIndex when the id was never seen.
  virtual uint32_t find_account(std::string_view account_id) const = 0;

  virtual uint32_t contact_count() const = 0;
  virtual std::string_view contact_id(uint32_t contact) const = 0;
  virtual Role contact_role(uint32_t contact) const = 0;
};

}  // namespace abm::sdk

#endif  // ABM_SDK_DIRECTORY_H_
