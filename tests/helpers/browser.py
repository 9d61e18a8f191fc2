"""What the browser tests share: the system's Chromium through playwright (or a skip, or
in CI a failure, saying what to install), a JupyterLab server's API, and the page scripts
that read
JupyterLab's state and an explorer's plot. Used by tests/browser, tests/course (the site)
and tests/classroom (JupyterHub)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.processes import end_process_group

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LAB_START_TIMEOUT_S = 40
RUN_ALL_TIMEOUT_S = 60
RUN_ALL_POLL_S = 0.5
CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "chromium",
    "chromium-browser",
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# how often a wait asks the page (not every animation frame: that costs the renderer CPU)
POLL_MS = 50


# -- what the test needs, or why it skips ------------------------------------------------


def find_chromium() -> str | None:
    """The Chromium binary: RNNLESSON_CHROMIUM if set, else Debian's usual places, else
    PATH."""
    wanted = os.environ.get("RNNLESSON_CHROMIUM")
    for candidate in [wanted] if wanted else CHROMIUM_CANDIDATES:
        path = shutil.which(candidate) if os.sep not in candidate else candidate
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def require_browser() -> str:
    """Return the Chromium path; skip (or fail in CI) with install instructions when
    something is missing."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append(
            "Python playwright (pip install playwright; do not run 'playwright install')"
        )
    chromium = find_chromium()
    if chromium is None:
        missing.append(
            "Chromium (apt-get install chromium, or set RNNLESSON_CHROMIUM to a Chromium "
            "binary)"
        )
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(
                message + " (CI=true: a missing browser is a failure, not a skip)"
            )
        pytest.skip(message)
    assert chromium is not None
    return chromium


@dataclass
class Lab:
    url: str
    token: str

    def end_sessions(self) -> None:
        """Shut down every kernel the server runs (a notebook tested, the next one gets
        the CPU)."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, n_chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-n_chars:] if path.exists() else "(no log)"


def widget_notebooks() -> list[Path]:
    """The series' notebooks whose stored outputs show a widget."""
    return [
        path
        for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
        if any(
            WIDGET_VIEW in output.get("data", {})
            for cell in json.loads(path.read_text())["cells"]
            for output in cell.get("outputs", [])
        )
    ]


WIDGET_NOTEBOOKS = widget_notebooks()


def stop_lab(process: subprocess.Popen, server: Lab) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure it is gone."""
    if process.poll() is None:
        try:
            server.api("/api/shutdown", method="POST")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            end_process_group(process, grace_s=5)


@contextmanager
def chromium(profile: Path, width: int, height: int) -> Iterator:
    """Headless Chromium (the system's, with CHROMIUM_FLAGS) on a fresh profile folder, as
    a playwright browser context, closed even when a test fails; skips (or fails in CI)
    without a browser."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()


# -- the page: JupyterLab's state, read through window.jupyterapp ------------------------

NOTEBOOK_READY = """(name) => {
    const app = window.jupyterapp;
    const widget = app && app.shell.currentWidget;
    if (!widget || !widget.context || !widget.sessionContext) return false;
    if (!widget.context.path.endsWith(name)) return false;
    const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
        && widget.context.isReady && widget.content.widgets.length > 0;
}"""

OPEN_NOTEBOOK = """(name) => {
    const open = {path: name, factory: 'Notebook'};
    window.jupyterapp.commands.execute('docmanager:open', open);
    return true;
}"""

CLOSE_NOTEBOOKS = """() => {
    // Close every notebook without saving (run-all changed it; the copy on disk stays as
    // it was).
    const app = window.jupyterapp;
    for (const widget of Array.from(app.shell.widgets('main'))) {
        if (widget.context && widget.context.model) widget.context.model.dirty = false;
        widget.dispose();
    }
    return true;
}"""

CLEAR_AND_RUN_ALL = """() => {
    const commands = window.jupyterapp.commands;
    // Not awaited: awaiting run-all inside evaluate can hang; the test polls for the
    // result instead.
    commands.execute('notebook:clear-all-cell-outputs')
        .then(() => commands.execute('notebook:run-all-cells'));
    return true;
}"""

RUN_STATE = """() => {
    const widget = window.jupyterapp.shell.currentWidget;
    const kernel = widget.sessionContext.session.kernel;
    const cells = widget.content.model.cells;
    let pending = 0, errors = [];
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code' || cell.sharedModel.getSource().trim() === '') continue;
        if (cell.executionCount === null) pending++;
        for (let k = 0; k < cell.outputs.length; k++) {
            // no toJSON for the others: figures are large strings
            if (cell.outputs.get(k).type !== 'error') continue;
            const output = cell.outputs.get(k).toJSON();
            errors.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
        }
    }
    return {pending, errors, idle: kernel.status === 'idle'};
}"""

WATCH_PLOT = """() => {
    // Record each keydown, and each moment a new plot image has been decoded and painted.
    window.__explorer = {keys: [], frames: []};
    const onKey = () => window.__explorer.keys.push(performance.now());
    document.addEventListener('keydown', onKey, true);
    const img = document.querySelector('.rnnlesson-explorer img.rnnlesson-plot');
    new MutationObserver(() => {
        img.decode().catch(() => null).then(() => requestAnimationFrame(
            () => window.__explorer.frames.push(performance.now())));
    }).observe(img, {attributes: true, attributeFilter: ['src']});
    return true;
}"""

PLOT_DIGEST = """async () => {
    // The SHA-256 of the PNG the plot shows: a new image, not only a new URL for the same
    // bytes.
    const img = document.querySelector('.rnnlesson-explorer img.rnnlesson-plot');
    const bytes = await (await fetch(img.src)).arrayBuffer();
    return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
        .map(b => b.toString(16).padStart(2, '0')).join('');
}"""

SHOWN_CONTROLS = """() => Array
    .from(document.querySelectorAll('.rnnlesson-explorer [class*="rnnlesson-"]'))
    .flatMap(node => Array.from(node.classList).filter(c => c.startsWith('rnnlesson-')))
    .map(c => c.slice('rnnlesson-'.length))
    .filter(name => !['explorer', 'readout', 'plot'].includes(name))"""


def run_all_cells(page, timeout_s: float = RUN_ALL_TIMEOUT_S) -> None:
    page.evaluate(CLEAR_AND_RUN_ALL)
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(RUN_STATE)
        assert not state["errors"], (
            f"notebook cells failed in JupyterLab: {state['errors']}"
        )
        if state["pending"] == 0 and state["idle"]:
            return
        assert time.monotonic() < deadline, (
            f"run-all did not finish in {timeout_s} s ({state['pending']} cells left)"
        )
        time.sleep(RUN_ALL_POLL_S)


def text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def control_value(page, name: str) -> str:
    """What a control shows: a slider's readout, or the toggle button that is pressed."""
    if name == "state":
        return text(page, ".rnnlesson-state button.mod-active")
    return text(page, f".rnnlesson-{name} .widget-readout")


def shown_state(page, names: list[str]) -> dict:
    plot = page.locator(".rnnlesson-explorer img.rnnlesson-plot")
    return {
        "controls": {name: control_value(page, name) for name in names},
        "readout": text(page, ".rnnlesson-explorer .rnnlesson-readout"),
        "src": plot.get_attribute("src"),
        "png": page.evaluate(PLOT_DIGEST),
    }


def frames(page) -> int:
    return page.evaluate("() => window.__explorer.frames.length")


def wait_for_new_plot(page, n_frames: int, timeout_ms: int = 10_000) -> None:
    """Wait until more than ``n_frames`` plots were painted and the kernel is idle
    again."""
    page.wait_for_function(
        f"() => window.__explorer.frames.length > {n_frames}",
        timeout=timeout_ms,
        polling=POLL_MS,
    )
    page.wait_for_function(
        "() => "
        "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === "
        "'idle'",
        timeout=timeout_ms,
        polling=POLL_MS,
    )


def assert_changed(before: dict, after: dict, name: str) -> None:
    assert after["controls"][name] != before["controls"][name], (
        f"{name}: the control still shows {before['controls'][name]!r}"
    )
    assert after["readout"] != before["readout"], (
        f"{name}: the readout did not change: {after['readout']!r}"
    )
    assert after["src"] != before["src"] and after["png"] != before["png"], (
        f"{name}: the plot did not change"
    )


def press(page, name: str, key: str = "ArrowRight") -> float:
    """Focus a slider's handle, press ``key``, wait for the new plot; return
    keypress-to-paint ms."""
    page.locator(f".rnnlesson-{name} .noUi-handle").focus()
    n_frames = frames(page)
    page.keyboard.press(key)
    wait_for_new_plot(page, n_frames)
    return page.evaluate(
        "() => window.__explorer.frames[window.__explorer.frames.length - 1]"
        " - window.__explorer.keys[window.__explorer.keys.length - 1]"
    )


def drag(page, name: str, dx: float) -> None:
    handle = page.locator(f".rnnlesson-{name} .noUi-handle")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    assert box is not None, f"the {name} slider handle is not visible"
    n_frames = frames(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=10)
    page.mouse.up()
    wait_for_new_plot(page, n_frames)


def click_other_option(page, name: str) -> None:
    n_frames = frames(page)
    page.locator(f".rnnlesson-{name} button:not(.mod-active)").first.click()
    wait_for_new_plot(page, n_frames)
