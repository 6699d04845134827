"""Fixtures: a real abm-server process on loopback with a fresh data dir."""
import os
import re
import subprocess
import tempfile
import time

import pytest


@pytest.fixture()
def server():
    binary = os.environ["ABM_SERVER_BIN"]
    plugins = os.environ["ABM_PLUGIN_DIR"]
    with tempfile.TemporaryDirectory() as tmp:
        log_path = os.path.join(tmp, "server.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [binary, "--listen=127.0.0.1:0", f"--data-dir={tmp}/data",
                 f"--plugin-dir={plugins}"], stderr=log)
        try:
            deadline = time.time() + 60
            port = None
            while time.time() < deadline and port is None:
                with open(log_path) as f:
                    m = re.search(r"serving on \S+ \(port (\d+)\)", f.read())
                if m:
                    port = int(m.group(1))
                elif proc.poll() is not None:
                    raise RuntimeError("server exited: " + open(log_path).read())
                else:
                    time.sleep(0.02)
            assert port, "server did not start"
            yield f"127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
