from pathlib import Path

import pytest
import torch

import cpu_paths

# A 10-unit RNN runs faster, and steadier on a shared machine, on one thread (as set_seed does
# in the notebooks).
torch.set_num_threads(1)

_summaries: list[str] = []


def pytest_addoption(parser):
    parser.addoption("--cpu-paths-early", action="store_true",
                     help="start the series' runs under other CPU code paths when the session starts (make test)")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist starts its workers, so they inherit the folder
def pytest_sessionstart(session):
    config = session.config
    if config.getoption("cpu_paths_early") and not hasattr(config, "workerinput"):
        cpu_paths.start_early(Path(config.rootpath) / "build" / "cpu-paths")


def pytest_runtest_logreport(report):
    """Collect the closing lines that the CPU-path tests record (also from xdist workers)."""
    if report.when == "call":
        _summaries.extend(value for name, value in report.user_properties if name == "cpu_path_summary")


def pytest_terminal_summary(terminalreporter):
    if _summaries:
        terminalreporter.write_sep("-", "the series under other CPU code paths")
        for line in sorted(_summaries):
            terminalreporter.write_line(line)


def pytest_configure(config):
    """Keep the collection order below when pytest-xdist hands out files: by default it sends the
    files with the most tests first, which would leave the long browser test for the end."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """The longest files first, the CPU-path checks last: the browser test (JupyterLab, Chromium
    and a kernel per widget notebook), then the series' notebooks, largest file first, then the
    package's tests, the larger files (most often the slower ones) first. With `make test`'s 2 workers (--dist loadfile) the long files then overlap with
    everything else, many short ones fill the end, and the CPU-path checks, which wait for runs
    started with the session, come when those runs are done."""
    def order(item) -> tuple[int, int]:
        path = Path(str(item.fspath))
        if path.name.startswith("test_cpu_path_"):
            return 3, 0
        if path.name == "test_browser.py":
            return 0, 0
        if path.suffix == ".ipynb":
            return 1, -path.stat().st_size
        return 2, -path.stat().st_size

    items.sort(key=order)  # stable: the order within each file stays as collected
