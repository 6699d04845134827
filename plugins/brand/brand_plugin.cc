// brand: nps, social_sentiment, survey_score (SPEC 4).
//
// State: nps scores and survey ratings per account, social mentions per
// platform, each in time order. Social mentions are never filtered by scope
// and group only by platform.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "abm/sdk/sdk.h"
#include "plugins/common/account_groups.h"
#include "plugins/common/group_table.h"
#include "plugins/common/interner.h"
#include "plugins/common/ordered_series.h"
#include "plugins/common/per_account.h"
#include "plugins/common/rows.h"
#include "plugins/common/stats.h"

namespace abm::plugins {
namespace {

// Per-block summaries (see OrderedSeries).
struct NpsTally {
  int64_t n = 0, promoters = 0, detractors = 0;
  void Add(int32_t score) {
    ++n;
    promoters += score >= 9;
    detractors += score <= 6;
  }
  void Merge(const NpsTally& o) {
    n += o.n;
    promoters += o.promoters;
    detractors += o.detractors;
  }
};

struct SentimentTally {
  double sum = 0;
  int64_t n = 0, positive = 0, negative = 0;
  void Add(double sentiment) {
    sum += sentiment;
    ++n;
    positive += sentiment >= 0.05;
    negative += sentiment <= -0.05;
  }
  void Merge(const SentimentTally& o) {
    sum += o.sum;
    n += o.n;
    positive += o.positive;
    negative += o.negative;
  }
};

struct SurveyItem {
  uint32_t question;
  int32_t rating;
};

struct AccountState {
  OrderedSeries<int32_t, NpsTally> nps;
  OrderedSeries<SurveyItem> surveys;
};

class BrandPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo Describe() const override {
    sdk::PluginInfo info;
    info.name = "brand";
    info.version = "1.0.0";
    info.consumes = sdk::KindBit(sdk::EventKind::kNps) |
                    sdk::KindBit(sdk::EventKind::kSurvey) |
                    sdk::KindBit(sdk::EventKind::kSocial);
    info.metrics = {
        {"nps",
         "Net promoter score: 100 x (promoters (9-10) - detractors (0-6)) / "
         "responses in the window",
         "score",
         {},
         Dimensions()},
        {"social_sentiment",
         "Mean sentiment of the social mentions in the window and the shares "
         "of positive (>= 0.05), neutral and negative (<= -0.05) ones",
         "sentiment",
         {},
         {"platform"}},
        {"survey_score",
         "Mean rating (1-5) per survey question in the window",
         "rating",
         {},
         Dimensions()},
    };
    return info;
  }

  void Apply(const sdk::EventBatch& events, const sdk::Directory&) override {
    for (const sdk::Event& e : events) {
      if (e.kind == sdk::EventKind::kSocial) {
        const uint32_t p = platforms_.Intern(e.social.platform);
        if (p >= social_.size()) social_.resize(p + 1);
        social_[p].Insert(e.occurred_at, e.social.sentiment);
        continue;
      }
      if (e.account == sdk::kNoIndex) continue;
      AccountState& a = accounts_.at(e.account);
      if (e.kind == sdk::EventKind::kNps)
        a.nps.Insert(e.occurred_at, e.nps.score);
      else if (e.kind == sdk::EventKind::kSurvey)
        a.surveys.Insert(
            e.occurred_at,
            {questions_.Intern(e.survey.question_id), e.survey.rating});
    }
  }

  sdk::Status Query(const sdk::Query& q, const sdk::Directory& dir,
                    std::vector<sdk::Row>* rows) const override {
    if (q.metric == "social_sentiment") return Social(q, rows);
    AccountGroups groups(q, dir);
    if (q.metric == "nps") return Nps(q, groups, rows);
    if (q.metric == "survey_score") return Surveys(q, groups, rows);
    return sdk::Status::InvalidArgument("unknown metric " + q.metric);
  }

 private:
  sdk::Status Nps(const sdk::Query& q, const AccountGroups& groups,
                  std::vector<sdk::Row>* rows) const {
    GroupTable<NpsTally> tallies(groups.group_count(), 1);
    if (q.group_by.empty()) tallies.at(0, 0);
    for (uint32_t a : groups.accounts()) {
      const AccountState* s = accounts_.find(a);
      if (!s) continue;
      const int g = groups.group(a);
      if (!s->nps.AnyIn(q.from, q.to)) continue;  // no responses: no group
      NpsTally& t = tallies.at(g, 0);
      s->nps.ForEachSummarized(
          q.from, q.to, [&](const NpsTally& block) { t.Merge(block); },
          [&](sdk::Nanos, int32_t score) { t.Add(score); });
    }
    tallies.ForEach([&](int g, uint32_t, const NpsTally& t) {
      rows->push_back(
          {groups.labels(g),
           Ratio(100.0 * static_cast<double>(t.promoters - t.detractors),
                 static_cast<double>(t.n)),
           t.n});
    });
    return sdk::Status::Ok();
  }

  sdk::Status Social(const sdk::Query& q, std::vector<sdk::Row>* rows) const {
    const bool by_platform = GroupsBy(q, "platform");
    std::map<std::string, SentimentTally> tallies;
    if (!by_platform) tallies[""];
    for (uint32_t p = 0; p < social_.size(); ++p) {
      if (!social_[p].AnyIn(q.from, q.to)) continue;  // no mentions: no group
      SentimentTally& t = tallies[by_platform ? platforms_.str(p) : ""];
      social_[p].ForEachSummarized(
          q.from, q.to, [&](const SentimentTally& block) { t.Merge(block); },
          [&](sdk::Nanos, double sentiment) { t.Add(sentiment); });
    }
    for (const auto& [platform, t] : tallies) {
      sdk::Labels labels;
      if (by_platform) labels["platform"] = platform;
      const auto n = static_cast<double>(t.n);
      AddMeasure(rows, labels, "mean", Ratio(t.sum, n), t.n);
      AddMeasure(rows, labels, "positive_share", Ratio(t.positive, n), t.n);
      AddMeasure(rows, labels, "neutral_share",
                 Ratio(t.n - t.positive - t.negative, n), t.n);
      AddMeasure(rows, labels, "negative_share", Ratio(t.negative, n), t.n);
    }
    return sdk::Status::Ok();
  }

  sdk::Status Surveys(const sdk::Query& q, const AccountGroups& groups,
                      std::vector<sdk::Row>* rows) const {
    GroupTable<SumCount> means(groups.group_count(), questions_.size());
    for (uint32_t a : groups.accounts()) {
      const AccountState* s = accounts_.find(a);
      if (!s) continue;
      const int g = groups.group(a);
      s->surveys.ForEachIn(q.from, q.to,
                           [&](sdk::Nanos, const SurveyItem& item) {
                             means.at(g, item.question).Add(item.rating);
                           });
    }
    means.ForEach([&](int g, uint32_t question, const SumCount& m) {
      rows->push_back(
          {With(groups.labels(g), "question", questions_.str(question)),
           m.mean(), m.count});
    });
    return sdk::Status::Ok();
  }

  Interner platforms_, questions_;
  std::vector<OrderedSeries<double, SentimentTally>> social_;
  PerAccount<AccountState> accounts_;
};

}  // namespace
}  // namespace abm::plugins

ABM_PLUGIN(abm::plugins::BrandPlugin);
