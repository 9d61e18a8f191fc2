"""axe-core on the static site: what tests/course/test_site.py's accessibility test runs,
and a report.

axe-core comes from npm, pinned in package.json and installed into node_modules/ (.ci/run
does it; ``ensure_axe`` does it too when npm is there). Each page is opened at every size
of SIZES in every colour mode of MODES:

- "light" and "dark": the browser's prefers-color-scheme emulated, the theme left on
  Furo's "auto";
- "dark (toggle)": a light browser, switched to dark with Furo's own theme button.

    python -m tests.helpers.accessibility [SITE_DIR]                # counts by page,
    size, mode, rule and impact
    python -m tests.helpers.accessibility [SITE_DIR] --shots DIR    # screenshots of every
    page instead
    AXE_PAGES=index,01_data python -m tests.helpers.accessibility   # only these pages
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.14.1"  # as package.json pins it
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
MODES = ("light", "dark", "dark (toggle)")
# impacts that fail the test; "moderate" and "minor" are listed
FAILING = ("serious", "critical")


def ensure_axe() -> Path:
    """axe.min.js of the pinned version, installed with ``npm install`` if missing; skips
    (fails in CI) without npm."""
    if (
        not AXE_JS.is_file()
        or json.loads((AXE_JS.parent / "package.json").read_text())["version"]
        != AXE_VERSION
    ):
        npm = shutil.which("npm")
        if npm is None:
            message = (
                f"the accessibility test needs axe-core {AXE_VERSION} from npm "
                "(npm install), and npm is missing"
            )
            if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
                pytest.fail(message + " (CI=true: a failure, not a skip)")
            pytest.skip(message)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ROOT,
            check=True,
        )
    version = json.loads((AXE_JS.parent / "package.json").read_text())["version"]
    assert version == AXE_VERSION, (
        f"node_modules holds axe-core {version}, package.json pins {AXE_VERSION}"
    )
    return AXE_JS


def open_in_mode(page, url: str, mode: str) -> None:
    """Open ``url`` in ``page`` in colour mode ``mode`` (one of MODES); the page ends up
    in that mode."""
    page.emulate_media(
        color_scheme="light" if mode == "light" or "toggle" in mode else "dark"
    )
    page.goto(url)
    # Furo's choice from an earlier page: back to auto
    page.evaluate("() => localStorage.removeItem('theme')")
    page.reload()
    page.wait_for_load_state("load")
    if "toggle" in mode:
        toggle = page.locator("button.theme-toggle:visible").first
        toggle.click()  # a light browser: auto -> dark
        page.wait_for_function("() => document.body.dataset.theme === 'dark'")
    scheme = page.evaluate(
        "() => "
        "getComputedStyle(document.body).getPropertyValue('--color-background-primary')"
    )
    dark = scheme.strip().lower() not in ("white", "#fff", "#ffffff")
    assert dark == (mode != "light"), (
        f"{url}: the page should be {mode}, its background is {scheme!r}"
    )


def audit(page) -> list[dict]:
    """axe's violations on the page as it stands: rule id, impact, help text and the
    nodes' selectors."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                ", ".join(n["target"])
                if isinstance(n["target"], list)
                else str(n["target"])
                for n in v["nodes"]
            ],
        }
        for v in result["violations"]
    ]


def audit_site(
    context, base: str, pages: list[str]
) -> dict[tuple[str, str, str], list[dict]]:
    """(page, size, mode) -> violations, for every page at every size in every mode."""
    results = {}
    page = context.new_page()
    try:
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for mode in MODES:
                for name in pages:
                    open_in_mode(page, f"{base}/{name}.html", mode)
                    results[(name, size, mode)] = audit(page)
    finally:
        page.close()
    return results


def counts(results: dict[tuple[str, str, str], list[dict]]) -> Counter:
    """(page, size, mode, rule, impact) -> how many nodes break the rule."""
    total = Counter()
    for (name, size, mode), violations in results.items():
        for v in violations:
            total[(name, size, mode, v["id"], v["impact"])] += len(v["nodes"])
    return total


def report(results: dict[tuple[str, str, str], list[dict]]) -> str:
    lines = []
    for (name, size, mode, rule, impact), n in sorted(counts(results).items()):
        lines.append(f"{name:20} {size:8} {mode:14} {rule:34} {impact:9} {n}")
    by_impact = Counter()
    for (_, _, _, _, impact), n in counts(results).items():
        by_impact[impact] += n
    lines.append(
        f"{len(results)} page views; nodes by impact: {dict(sorted(by_impact.items()))}"
    )
    return "\n".join(lines)


def screenshots(context, base: str, pages: list[str], folder: Path) -> list[Path]:
    """A full-page PNG of each page at each size in light and dark mode, written into
    ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    page = context.new_page()
    try:
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for mode in ("light", "dark"):
                for name in pages:
                    open_in_mode(page, f"{base}/{name}.html", mode)
                    page.evaluate(
                        "() => Promise.all([...document.images].map(i => "
                        "i.decode().catch(() => null)))"
                    )
                    shots.append(folder / f"{name}-{size}-{mode}.png")
                    page.screenshot(path=str(shots[-1]), full_page=True)
    finally:
        page.close()
    return shots


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    import tempfile

    from tests.helpers.browser import chromium
    from tests.helpers.processes import static_site

    shots = Path(argv[argv.index("--shots") + 1]) if "--shots" in argv else None
    argv = [a for a in argv if a != "--shots" and (shots is None or a != str(shots))]
    site = Path(argv[0]) if argv else ROOT / "build" / "site"
    pages = sorted(p.stem for p in site.glob("*.html"))
    if "--pages" in os.environ.get("AXE_PAGES", "--pages"):
        pages = [
            p
            for p in pages
            if not os.environ.get("AXE_PAGES") or p in os.environ["AXE_PAGES"].split(",")
        ]
    ensure_axe()
    with (
        static_site(site) as url,
        tempfile.TemporaryDirectory() as profile,
        chromium(Path(profile), 1366, 900) as context,
    ):
        if shots is not None:
            print("\n".join(map(str, screenshots(context, url, pages, shots))))
            return 0
        results = audit_site(context, url, pages)
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
