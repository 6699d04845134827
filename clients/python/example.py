#!/usr/bin/python3
"""Example: ingest a few events and read three metrics.

    PYTHONPATH=build/python /usr/bin/python3 clients/python/example.py [HOST:PORT]
"""
import sys

from abm_client import AbmError, Client

address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051"
with Client(address) as client:
    result = client.ingest([
        {"eventId": "py-1", "occurredAt": "2026-03-01T09:00:00Z", "accountId": "lincoln-high",
         "account": {"name": "Lincoln High", "segment": "k12", "tier": 1, "target": True}},
        {"eventId": "py-2", "occurredAt": "2026-03-02T10:00:00Z", "accountId": "lincoln-high",
         "campaignId": "spring-open-day", "engagement": {"type": "ENGAGEMENT_TYPE_EMAIL_OPEN"}},
        {"eventId": "py-3", "occurredAt": "2026-03-05T10:00:00Z", "accountId": "lincoln-high",
         "nps": {"score": 9}},
    ])
    print(f"accepted={result.accepted} duplicates={result.duplicates} rejected={result.rejected}")
    for metric in ("account_coverage", "engagement_rate", "nps"):
        for row in client.query(metric, from_="2026-03-01", to="2026-04-01"):
            print(metric, row["labels"], row["value"], row["count"])
    try:
        client.query("account_coverage", scope="everyone")
    except AbmError as err:
        print("as expected:", err)
