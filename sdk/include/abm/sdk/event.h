// Events as plugins see them: plain views over the host's decoded events.
//
// An Event is valid only during the Plugin::Apply call that delivers it: the
// string_views point into host memory. Copy what you keep. Only the payload
// member that matches `kind` carries data. Enum values equal the wire values
// of proto/abm/v1/event.proto. Times are nanoseconds since the Unix epoch.
#ifndef ABM_SDK_EVENT_H_
#define ABM_SDK_EVENT_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace abm::sdk {

using Nanos = int64_t;
constexpr Nanos kNanosPerSecond = 1000000000;
constexpr Nanos kNanosPerDay = 86400 * kNanosPerSecond;
constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();

// Days as a real number (SPEC: days = seconds / 86400).
inline double ToDays(Nanos d) {
  return static_cast<double>(d) / static_cast<double>(kNanosPerDay);
}

enum class EventKind : uint8_t {
  kAccount = 0,
  kContact,
  kEngagement,
  kContent,
  kOpportunity,
  kRevenue,
  kLifecycle,
  kCost,
  kNps,
  kSurvey,
  kSocial,
};
constexpr int kEventKindCount = 11;
constexpr uint32_t KindBit(EventKind k) {
  return 1u << static_cast<uint32_t>(k);
}
constexpr uint32_t kAllKinds = (1u << kEventKindCount) - 1;

enum class Role : uint8_t {
  kUnspecified = 0,
  kDecisionMaker = 1,
  kInfluencer = 2,
  kOther = 3
};

enum class EngagementType : uint8_t {
  kUnspecified = 0,
  kEmailDelivered = 1,
  kEmailOpen = 2,
  kEmailClick = 3,
  kAdImpression = 4,
  kAdClick = 5,
  kWebVisit = 6,
  kEventAttended = 7,
  kMeeting = 8,
  kFormSubmit = 9,
};

// SPEC "Engagement classes": reach types are not interactions.
inline bool IsReach(EngagementType t) {
  return t == EngagementType::kEmailDelivered ||
         t == EngagementType::kAdImpression;
}

enum class ContentAction : uint8_t {
  kUnspecified = 0,
  kView = 1,
  kDownload = 2,
  kShare = 3
};

enum class OpportunityKind : uint8_t {
  kUnspecified = 0,
  kEnrollment = 1,
  kPartnership = 2
};

enum class LifecycleStatus : uint8_t {
  kUnspecified = 0,
  kActive = 1,
  kChurned = 2
};

struct AccountPayload {
  std::string_view name, segment, region;
  int32_t tier = 0;
  bool target = false;
};
struct ContactPayload {
  Role role = Role::kUnspecified;
  std::string_view title;
};
struct EngagementPayload {
  EngagementType type = EngagementType::kUnspecified;
  double duration_seconds = 0;
};
struct ContentPayload {
  std::string_view content_id;
  ContentAction action = ContentAction::kUnspecified;
  double seconds = 0;
  bool has_completion = false;
  double completion = 0;
};
struct OpportunityPayload {
  std::string_view opportunity_id;
  OpportunityKind kind = OpportunityKind::kUnspecified;
  std::string_view stage;
  bool has_amount = false;
  double amount = 0;
};
struct NpsPayload {
  int32_t score = 0;
  std::string_view comment;
};
struct SurveyPayload {
  std::string_view survey_id, question_id;
  int32_t rating = 0;
  std::string_view comment;
};
struct SocialPayload {
  std::string_view platform;
  double sentiment = 0;
  std::string_view text;
};

struct Event {
  uint64_t seq = 0;  // position in the log: the "log order" of SPEC
  Nanos occurred_at = 0;
  EventKind kind = EventKind::kAccount;
  std::string_view event_id, account_id, contact_id, campaign_id;
  uint32_t account = kNoIndex;  // Directory index; kNoIndex when empty
  uint32_t contact = kNoIndex;  // Directory index; kNoIndex when empty

  AccountPayload account_profile;                             // kAccount
  ContactPayload contact_profile;                             // kContact
  EngagementPayload engagement;                               // kEngagement
  ContentPayload content;                                     // kContent
  OpportunityPayload opportunity;                             // kOpportunity
  double amount = 0;                                          // kRevenue, kCost
  LifecycleStatus lifecycle = LifecycleStatus::kUnspecified;  // kLifecycle
  NpsPayload nps;                                             // kNps
  SurveyPayload survey;                                       // kSurvey
  SocialPayload social;                                       // kSocial

  // SPEC: a touch is any engagement or content event.
  bool is_touch() const {
    return kind == EventKind::kEngagement || kind == EventKind::kContent;
  }
  // SPEC: interactions are non-reach engagements and every content event.
  bool is_interaction() const {
    return kind == EventKind::kContent ||
           (kind == EventKind::kEngagement && !IsReach(engagement.type));
  }
};

// A run of events in log order (ascending seq), already filtered to the
// kinds the plugin consumes. Iterates as `for (const Event& e : batch)`.
class EventBatch {
 public:
  EventBatch(const Event* const* events, size_t size)
      : events_(events), size_(size) {}

  class Iterator {
   public:
    explicit Iterator(const Event* const* p) : p_(p) {}
    const Event& operator*() const { return **p_; }
    const Event* operator->() const { return *p_; }
    Iterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return p_ != o.p_; }
    bool operator==(const Iterator& o) const { return p_ == o.p_; }

   private:
    const Event* const* p_;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Event& operator[](size_t i) const { return *events_[i]; }
  Iterator begin() const { return Iterator(events_); }
  Iterator end() const { return Iterator(events_ + size_); }

 private:
  const Event* const* events_;
  size_t size_;
};

}  // namespace abm::sdk

#endif  // ABM_SDK_EVENT_H_
