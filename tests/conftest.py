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


def pytest_collection_modifyitems(config, items):
    """The series' notebooks first, the CPU-path checks last: with `make test`'s 2 workers
    (--dist loadfile) the longest files then start early, many short ones fill the end, and the
    CPU-path checks, which wait for runs started with the session, come when those runs are done."""
    def order(item) -> int:
        path = Path(str(item.fspath)).name
        return 2 if path.startswith("test_cpu_path_") else 0 if path.endswith(".ipynb") else 1

    items.sort(key=order)  # stable: the order within each group stays as collected
