"""A second, deliberately plain implementation of the SPEC's metrics.

Brute force over the stored events: no indexes, no shared code with the
plugins. Used by test_reference.py to check the server's answers on random
data for every metric, scope, group-by, window, bucket interval and param.
Times are integer nanoseconds since the epoch.
"""
import math
from collections import defaultdict

DAY = 86400 * 10**9
STAGES = {
    "OPPORTUNITY_KIND_ENROLLMENT": ["inquiry", "application", "admitted", "enrolled"],
    "OPPORTUNITY_KIND_PARTNERSHIP": ["prospect", "qualified", "proposal", "negotiation", "signed"],
}
KIND_LABEL = {"OPPORTUNITY_KIND_ENROLLMENT": "enrollment",
              "OPPORTUNITY_KIND_PARTNERSHIP": "partnership"}
ACCOUNT_DIMS = ("segment", "region", "tier")
REACH = ("ENGAGEMENT_TYPE_EMAIL_DELIVERED", "ENGAGEMENT_TYPE_AD_IMPRESSION")


def ratio(a, b):
    return None if b == 0 else a / b


def median(values):
    v = sorted(values)
    if not v:
        return None
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


class Reference:
    def __init__(self, events):
        """`events`: the stored events in log order, as dicts with keys id, t,
        account, contact, campaign, kind and the payload's fields."""
        self.ev = events
        for seq, e in enumerate(events):
            e["seq"] = seq
        self.accounts = {e["account"] for e in events if e["account"]}
        self.profile = {}
        self.role = {}
        for e in events:
            if e["kind"] == "account":
                cur = self.profile.get(e["account"])
                if cur is None or (e["t"], e["seq"]) >= (cur["t"], cur["seq"]):
                    self.profile[e["account"]] = e
            if e["kind"] == "contact":
                cur = self.role.get(e["contact"])
                if cur is None or (e["t"], e["seq"]) >= (cur["t"], cur["seq"]):
                    self.role[e["contact"]] = e
        self.opps = self._opportunities()

    def _opportunities(self):
        by_id = defaultdict(list)
        for e in self.ev:
            if e["kind"] == "opportunity":
                by_id[e["opp"]].append(e)
        opps = []
        for evs in by_id.values():
            first = min(evs, key=lambda e: (e["t"], e["seq"]))
            kind = first["opp_kind"]
            stages = STAGES[kind]
            with_amount = [e for e in evs if e.get("amount") is not None]
            amount = max(with_amount, key=lambda e: (e["t"], e["seq"]))["amount"] if with_amount else 0.0
            won_times = [e["t"] for e in evs if e["stage"] == stages[-1]]
            lost_times = [e["t"] for e in evs if e["stage"] == "lost"]
            reached = max([stages.index(e["stage"]) for e in evs if e["stage"] in stages],
                          default=-1)
            won = bool(won_times)
            opps.append({
                "account": first["account"], "kind": kind, "created": first["t"],
                "amount": amount, "won": won, "won_at": min(won_times) if won else None,
                "lost": bool(lost_times) and not won,
                "lost_at": min(lost_times) if lost_times else None, "reached": reached,
            })
        return opps

    # -- helpers -----------------------------------------------------------
    def scope(self, scope):
        if scope == "all":
            return set(self.accounts)
        return {a for a in self.accounts if self.profile.get(a, {}).get("target")}

    def labels(self, account, group_by):
        p = self.profile.get(account, {})
        out = {}
        for d in group_by:
            if d == "segment":
                out[d] = p.get("segment", "")
            elif d == "region":
                out[d] = p.get("region", "")
            elif d == "tier":
                out[d] = str(p["tier"]) if p.get("tier") else ""
        return out

    def touches(self, account):
        return [e for e in self.ev if e["account"] == account
                and e["kind"] in ("engagement", "content")]

    # -- queries -----------------------------------------------------------
    def query(self, metric, frm, to, interval=None, group_by=(), scope="target", params=None):
        params = params or {}
        windows = [(frm, to)]
        if interval:
            windows = []
            start = frm
            while start < to:
                windows.append((start, min(start + interval, to)))
                start += interval
        rows = []
        for f, t in windows:
            for labels, value, count in getattr(self, metric)(f, t, list(group_by),
                                                              scope, params):
                rows.append({"labels": labels, "bucket_start": f if interval else None,
                             "value": value, "count": count})
        rows.sort(key=lambda r: (r["bucket_start"] or 0, sorted(r["labels"].items())))
        return rows

    def _population(self, group_by, scope):
        groups = defaultdict(list)
        for a in sorted(self.scope(scope)):
            groups[tuple(sorted(self.labels(a, group_by).items()))].append(a)
        if not group_by and not groups:
            groups[()] = []
        return groups

    def account_coverage(self, f, t, gb, scope, params):
        for key, accts in self._population(gb, scope).items():
            covered = sum(1 for a in accts if any(f <= e["t"] < t for e in self.touches(a)))
            yield dict(key), ratio(covered, len(accts)), len(accts)

    def engagement_rate(self, f, t, gb, scope, params):
        s = self.scope(scope)
        groups = defaultdict(lambda: defaultdict(float))
        if not gb:
            groups[()]
        for e in self.ev:
            if e["kind"] != "engagement" or e["account"] not in s or not f <= e["t"] < t:
                continue
            lab = self.labels(e["account"], gb)
            if "campaign" in gb:
                lab["campaign"] = e["campaign"]
            c = groups[tuple(sorted(lab.items()))]
            c[e["type"]] += 1
            if e["type"] == "ENGAGEMENT_TYPE_WEB_VISIT":
                c["visit_seconds"] += e["duration"]
        for key, c in groups.items():
            lab = dict(key)
            d, imp, v = c["ENGAGEMENT_TYPE_EMAIL_DELIVERED"], c["ENGAGEMENT_TYPE_AD_IMPRESSION"], c["ENGAGEMENT_TYPE_WEB_VISIT"]
            yield {**lab, "measure": "email_open_rate"}, ratio(c["ENGAGEMENT_TYPE_EMAIL_OPEN"], d), int(d)
            yield {**lab, "measure": "email_click_rate"}, ratio(c["ENGAGEMENT_TYPE_EMAIL_CLICK"], d), int(d)
            yield {**lab, "measure": "ad_click_rate"}, ratio(c["ENGAGEMENT_TYPE_AD_CLICK"], imp), int(imp)
            yield {**lab, "measure": "avg_visit_seconds"}, ratio(c["visit_seconds"], v), int(v)

    def engaged_contacts(self, f, t, gb, scope, params):
        for key, accts in self._population(gb, scope).items():
            dm = inf = 0
            for a in accts:
                contacts = {e["contact"] for e in self.ev
                            if e["account"] == a and e["contact"] and f <= e["t"] < t
                            and (e["kind"] == "content" or
                                 (e["kind"] == "engagement" and e["type"] not in REACH))}
                for c in contacts:
                    r = self.role.get(c, {}).get("role")
                    dm += r == "ROLE_DECISION_MAKER"
                    inf += r == "ROLE_INFLUENCER"
            n = len(accts)
            yield {**dict(key), "measure": "decision_makers"}, ratio(dm, n), n
            yield {**dict(key), "measure": "influencers"}, ratio(inf, n), n
            yield {**dict(key), "measure": "total"}, ratio(dm + inf, n), n

    def _opps_of(self, scope):
        s = self.scope(scope)
        return [o for o in self.opps if o["account"] in s]

    def time_to_close(self, f, t, gb, scope, params):
        groups = defaultdict(list)
        if not gb:
            groups[()]
        for o in self._opps_of(scope):
            if not o["won"] or not f <= o["won_at"] < t:
                continue
            start = min([o["created"]] + [e["t"] for e in self.touches(o["account"])])
            lab = self.labels(o["account"], gb)
            if "kind" in gb:
                lab["kind"] = KIND_LABEL[o["kind"]]
            groups[tuple(sorted(lab.items()))].append((o["won_at"] - start) / DAY)
        for key, days in groups.items():
            yield {**dict(key), "measure": "mean"}, (sum(days) / len(days) if days else None), len(days)
            yield {**dict(key), "measure": "median"}, median(days), len(days)

    def stage_conversion(self, f, t, gb, scope, params):
        groups = defaultdict(list)
        for o in self._opps_of(scope):
            if f <= o["created"] < t:
                groups[(tuple(sorted(self.labels(o["account"], gb).items())), o["kind"])].append(o)
        for (key, kind), opps in groups.items():
            stages = STAGES[kind]
            for i in range(len(stages) - 1):
                a = sum(1 for o in opps if o["reached"] >= i)
                b = sum(1 for o in opps if o["reached"] >= i + 1)
                yield ({**dict(key), "kind": KIND_LABEL[kind], "from_stage": stages[i],
                        "to_stage": stages[i + 1]}, ratio(b, a), a)

    def _campaigns_before(self, o, lookback):
        lo = o["created"] - lookback * DAY
        return {e["campaign"] for e in self.touches(o["account"])
                if e["campaign"] and lo <= e["t"] <= o["created"]}

    def influenced_pipeline(self, f, t, gb, scope, params):
        lookback = int(params.get("lookback_days", 90))
        total = defaultdict(lambda: [0.0, 0])
        infl = defaultdict(lambda: [0.0, 0])
        if not gb:
            total[()]
        for o in self._opps_of(scope):
            if not f <= o["created"] < t:
                continue
            key = tuple(sorted(self.labels(o["account"], gb).items()))
            total[key][0] += o["amount"]
            total[key][1] += 1
            camps = self._campaigns_before(o, lookback)
            if "campaign" in gb:
                for c in camps:
                    infl[(key, c)][0] += o["amount"]
                    infl[(key, c)][1] += 1
            elif camps:
                infl[(key, None)][0] += o["amount"]
                infl[(key, None)][1] += 1
        if "campaign" in gb:
            for (key, c), (amt, n) in infl.items():
                lab = {**dict(key), "campaign": c}
                yield {**lab, "measure": "amount"}, amt, n
                yield {**lab, "measure": "share"}, ratio(amt, total[key][0]), total[key][1]
        else:
            for key, (tot, n_all) in total.items():
                amt, n = infl.get((key, None), [0.0, 0])
                yield {**dict(key), "measure": "amount"}, amt, n
                yield {**dict(key), "measure": "share"}, ratio(amt, tot), n_all

    def pipeline_velocity(self, f, t, gb, scope, params):
        groups = defaultdict(lambda: {"n": 0, "closed": 0, "won": []})
        if not gb:
            groups[()]
        for o in self._opps_of(scope):
            created_in = f <= o["created"] < t
            closed_at = o["won_at"] if o["won"] else (o["lost_at"] if o["lost"] else None)
            closed_in = closed_at is not None and f <= closed_at < t
            if not created_in and not closed_in:
                continue
            g = groups[tuple(sorted(self.labels(o["account"], gb).items()))]
            g["n"] += created_in
            if closed_in:
                g["closed"] += 1
                if o["won"]:
                    g["won"].append(o)
        for key, g in groups.items():
            lab = dict(key)
            won = g["won"]
            wr = ratio(len(won), g["closed"])
            deal = ratio(sum(o["amount"] for o in won), len(won))
            cycle = ratio(sum((o["won_at"] - o["created"]) / DAY for o in won), len(won))
            vel = None
            if wr is not None and deal is not None and cycle is not None and cycle != 0:
                vel = g["n"] * wr * deal / cycle
            yield {**lab, "measure": "opportunities"}, float(g["n"]), g["n"]
            yield {**lab, "measure": "win_rate"}, wr, g["closed"]
            yield {**lab, "measure": "avg_deal_size"}, deal, len(won)
            yield {**lab, "measure": "avg_cycle_days"}, cycle, len(won)
            yield {**lab, "measure": "velocity"}, vel, g["n"]

    def _won_in(self, f, t, scope):
        return [o for o in self._opps_of(scope) if o["won"] and f <= o["won_at"] < t]

    def closed_revenue(self, f, t, gb, scope, params, average=False):
        groups = defaultdict(list)
        if not gb:
            groups[()]
        for o in self._won_in(f, t, scope):
            lab = self.labels(o["account"], gb)
            if "kind" in gb:
                lab["kind"] = KIND_LABEL[o["kind"]]
            groups[tuple(sorted(lab.items()))].append(o["amount"])
        for key, amounts in groups.items():
            total = sum(amounts)
            yield dict(key), (ratio(total, len(amounts)) if average else total), len(amounts)

    def average_deal_size(self, f, t, gb, scope, params):
        return self.closed_revenue(f, t, gb, scope, params, average=True)

    def roi(self, f, t, gb, scope, params):
        costs = [e for e in self.ev if e["kind"] == "cost" and f <= e["t"] < t]
        won = self._won_in(f, t, scope)
        def rows(lab, revenue, n_won, cost, n_cost):
            yield {**lab, "measure": "revenue"}, revenue, n_won
            yield {**lab, "measure": "cost"}, cost, n_cost
            yield {**lab, "measure": "roi"}, ratio(revenue - cost, cost), n_won
        if "campaign" not in gb:
            yield from rows({}, sum(o["amount"] for o in won), len(won),
                            sum(e["amount"] for e in costs), len(costs))
            return
        lookback = int(params.get("lookback_days", 90))
        rev = defaultdict(lambda: [0.0, 0])
        for o in won:
            for c in self._campaigns_before(o, lookback):
                rev[c][0] += o["amount"]
                rev[c][1] += 1
        cost = defaultdict(lambda: [0.0, 0])
        for e in costs:
            cost[e["campaign"]][0] += e["amount"]
            cost[e["campaign"]][1] += 1
        for c in set(rev) | set(cost):
            yield from rows({"campaign": c}, rev[c][0], rev[c][1], cost[c][0], cost[c][1])

    def _status(self, a, t):
        evs = [e for e in self.ev if e["kind"] == "lifecycle" and e["account"] == a and e["t"] < t]
        return max(evs, key=lambda e: (e["t"], e["seq"]))["status"] if evs else None

    def _lifecycle(self, f, t, gb, scope, churn):
        for key, accts in self._population(gb, scope).items():
            base = [a for a in accts if self._status(a, f) == "LIFECYCLE_STATUS_ACTIVE"]
            if churn:
                hits = [a for a in base if any(
                    e["kind"] == "lifecycle" and e["account"] == a and f <= e["t"] < t
                    and e["status"] == "LIFECYCLE_STATUS_CHURNED" for e in self.ev)]
            else:
                hits = [a for a in base if self._status(a, t) == "LIFECYCLE_STATUS_ACTIVE"]
            yield dict(key), ratio(len(hits), len(base)), len(base)

    def retention_rate(self, f, t, gb, scope, params):
        return self._lifecycle(f, t, gb, scope, churn=False)

    def churn_rate(self, f, t, gb, scope, params):
        return self._lifecycle(f, t, gb, scope, churn=True)

    def lifetime_value(self, f, t, gb, scope, params):
        for key, accts in self._population(gb, scope).items():
            customers = [a for a in accts if any(
                e["kind"] == "lifecycle" and e["account"] == a and e["t"] < t
                and e["status"] == "LIFECYCLE_STATUS_ACTIVE" for e in self.ev)]
            ltv = [sum(e["amount"] for e in self.ev if e["kind"] == "revenue"
                       and e["account"] == a and e["t"] < t) for a in customers]
            yield {**dict(key), "measure": "average"}, ratio(sum(ltv), len(ltv)), len(ltv)
            yield {**dict(key), "measure": "total"}, float(sum(ltv)), len(ltv)

    def _events_of(self, kind, f, t, scope):
        s = self.scope(scope)
        return [e for e in self.ev if e["kind"] == kind and e["account"] in s and f <= e["t"] < t]

    def nps(self, f, t, gb, scope, params):
        groups = defaultdict(list)
        if not gb:
            groups[()]
        for e in self._events_of("nps", f, t, scope):
            groups[tuple(sorted(self.labels(e["account"], gb).items()))].append(e["score"])
        for key, s in groups.items():
            p = sum(1 for x in s if x >= 9)
            d = sum(1 for x in s if x <= 6)
            yield dict(key), ratio(100.0 * (p - d), len(s)), len(s)

    def social_sentiment(self, f, t, gb, scope, params):
        groups = defaultdict(list)
        if not gb:
            groups[()]
        for e in self.ev:
            if e["kind"] == "social" and f <= e["t"] < t:
                key = (("platform", e["platform"]),) if "platform" in gb else ()
                groups[key].append(e["sentiment"])
        for key, s in groups.items():
            n = len(s)
            pos = sum(1 for x in s if x >= 0.05)
            neg = sum(1 for x in s if x <= -0.05)
            yield {**dict(key), "measure": "mean"}, ratio(sum(s), n), n
            yield {**dict(key), "measure": "positive_share"}, ratio(pos, n), n
            yield {**dict(key), "measure": "neutral_share"}, ratio(n - pos - neg, n), n
            yield {**dict(key), "measure": "negative_share"}, ratio(neg, n), n

    def survey_score(self, f, t, gb, scope, params):
        groups = defaultdict(list)
        for e in self._events_of("survey", f, t, scope):
            lab = {**self.labels(e["account"], gb), "question": e["question"]}
            groups[tuple(sorted(lab.items()))].append(e["rating"])
        for key, r in groups.items():
            yield dict(key), sum(r) / len(r), len(r)

    def content_consumption(self, f, t, gb, scope, params):
        groups = defaultdict(int)
        for e in self._events_of("content", f, t, scope):
            lab = {**self.labels(e["account"], gb), "content": e["content"],
                   "action": e["action"].replace("CONTENT_ACTION_", "").lower()}
            groups[tuple(sorted(lab.items()))] += 1
        for key, n in groups.items():
            yield dict(key), float(n), n

    def content_engagement(self, f, t, gb, scope, params):
        groups = defaultdict(list)
        for e in self._events_of("content", f, t, scope):
            if e["action"] == "CONTENT_ACTION_VIEW":
                lab = {**self.labels(e["account"], gb), "content": e["content"]}
                groups[tuple(sorted(lab.items()))].append(e)
        for key, views in groups.items():
            comp = [e["completion"] for e in views if e.get("completion") is not None]
            yield {**dict(key), "measure": "avg_seconds"}, sum(e["seconds"] for e in views) / len(views), len(views)
            yield {**dict(key), "measure": "avg_completion"}, ratio(sum(comp), len(comp)), len(comp)

    def content_influence(self, f, t, gb, scope, params):
        model = params.get("model", "linear")
        lookback = int(params.get("lookback_days", 90))
        h = float(params.get("half_life_days", 7))
        credit = defaultdict(lambda: [0.0, 0])
        for o in self._opps_of(scope):
            if not f <= o["created"] < t:
                continue
            lo = o["created"] - lookback * DAY
            touches = sorted((e for e in self.ev if e["kind"] == "content"
                              and e["account"] == o["account"] and lo <= e["t"] <= o["created"]),
                             key=lambda e: (e["t"], e["id"]))
            n = len(touches)
            if n == 0:
                continue
            if model == "first_touch":
                shares = [1.0] + [0.0] * (n - 1)
            elif model == "last_touch":
                shares = [0.0] * (n - 1) + [1.0]
            elif model == "u_shaped":
                shares = ([1.0] if n == 1 else [0.5, 0.5] if n == 2 else
                          [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4])
            elif model == "time_decay":
                w = [2 ** (-((o["created"] - e["t"]) / DAY) / h) for e in touches]
                shares = [x / sum(w) for x in w]
            else:
                shares = [1.0 / n] * n
            per_item = defaultdict(float)
            for e, s in zip(touches, shares):
                per_item[e["content"]] += s
            key = tuple(sorted(self.labels(o["account"], gb).items()))
            for item, s in per_item.items():
                if s > 0:
                    credit[(key, item)][0] += o["amount"] * s
                    credit[(key, item)][1] += 1
        for (key, item), (v, n) in credit.items():
            yield {**dict(key), "content": item}, v, n
