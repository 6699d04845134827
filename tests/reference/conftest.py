"""The `server` fixture: a real abm-server process, shared with the Python
client's tests (clients/python/tests/conftest.py)."""
import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "abm_client_test_fixtures",
    os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python", "tests", "conftest.py"))
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
server = _fixtures.server
