// Bearer-token access control (roles ingest, query, admin; admin implies
// all), loaded from a file of `TOKEN ROLE[,ROLE...]` lines (# comments).
//
// Load refuses a file that others can read or write, or a malformed line,
// naming the line. Tokens are kept only as SHA-256 digests and compared in
// constant time; no method logs or returns a token. Thread-safe after Load.
#ifndef ABM_SERVER_AUTH_TOKEN_STORE_H_
#define ABM_SERVER_AUTH_TOKEN_STORE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace abm::server {

enum Role : uint8_t { kRoleIngest = 1, kRoleQuery = 2, kRoleAdmin = 4 };

class TokenStore {
 public:
  static absl::StatusOr<TokenStore> Load(const std::string& path);
  static absl::StatusOr<TokenStore> Parse(absl::string_view text);

  // `authorization` is the request's "authorization" metadata value.
  // OK; UNAUTHENTICATED when missing or unknown; PERMISSION_DENIED when the
  // token's roles do not include `needed` (nor admin).
  absl::Status Authorize(absl::string_view authorization, Role needed) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::array<uint8_t, 32> digest;
    uint8_t roles;
  };
  std::vector<Entry> entries_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_AUTH_TOKEN_STORE_H_
