"""The server against reference.py (a brute-force second implementation of
the SPEC) on random data: every metric, both scopes, every group-by
dimension and a pair, windows, bucket intervals and parameters."""
import datetime as dt
import math
import random

import pytest

from abm_client import Client
from reference import DAY, Reference

START = 1767225600 * 10**9  # 2026-01-01T00:00:00Z


def rfc3339(ns):
    secs, nanos = divmod(ns, 10**9)
    base = dt.datetime.fromtimestamp(secs, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{nanos:09d}Z"


def generate(seed, n):
    rng = random.Random(seed)
    accounts = [f"acct-{i}" for i in range(14)]
    contacts = [f"c{i}" for i in range(25)]
    campaigns = ["", "spring", "webinar", "open-day"]
    opps = {}
    events = []
    for i in range(n):
        # Minute resolution, so that ties happen; some nanoseconds too.
        t = START + rng.randrange(0, 150 * 24 * 60) * 60 * 10**9 + rng.choice([0, 0, 0, 7])
        a = rng.choice(accounts)
        e = {"id": f"r{i}", "t": t, "account": a, "contact": "", "campaign": ""}
        k = rng.randrange(13)
        if k == 0:
            e.update(kind="account", segment=rng.choice(["k12", "he", ""]),
                     region=rng.choice(["north", "south", ""]), tier=rng.randrange(4),
                     target=rng.random() < 0.7)
        elif k == 1:
            e.update(kind="contact", contact=rng.choice(contacts),
                     role=rng.choice(["ROLE_DECISION_MAKER", "ROLE_INFLUENCER", "ROLE_OTHER"]))
        elif k in (2, 3, 4):
            e.update(kind="engagement", campaign=rng.choice(campaigns),
                     contact=rng.choice(contacts + [""]),
                     type=rng.choice(["ENGAGEMENT_TYPE_EMAIL_DELIVERED", "ENGAGEMENT_TYPE_EMAIL_OPEN",
                                      "ENGAGEMENT_TYPE_EMAIL_CLICK", "ENGAGEMENT_TYPE_AD_IMPRESSION",
                                      "ENGAGEMENT_TYPE_AD_CLICK", "ENGAGEMENT_TYPE_WEB_VISIT",
                                      "ENGAGEMENT_TYPE_MEETING", "ENGAGEMENT_TYPE_FORM_SUBMIT"]),
                     duration=float(rng.randrange(0, 400)))
        elif k in (5, 6):
            e.update(kind="content", campaign=rng.choice(campaigns),
                     contact=rng.choice(contacts + [""]), content=rng.choice(["guide", "video", "deck"]),
                     action=rng.choice(["CONTENT_ACTION_VIEW", "CONTENT_ACTION_VIEW",
                                        "CONTENT_ACTION_DOWNLOAD", "CONTENT_ACTION_SHARE"]),
                     seconds=float(rng.randrange(0, 500)),
                     completion=rng.choice([None, 0.0, 0.25, 0.5, 1.0]))
        elif k in (7, 8):
            oid = f"opp-{rng.randrange(30)}"
            kind, acct = opps.setdefault(oid, (rng.choice(list(STAGE_NAMES)), a))
            e.update(kind="opportunity", account=acct, opp=oid, opp_kind=kind,
                     stage=rng.choice(STAGE_NAMES[kind] + ["lost"]),
                     amount=rng.choice([None, None, 100.0 * rng.randrange(1, 60)]))
        elif k == 9:
            if rng.random() < 0.5:
                e.update(kind="revenue", amount=float(rng.randrange(10, 900)))
            else:
                e.update(kind="lifecycle", status=rng.choice(
                    ["LIFECYCLE_STATUS_ACTIVE", "LIFECYCLE_STATUS_ACTIVE", "LIFECYCLE_STATUS_CHURNED"]))
        elif k == 10:
            e.update(kind="cost", account=rng.choice([a, ""]), campaign=rng.choice(campaigns[1:]),
                     amount=float(rng.randrange(0, 300)))
        elif k == 11:
            if rng.random() < 0.5:
                e.update(kind="nps", score=rng.randrange(11))
            else:
                e.update(kind="survey", question=rng.choice(["q1", "q2"]), rating=rng.randrange(1, 6))
        else:
            e.update(kind="social", account=rng.choice([a, ""]), platform=rng.choice(["x", "li", ""]),
                     sentiment=rng.choice([-1.0, -0.05, -0.04, 0.0, 0.049, 0.05, 0.7]))
        events.append(e)
    # Duplicates: same id, other content; the first stays.
    for i in range(40):
        d = dict(rng.choice(events))
        d["t"] = START + rng.randrange(150) * DAY
        events.append(d)
    return events


STAGE_NAMES = {
    "OPPORTUNITY_KIND_ENROLLMENT": ["inquiry", "application", "admitted", "enrolled"],
    "OPPORTUNITY_KIND_PARTNERSHIP": ["prospect", "qualified", "proposal", "negotiation", "signed"],
}


def to_json(e):
    out = {"eventId": e["id"], "occurredAt": rfc3339(e["t"]), "accountId": e["account"],
           "contactId": e["contact"], "campaignId": e["campaign"]}
    k = e["kind"]
    if k == "account":
        out["account"] = {"segment": e["segment"], "region": e["region"], "tier": e["tier"],
                          "target": e["target"]}
    elif k == "contact":
        out["contact"] = {"role": e["role"]}
    elif k == "engagement":
        out["engagement"] = {"type": e["type"], "durationSeconds": e["duration"]}
    elif k == "content":
        out["content"] = {"contentId": e["content"], "action": e["action"], "seconds": e["seconds"]}
        if e["completion"] is not None:
            out["content"]["completion"] = e["completion"]
    elif k == "opportunity":
        out["opportunity"] = {"opportunityId": e["opp"], "kind": e["opp_kind"], "stage": e["stage"]}
        if e["amount"] is not None:
            out["opportunity"]["amount"] = e["amount"]
    elif k in ("revenue", "cost"):
        out[k] = {"amount": e["amount"]}
    elif k == "lifecycle":
        out["lifecycle"] = {"status": e["status"]}
    elif k == "nps":
        out["nps"] = {"score": e["score"]}
    elif k == "survey":
        out["survey"] = {"questionId": e["question"], "rating": e["rating"]}
    elif k == "social":
        out["social"] = {"platform": e["platform"], "sentiment": e["sentiment"]}
    return out


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def shapes(metric):
    dims = [m for m in METRICS if m["name"] == metric][0]["dimensions"]
    groupings = [[]] + [[d] for d in dims]
    if len(dims) >= 2:
        groupings.append([dims[0], dims[-1]])
    params = [{}]
    for p in [m for m in METRICS if m["name"] == metric][0].get("params", []):
        if p["name"] == "lookback_days":
            params += [{"lookback_days": "0"}, {"lookback_days": "10"}]
        if p["name"] == "model":
            params += [{"model": c} for c in p["choices"]]
        if p["name"] == "half_life_days":
            params.append({"model": "time_decay", "half_life_days": "0.5"})
    windows = [("2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", None),
               ("2026-02-10T12:00:00Z", "2026-03-20T00:00:00Z", None),
               ("2026-01-01T00:00:00Z", "2026-05-20T00:00:00Z", 30 * 86400)]
    for scope in ("target", "all"):
        for g in groupings:
            for p in params:
                for w in windows:
                    yield scope, g, p, w


METRICS = []


@pytest.fixture(params=[20261204, 7, 99])
def loaded(server, request):
    events = generate(request.param, 1500)
    with Client(server) as client:
        result = client.ingest([to_json(e) for e in events], batch_size=10000)
        assert result.rejected == 0, result.rejections[:3]
        METRICS[:] = client.list_metrics()
    seen, stored = set(), []
    for e in events:
        if e["id"] not in seen:
            seen.add(e["id"])
            stored.append(e)
    assert result.accepted == len(stored)
    yield server, Reference(stored)


def parse_ns(text):
    return int(dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.timezone.utc).timestamp()) * 10**9


def test_every_metric_matches_the_reference(loaded):
    server, ref = loaded
    compared = with_rows = 0
    with Client(server) as client:
        for m in METRICS:
            if m["plugin"] == "event_counts":
                continue
            for scope, group_by, params, (frm, to, interval) in shapes(m["name"]):
                got = client.query(m["name"], from_=frm, to=to, interval=interval,
                                   group_by=group_by, scope=scope, params=params)
                want = ref.query(m["name"], parse_ns(frm), parse_ns(to),
                                 interval * 10**9 if interval else None, group_by, scope, params)
                where = f"{m['name']} scope={scope} group_by={group_by} params={params} {frm}..{to}/{interval}"
                assert len(got) == len(want), f"{where}: {len(got)} rows vs {len(want)}\n{got}\n{want}"
                for g, w in zip(got, want):
                    gb = int(g["bucket_start"].timestamp()) * 10**9 if g["bucket_start"] else None
                    assert g["labels"] == w["labels"] and gb == w["bucket_start"], f"{where}: {g} vs {w}"
                    assert g["count"] == w["count"] and close(g["value"], w["value"]), \
                        f"{where}: {g} vs {w}"
                compared += 1
                with_rows += bool(want)
    print(f"{compared} queries compared, {with_rows} with rows")
    assert compared > 500 and with_rows > compared * 0.7
