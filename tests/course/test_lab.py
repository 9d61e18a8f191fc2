"""`make lab` (course/lab.py): the environment's JupyterLab settings turn the news prompt
off, the server starts (as root too: this test runs as whatever user runs the suite, root
in CI), and the
script prints exactly one URL, which opens JupyterLab with the news and update checks set
to Never. By default it serves the student edition: the server's contents API lists the
series' notebooks without one solution cell; EDITION=instructor serves notebooks/, and
LAB_ARGS may name another folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import nbformat

from course import lab, student
from course.series import is_solution, series
from tests.helpers.processes import end_process_group

ROOT = Path(__file__).resolve().parents[2]


def test_settings_are_merged_into_the_environments_overrides(tmp_path):
    path = lab.overrides_path(str(tmp_path))
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                lab.NOTIFICATION: {"fetchNews": "none", "doNotDisturbMode": True},
            }
        )
    )
    assert lab.write_settings(str(tmp_path)) == path
    assert json.loads(path.read_text()) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        lab.NOTIFICATION: {
            "fetchNews": "false",
            "checkForUpdates": False,
            "doNotDisturbMode": True,
        },
    }


def test_allow_root_only_for_root_and_no_browser_without_one():
    assert "--allow-root" in lab.command(8888, [], is_root=True, browser=False)
    assert "--allow-root" not in lab.command(8888, [], is_root=False, browser=False)
    assert "--no-browser" in lab.command(8888, [], is_root=False, browser=False)
    assert "--no-browser" not in lab.command(8888, [], is_root=False, browser=True)


def test_a_root_dir_in_lab_args_replaces_the_editions_folder_instead_of_doubling_it(
    tmp_path,
):
    for extra in (
        ["--ServerApp.root_dir=build/student"],
        ["--notebook-dir", "build/student"],
    ):
        line = lab.command(8888, extra, is_root=False, browser=False, root_dir=tmp_path)
        roots = [arg for arg in line if arg.split("=")[0] in lab.ROOT_DIR_OPTIONS]
        assert roots == extra[:1], line
        assert lab.given_root_dir(extra) == "build/student"
    line = lab.command(
        8888, ["--ServerApp.ip=0.0.0.0"], is_root=False, browser=False, root_dir=tmp_path
    )
    assert f"--ServerApp.root_dir={tmp_path}" in line and "--ServerApp.ip=0.0.0.0" in line


def test_the_student_edition_is_the_default_and_the_instructor_edition_a_choice():
    assert lab.split_edition(["--ServerApp.ip=0.0.0.0"]) == (
        "student",
        ["--ServerApp.ip=0.0.0.0"],
    )
    assert lab.split_edition(["--edition", "instructor", "-y"]) == ("instructor", ["-y"])
    assert lab.split_edition(["--edition=student"]) == ("student", [])
    assert lab.EDITIONS == {"student": student.DEFAULT_OUT, "instructor": lab.NOTEBOOKS}
    with pytest.raises(
        SystemExit, match="--edition must be one of student, instructor, got 'teacher'"
    ):
        lab.split_edition(["--edition", "teacher"])


def test_a_learners_copy_is_never_overwritten_and_a_missing_one_is_written(tmp_path):
    first = series()[0]
    (tmp_path / first.name).write_text("my work")
    written = student.write_missing(tmp_path)
    assert [path.name for path in written] == [path.name for path in series()[1:]]
    assert (tmp_path / first.name).read_text() == "my work"
    assert student.write_missing(tmp_path) == []


def contents(base: str, token: str, path: str = "") -> dict:
    request = urllib.request.Request(
        f"{base}/api/contents/{path}", headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_make_lab_prints_one_url_that_opens_jupyterlab_without_the_news_prompt(tmp_path):
    env = os.environ | {
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "DISPLAY": "",
        "WAYLAND_DISPLAY": "",
    }
    env.pop("JUPYTER_TOKEN", None)
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "course.lab"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while (
            "Open this URL" not in log.read_text()
            or not log.read_text().rstrip().endswith("terminal.")
        ):
            assert process.poll() is None, (
                f"make lab exited with {process.returncode}:\n{log.read_text()}"
            )
            assert time.monotonic() < deadline, f"no URL within 90 s:\n{log.read_text()}"
            time.sleep(0.2)
        printed = log.read_text()
        urls = re.findall(r"https?://\S+", printed)
        assert len(urls) == 1, f"make lab should print one URL, printed:\n{printed}"
        url = urls[0]
        assert re.fullmatch(r"http://localhost:\d+/lab\?token=[0-9a-f]{48}", url), url
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"JupyterLab" in response.read()
        base, token = url.split("/lab?token=")
        request = urllib.request.Request(
            f"{base}/lab/api/settings/{lab.NOTIFICATION}",
            headers={"Authorization": f"token {token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
        # overrides.json replaces the schema's defaults; the package's own default for
        # fetchNews is "none", which is what makes JupyterLab ask.
        defaults = {
            name: answer["schema"]["properties"][name]["default"] for name in lab.QUIET
        }
        assert defaults == lab.QUIET, defaults
        assert not set(lab.QUIET) & set(answer.get("settings") or {}), answer.get(
            "settings"
        )
        # What the learner sees: the student edition, every notebook of the series, no
        # solution cell.
        listed = sorted(
            item["name"]
            for item in contents(base, token)["content"]
            if item["type"] == "notebook"
        )
        assert listed == [path.name for path in series()], listed
        for name in listed:
            served = nbformat.from_dict(contents(base, token, name)["content"])
            solutions = [cell.id for cell in served.cells if is_solution(cell)]
            assert solutions == [], f"{name} served with solution cells {solutions}"
            assert served.cells[1].id == "student-edition-note", name
    finally:
        end_process_group(process, grace_s=20)
