// Interner: dense uint32 ids for strings a plugin sees often (campaign ids,
// content ids, question ids, platforms), so per-event state stays small.
// Not synchronised: intern only in Apply; look up anywhere.
#ifndef ABM_PLUGINS_COMMON_INTERNER_H_
#define ABM_PLUGINS_COMMON_INTERNER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace abm::plugins {

class Interner {
 public:
  uint32_t Intern(std::string_view s) {
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<uint32_t>(strings_.size());
    strings_.emplace_back(s);
    ids_.emplace(strings_.back(), id);  // keys view the deque's stable strings
    return id;
  }
  const std::string& str(uint32_t id) const { return strings_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(strings_.size()); }

 private:
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace abm::plugins

#endif  // ABM_PLUGINS_COMMON_INTERNER_H_
