// DecodeIngestRequest: event-by-event decoding of raw ingest requests.
#include "server/rpc/batch_decoder.h"

#include <string>
#include <vector>

#include "abm/v1/metrics.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "gtest/gtest.h"

namespace abm::server {
namespace {

abm::v1::Event Visit(const std::string& id) {
  abm::v1::Event e;
  e.set_event_id(id);
  e.set_account_id("a1");
  e.mutable_occurred_at()->set_seconds(1772445600);
  e.mutable_engagement()->set_type(abm::v1::ENGAGEMENT_TYPE_WEB_VISIT);
  return e;
}

class BatchDecoderTest : public ::testing::Test {
 protected:
  // Protobuf logs the invalid UTF-8 these tests send on purpose.
  google::protobuf::LogSilencer silence_;
  google::protobuf::Arena arena_;
  std::vector<DecodedEvent> out_;
};

TEST_F(BatchDecoderTest, DecodesEveryEventInOrder) {
  abm::v1::IngestRequest request;
  *request.add_events() = Visit("e1");
  *request.add_events() = Visit("e2");
  ASSERT_TRUE(
      DecodeIngestRequest(request.SerializeAsString(), &arena_, &out_).ok());
  ASSERT_EQ(out_.size(), 2u);
  EXPECT_EQ(out_[0].event->event_id(), "e1");
  EXPECT_EQ(out_[1].event->event_id(), "e2");
  EXPECT_TRUE(out_[1].error.empty());
}

TEST_F(BatchDecoderTest, NamesTheFieldThatIsNotUtf8AndKeepsTheOthers) {
  abm::v1::IngestRequest request;
  *request.add_events() = Visit("e1");
  abm::v1::Event survey = Visit("e2");
  survey.mutable_survey()->set_question_id("q\xe2\x82");  // cut short
  *request.add_events() = survey;
  *request.add_events() = Visit("e3");
  ASSERT_TRUE(
      DecodeIngestRequest(request.SerializeAsString(), &arena_, &out_).ok());
  ASSERT_EQ(out_.size(), 3u);
  EXPECT_NE(out_[0].event, nullptr);
  EXPECT_EQ(out_[1].event, nullptr);
  EXPECT_EQ(out_[1].error, "survey.question_id: is not valid UTF-8");
  EXPECT_EQ(out_[2].event->event_id(), "e3");
}

TEST_F(BatchDecoderTest, AnEventThatIsNotAnEventIsRejectedAlone) {
  // events[0] holds bytes that are not an Event (a truncated varint).
  const std::string encoded = std::string("\x0a\x02\x10\xff", 4) + [] {
    abm::v1::IngestRequest r;
    *r.add_events() = Visit("e2");
    return r.SerializeAsString();
  }();
  ASSERT_TRUE(DecodeIngestRequest(encoded, &arena_, &out_).ok());
  ASSERT_EQ(out_.size(), 2u);
  EXPECT_EQ(out_[0].event, nullptr);
  EXPECT_EQ(out_[0].error, "event: is not a valid abm.v1.Event encoding");
  EXPECT_EQ(out_[1].event->event_id(), "e2");
}

TEST_F(BatchDecoderTest, UnknownFieldsAreSkipped) {
  abm::v1::IngestRequest request;
  *request.add_events() = Visit("e1");
  // Field 15, varint 7: a field a newer client might send.
  const std::string encoded = request.SerializeAsString() + "\x78\x07";
  ASSERT_TRUE(DecodeIngestRequest(encoded, &arena_, &out_).ok());
  ASSERT_EQ(out_.size(), 1u);
}

TEST_F(BatchDecoderTest, ABrokenRequestIsInvalidArgument) {
  for (const std::string& bytes :
       {std::string("\x0a\x05\x01", 3),  // length past the end
        std::string("\x0a", 1),          // no length
        std::string("\xff\xff\xff\xff\xff\xff", 6)}) {
    const absl::Status s = DecodeIngestRequest(bytes, &arena_, &out_);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("request"), std::string::npos);
  }
  EXPECT_TRUE(DecodeIngestRequest("", &arena_, &out_).ok());
  EXPECT_TRUE(out_.empty());
}

}  // namespace
}  // namespace abm::server
