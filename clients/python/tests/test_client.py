"""The Python client against a real server."""
import datetime as dt

import pytest

from abm_client import AbmError, Client


def ev(i, time, account, **payload):
    return {"eventId": f"e{i}", "occurredAt": time, "accountId": account, **payload}


SPEC_EXAMPLE = [
    ev(1, "2026-03-01T00:00:00Z", "a1", opportunity={
        "opportunityId": "O1", "kind": "OPPORTUNITY_KIND_ENROLLMENT", "stage": "inquiry"}),
    ev(2, "2026-03-09T00:00:00Z", "a1", opportunity={
        "opportunityId": "O1", "kind": "OPPORTUNITY_KIND_ENROLLMENT", "stage": "admitted"}),
    ev(3, "2026-03-02T00:00:00Z", "a2", opportunity={
        "opportunityId": "O2", "kind": "OPPORTUNITY_KIND_ENROLLMENT", "stage": "inquiry"}),
    ev(4, "2026-03-05T00:00:00Z", "a2", opportunity={
        "opportunityId": "O2", "kind": "OPPORTUNITY_KIND_ENROLLMENT", "stage": "lost"}),
]


def test_ingest_and_query_the_worked_example(server):
    with Client(server) as client:
        result = client.ingest(SPEC_EXAMPLE)
        assert (result.accepted, result.duplicates, result.rejected) == (4, 0, 0)
        rows = client.query("stage_conversion", from_="2026-03-01", to="2026-04-01",
                            scope="all")
        by_from = {r["labels"]["from_stage"]: r for r in rows}
        assert by_from["inquiry"]["value"] == 0.5
        assert by_from["inquiry"]["count"] == 2
        assert by_from["application"]["value"] == 1.0
        assert by_from["admitted"]["value"] == 0.0
        assert all(r["bucket_start"] is None for r in rows)


def test_validation_errors_name_the_field_and_keep_indexes(server):
    with Client(server) as client:
        events = [ev(10, "2026-03-01T00:00:00Z", "a1", nps={"score": 9}),
                  ev(11, "2026-03-01T00:00:00Z", "a1", nps={"score": 11}),
                  ev(10, "2026-03-01T00:00:00Z", "a1", nps={"score": 3})]
        # batch_size=2 puts the duplicate in a second batch: indexes stay global.
        result = client.ingest(events, batch_size=2)
        assert (result.accepted, result.duplicates, result.rejected) == (1, 1, 1)
        assert result.rejections[0][0] == 1
        assert "nps.score" in result.rejections[0][1]


def test_absent_values_buckets_and_params(server):
    with Client(server) as client:
        client.ingest([ev(20, "2026-03-03T10:00:00Z", "a1", nps={"score": 10})])
        rows = client.query("nps", from_=dt.datetime(2026, 3, 1), to="2026-03-05",
                            interval="2d", scope="all")
        assert [r["count"] for r in rows] == [0, 1]
        assert rows[0]["value"] is None
        assert rows[1]["value"] == 100.0
        assert rows[1]["bucket_start"] == dt.datetime(2026, 3, 3, tzinfo=dt.timezone.utc)
        rows = client.query("content_influence", scope="all",
                            params={"model": "time_decay", "half_life_days": 2.5})
        assert rows == []


def test_errors_surface_as_exceptions_with_the_code(server):
    with Client(server) as client:
        with pytest.raises(AbmError) as err:
            client.query("no_such_metric")
        assert err.value.code == "NOT_FOUND"
        with pytest.raises(AbmError) as err:
            client.query("nps", group_by=["planet"])
        assert err.value.code == "INVALID_ARGUMENT"
        assert "planet" in err.value.message
    with Client("127.0.0.1:1", timeout=2) as client:
        with pytest.raises(AbmError) as err:
            client.query("nps")
        assert err.value.code in ("UNAVAILABLE", "DEADLINE_EXCEEDED")


def test_metrics_plugins_and_stats(server):
    with Client(server) as client:
        names = {m["name"] for m in client.list_metrics()}
        assert {"account_coverage", "roi", "content_influence"} <= names
        assert "coverage" in {p["name"] for p in client.plugins()}
        client.ingest(SPEC_EXAMPLE)
        reloaded = client.reload_plugin("pipeline")
        assert reloaded["plugin"]["events_applied"] == "4"
        assert client.stats()["events_stored"] == "4"


def test_tls_and_tokens(secure_server):
    address, ca, admin, query = secure_server
    with Client(address, token=admin, tls_ca=ca) as client:
        assert client.ingest(SPEC_EXAMPLE).accepted == 4
    with Client(address, token=query, tls_ca=ca) as client:
        assert len(client.query("stage_conversion", scope="all")) == 3
        with pytest.raises(AbmError) as err:
            client.ingest(SPEC_EXAMPLE)
        assert err.value.code == "PERMISSION_DENIED"
    with Client(address, tls_ca=ca) as client:
        with pytest.raises(AbmError) as err:
            client.query("nps")
        assert err.value.code == "UNAUTHENTICATED"
