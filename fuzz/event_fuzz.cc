// Fuzz target: event decoding (protobuf binary and JSON) and validation,
// then the path a valid event takes into the directory (views, profiles);
// and the same bytes as an ingest request, decoded event by event as the
// ingest handlers do.
// Must never crash, leak or trip a sanitizer, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "abm/v1/event.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "server/ingest/validator.h"
#include "server/rpc/batch_decoder.h"
#include "server/state/directory.h"
#include "server/state/event_views.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Protobuf logs every invalid UTF-8 string it rejects; that is expected
  // here and only slows the run.
  static google::protobuf::LogSilencer* silencer =
      new google::protobuf::LogSilencer();
  (void)silencer;
  // One directory across inputs (as in the server), renewed now and then so
  // that memory stays bounded over long runs.
  static abm::server::Directory* directory = new abm::server::Directory();
  static int runs = 0;
  if (++runs % 10000 == 0) {
    delete directory;
    directory = new abm::server::Directory();
  }
  {
    google::protobuf::Arena arena;
    std::vector<abm::server::DecodedEvent> decoded;
    const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (abm::server::DecodeIngestRequest(bytes, &arena, &decoded).ok())
      for (const auto& d : decoded)
        if (d.event != nullptr) (void)abm::server::ValidateEvent(*d.event);
  }
  abm::v1::Event event;
  bool parsed = event.ParseFromArray(data, static_cast<int>(size));
  if (!parsed) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    parsed = google::protobuf::util::JsonStringToMessage(text, &event).ok();
  }
  if (!parsed || !abm::server::ValidateEvent(event).ok()) return 0;
  std::vector<const abm::v1::Event*> events = {&event};
  std::vector<abm::sdk::Event> views;
  abm::server::BuildViews(events, 0, directory, &views);
  for (const auto& v : views) directory->ApplyProfile(v);
  return 0;
}
