"""The course on a real JupyterHub (make test-class): JupyterHub from PyPI with
configurable-http-proxy from npm (node_modules/), course/hub/jupyterhub_config.py (the
dummy authenticator, the simple local
spawner, 127.0.0.1), one instructor and three students, nbgrader's exchange in a temporary
folder.

The instructor releases assignment 01 (01_data) through the exchange. Each student fetches
it, opens it in their own single-user JupyterLab in Chromium (Playwright), runs it, and
submits it: student1 runs all cells, moves a slider and sees the plot change, and answers
the time-step exercise; student2 answers the three Think! checks and the three exercises,
then runs all; student3 only runs all. The instructor collects and autogrades the
submissions, and the gradebook lists the three students with 1, 6 and 0 points of 6. The
test stops the hub, which stops the proxy and the students' servers.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.browser import (
    CLEAR_AND_RUN_ALL,
    NOTEBOOK_READY,
    OPEN_NOTEBOOK,
    PLOT_DIGEST,
    POLL_MS,
    WATCH_PLOT,
    chromium,
    free_port,
    tail,
)
from tests.helpers.nbgrader_course import BIN, Course
from tests.helpers.processes import end_process_group

pytestmark = [pytest.mark.slow, getattr(pytest.mark, "class")]

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "course" / "hub" / "jupyterhub_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
ASSIGNMENT = "01_data"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
INSTRUCTOR, STUDENTS = "instructor", ("student1", "student2", "student3")
ANSWERS = {  # what each student types, by the checker of the exercise
    "student1": {
        "check_time_step": "def time_step_by_hand(n_points):\n    return 10 / (n_points "
        "- 1)"
    },
    "student2": {
        "check_think_post_starts": "import math\npost_starts = [0.0, 1.0, 2.0, 2 * "
        "math.pi]",
        "check_think_count_changes": 'count_changes = "no"',
        "check_think_two_points": "n_inputs, n_targets = 1, 1",
        "check_targets": (
            "def targets_by_hand(start):\n"
            "    t = torch.linspace(start, start + 10, 50)\n"
            "    return torch.sin(t)[1:].reshape(1, 49, 1)"
        ),
        "check_shapes": "def input_shapes(batch):\n    return (batch, 49, 1), (49, "
        "batch, 1)",
        "check_time_step": "def time_step_by_hand(n_points):\n    return 10 / (n_points "
        "- 1)",
    },
    "student3": {},
}
SCORES = {"student1": 1.0, "student2": 6.0, "student3": 0.0}


class Hub:
    def __init__(self, state: Path) -> None:
        if not PROXY.exists():
            pytest.fail(
                f"{PROXY} is missing: make test-class installs it (npm install "
                "configurable-http-proxy)"
            )
        self.state, self.port = state, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password, self.token = secrets.token_hex(12), secrets.token_hex(24)
        self.exchange = state / "exchange"
        self.exchange.mkdir(parents=True)
        self.exchange.chmod(0o777)
        self.env = os.environ | {
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "RNNLESSON_HUB_STATE": str(state),
            "RNNLESSON_HUB_PORT": str(self.port),
            "RNNLESSON_HUB_API_PORT": str(free_port()),
            "RNNLESSON_PROXY_API_PORT": str(free_port()),
            "RNNLESSON_HUB_PASSWORD": self.password,
            "RNNLESSON_HUB_API_TOKEN": self.token,
            "NBGRADER_EXCHANGE": str(self.exchange),
        }
        self.log = state / "hub.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(CONFIG)],
                cwd=state,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def api(self, path: str, method: str = "GET", body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait_up(self, timeout_s: float = 90) -> float:
        began = time.monotonic()
        while True:
            assert self.process.poll() is None, f"jupyterhub exited:\n{tail(self.log)}"
            try:
                self.api("/")
                return time.monotonic() - began
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() - began < timeout_s, (
                    f"the hub did not answer in {timeout_s} s:\n{tail(self.log)}"
                )
                time.sleep(0.5)

    def start_server(self, name: str, timeout_s: float = 120) -> None:
        self.api(f"/users/{name}/server", method="POST")
        deadline = time.monotonic() + timeout_s
        while not (self.api(f"/users/{name}")["servers"].get("", {}).get("ready")):
            assert time.monotonic() < deadline, (
                f"{name}'s server did not start:\n{tail(self.log)}"
            )
            time.sleep(0.5)

    def home(self, name: str) -> Path:
        return self.state / "home" / name

    def nbgrader(self, name: str, *args: str) -> subprocess.CompletedProcess:
        """A student's nbgrader command, in their home (their server's folder)."""
        home = self.home(name)
        home.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                str(BIN / "nbgrader"),
                *args,
                "--course",
                "rnnlesson",
                f"--Exchange.root={self.exchange}",
            ],
            cwd=home,
            env=self.env | {"HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (
            f"{name}: nbgrader {' '.join(args)}:\n{result.stdout}{result.stderr}"
        )
        return result

    def stop(self) -> None:
        # SIGTERM to the hub: it stops the proxy and the users' servers
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            end_process_group(self.process, grace_s=10)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = Hub(tmp_path_factory.mktemp("hub"))
    try:
        print(f"\nthe hub answered after {hub.wait_up():.1f} s")
        yield hub
    finally:
        hub.stop()


# -- the student's JupyterLab, through the hub -------------------------------------------

SET_ANSWERS = """(answers) => {
    const widget = window.jupyterapp.shell.currentWidget;
    const cells = widget.content.model.cells;
    const done = [];
    for (let i = 0; i < cells.length; i++) {
        const meta = cells.get(i).getMetadata('nbgrader') || {};
        const name = (meta.grade_id || '').replace(/^answer-/, '');
        if (meta.solution && name in answers) {
            cells.get(i).sharedModel.setSource(answers[name]);
            done.push(name);
        }
    }
    return done;
}"""

RUN_CELLS_OF = """(name) => {
    // Select the exercise's answer cell and run it and its test cell (not awaited, as
    // run-all).
    const widget = window.jupyterapp.shell.currentWidget;
    const cells = widget.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const meta = cells.get(i).getMetadata('nbgrader') || {};
        if (meta.grade_id === 'answer-' + name) {
            widget.content.activeCellIndex = i;
            const commands = window.jupyterapp.commands;
            commands.execute('notebook:run-cell-and-select-next')
                .then(() => commands.execute('notebook:run-cell-and-select-next'));
            return true;
        }
    }
    return false;
}"""

STATE = """() => {
    // The kernel's status, how many code cells ran, and each graded cell's printed text
    // or error.
    const widget = window.jupyterapp.shell.currentWidget;
    const kernel = widget.sessionContext.session.kernel;
    const cells = widget.content.model.cells;
    let ran = 0, code = 0;
    const tests = {};
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        code++;
        if (cell.executionCount !== null) ran++;
        const meta = cell.getMetadata('nbgrader') || {};
        if (!meta.grade) continue;
        let text = '';
        for (let k = 0; k < cell.outputs.length; k++) {
            const output = cell.outputs.get(k).toJSON();
            const error = output.ename ? output.ename + ': ' + output.evalue : '';
            text += output.text || error;
        }
        tests[meta.grade_id] = {ran: cell.executionCount !== null, text};
    }
    const dirty = widget.context.model.dirty;
    return {idle: kernel.status === 'idle', ran, code, tests, dirty};
}"""


def wait_settled(page, done, timeout_s: float = 240) -> dict:
    """Poll the notebook until ``done(state)`` holds with the kernel idle, twice in a
    row."""
    deadline, settled = time.monotonic() + timeout_s, 0
    while True:
        state = page.evaluate(STATE)
        settled = settled + 1 if state["idle"] and done(state) else 0
        if settled >= 2:
            return state
        assert time.monotonic() < deadline, (
            f"the notebook did not settle in {timeout_s} s: {state}"
        )
        time.sleep(0.5)


def log_in(page, hub: Hub, name: str) -> None:
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab**", timeout=150_000)
    page.wait_for_function(
        "() => !!(window.jupyterapp && window.jupyterapp.shell)",
        timeout=60_000,
        polling=POLL_MS,
    )
    page.evaluate("async () => { await window.jupyterapp.restored; return true; }")


def work_in_the_browser(page, hub: Hub, name: str) -> dict:
    """Log in, open the fetched notebook, work as ANSWERS/the docstring say, save; the
    final state."""
    log_in(page, hub, name)
    page.evaluate(OPEN_NOTEBOOK, NOTEBOOK)
    page.wait_for_function(NOTEBOOK_READY, arg=NOTEBOOK, timeout=120_000, polling=POLL_MS)
    answers = ANSWERS[name]
    if name == "student2":  # answers first, then Run All
        assert sorted(page.evaluate(SET_ANSWERS, answers)) == sorted(answers)
    page.evaluate(CLEAR_AND_RUN_ALL)
    # Run All stops at the first test cell that fails (its assert), or runs every cell.
    state = wait_settled(
        page,
        lambda s: s["ran"] == s["code"]
        or any(t["ran"] and "AssertionError" in t["text"] for t in s["tests"].values()),
    )
    if name == "student1":
        explorer = page.locator(".rnnlesson-explorer img.rnnlesson-plot").first
        explorer.scroll_into_view_if_needed()
        page.evaluate(WATCH_PLOT)
        before = page.evaluate(PLOT_DIGEST)
        page.locator(".rnnlesson-explorer .noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => window.__explorer.frames.length > 0", timeout=30_000, polling=POLL_MS
        )
        wait_settled(page, lambda s: True)
        assert page.evaluate(PLOT_DIGEST) != before, (
            f"{name}: the plot did not change when the slider moved"
        )
        assert page.evaluate(SET_ANSWERS, answers) == list(answers)
        assert page.evaluate(RUN_CELLS_OF, "check_time_step")
        state = wait_settled(
            page,
            lambda s: "Correct" in s["tests"]["test-check_time_step"]["text"],
            timeout_s=120,
        )
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    state = wait_settled(page, lambda s: not s["dirty"])
    page.goto(f"{hub.url}/hub/logout")
    return state


def test_a_class_takes_assignment_01_on_jupyterhub(hub, tmp_path):
    began = time.monotonic()
    hub.api("/users", method="POST", body={"usernames": [INSTRUCTOR, *STUDENTS]})
    users = {user["name"]: user for user in hub.api("/users")}
    assert set(users) == {INSTRUCTOR, *STUDENTS} and users[INSTRUCTOR]["admin"]
    hub.start_server(INSTRUCTOR)

    # The instructor: the course directory in their home, assignment 01 generated and
    # released.
    course = Course(hub.home(INSTRUCTOR) / "course")
    course.env |= {"NBGRADER_EXCHANGE": str(hub.exchange)}
    course.generate(ASSIGNMENT)
    course.run("release_assignment", ASSIGNMENT)
    listed = hub.nbgrader(STUDENTS[0], "list")
    assert ASSIGNMENT in listed.stdout + listed.stderr, listed

    # The students: fetch, work in their own JupyterLab (Chromium), submit.
    states = {}
    with chromium(tmp_path / "profile", 1400, 1000) as context:
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(60_000)
        for name in STUDENTS:
            hub.nbgrader(name, "fetch_assignment", ASSIGNMENT)
            assert (hub.home(name) / NOTEBOOK).exists()
            states[name] = work_in_the_browser(page, hub, name)
            assert hub.api(f"/users/{name}")["servers"][""]["ready"], (
                f"{name}'s server is not running"
            )
            hub.nbgrader(name, "submit", ASSIGNMENT, "--student", name)
    assert "Correct" in states["student1"]["tests"]["test-check_time_step"]["text"]
    assert all("Correct" in t["text"] for t in states["student2"]["tests"].values()), (
        states["student2"]["tests"]
    )

    # The instructor collects, autogrades, and reads the gradebook.
    course.run("collect", ASSIGNMENT)
    assert sorted(p.name for p in (course.root / "submitted").iterdir()) == sorted(
        STUDENTS
    )
    course.run("autograde", ASSIGNMENT)
    grades = course.grades()
    assert {
        student: score for (assignment, student), (score, _) in grades.items()
    } == SCORES, grades
    # 01: three Think! checks, three exercises
    assert all(maximum == 6.0 for _, maximum in grades.values())
    print(
        "the class: release, three students in the browser, collect, autograde, export "
        f"in {time.monotonic() - began:.0f} s; gradebook {grades}"
    )


def test_the_hub_stopped_with_its_proxy_and_servers(hub):
    """Runs last: the hub stopped by the test, and nothing it started still answers."""
    servers = [f"{hub.url}/user/{name}/api/status" for name in (INSTRUCTOR, *STUDENTS)]
    hub.stop()
    assert hub.process.returncode is not None
    for url in [f"{hub.url}/hub/api/", *servers]:
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(url, timeout=5)
    # any process still working in a user's home: a single-user server or its kernel
    left = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")).is_relative_to(
                hub.state / "home"
            ):
                left.append(
                    (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
                )
        except OSError:
            continue
    assert not left, f"still running after the hub stopped: {left}"
