// Every rule of SPEC section 2, accepted and rejected at its edges.
#include "server/ingest/validator.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/events.h"

namespace abm::server {
namespace {

using abm::testing::Ev;

abm::v1::Event Base(const std::string& payload) {
  return Ev(R"({"eventId":"e-1","occurredAt":"2026-03-02T10:00:00Z",)"
            R"("accountId":"acct-7","contactId":"c-3",)"
            R"("campaignId":"spring",)" +
            payload + "}");
}

// Expects rejection with a message that starts with `field`.
void ExpectRejected(const abm::v1::Event& e, const std::string& field) {
  absl::Status s = ValidateEvent(e);
  ASSERT_FALSE(s.ok()) << "accepted: " << e.ShortDebugString();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()).rfind(field + ":", 0), 0u)
      << "message '" << s.message() << "' does not name " << field;
}

void ExpectAccepted(const abm::v1::Event& e) {
  absl::Status s = ValidateEvent(e);
  EXPECT_TRUE(s.ok()) << s.message() << " for " << e.ShortDebugString();
}

TEST(Validator, SpecExampleLineIsAccepted) {
  ExpectAccepted(Ev(
      R"({"eventId":"e-1","occurredAt":"2026-03-02T10:00:00Z","accountId":"acct-7","contactId":"c-3","campaignId":"spring-open-day","engagement":{"type":"ENGAGEMENT_TYPE_EMAIL_OPEN"}})"));
}

TEST(Validator, EventId) {
  auto e = Base(R"("revenue":{"amount":1})");
  e.set_event_id("");
  ExpectRejected(e, "event_id");
  e.set_event_id(std::string(128, 'x'));
  ExpectAccepted(e);
  e.set_event_id(std::string(129, 'x'));
  ExpectRejected(e, "event_id");
  e.set_event_id("a\nb");
  ExpectRejected(e, "event_id");
  e.set_event_id(std::string("a\x7f", 2));
  ExpectRejected(e, "event_id");
  e.set_event_id("é-ok id");
  ExpectAccepted(e);
}

TEST(Validator, OccurredAt) {
  auto e = Base(R"("revenue":{"amount":1})");
  e.clear_occurred_at();
  ExpectRejected(e, "occurred_at");
  e.mutable_occurred_at()->set_seconds(0);
  ExpectAccepted(e);  // 1970-01-01T00:00:00Z is inclusive
  e.mutable_occurred_at()->set_seconds(-1);
  ExpectRejected(e, "occurred_at");
  e.mutable_occurred_at()->set_seconds(4102444800 - 1);
  e.mutable_occurred_at()->set_nanos(999999999);
  ExpectAccepted(e);
  e.mutable_occurred_at()->set_seconds(4102444800);  // 2100-01-01: exclusive
  e.mutable_occurred_at()->set_nanos(0);
  ExpectRejected(e, "occurred_at");
  e.mutable_occurred_at()->set_seconds(100);
  e.mutable_occurred_at()->set_nanos(-1);
  ExpectRejected(e, "occurred_at");
}

TEST(Validator, AccountIdRequiredExceptCostAndSocial) {
  auto e = Base(R"("revenue":{"amount":1})");
  e.clear_account_id();
  ExpectRejected(e, "account_id");
  e.set_account_id(std::string(128, 'a'));
  ExpectAccepted(e);
  e.set_account_id(std::string(129, 'a'));
  ExpectRejected(e, "account_id");

  auto cost = Base(R"("cost":{"amount":5})");
  cost.clear_account_id();
  ExpectAccepted(cost);
  auto social = Base(R"("social":{"platform":"x","sentiment":0.5})");
  social.clear_account_id();
  ExpectAccepted(social);
}

TEST(Validator, ContactAndCampaignIds) {
  auto e = Base(R"("revenue":{"amount":1})");
  e.clear_contact_id();
  ExpectAccepted(e);  // optional
  e.set_contact_id(std::string(129, 'c'));
  ExpectRejected(e, "contact_id");

  auto contact = Base(R"("contact":{"role":"ROLE_INFLUENCER"})");
  ExpectAccepted(contact);
  contact.clear_contact_id();
  ExpectRejected(contact, "contact_id");

  e = Base(R"("revenue":{"amount":1})");
  e.set_campaign_id(std::string(129, 'c'));
  ExpectRejected(e, "campaign_id");
  auto cost = Base(R"("cost":{"amount":5})");
  cost.clear_campaign_id();
  ExpectRejected(cost, "campaign_id");
}

TEST(Validator, PayloadRequired) {
  auto e = Base(R"("revenue":{"amount":1})");
  e.clear_revenue();
  ExpectRejected(e, "payload");
}

TEST(Validator, AccountProfile) {
  ExpectAccepted(Base(R"("account":{"tier":0})"));
  ExpectAccepted(Base(R"("account":{"tier":3,"target":true})"));
  ExpectRejected(Base(R"("account":{"tier":4})"), "account.tier");
  ExpectRejected(Base(R"("account":{"tier":-1})"), "account.tier");
  auto e = Base(R"("account":{"tier":1})");
  e.mutable_account()->set_segment(std::string(256, 's'));
  ExpectAccepted(e);
  e.mutable_account()->set_segment(std::string(257, 's'));
  ExpectRejected(e, "account.segment");
  e = Base(R"("account":{"tier":1})");
  e.mutable_account()->set_region(std::string(257, 'r'));
  ExpectRejected(e, "account.region");
  e = Base(R"("account":{"tier":1})");
  e.mutable_account()->set_name(std::string(257, 'n'));
  ExpectRejected(e, "account.name");
}

TEST(Validator, ContactProfile) {
  ExpectRejected(Base(R"("contact":{"role":"ROLE_UNSPECIFIED"})"),
                 "contact.role");
  auto e = Base(R"("contact":{"role":"ROLE_OTHER"})");
  e.mutable_contact()->set_title(std::string(64 * 1024, 't'));
  ExpectAccepted(e);
  e.mutable_contact()->set_title(std::string(64 * 1024 + 1, 't'));
  ExpectRejected(e, "contact.title");
  e = Base(R"("contact":{"role":"ROLE_OTHER"})");
  e.mutable_contact()->set_role(static_cast<abm::v1::Role>(42));
  ExpectRejected(e, "contact.role");
}

TEST(Validator, Engagement) {
  ExpectRejected(Base(R"("engagement":{"type":"ENGAGEMENT_TYPE_UNSPECIFIED"})"),
                 "engagement.type");
  ExpectAccepted(Base(
      R"("engagement":{"type":"ENGAGEMENT_TYPE_WEB_VISIT","durationSeconds":0})"));
  ExpectRejected(
      Base(
          R"("engagement":{"type":"ENGAGEMENT_TYPE_WEB_VISIT","durationSeconds":-0.001})"),
      "engagement.duration_seconds");
  auto e = Base(R"("engagement":{"type":"ENGAGEMENT_TYPE_WEB_VISIT"})");
  e.mutable_engagement()->set_duration_seconds(
      std::numeric_limits<double>::infinity());
  ExpectRejected(e, "engagement.duration_seconds");
  e.mutable_engagement()->set_duration_seconds(std::nan(""));
  ExpectRejected(e, "engagement.duration_seconds");
}

TEST(Validator, Content) {
  ExpectAccepted(Base(
      R"("content":{"contentId":"guide","action":"CONTENT_ACTION_VIEW","seconds":0,"completion":0})"));
  ExpectAccepted(Base(
      R"("content":{"contentId":"guide","action":"CONTENT_ACTION_VIEW","completion":1})"));
  ExpectRejected(
      Base(
          R"("content":{"contentId":"guide","action":"CONTENT_ACTION_VIEW","completion":1.0001})"),
      "content.completion");
  ExpectRejected(
      Base(
          R"("content":{"contentId":"guide","action":"CONTENT_ACTION_VIEW","completion":-0.1})"),
      "content.completion");
  ExpectRejected(Base(R"("content":{"action":"CONTENT_ACTION_VIEW"})"),
                 "content.content_id");
  ExpectRejected(Base(R"("content":{"contentId":"g"})"), "content.action");
  ExpectRejected(
      Base(
          R"("content":{"contentId":"g","action":"CONTENT_ACTION_SHARE","seconds":-1})"),
      "content.seconds");
  auto e =
      Base(R"("content":{"contentId":"g","action":"CONTENT_ACTION_SHARE"})");
  e.mutable_content()->set_content_id(std::string(129, 'g'));
  ExpectRejected(e, "content.content_id");
}

TEST(Validator, Opportunity) {
  for (const char* stage :
       {"inquiry", "application", "admitted", "enrolled", "lost"})
    ExpectAccepted(Base(
        std::string(
            R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":")") +
        stage + "\"}"));
  for (const char* stage :
       {"prospect", "qualified", "proposal", "negotiation", "signed", "lost"})
    ExpectAccepted(Base(
        std::string(
            R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_PARTNERSHIP","stage":")") +
        stage + "\"}"));
  // A stage of the other kind is not a stage of this one.
  ExpectRejected(
      Base(
          R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":"signed"})"),
      "opportunity.stage");
  ExpectRejected(
      Base(
          R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":""})"),
      "opportunity.stage");
  ExpectRejected(
      Base(
          R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":"Inquiry"})"),
      "opportunity.stage");
  ExpectRejected(
      Base(R"("opportunity":{"opportunityId":"o1","stage":"inquiry"})"),
      "opportunity.kind");
  ExpectRejected(
      Base(
          R"("opportunity":{"kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":"inquiry"})"),
      "opportunity.opportunity_id");
  ExpectAccepted(Base(
      R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":"inquiry","amount":0})"));
  ExpectRejected(
      Base(
          R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":"inquiry","amount":-1})"),
      "opportunity.amount");
  auto e = Base(
      R"("opportunity":{"opportunityId":"o1","kind":"OPPORTUNITY_KIND_ENROLLMENT","stage":"inquiry"})");
  e.mutable_opportunity()->set_kind(static_cast<abm::v1::OpportunityKind>(257));
  ExpectRejected(e, "opportunity.kind");
}

TEST(Validator, AmountsOfRevenueAndCost) {
  ExpectAccepted(Base(R"("revenue":{"amount":0})"));
  ExpectRejected(Base(R"("revenue":{"amount":-0.01})"), "revenue.amount");
  ExpectAccepted(Base(R"("cost":{"amount":0})"));
  ExpectRejected(Base(R"("cost":{"amount":-5})"), "cost.amount");
  auto e = Base(R"("cost":{"amount":1})");
  e.mutable_cost()->set_amount(std::numeric_limits<double>::infinity());
  ExpectRejected(e, "cost.amount");
}

TEST(Validator, Lifecycle) {
  ExpectAccepted(Base(R"("lifecycle":{"status":"LIFECYCLE_STATUS_CHURNED"})"));
  ExpectRejected(Base(R"("lifecycle":{})"), "lifecycle.status");
}

TEST(Validator, Nps) {
  ExpectAccepted(Base(R"("nps":{"score":0})"));
  ExpectAccepted(Base(R"("nps":{"score":10})"));
  ExpectRejected(Base(R"("nps":{"score":11})"), "nps.score");
  ExpectRejected(Base(R"("nps":{"score":-1})"), "nps.score");
}

TEST(Validator, Survey) {
  ExpectAccepted(Base(R"("survey":{"questionId":"q1","rating":1})"));
  ExpectAccepted(Base(R"("survey":{"questionId":"q1","rating":5})"));
  ExpectRejected(Base(R"("survey":{"questionId":"q1","rating":0})"),
                 "survey.rating");
  ExpectRejected(Base(R"("survey":{"questionId":"q1","rating":6})"),
                 "survey.rating");
  ExpectRejected(Base(R"("survey":{"rating":3})"), "survey.question_id");
  auto e = Base(R"("survey":{"questionId":"q1","rating":3})");
  e.mutable_survey()->set_comment(std::string(64 * 1024 + 1, 'c'));
  ExpectRejected(e, "survey.comment");
}

TEST(Validator, Social) {
  ExpectAccepted(Base(R"("social":{"platform":"x","sentiment":-1})"));
  ExpectAccepted(Base(R"("social":{"platform":"x","sentiment":1})"));
  ExpectRejected(Base(R"("social":{"platform":"x","sentiment":1.01})"),
                 "social.sentiment");
  ExpectRejected(Base(R"("social":{"platform":"x","sentiment":-1.01})"),
                 "social.sentiment");
  auto e = Base(R"("social":{"sentiment":0})");
  e.mutable_social()->set_platform(std::string(64, 'p'));
  ExpectAccepted(e);
  e.mutable_social()->set_platform(std::string(65, 'p'));
  ExpectRejected(e, "social.platform");
  e = Base(R"("social":{"sentiment":0})");
  e.mutable_social()->set_text(std::string(64 * 1024 + 1, 't'));
  ExpectRejected(e, "social.text");
}

}  // namespace
}  // namespace abm::server
