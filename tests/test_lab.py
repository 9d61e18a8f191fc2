"""`make lab` (course/lab.py): the environment's JupyterLab settings turn the news prompt off, the
server starts (as root too: this test runs as whatever user runs the suite, root in CI), and the
script prints exactly one URL, which opens JupyterLab with the news and update checks set to Never."""

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

from course import lab
from processes import end_process_group

ROOT = Path(__file__).resolve().parent.parent


def test_settings_are_merged_into_the_environments_overrides(tmp_path):
    path = lab.overrides_path(str(tmp_path))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                lab.NOTIFICATION: {"fetchNews": "none", "doNotDisturbMode": True}}))
    assert lab.write_settings(str(tmp_path)) == path
    assert json.loads(path.read_text()) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        lab.NOTIFICATION: {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
    }


def test_allow_root_only_for_root_and_no_browser_without_one():
    assert "--allow-root" in lab.command(8888, [], is_root=True, browser=False)
    assert "--allow-root" not in lab.command(8888, [], is_root=False, browser=False)
    assert "--no-browser" in lab.command(8888, [], is_root=False, browser=False)
    assert "--no-browser" not in lab.command(8888, [], is_root=False, browser=True)


@pytest.mark.slow
def test_make_lab_prints_one_url_that_opens_jupyterlab_without_the_news_prompt(tmp_path):
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    env.pop("JUPYTER_TOKEN", None)
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "course.lab"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while "Open this URL" not in log.read_text() or not log.read_text().rstrip().endswith("terminal."):
            assert process.poll() is None, f"make lab exited with {process.returncode}:\n{log.read_text()}"
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
        request = urllib.request.Request(f"{base}/lab/api/settings/{lab.NOTIFICATION}",
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
        # overrides.json replaces the schema's defaults; the package's own default for fetchNews is
        # "none", which is what makes JupyterLab ask.
        defaults = {name: answer["schema"]["properties"][name]["default"] for name in lab.QUIET}
        assert defaults == lab.QUIET, defaults
        assert not set(lab.QUIET) & set(answer.get("settings") or {}), answer.get("settings")
    finally:
        end_process_group(process, grace_s=20)
