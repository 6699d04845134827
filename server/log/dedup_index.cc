#include "server/log/dedup_index.h"

#include <xxhash.h>

namespace abm::server {

Fingerprint FingerprintOf(absl::string_view event_id) {
  const XXH128_hash_t h = XXH3_128bits(event_id.data(), event_id.size());
  return Fingerprint{h.low64, h.high64};
}

}  // namespace abm::server
