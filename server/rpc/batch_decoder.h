// Decoding of an encoded abm.v1.IngestRequest, event by event.
//
// gRPC's own decoding fails a whole request when one string field is not
// valid UTF-8 (and, in a stream, ends the stream as if the client had
// finished). The ingest handlers receive raw bytes instead and decode here:
// each event is parsed on its own, onto `arena`, so an undecodable event is
// rejected by itself, with a reason naming the field (SPEC: each event is
// validated on its own), and the rest of its batch is still stored.
#ifndef ABM_SERVER_RPC_BATCH_DECODER_H_
#define ABM_SERVER_RPC_BATCH_DECODER_H_

#include <string>
#include <vector>

#include "abm/v1/event.pb.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"

namespace abm::server {

struct DecodedEvent {
  const abm::v1::Event* event = nullptr;  // null when it did not decode
  std::string error;                      // why, naming the field
};

// Splits `bytes` (an abm.v1.IngestRequest) into its events, in order.
// INVALID_ARGUMENT when the request itself is not a valid encoding.
absl::Status DecodeIngestRequest(absl::string_view bytes,
                                 google::protobuf::Arena* arena,
                                 std::vector<DecodedEvent>* out);

}  // namespace abm::server

#endif  // ABM_SERVER_RPC_BATCH_DECODER_H_
