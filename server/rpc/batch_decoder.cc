#include "server/rpc/batch_decoder.h"

#include "abm/v1/metrics.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/wire_format_lite.h"

namespace abm::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

constexpr int kMaxDepth = 8;

// The path of the first string field of `bytes` (a message of type `type`)
// that is not valid UTF-8, or "" when there is none or the bytes are not a
// valid encoding.
std::string FindInvalidUtf8(const Descriptor* type, absl::string_view bytes,
                            const std::string& prefix, int depth) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  std::string value;
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    const FieldDescriptor* field =
        type->FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    if (field == nullptr || WireFormatLite::GetTagWireType(tag) !=
                                WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) return "";
      continue;
    }
    uint32_t size = 0;
    if (!in.ReadVarint32(&size) || !in.ReadString(&value, size)) return "";
    const std::string path =
        prefix.empty() ? field->name() : prefix + "." + field->name();
    if (field->type() == FieldDescriptor::TYPE_STRING &&
        !google::protobuf::internal::IsStructurallyValidUTF8(
            value.data(), static_cast<int>(value.size())))
      return path;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE && depth < kMaxDepth) {
      std::string inner =
          FindInvalidUtf8(field->message_type(), value, path, depth + 1);
      if (!inner.empty()) return inner;
    }
  }
  return "";
}

// Why `bytes` does not decode as an abm.v1.Event.
std::string Undecodable(absl::string_view bytes) {
  const std::string field = FindInvalidUtf8(abm::v1::Event::descriptor(), bytes,
                                            /*prefix=*/"", /*depth=*/0);
  if (!field.empty()) return field + ": is not valid UTF-8";
  return "event: is not a valid abm.v1.Event encoding";
}

}  // namespace

absl::Status DecodeIngestRequest(absl::string_view bytes,
                                 google::protobuf::Arena* arena,
                                 std::vector<DecodedEvent>* out) {
  out->clear();
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  CodedInputStream in(data, static_cast<int>(bytes.size()));
  const auto bad = [] {
    return absl::InvalidArgumentError(
        "request: is not a valid abm.v1.IngestRequest encoding");
  };
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) !=
            abm::v1::IngestRequest::kEventsFieldNumber ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) return bad();
      continue;  // a field this server does not know: ignored
    }
    uint32_t size = 0;
    if (!in.ReadVarint32(&size) || size > bytes.size()) return bad();
    const int at = in.CurrentPosition();
    if (!in.Skip(static_cast<int>(size))) return bad();
    const absl::string_view encoded(bytes.data() + at, size);
    auto* event = google::protobuf::Arena::CreateMessage<abm::v1::Event>(arena);
    DecodedEvent decoded;
    if (event->ParseFromArray(encoded.data(), static_cast<int>(size)))
      decoded.event = event;
    else
      decoded.error = Undecodable(encoded);
    out->push_back(std::move(decoded));
  }
  // ReadTag gives 0 at the end and on a malformed tag: tell them apart.
  if (!in.ConsumedEntireMessage()) return bad();
  return absl::OkStatus();
}

}  // namespace abm::server
