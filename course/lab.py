"""`make lab`: JupyterLab on the series, with a first five minutes without friction.

- Learners get the student edition (build/student, course/student.py: no solutions),
  written first where a notebook is missing there; a notebook already there is never
  overwritten, since it holds the learner's work. The instructor edition (notebooks/, with
  every solution) is an explicit choice: ``--edition instructor`` (`make lab
  EDITION=instructor`).
- Extra arguments go to JupyterLab as they are; one that sets the folder to serve
  (``--ServerApp.root_dir=DIR`` or ``--notebook-dir=DIR``) replaces the edition's folder.

- No "get notified about official Jupyter news?" prompt: the news and update checks are
  set to "Never" in the environment's own JupyterLab settings,
  ``<prefix>/share/jupyter/lab/settings/ overrides.json`` (JupyterLab's mechanism for an
  installation's defaults; a learner can still change them under Settings). `make setup`
  writes it too, so `.venv/bin/jupyter lab` gets the same.
- Runs as root (as in a container): ``--allow-root`` is passed only when the user is root.
- Prints the one URL to open, once the server answers: the token is made here, and the
  port is the first free one from 8888.

    python -m course.lab [--settings-only] [--edition student|instructor] [EXTRA JUPYTER
    LAB ARGUMENTS]
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from course import student

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EDITIONS = {"student": student.DEFAULT_OUT, "instructor": NOTEBOOKS}
ROOT_DIR_OPTIONS = ("--ServerApp.root_dir", "--ServerApp.notebook_dir", "--notebook-dir")
NOTIFICATION = "@jupyterlab/apputils-extension:notification"
QUIET = {"fetchNews": "false", "checkForUpdates": False}
START_TIMEOUT_S = 120


def overrides_path(prefix: str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_settings(prefix: str = sys.prefix) -> Path:
    """Set news and update checks to "Never" in the environment's overrides.json, keeping
    what else it holds."""
    path = overrides_path(prefix)
    settings = json.loads(path.read_text()) if path.exists() else {}
    settings.setdefault(NOTIFICATION, {}).update(QUIET)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")
    return path


def free_port(first: int = 8888, n_tries: int = 50) -> int:
    for port in range(first, first + n_tries):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError(f"no free port between {first} and {first + n_tries - 1}")


def has_browser() -> bool:
    """A graphical browser can be opened: macOS, Windows, or a Linux desktop session."""
    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def given_root_dir(extra: list[str]) -> str | None:
    """The folder that the extra arguments ask JupyterLab to serve, if they name one."""
    for i, arg in enumerate(extra):
        name, _, value = arg.partition("=")
        if name in ROOT_DIR_OPTIONS:
            return value if value else (extra[i + 1] if i + 1 < len(extra) else None)
    return None


def split_edition(argv: list[str]) -> tuple[str, list[str]]:
    """(edition, the other arguments) from ``[--edition NAME | --edition=NAME] ...``;
    default student."""
    edition, rest, args = "student", [], iter(argv)
    for arg in args:
        if arg == "--edition":
            edition = next(args, "")
        elif arg.startswith("--edition="):
            edition = arg.partition("=")[2]
        else:
            rest.append(arg)
    if edition not in EDITIONS:
        raise SystemExit(
            f"--edition must be one of {', '.join(EDITIONS)}, got {edition!r}"
        )
    return edition, rest


def command(
    port: int, extra: list[str], is_root: bool, browser: bool, root_dir: Path = NOTEBOOKS
) -> list[str]:
    """The JupyterLab command line; ``root_dir`` is served unless ``extra`` names another
    folder."""
    own_root = [] if given_root_dir(extra) else [f"--ServerApp.root_dir={root_dir}"]
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        *own_root,
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
        *(["--allow-root"] if is_root else []),
        *([] if browser else ["--no-browser"]),
        *extra,
    ]


def wait_until_up(url: str, token: str, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            request = urllib.request.Request(
                f"{url}/api/status", headers={"Authorization": f"token {token}"}
            )
            urllib.request.urlopen(request, timeout=2).close()
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    return False


def _stop(signum, frame):
    raise KeyboardInterrupt  # a SIGTERM or SIGHUP to this script stops JupyterLab too


def main(argv: list[str]) -> int:
    write_settings()
    if argv[:1] == ["--settings-only"]:
        return 0
    edition, argv = split_edition(argv)
    root_dir = Path(given_root_dir(argv) or EDITIONS[edition]).resolve()
    if edition == "student" and given_root_dir(argv) is None:
        for path in student.write_missing(root_dir):
            print(f"wrote {path}", flush=True)
        for path in student.outdated(root_dir):
            print(
                f"note: notebooks/{path.name} changed after your copy {path} was made; "
                "your copy is kept (it holds your work). Delete it and run make lab "
                "again for the new one.",
                flush=True,
            )
    token, port = secrets.token_hex(24), free_port()
    env = os.environ | {"JUPYTER_TOKEN": token}  # from the environment: not shown by ps
    signal.signal(signal.SIGTERM, _stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _stop)
    is_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    process = subprocess.Popen(
        command(port, argv, is_root, has_browser(), root_dir), cwd=root_dir, env=env
    )
    try:
        base = f"http://localhost:{port}"
        if wait_until_up(base, token, process):
            print(
                f"\nJupyterLab is running, serving the {edition} edition ({root_dir}).\n"
                f"Open this URL in your browser:\n\n    {base}/lab?token={token}\n\n"
                "Stop it with Ctrl-C in this terminal.\n",
                flush=True,
            )
        elif process.poll() is None:
            print(
                f"JupyterLab did not answer within {START_TIMEOUT_S} s; stopping it.",
                file=sys.stderr,
            )
            process.terminate()
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
