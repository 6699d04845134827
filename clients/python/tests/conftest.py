"""Fixtures: a real abm-server process on loopback with a fresh data dir."""
import os
import re
import subprocess
import tempfile
import time

import pytest


def start_server(tmp, *flags):
    """Starts abm-server with a data dir in `tmp`; returns (process, port)."""
    log_path = os.path.join(tmp, "server.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [os.environ["ABM_SERVER_BIN"], "--listen=127.0.0.1:0", f"--data-dir={tmp}/data",
             f"--plugin-dir={os.environ['ABM_PLUGIN_DIR']}", *flags], stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        with open(log_path) as f:
            m = re.search(r"serving on \S+ \(port (\d+)\)", f.read())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + open(log_path).read())
        time.sleep(0.02)
    proc.kill()
    raise RuntimeError("server did not start")


@pytest.fixture()
def server():
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start_server(tmp)
        try:
            yield f"127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.fixture()
def secure_server():
    """A server with TLS (a throwaway CA made with openssl) and bearer tokens.
    Yields (address, ca_path, admin_token, query_token)."""
    with tempfile.TemporaryDirectory() as tmp:
        def run(*cmd):
            subprocess.run(cmd, cwd=tmp, check=True, capture_output=True)
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "2", "-subj", "/CN=abm-test-ca")
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
            "-out", "server.csr", "-subj", "/CN=localhost")
        with open(os.path.join(tmp, "ext"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext")
        admin, query = "py-admin-token-0123456789", "py-query-token-0123456789"
        tokens = os.path.join(tmp, "tokens")
        with open(tokens, "w") as f:
            f.write(f"{admin} admin\n{query} query\n")
        os.chmod(tokens, 0o600)
        proc, port = start_server(tmp, f"--tls-cert={tmp}/server.pem",
                                  f"--tls-key={tmp}/server.key", f"--auth-tokens={tokens}")
        try:
            yield f"localhost:{port}", os.path.join(tmp, "ca.pem"), admin, query
        finally:
            proc.terminate()
            proc.wait(timeout=30)
