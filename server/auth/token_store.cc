#include "server/auth/token_store.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace abm::server {
namespace {

std::array<uint8_t, 32> Digest(absl::string_view token) {
  std::array<uint8_t, 32> d{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         d.data());
  return d;
}

const char* RoleName(Role r) {
  return r == kRoleIngest ? "ingest" : r == kRoleQuery ? "query" : "admin";
}

}  // namespace

absl::StatusOr<TokenStore> TokenStore::Load(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return absl::FailedPreconditionError(
        absl::StrCat("--auth-tokens: cannot read ", path));
  if (st.st_mode & (S_IROTH | S_IWOTH))
    return absl::FailedPreconditionError(absl::StrCat(
        "--auth-tokens: ", path,
        " is readable or writable by others; fix with: chmod o-rw ", path));
  std::ifstream in(path);
  if (!in)
    return absl::FailedPreconditionError(
        absl::StrCat("--auth-tokens: cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  auto store = Parse(text.str());
  if (!store.ok())
    return absl::FailedPreconditionError(
        absl::StrCat("--auth-tokens: ", path, ":", store.status().message()));
  return store;
}

absl::StatusOr<TokenStore> TokenStore::Parse(absl::string_view text) {
  TokenStore store;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 2)
      return absl::InvalidArgumentError(
          absl::StrCat(line_no, ": expected 'TOKEN ROLE[,ROLE...]'"));
    if (fields[0].size() < 16)
      return absl::InvalidArgumentError(
          absl::StrCat(line_no, ": token is shorter than 16 characters"));
    uint8_t roles = 0;
    for (absl::string_view role : absl::StrSplit(fields[1], ',')) {
      if (role == "ingest")
        roles |= kRoleIngest;
      else if (role == "query")
        roles |= kRoleQuery;
      else if (role == "admin")
        roles |= kRoleAdmin;
      else
        return absl::InvalidArgumentError(
            absl::StrCat(line_no, ": unknown role '", role,
                         "' (roles: ingest, query, admin)"));
    }
    store.entries_.push_back({Digest(fields[0]), roles});
  }
  if (store.entries_.empty())
    return absl::InvalidArgumentError(" holds no token");
  return store;
}

absl::Status TokenStore::Authorize(absl::string_view authorization,
                                   Role needed) const {
  absl::string_view header = absl::StripAsciiWhitespace(authorization);
  if (header.size() < 7 ||
      !absl::EqualsIgnoreCase(header.substr(0, 7), "bearer "))
    return absl::UnauthenticatedError(
        "missing bearer token: send metadata 'authorization: Bearer TOKEN'");
  const std::array<uint8_t, 32> digest =
      Digest(absl::StripAsciiWhitespace(header.substr(7)));
  int found = -1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    // Every entry is compared, in constant time, whatever matched before.
    if (CRYPTO_memcmp(digest.data(), entries_[i].digest.data(),
                      digest.size()) == 0)
      found = static_cast<int>(i);
  }
  if (found < 0) return absl::UnauthenticatedError("invalid token");
  const uint8_t roles = entries_[found].roles;
  if ((roles & needed) || (roles & kRoleAdmin)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("this token lacks the '", RoleName(needed), "' role"));
}

}  // namespace abm::server
