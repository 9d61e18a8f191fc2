"""`make setup TORCH_FIND_LINKS=DIR` (make test-class): a fresh .venv gets PyTorch's CPU
build from a folder of wheels, handed to pip for torch alone, and the package with what a
learner needs from the
index, nothing more (no test, site or class extra). PyTorch's CPU index cannot be reached
from these machines; TORCH_INDEX hands pip the same option with --index-url instead, so
this tests its plumbing.

The folder is made as the README says, `pip download torch==2.13.0 -d DIR`. pip's
configuration files are switched off for both steps (PIP_CONFIG_FILE=/dev/null), so the
only CPU wheel pip can see in the install is the one in DIR. Prints the size of the new
.venv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, getattr(pytest.mark, "class")]

ROOT = Path(__file__).resolve().parents[2]
TORCH = "2.13.0"


def size_bytes(folder: Path) -> int:
    return sum(
        path.lstat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def test_make_setup_installs_cpu_torch_from_a_wheel_folder_and_only_what_learners_need(
    tmp_path,
):
    wheels, venv = tmp_path / "wheels", tmp_path / "venv"
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", f"torch=={TORCH}", "-d", str(wheels)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert download.returncode == 0, download.stderr[-3000:]
    torch_wheels = [p.name for p in wheels.glob("torch-*.whl")]
    assert len(torch_wheels) == 1 and "+cpu" in torch_wheels[0], torch_wheels

    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    setup = subprocess.run(
        [
            "make",
            "setup",
            f"VENV={venv}",
            f"TORCH_FIND_LINKS={wheels}",
            f"PYTHON={sys.executable}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    assert f"--no-index --find-links {wheels}" in setup.stdout, setup.stdout[-2000:]

    python = venv / "bin" / "python"
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    installed = {
        item["name"].lower(): item["version"] for item in json.loads(listed.stdout)
    }
    assert installed["torch"] == f"{TORCH}+cpu", installed.get("torch")
    assert not [name for name in installed if name.startswith("nvidia")], (
        "CUDA libraries were installed"
    )
    for learner_needs in ("rnnlesson", "jupyterlab", "ipywidgets", "matplotlib"):
        assert learner_needs in installed, learner_needs
    for extra in (
        "pytest",
        "nbval",
        "playwright",
        "sphinx",
        "myst-nb",
        "nbgrader",
        "jupyterhub",
    ):
        assert extra not in installed, (
            f"make setup installed {extra}, which a learner does not need"
        )
    check = subprocess.run(
        [
            str(python),
            "-c",
            "import torch, rnnlesson; print(torch.__version__, "
            "torch.cuda.is_available())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert check.stdout.split() == [f"{TORCH}+cpu", "False"], check.stdout + check.stderr
    gigabytes = size_bytes(venv) / 1e9
    print(
        f"\n.venv with the CPU build of torch, what a learner needs: {gigabytes:.2f} GB"
    )
    assert gigabytes < 2.5, f"{gigabytes:.2f} GB"
