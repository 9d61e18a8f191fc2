"""Every notebook with a widget, in a real browser: JupyterLab on 127.0.0.1, driven by headless Chromium.

For each notebook whose stored outputs show a widget (notebooks 01 and 05), the test opens a copy
in one JupyterLab server, runs every cell top to bottom, then moves each control of its explorer:
every slider with the keyboard, one slider also with the mouse, and the starting-state control
with a click. After each move it checks that the slider's own readout, the explorer's readout and
the plot image changed. It prints the keypress-to-new-plot time (median over a few keypresses;
the goal is under 300 ms).

Needs Debian's Chromium (``apt-get install chromium``) and Python playwright
(``pip install playwright``; ``playwright install`` is NOT needed, the system Chromium is used).
Without them the test skips, except in CI (env CI=true), where it fails.
Set RNNLESSON_CHROMIUM to use another Chromium binary.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from processes import end_process_group

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The controls each widget notebook's explorer must show, by the CSS class the package gives them,
# and the one slider also dragged with the mouse. A new notebook with a widget fails the test until
# it is listed here.
CONTROLS = {
    "01_data.ipynb": (["start", "n-points"], "n-points"),
    "05_autoregressive.ipynb": (["start", "n-steps", "warmup", "state"], "n-steps"),
}
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
N_KEYPRESSES = 5
LAB_START_TIMEOUT_S = 40
RUN_ALL_TIMEOUT_S = 60
POLL_MS = 50  # how often a wait asks the page (not every animation frame: that costs the renderer CPU)
RUN_ALL_POLL_S = 0.5


# -- what the test needs, or why it skips --------------------------------------------------------


def find_chromium() -> str | None:
    """The Chromium binary: RNNLESSON_CHROMIUM if set, else Debian's usual places, else PATH."""
    wanted = os.environ.get("RNNLESSON_CHROMIUM")
    for candidate in [wanted] if wanted else CHROMIUM_CANDIDATES:
        path = shutil.which(candidate) if os.sep not in candidate else candidate
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def require_browser() -> str:
    """Return the Chromium path; skip (or fail in CI) with install instructions when something is missing."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Python playwright (pip install playwright; do not run 'playwright install')")
    chromium = find_chromium()
    if chromium is None:
        missing.append("Chromium (apt-get install chromium, or set RNNLESSON_CHROMIUM to a Chromium binary)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message + " (CI=true: a missing browser is a failure, not a skip)")
        pytest.skip(message)
    assert chromium is not None
    return chromium


# -- JupyterLab, started and stopped by a fixture -------------------------------------------------


@dataclass
class Lab:
    url: str
    token: str

    def end_sessions(self) -> None:
        """Shut down every kernel the server runs (a notebook tested, the next one gets the CPU)."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
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
    return [path for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
            if any(WIDGET_VIEW in output.get("data", {}) for cell in json.loads(path.read_text())["cells"]
                   for output in cell.get("outputs", []))]


WIDGET_NOTEBOOKS = widget_notebooks()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a token, fresh config/data/runtime/settings/workspace dirs,
    serving copies of the widget notebooks (the stored notebooks are never modified)."""
    tmp_path = tmp_path_factory.mktemp("lab")
    root, home = tmp_path / "root", tmp_path / "jupyter"
    root.mkdir()
    for notebook in WIDGET_NOTEBOOKS:
        shutil.copy(notebook, root / notebook.name)
    dirs = {name: home / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for path in dirs.values():
        path.mkdir(parents=True)
    (dirs["config"] / "jupyter_server_config.json").write_text(
        json.dumps({"LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
        }})
    )
    notification = dirs["settings"] / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))

    token, port = uuid.uuid4().hex, free_port()
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), IPYTHONDIR=str(dirs["ipython"]),
        PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
    )
    env.pop("JUPYTER_PATH", None)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={dirs['settings']}", f"--LabApp.workspaces_dir={dirs['workspaces']}",
    ]
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env,
                                   cwd=root, start_new_session=True)
    server = Lab(url=f"http://127.0.0.1:{port}", token=token)
    try:
        deadline = time.monotonic() + LAB_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{tail(log)}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {LAB_START_TIMEOUT_S} s:\n{tail(log)}")
                time.sleep(0.2)
        yield server
    finally:
        stop_lab(process, server)


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
    """Headless Chromium (the system's, with CHROMIUM_FLAGS) on a fresh profile folder, as a playwright
    browser context, closed even when a test fails; skips (or fails in CI) without a browser."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    with chromium(tmp_path_factory.mktemp("chromium-profile"), 1400, 1000) as context:
        yield context


@pytest.fixture(scope="module")
def lab_page(browser_context, lab: Lab):
    """One page with JupyterLab loaded once (a fresh workspace) for all the notebooks."""
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{lab.url}/lab?reset&token={lab.token}")
    page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell)", timeout=40_000, polling=POLL_MS)
    page.evaluate("async () => { await window.jupyterapp.restored; return true; }")  # ready for commands
    return page


@pytest.fixture
def page(lab_page, lab: Lab):
    """The JupyterLab page for one notebook; afterwards the notebook is closed without saving and
    the server's kernels shut down, so the next notebook has the CPU."""
    try:
        yield lab_page
    finally:
        lab_page.evaluate(CLOSE_NOTEBOOKS)
        lab.end_sessions()


# -- the page: JupyterLab's state, read through window.jupyterapp ---------------------------------

NOTEBOOK_READY = """(name) => {
    const app = window.jupyterapp;
    const widget = app && app.shell.currentWidget;
    if (!widget || !widget.context || !widget.sessionContext || !widget.context.path.endsWith(name)) return false;
    const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
        && widget.context.isReady && widget.content.widgets.length > 0;
}"""

OPEN_NOTEBOOK = """(name) => {
    window.jupyterapp.commands.execute('docmanager:open', {path: name, factory: 'Notebook'});
    return true;
}"""

CLOSE_NOTEBOOKS = """() => {
    // Close every notebook without saving (run-all changed it; the copy on disk stays as it was).
    const app = window.jupyterapp;
    for (const widget of Array.from(app.shell.widgets('main'))) {
        if (widget.context && widget.context.model) widget.context.model.dirty = false;
        widget.dispose();
    }
    return true;
}"""

CLEAR_AND_RUN_ALL = """() => {
    const commands = window.jupyterapp.commands;
    // Not awaited: awaiting run-all inside evaluate can hang; the test polls for the result instead.
    commands.execute('notebook:clear-all-cell-outputs').then(() => commands.execute('notebook:run-all-cells'));
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
            if (cell.outputs.get(k).type !== 'error') continue;  // no toJSON: figures are large strings
            const output = cell.outputs.get(k).toJSON();
            errors.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
        }
    }
    return {pending, errors, idle: kernel.status === 'idle'};
}"""

WATCH_PLOT = """() => {
    // Record each keydown, and each moment a new plot image has been decoded and painted.
    window.__explorer = {keys: [], frames: []};
    document.addEventListener('keydown', () => window.__explorer.keys.push(performance.now()), true);
    const img = document.querySelector('.rnnlesson-explorer img.rnnlesson-plot');
    new MutationObserver(() => {
        img.decode().catch(() => null).then(() => requestAnimationFrame(
            () => window.__explorer.frames.push(performance.now())));
    }).observe(img, {attributes: true, attributeFilter: ['src']});
    return true;
}"""

PLOT_DIGEST = """async () => {
    // The SHA-256 of the PNG the plot shows: a new image, not only a new URL for the same bytes.
    const img = document.querySelector('.rnnlesson-explorer img.rnnlesson-plot');
    const bytes = await (await fetch(img.src)).arrayBuffer();
    return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
        .map(b => b.toString(16).padStart(2, '0')).join('');
}"""

SHOWN_CONTROLS = """() => Array.from(document.querySelectorAll('.rnnlesson-explorer [class*="rnnlesson-"]'))
    .flatMap(node => Array.from(node.classList).filter(c => c.startsWith('rnnlesson-')))
    .map(c => c.slice('rnnlesson-'.length))
    .filter(name => !['explorer', 'readout', 'plot'].includes(name))"""


def run_all_cells(page, timeout_s: float = RUN_ALL_TIMEOUT_S) -> None:
    page.evaluate(CLEAR_AND_RUN_ALL)
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(RUN_STATE)
        assert not state["errors"], f"notebook cells failed in JupyterLab: {state['errors']}"
        if state["pending"] == 0 and state["idle"]:
            return
        assert time.monotonic() < deadline, f"run-all did not finish in {timeout_s} s ({state['pending']} cells left)"
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
    """Wait until more than ``n_frames`` plots were painted and the kernel is idle again."""
    page.wait_for_function(f"() => window.__explorer.frames.length > {n_frames}", timeout=timeout_ms, polling=POLL_MS)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=timeout_ms, polling=POLL_MS,
    )


def assert_changed(before: dict, after: dict, name: str) -> None:
    assert after["controls"][name] != before["controls"][name], f"{name}: the control still shows {before['controls'][name]!r}"
    assert after["readout"] != before["readout"], f"{name}: the readout did not change: {after['readout']!r}"
    assert after["src"] != before["src"] and after["png"] != before["png"], f"{name}: the plot did not change"


def press(page, name: str, key: str = "ArrowRight") -> float:
    """Focus a slider's handle, press ``key``, wait for the new plot; return keypress-to-paint ms."""
    page.locator(f".rnnlesson-{name} .noUi-handle").focus()
    n_frames = frames(page)
    page.keyboard.press(key)
    wait_for_new_plot(page, n_frames)
    return page.evaluate("() => window.__explorer.frames[window.__explorer.frames.length - 1]"
                         " - window.__explorer.keys[window.__explorer.keys.length - 1]")


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


# -- the test -------------------------------------------------------------------------------------


def test_the_widget_notebooks_are_the_ones_listed() -> None:
    assert [path.name for path in WIDGET_NOTEBOOKS] == sorted(CONTROLS), (
        "list each notebook with a widget, and its controls, in CONTROLS")


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_every_control_redraws_its_plot_in_jupyterlab(page, lab: Lab, name: str) -> None:
    controls, dragged = CONTROLS[name]
    began = time.monotonic()
    page.evaluate(OPEN_NOTEBOOK, name)
    page.wait_for_function(NOTEBOOK_READY, arg=name, timeout=40_000, polling=POLL_MS)
    run_all_cells(page)
    ran_s = time.monotonic() - began

    assert page.locator(".rnnlesson-explorer").count() == 1, "one explorer on show"
    plot = page.locator(".rnnlesson-explorer img.rnnlesson-plot")
    plot.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.rnnlesson-explorer img.rnnlesson-plot').complete",
                           polling=POLL_MS)
    # JupyterLab renders cells lazily: after run-all the view sits at the notebook's end, and the
    # slider readouts of a cell scrolled back into view get their text a moment later.
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.rnnlesson-explorer .widget-readout'))"
        ".every(node => node.innerText.trim() !== '')", polling=POLL_MS,
    )
    assert page.evaluate(SHOWN_CONTROLS) == controls, "the explorer shows other controls than listed"
    page.evaluate(WATCH_PLOT)

    latencies_ms = []
    for control in controls:
        before = shown_state(page, controls)
        if control == "state":
            click_other_option(page, control)
        else:
            latencies_ms.append(press(page, control))
        after = shown_state(page, controls)
        assert_changed(before, after, control)
        if control != "state":
            assert float(after["controls"][control]) > float(before["controls"][control]), (control, before, after)
        untouched = [other for other in controls if other != control]
        assert all(after["controls"][o] == before["controls"][o] for o in untouched), "only one control moved"

    # The first slider a few more times with the keyboard, for the latency figure.
    for _ in range(N_KEYPRESSES - 1):
        latencies_ms.append(press(page, controls[0]))

    # The mouse: drag one slider's handle to the right.
    before = shown_state(page, controls)
    drag(page, dragged, 150)
    after = shown_state(page, controls)
    assert_changed(before, after, dragged)
    assert int(after["controls"][dragged]) > int(before["controls"][dragged])
    if dragged == "n-steps":
        assert f"over {after['controls'][dragged]} predicted steps" in after["readout"], (
            f"the kernel's readout {after['readout']!r} does not match the slider")
    if dragged == "n-points":
        assert f"{int(after['controls'][dragged]) - 1} inputs x" in after["readout"], after["readout"]

    median = statistics.median(latencies_ms)
    print(
        f"\n{name}: run all {ran_s:.1f} s; keypress to new plot: median {median:.0f} ms over {len(latencies_ms)} "
        f"keypresses (each: {', '.join(f'{v:.0f}' for v in latencies_ms)}; goal < 300 ms); "
        f"test body {time.monotonic() - began:.1f} s"
    )
