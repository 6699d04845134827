// Validation of one event against every rule of SPEC section 2.
//
// Pure function, thread-safe. An invalid event yields INVALID_ARGUMENT whose
// message starts with the offending field's path (e.g. "opportunity.stage:").
#ifndef ABM_SERVER_INGEST_VALIDATOR_H_
#define ABM_SERVER_INGEST_VALIDATOR_H_

#include "abm/v1/event.pb.h"
#include "absl/status/status.h"

namespace abm::server {

absl::Status ValidateEvent(const abm::v1::Event& event);

}  // namespace abm::server

#endif  // ABM_SERVER_INGEST_VALIDATOR_H_
