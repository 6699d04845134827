#include "server/ingest/validator.h"

#include <cmath>
#include <string>

#include "abm/sdk/pipelines.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace abm::server {
namespace {

constexpr size_t kIdMax = 128;
constexpr size_t kNameMax = 256;
constexpr size_t kPlatformMax = 64;
constexpr size_t kFreeTextMax = 64 * 1024;
// 2100-01-01T00:00:00Z in seconds since the epoch.
constexpr int64_t kMaxSeconds = 4102444800;

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// C0 controls, DEL, and the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F).
bool HasControlChar(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

absl::Status CheckId(const std::string& value, absl::string_view field,
                     bool required) {
  if (value.empty()) {
    return required ? Bad(field, "is required") : absl::OkStatus();
  }
  if (value.size() > kIdMax) {
    return Bad(field, absl::StrCat("is ", value.size(),
                                   " bytes; at most 128 are allowed"));
  }
  return absl::OkStatus();
}

absl::Status CheckMaxLen(const std::string& value, absl::string_view field,
                         size_t max) {
  if (value.size() > max) {
    return Bad(field, absl::StrCat("is ", value.size(), " bytes; at most ", max,
                                   " are allowed"));
  }
  return absl::OkStatus();
}

absl::Status CheckNonNegative(double v, absl::string_view field) {
  if (!std::isfinite(v)) return Bad(field, "must be a finite number");
  if (v < 0) return Bad(field, "must be >= 0");
  return absl::OkStatus();
}

absl::Status ValidatePayload(const abm::v1::Event& e) {
  using E = abm::v1::Event;
  switch (e.payload_case()) {
    case E::kAccount: {
      const auto& p = e.account();
      if (p.tier() < 0 || p.tier() > 3) {
        return Bad("account.tier", "must be in 0..3");
      }
      if (auto s = CheckMaxLen(p.name(), "account.name", kNameMax); !s.ok())
        return s;
      if (auto s = CheckMaxLen(p.segment(), "account.segment", kNameMax);
          !s.ok())
        return s;
      return CheckMaxLen(p.region(), "account.region", kNameMax);
    }
    case E::kContact: {
      const auto& p = e.contact();
      if (p.role() == abm::v1::ROLE_UNSPECIFIED ||
          !abm::v1::Role_IsValid(p.role()))
        return Bad("contact.role",
                   "must be a known role, not ROLE_UNSPECIFIED");
      return CheckMaxLen(p.title(), "contact.title", kFreeTextMax);
    }
    case E::kEngagement: {
      const auto& p = e.engagement();
      if (p.type() == abm::v1::ENGAGEMENT_TYPE_UNSPECIFIED ||
          !abm::v1::EngagementType_IsValid(p.type()))
        return Bad("engagement.type",
                   "must be a known type, not ENGAGEMENT_TYPE_UNSPECIFIED");
      return CheckNonNegative(p.duration_seconds(),
                              "engagement.duration_seconds");
    }
    case E::kContent: {
      const auto& p = e.content();
      if (auto s = CheckId(p.content_id(), "content.content_id", true); !s.ok())
        return s;
      if (p.action() == abm::v1::CONTENT_ACTION_UNSPECIFIED ||
          !abm::v1::ContentAction_IsValid(p.action()))
        return Bad("content.action",
                   "must be a known action, not CONTENT_ACTION_UNSPECIFIED");
      if (auto s = CheckNonNegative(p.seconds(), "content.seconds"); !s.ok())
        return s;
      if (p.has_completion() && !(std::isfinite(p.completion()) &&
                                  p.completion() >= 0 && p.completion() <= 1))
        return Bad("content.completion", "must be in [0, 1]");
      return absl::OkStatus();
    }
    case E::kOpportunity: {
      const auto& p = e.opportunity();
      if (auto s =
              CheckId(p.opportunity_id(), "opportunity.opportunity_id", true);
          !s.ok())
        return s;
      const sdk::Pipeline* pipeline =
          abm::v1::OpportunityKind_IsValid(p.kind())
              ? sdk::PipelineFor(static_cast<sdk::OpportunityKind>(p.kind()))
              : nullptr;
      if (pipeline == nullptr)
        return Bad("opportunity.kind",
                   "must be a known kind, not OPPORTUNITY_KIND_UNSPECIFIED");
      if (std::string_view(p.stage()) != sdk::kLostStage &&
          pipeline->StageIndex(p.stage()) < 0)
        return Bad("opportunity.stage",
                   absl::StrCat("'", p.stage(), "' is not a stage of ",
                                std::string(pipeline->name), " (",
                                pipeline->StageList(), ", or lost)"));
      if (p.has_amount())
        return CheckNonNegative(p.amount(), "opportunity.amount");
      return absl::OkStatus();
    }
    case E::kRevenue:
      return CheckNonNegative(e.revenue().amount(), "revenue.amount");
    case E::kLifecycle:
      if (e.lifecycle().status() == abm::v1::LIFECYCLE_STATUS_UNSPECIFIED ||
          !abm::v1::LifecycleStatus_IsValid(e.lifecycle().status()))
        return Bad("lifecycle.status",
                   "must be a known status, not LIFECYCLE_STATUS_UNSPECIFIED");
      return absl::OkStatus();
    case E::kCost:
      return CheckNonNegative(e.cost().amount(), "cost.amount");
    case E::kNps:
      if (e.nps().score() < 0 || e.nps().score() > 10)
        return Bad("nps.score", "must be an integer in 0..10");
      return CheckMaxLen(e.nps().comment(), "nps.comment", kFreeTextMax);
    case E::kSurvey: {
      const auto& p = e.survey();
      if (auto s = CheckMaxLen(p.survey_id(), "survey.survey_id", kFreeTextMax);
          !s.ok())
        return s;
      if (auto s = CheckId(p.question_id(), "survey.question_id", true);
          !s.ok())
        return s;
      if (p.rating() < 1 || p.rating() > 5)
        return Bad("survey.rating", "must be an integer in 1..5");
      return CheckMaxLen(p.comment(), "survey.comment", kFreeTextMax);
    }
    case E::kSocial: {
      const auto& p = e.social();
      if (!std::isfinite(p.sentiment()) || p.sentiment() < -1 ||
          p.sentiment() > 1)
        return Bad("social.sentiment", "must be a finite number in [-1, 1]");
      if (auto s = CheckMaxLen(p.platform(), "social.platform", kPlatformMax);
          !s.ok())
        return s;
      return CheckMaxLen(p.text(), "social.text", kFreeTextMax);
    }
    case E::PAYLOAD_NOT_SET:
      break;
  }
  return Bad("payload", "exactly one payload kind is required");
}

}  // namespace

absl::Status ValidateEvent(const abm::v1::Event& e) {
  if (auto s = CheckId(e.event_id(), "event_id", true); !s.ok()) return s;
  if (HasControlChar(e.event_id()))
    return Bad("event_id", "must not contain control characters");

  if (!e.has_occurred_at()) return Bad("occurred_at", "is required");
  const auto& ts = e.occurred_at();
  if (ts.nanos() < 0 || ts.nanos() > 999999999)
    return Bad("occurred_at", "nanos must be in 0..999999999");
  if (ts.seconds() < 0 || ts.seconds() >= kMaxSeconds)
    return Bad("occurred_at",
               "must be in [1970-01-01T00:00:00Z, 2100-01-01T00:00:00Z)");

  const bool account_optional = e.payload_case() == abm::v1::Event::kCost ||
                                e.payload_case() == abm::v1::Event::kSocial;
  if (auto s = CheckId(e.account_id(), "account_id", !account_optional);
      !s.ok())
    return s;
  if (auto s = CheckId(e.contact_id(), "contact_id",
                       e.payload_case() == abm::v1::Event::kContact);
      !s.ok())
    return s;
  if (auto s = CheckId(e.campaign_id(), "campaign_id",
                       e.payload_case() == abm::v1::Event::kCost);
      !s.ok())
    return s;
  return ValidatePayload(e);
}

}  // namespace abm::server
