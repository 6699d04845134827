#include "tests/support/metric_harness.h"

#include <cmath>
#include <sstream>

#include "server/ingest/validator.h"
#include "tests/support/events.h"

namespace abm::testing {

int64_t Nanos(const std::string& time) {
  const std::string full = time.size() == 10 ? time + "T00:00:00Z" : time;
  const google::protobuf::Timestamp t = Ts(full);
  return t.seconds() * 1000000000LL + t.nanos();
}

namespace {

abm::v1::Event Base(const std::string& time, const std::string& account) {
  abm::v1::Event e;
  const int64_t n = Nanos(time);
  e.mutable_occurred_at()->set_seconds(n / 1000000000LL);
  e.mutable_occurred_at()->set_nanos(static_cast<int32_t>(n % 1000000000LL));
  e.set_account_id(account);
  return e;
}

}  // namespace

abm::v1::Event Profile(const std::string& time, const std::string& account,
                       const std::string& segment, const std::string& region,
                       int tier, bool target) {
  auto e = Base(time, account);
  auto* p = e.mutable_account();
  p->set_segment(segment);
  p->set_region(region);
  p->set_tier(tier);
  p->set_target(target);
  return e;
}

abm::v1::Event ContactRole(const std::string& time, const std::string& account,
                           const std::string& contact, abm::v1::Role role) {
  auto e = Base(time, account);
  e.set_contact_id(contact);
  e.mutable_contact()->set_role(role);
  return e;
}

abm::v1::Event Engage(const std::string& time, const std::string& account,
                      abm::v1::EngagementType type, const std::string& campaign,
                      const std::string& contact, double duration) {
  auto e = Base(time, account);
  e.set_campaign_id(campaign);
  e.set_contact_id(contact);
  e.mutable_engagement()->set_type(type);
  e.mutable_engagement()->set_duration_seconds(duration);
  return e;
}

abm::v1::Event Content(const std::string& time, const std::string& account,
                       const std::string& content_id,
                       abm::v1::ContentAction action, double seconds,
                       std::optional<double> completion,
                       const std::string& campaign,
                       const std::string& contact) {
  auto e = Base(time, account);
  e.set_campaign_id(campaign);
  e.set_contact_id(contact);
  auto* c = e.mutable_content();
  c->set_content_id(content_id);
  c->set_action(action);
  c->set_seconds(seconds);
  if (completion) c->set_completion(*completion);
  return e;
}

abm::v1::Event Opp(const std::string& time, const std::string& account,
                   const std::string& opportunity_id,
                   abm::v1::OpportunityKind kind, const std::string& stage,
                   std::optional<double> amount) {
  auto e = Base(time, account);
  auto* o = e.mutable_opportunity();
  o->set_opportunity_id(opportunity_id);
  o->set_kind(kind);
  o->set_stage(stage);
  if (amount) o->set_amount(*amount);
  return e;
}

abm::v1::Event Revenue(const std::string& time, const std::string& account,
                       double amount) {
  auto e = Base(time, account);
  e.mutable_revenue()->set_amount(amount);
  return e;
}

abm::v1::Event Lifecycle(const std::string& time, const std::string& account,
                         abm::v1::LifecycleStatus status) {
  auto e = Base(time, account);
  e.mutable_lifecycle()->set_status(status);
  return e;
}

abm::v1::Event Cost(const std::string& time, const std::string& campaign,
                    double amount, const std::string& account) {
  auto e = Base(time, account);
  e.set_campaign_id(campaign);
  e.mutable_cost()->set_amount(amount);
  return e;
}

abm::v1::Event Nps(const std::string& time, const std::string& account,
                   int score) {
  auto e = Base(time, account);
  e.mutable_nps()->set_score(score);
  return e;
}

abm::v1::Event Survey(const std::string& time, const std::string& account,
                      const std::string& question, int rating) {
  auto e = Base(time, account);
  e.mutable_survey()->set_question_id(question);
  e.mutable_survey()->set_rating(rating);
  return e;
}

abm::v1::Event Social(const std::string& time, const std::string& platform,
                      double sentiment, const std::string& account) {
  auto e = Base(time, account);
  e.mutable_social()->set_platform(platform);
  e.mutable_social()->set_sentiment(sentiment);
  return e;
}

abm::v1::Event WithId(abm::v1::Event e, const std::string& id) {
  e.set_event_id(id);
  return e;
}

MetricQuery March(const std::string& metric, const std::string& scope) {
  MetricQuery q;
  q.metric = metric;
  q.from = "2026-03-01";
  q.to = "2026-04-01";
  q.scope = scope;
  return q;
}

MetricHarness::MetricHarness(const std::string& data_dir, bool load_at_start) {
  if (data_dir.empty()) {
    temp_ = std::make_unique<TempDir>();
    data_dir_ = temp_->path();
  } else {
    data_dir_ = data_dir;
  }
  log_ = std::move(abm::server::SqliteEventLog::Open(data_dir_ + "/events.db"))
             .value();
  loader_ =
      std::move(abm::server::PluginLoader::Create(BuiltinPluginDir())).value();
  host_ = std::make_unique<abm::server::PluginHost>(log_.get(), loader_.get());
  if (load_at_start) EXPECT_TRUE(host_->LoadAtStartup({}).ok());
  next_id_ = static_cast<int64_t>(
      abm::server::ReplayLog(log_.get(), host_.get(), &dedup_).value());
  committer_ = std::make_unique<abm::server::Committer>(log_.get(), host_.get(),
                                                        &dedup_);
}

MetricHarness::~MetricHarness() = default;

void MetricHarness::Ingest(std::vector<abm::v1::Event> events) {
  std::vector<const abm::v1::Event*> ptrs;
  for (auto& e : events) {
    if (e.event_id().empty())
      e.set_event_id("ev-" + std::to_string(next_id_++));
    absl::Status valid = abm::server::ValidateEvent(e);
    EXPECT_TRUE(valid.ok()) << valid << " " << e.ShortDebugString();
    ptrs.push_back(&e);
  }
  auto outcome = committer_->Submit(ptrs).get();
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
}

void MetricHarness::LoadAll() {
  for (const std::string& name : loader_->Available()) {
    auto loaded = host_->Load(name);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
  }
}

std::vector<abm::sdk::MetricSpec> MetricHarness::Metrics() const {
  std::vector<abm::sdk::MetricSpec> out;
  for (const auto& m : host_->ListMetrics()) out.push_back(m.spec);
  return out;
}

absl::StatusOr<Rows> MetricHarness::TryRun(const MetricQuery& q) {
  abm::server::QueryInput in;
  in.metric = q.metric;
  in.from = Nanos(q.from);
  in.to = Nanos(q.to);
  in.scope = q.scope;
  in.group_by = q.group_by;
  in.params = q.params;
  if (q.interval_seconds) in.interval = *q.interval_seconds * 1000000000LL;
  abm::server::QueryEngine engine(host_.get());
  return engine.Run(in);
}

Rows MetricHarness::Run(const MetricQuery& q) {
  auto rows = TryRun(q);
  EXPECT_TRUE(rows.ok()) << q.metric << ": " << rows.status();
  return rows.ok() ? *rows : Rows{};
}

const abm::sdk::Row* FindRow(const Rows& rows, const abm::sdk::Labels& labels,
                             std::optional<int64_t> bucket_start) {
  for (const auto& r : rows)
    if (r.row.labels == labels && r.bucket_start == bucket_start) return &r.row;
  return nullptr;
}

std::string Describe(const Rows& rows) {
  std::ostringstream out;
  for (const auto& r : rows) {
    out << "  {";
    for (const auto& [k, v] : r.row.labels) out << k << "=" << v << " ";
    out << "}";
    if (r.bucket_start) out << " @" << *r.bucket_start;
    out << " value=";
    if (r.row.value)
      out << *r.row.value;
    else
      out << "absent";
    out << " count=" << r.row.count << "\n";
  }
  return out.str();
}

::testing::AssertionResult HasRow(const Rows& rows,
                                  const abm::sdk::Labels& labels,
                                  std::optional<double> value, int64_t count,
                                  std::optional<int64_t> bucket_start) {
  const abm::sdk::Row* r = FindRow(rows, labels, bucket_start);
  if (r == nullptr)
    return ::testing::AssertionFailure() << "no such row; rows:\n"
                                         << Describe(rows);
  if (r->count != count)
    return ::testing::AssertionFailure()
           << "count " << r->count << " != " << count << "; rows:\n"
           << Describe(rows);
  if (value.has_value() != r->value.has_value())
    return ::testing::AssertionFailure()
           << "value " << (r->value ? "present" : "absent") << ", expected "
           << (value ? std::to_string(*value) : "absent") << "; rows:\n"
           << Describe(rows);
  if (value &&
      std::fabs(*value - *r->value) > 1e-9 * std::max(1.0, std::fabs(*value)))
    return ::testing::AssertionFailure()
           << "value " << *r->value << " != " << *value << "; rows:\n"
           << Describe(rows);
  return ::testing::AssertionSuccess();
}

}  // namespace abm::testing
