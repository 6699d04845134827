"""Python client for the ABM metrics server.

    from abm_client import Client
    client = Client("127.0.0.1:50051")
    client.ingest([{"eventId": "e-1", "occurredAt": "2026-03-02T10:00:00Z", ...}])
    rows = client.query("account_coverage", from_="2026-03-01", to="2026-04-01")

Stubs are generated at build time from proto/ (see clients/python/README.md).
"""

from abm_client.client import AbmError, Client, IngestResult

__all__ = ["AbmError", "Client", "IngestResult"]
