"""Ending the servers that browser and lab tests start (each in a session of its own)."""

import os
import signal
import subprocess


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
