#include "server/state/event_views.h"

namespace abm::server {
namespace {

std::string_view View(const std::string& s) { return std::string_view(s); }

void FillPayload(const abm::v1::Event& e, sdk::Event* v) {
  using E = abm::v1::Event;
  switch (e.payload_case()) {
    case E::kAccount:
      v->kind = sdk::EventKind::kAccount;
      v->account_profile = {
          View(e.account().name()), View(e.account().segment()),
          View(e.account().region()), e.account().tier(), e.account().target()};
      break;
    case E::kContact:
      v->kind = sdk::EventKind::kContact;
      v->contact_profile = {static_cast<sdk::Role>(e.contact().role()),
                            View(e.contact().title())};
      break;
    case E::kEngagement:
      v->kind = sdk::EventKind::kEngagement;
      v->engagement = {static_cast<sdk::EngagementType>(e.engagement().type()),
                       e.engagement().duration_seconds()};
      break;
    case E::kContent: {
      const auto& c = e.content();
      v->kind = sdk::EventKind::kContent;
      v->content = {View(c.content_id()),
                    static_cast<sdk::ContentAction>(c.action()), c.seconds(),
                    c.has_completion(), c.completion()};
      break;
    }
    case E::kOpportunity: {
      const auto& o = e.opportunity();
      v->kind = sdk::EventKind::kOpportunity;
      v->opportunity = {View(o.opportunity_id()),
                        static_cast<sdk::OpportunityKind>(o.kind()),
                        View(o.stage()), o.has_amount(), o.amount()};
      break;
    }
    case E::kRevenue:
      v->kind = sdk::EventKind::kRevenue;
      v->amount = e.revenue().amount();
      break;
    case E::kLifecycle:
      v->kind = sdk::EventKind::kLifecycle;
      v->lifecycle = static_cast<sdk::LifecycleStatus>(e.lifecycle().status());
      break;
    case E::kCost:
      v->kind = sdk::EventKind::kCost;
      v->amount = e.cost().amount();
      break;
    case E::kNps:
      v->kind = sdk::EventKind::kNps;
      v->nps = {e.nps().score(), View(e.nps().comment())};
      break;
    case E::kSurvey: {
      const auto& s = e.survey();
      v->kind = sdk::EventKind::kSurvey;
      v->survey = {View(s.survey_id()), View(s.question_id()), s.rating(),
                   View(s.comment())};
      break;
    }
    case E::kSocial:
      v->kind = sdk::EventKind::kSocial;
      v->social = {View(e.social().platform()), e.social().sentiment(),
                   View(e.social().text())};
      break;
    case E::PAYLOAD_NOT_SET:
      break;  // never stored: validation rejects it
  }
}

template <typename Resolve>
void Convert(const std::vector<const abm::v1::Event*>& events,
             uint64_t first_seq, Resolve resolve,
             std::vector<sdk::Event>* out) {
  out->clear();
  out->resize(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const abm::v1::Event& e = *events[i];
    sdk::Event& v = (*out)[i];
    v.seq = first_seq + i;
    v.occurred_at = ToNanos(e.occurred_at());
    v.event_id = View(e.event_id());
    v.account_id = View(e.account_id());
    v.contact_id = View(e.contact_id());
    v.campaign_id = View(e.campaign_id());
    resolve(e, &v);
    FillPayload(e, &v);
  }
}

}  // namespace

void BuildViews(const std::vector<const abm::v1::Event*>& events,
                uint64_t first_seq, Directory* directory,
                std::vector<sdk::Event>* out) {
  Convert(
      events, first_seq,
      [directory](const abm::v1::Event& e, sdk::Event* v) {
        if (!e.account_id().empty())
          v->account = directory->InternAccount(e.account_id());
        if (!e.contact_id().empty())
          v->contact = directory->InternContact(e.contact_id());
      },
      out);
}

void ResolveViews(const std::vector<const abm::v1::Event*>& events,
                  uint64_t first_seq, const Directory& directory,
                  std::vector<sdk::Event>* out) {
  Convert(
      events, first_seq,
      [&directory](const abm::v1::Event& e, sdk::Event* v) {
        if (!e.account_id().empty())
          v->account = directory.find_account(e.account_id());
        if (!e.contact_id().empty())
          v->contact = directory.FindContact(e.contact_id());
      },
      out);
}

}  // namespace abm::server
