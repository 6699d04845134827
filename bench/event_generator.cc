#include "bench/event_generator.h"

#include <algorithm>
#include <cmath>

namespace abm::bench {
namespace {

const char* const kSegments[] = {"k12", "district", "higher-ed",
                                 "community-college", "corporate-partner"};
const char* const kRegions[] = {"north", "south", "east", "west",
                                "international"};
const char* const kPlatforms[] = {"linkedin", "x", "facebook", "instagram",
                                  "reddit"};
const char* const kContents[] = {
    "viewbook",          "campus-tour-video", "financial-aid-guide",
    "program-brochure",  "counselor-toolkit", "dual-enrollment-faq",
    "partnership-deck",  "outcomes-report",   "webinar-recording",
    "scholarship-guide", "stem-pathways",     "transfer-guide"};
const char* const kEnrollment[] = {"inquiry", "application", "admitted",
                                   "enrolled"};
const char* const kPartnership[] = {"prospect", "qualified", "proposal",
                                    "negotiation", "signed"};

}  // namespace

EventGenerator::EventGenerator(const GeneratorOptions& options)
    : options_(options), rng_(options.seed) {}

uint32_t EventGenerator::Pick(uint32_t n) {
  return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_);
}

double EventGenerator::Uniform() {
  return std::uniform_real_distribution<double>(0, 1)(rng_);
}

int64_t EventGenerator::NextTime() {
  const double progress =
      static_cast<double>(produced_) / static_cast<double>(options_.events);
  const int64_t span = static_cast<int64_t>(options_.span_days) * 86400;
  int64_t t = options_.start_seconds + static_cast<int64_t>(progress * span);
  t +=
      static_cast<int64_t>(Pick(6 * 3600)) - 3 * 3600;  // out of order a little
  return std::max<int64_t>(options_.start_seconds, t);
}

std::string EventGenerator::Account() {
  // Skewed: a minority of accounts draws most of the activity.
  const double u = Uniform();
  return "acct-" + std::to_string(static_cast<int>(options_.accounts * u * u));
}

bool EventGenerator::Next(abm::v1::Event* e) {
  if (produced_ >= options_.events) return false;
  if (!recent_.empty() && Uniform() < options_.duplicate_rate) {
    *e = recent_[Pick(static_cast<uint32_t>(recent_.size()))];
  } else {
    e->Clear();
    Fill(e);
    if (recent_.size() < 4096)
      recent_.push_back(*e);
    else
      recent_[Pick(4096)] = *e;
  }
  ++produced_;
  return true;
}

void EventGenerator::Fill(abm::v1::Event* e) {
  e->set_event_id("ev-" + std::to_string(options_.seed) + "-" +
                  std::to_string(next_id_++));
  e->mutable_occurred_at()->set_seconds(NextTime());
  e->mutable_occurred_at()->set_nanos(static_cast<int32_t>(Pick(1000)) *
                                      1000000);
  const std::string account = Account();
  const std::string campaign =
      Pick(3) == 0 ? ""
                   : "campaign-" + std::to_string(Pick(options_.campaigns));
  const uint32_t roll = Pick(1000);
  if (roll < 30) {  // account profile (re-stated now and then)
    e->set_account_id(account);
    const uint32_t h = static_cast<uint32_t>(std::hash<std::string>()(account));
    auto* p = e->mutable_account();
    p->set_name("Institution " + account.substr(5));
    p->set_segment(kSegments[h % 5]);
    p->set_region(kRegions[(h / 5) % 5]);
    p->set_tier(static_cast<int32_t>((h / 25) % 4));
    p->set_target((h / 100) % 10 < 3 || Pick(20) == 0);
  } else if (roll < 60) {  // contact profile
    e->set_account_id(account);
    e->set_contact_id(account + "-c" + std::to_string(Pick(6)));
    auto* c = e->mutable_contact();
    c->set_role(static_cast<abm::v1::Role>(1 + Pick(3)));
    c->set_title(Pick(2) ? "Counselor" : "Director of Admissions");
  } else if (roll < 600) {  // engagement
    e->set_account_id(account);
    e->set_campaign_id(campaign);
    if (Pick(2)) e->set_contact_id(account + "-c" + std::to_string(Pick(6)));
    static const abm::v1::EngagementType kMix[] = {
        abm::v1::ENGAGEMENT_TYPE_EMAIL_DELIVERED,
        abm::v1::ENGAGEMENT_TYPE_EMAIL_DELIVERED,
        abm::v1::ENGAGEMENT_TYPE_EMAIL_DELIVERED,
        abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN,
        abm::v1::ENGAGEMENT_TYPE_EMAIL_OPEN,
        abm::v1::ENGAGEMENT_TYPE_EMAIL_CLICK,
        abm::v1::ENGAGEMENT_TYPE_AD_IMPRESSION,
        abm::v1::ENGAGEMENT_TYPE_AD_IMPRESSION,
        abm::v1::ENGAGEMENT_TYPE_AD_CLICK,
        abm::v1::ENGAGEMENT_TYPE_WEB_VISIT,
        abm::v1::ENGAGEMENT_TYPE_WEB_VISIT,
        abm::v1::ENGAGEMENT_TYPE_EVENT_ATTENDED,
        abm::v1::ENGAGEMENT_TYPE_MEETING,
        abm::v1::ENGAGEMENT_TYPE_FORM_SUBMIT};
    const auto type = kMix[Pick(14)];
    e->mutable_engagement()->set_type(type);
    if (type == abm::v1::ENGAGEMENT_TYPE_WEB_VISIT)
      e->mutable_engagement()->set_duration_seconds(5 + Pick(600));
  } else if (roll < 780) {  // content
    e->set_account_id(account);
    e->set_campaign_id(campaign);
    if (Pick(2)) e->set_contact_id(account + "-c" + std::to_string(Pick(6)));
    auto* c = e->mutable_content();
    c->set_content_id(kContents[Pick(12)]);
    const uint32_t a = Pick(10);
    c->set_action(a < 7   ? abm::v1::CONTENT_ACTION_VIEW
                  : a < 9 ? abm::v1::CONTENT_ACTION_DOWNLOAD
                          : abm::v1::CONTENT_ACTION_SHARE);
    c->set_seconds(Pick(900));
    if (Pick(3)) c->set_completion(Pick(101) / 100.0);
  } else if (roll < 860) {  // opportunity
    FillOpportunity(e);
  } else if (roll < 880) {  // revenue
    e->set_account_id(account);
    e->mutable_revenue()->set_amount(500 + Pick(20000));
  } else if (roll < 895) {  // lifecycle: mostly active, some churn
    e->set_account_id(account);
    e->mutable_lifecycle()->set_status(Pick(4) == 0
                                           ? abm::v1::LIFECYCLE_STATUS_CHURNED
                                           : abm::v1::LIFECYCLE_STATUS_ACTIVE);
  } else if (roll < 905) {  // cost
    e->set_campaign_id("campaign-" + std::to_string(Pick(options_.campaigns)));
    e->mutable_cost()->set_amount(100 + Pick(5000));
  } else if (roll < 925) {  // nps
    e->set_account_id(account);
    static const int kScores[] = {10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3, 0};
    e->mutable_nps()->set_score(kScores[Pick(12)]);
  } else if (roll < 955) {  // survey
    e->set_account_id(account);
    auto* s = e->mutable_survey();
    s->set_survey_id("visit-day-" + std::to_string(Pick(4)));
    s->set_question_id("q" + std::to_string(1 + Pick(8)));
    s->set_rating(
        1 + static_cast<int32_t>(std::min<uint32_t>(4, Pick(3) + Pick(3))));
  } else {  // social
    if (Pick(3) == 0) e->set_account_id(account);
    auto* s = e->mutable_social();
    s->set_platform(kPlatforms[Pick(5)]);
    s->set_sentiment(std::clamp(Uniform() * 1.6 - 0.5, -1.0, 1.0));
  }
}

void EventGenerator::FillOpportunity(abm::v1::Event* e) {
  auto* o = e->mutable_opportunity();
  size_t index;
  if (open_.empty() || Pick(10) < 4) {  // a new opportunity
    OpenOpportunity opp;
    opp.id = "opp-" + std::to_string(options_.seed) + "-" +
             std::to_string(next_opportunity_++);
    opp.account = Account();
    opp.kind = Pick(4) ? abm::v1::OPPORTUNITY_KIND_ENROLLMENT
                       : abm::v1::OPPORTUNITY_KIND_PARTNERSHIP;
    opp.stage = Pick(5) == 0 ? 1 : 0;  // some skip the first stage
    open_.push_back(opp);
    index = open_.size() - 1;
    o->set_amount(opp.kind == abm::v1::OPPORTUNITY_KIND_ENROLLMENT
                      ? 5000 + Pick(30000)
                      : 20000 + Pick(200000));
  } else {  // an open one moves on, sometimes skipping a stage
    index = Pick(static_cast<uint32_t>(open_.size()));
    open_[index].stage += Pick(8) == 0 ? 2 : 1;
    if (Pick(10) == 0) o->set_amount(1000 + Pick(100000));
  }
  const OpenOpportunity cur = open_[index];
  const bool enrollment = cur.kind == abm::v1::OPPORTUNITY_KIND_ENROLLMENT;
  const int stages = enrollment ? 4 : 5;
  const int stage = std::min(cur.stage, stages - 1);
  const bool lost = Pick(7) == 0;
  e->set_account_id(cur.account);
  o->set_opportunity_id(cur.id);
  o->set_kind(cur.kind);
  o->set_stage(lost         ? "lost"
               : enrollment ? kEnrollment[stage]
                            : kPartnership[stage]);
  if (lost || stage == stages - 1) {  // closed: leaves the open pool
    open_[index] = open_.back();
    open_.pop_back();
  }
}

}  // namespace abm::bench
