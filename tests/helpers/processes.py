"""Starting and ending the servers that browser and lab tests start: a static site, and
the end of a process group (each server in a session of its own)."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def end_process_group(process: subprocess.Popen, grace_s: float) -> None:
    """SIGTERM the process group of ``process``, give it ``grace_s`` to exit, then SIGKILL
    it."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:  # already gone
        process.wait(timeout=5)


@contextmanager
def static_site(directory: Path, start_timeout_s: float = 15) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 serving ``directory``; yields its URL once
    index.html answers, and stops the server on the way out."""
    from tests.helpers.browser import free_port

    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    process = subprocess.Popen(
        command + ["--directory", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                urllib.request.urlopen(url + "/index.html", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"http.server did not serve {directory} in {start_timeout_s} s"
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
