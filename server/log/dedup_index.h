// The set of stored event ids, for idempotent ingestion.
//
// Holds a 128-bit XXH3 fingerprint per id instead of the id itself (16 bytes
// an event). Two distinct ids collide with probability about n^2 / 2^129:
// below 1e-22 at a billion events. Rebuilt from the log at start-up. Not
// thread-safe: owned by the committer thread.
#ifndef ABM_SERVER_LOG_DEDUP_INDEX_H_
#define ABM_SERVER_LOG_DEDUP_INDEX_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace abm::server {

struct Fingerprint {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Fingerprint& o) const {
    return lo == o.lo && hi == o.hi;
  }
  template <typename H>
  friend H AbslHashValue(H h, const Fingerprint& f) {
    return H::combine(std::move(h), f.lo);  // already uniformly distributed
  }
};

Fingerprint FingerprintOf(absl::string_view event_id);

class DedupIndex {
 public:
  // True when the id was new (and is now present).
  bool Insert(const Fingerprint& f) { return set_.insert(f).second; }
  void Erase(const Fingerprint& f) { set_.erase(f); }
  bool Contains(const Fingerprint& f) const { return set_.contains(f); }
  size_t size() const { return set_.size(); }
  void Reserve(size_t n) { set_.reserve(n); }
  // Inserts fs in order and calls was_new(i, bool) for each. The slots a
  // few entries ahead are prefetched: the index outgrows the cache, and a
  // miss per insert would dominate.
  template <typename F>
  void InsertAll(const std::vector<Fingerprint>& fs, F&& was_new) {
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < fs.size(); ++i) {
      if (i + kAhead < fs.size()) set_.prefetch(fs[i + kAhead]);
      was_new(i, set_.insert(fs[i]).second);
    }
  }

 private:
  absl::flat_hash_set<Fingerprint> set_;
};

}  // namespace abm::server

#endif  // ABM_SERVER_LOG_DEDUP_INDEX_H_
