"""The instructors' static site (`make site EDITION=instructor`, course/site.py; the
learners' site is tests/course/test_site_student.py): built once into a temporary folder,
then read as files
and opened page by page in headless Chromium, from disk (file://) and from `python -m
http.server`.

In the browser every page must log no console error and raise no JavaScript error, request
nothing from outside the site (each request is checked, and one to another host is blocked
and reported), show every image (``naturalWidth`` > 0), and every link to the site itself
must resolve: the file exists (or the server answers 200), and a ``#fragment`` names an
element of the page it points to. The test prints how many pages, images and links it
checked.

For every reader: every figure has alt text from its notebook (not a file name), every
folded solution's toggle names its exercise, no page asks for a file that is not there (a
favicon, say), and on a 390 px phone no figure's text is below 9 CSS px (its smallest
text, stored in the PNG by ``plots.png_with_alt``, times its rendered width over its own),
in light and dark mode. The ``a11y`` test (``make test-a11y``, minutes) runs axe-core on
every page at both sizes in both colour modes (tests/helpers/accessibility.py): it fails
on a serious or critical violation and lists the others.

Needs Chromium and Python playwright like tests/browser/test_browser.py, and skips (fails
in CI) the same way.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import nbformat
import pytest

from course import site as course_site
from course.series import is_solution, series
from tests.helpers import accessibility
from tests.helpers.browser import chromium
from tests.helpers.processes import static_site

pytestmark = pytest.mark.slow

SERIES = series()
# in reading order, as prev/next link them
PAGES = ["index", *[p.stem for p in SERIES], *course_site.INSTRUCTOR_PAGES]
OUTSIDE = re.compile(r"^(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    seconds = course_site.build(folder / "site", folder / "src", edition="instructor")
    print(f"\nsite built in {seconds:.1f} s")
    return folder / "site"


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of its inline <style>
    blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text())
    return tags


def loaded_urls(tags: Tags) -> list[str]:
    """What a browser fetches when it opens the page (links to follow are not among
    them)."""
    urls = []
    for tag, attrs in tags.tags:
        if tag in (
            "script",
            "img",
            "iframe",
            "source",
            "audio",
            "video",
            "embed",
        ) and attrs.get("src"):
            urls.append(attrs["src"])
        if (
            tag == "link"
            and attrs.get("href")
            and attrs.get("rel", "")
            not in ("next", "prev", "index", "search", "canonical")
        ):
            urls.append(attrs["href"])
        if tag == "object" and attrs.get("data"):
            urls.append(attrs["data"])
        urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style", ""))
    for css in tags.styles:
        urls += re.findall(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", css)
    return [u if isinstance(u, str) else next(x for x in u if x) for u in urls]


# -- the files ---------------------------------------------------------------------------


def test_the_site_has_an_index_and_one_page_per_notebook(built):
    assert sorted(p.stem for p in built.glob("*.html") if p.stem in PAGES) == sorted(
        PAGES
    )
    index = parse(built / "index.html")
    order = [
        a["href"]
        for tag, a in index.tags
        if tag == "a"
        and a.get("class", "") == "reference internal"
        and a["href"].removesuffix(".html") in PAGES[1 : 1 + len(SERIES)]
    ]
    listed = list(dict.fromkeys(order))
    assert listed == [p.stem + ".html" for p in SERIES], (
        f"the index should list the six notebooks in order: {listed}"
    )
    text = (built / "index.html").read_text()
    sections = text[text.index('id="the-notebooks-in-order"') :].split("<h3")[1:]
    assert len(sections) == len(SERIES)
    for path, section in zip(SERIES, sections):
        assert f'href="{path.stem}.html"' in section.split("</h3>")[0], (
            f"{path.name}: its heading should link to it"
        )
        assert (
            section.count("Prerequisites:") == 1 and "You will be able to" in section
        ), path.name
        assert "Time:</strong> about" in section and "minutes" in section, path.name
        assert section.count("</li>") >= 3, (
            f"{path.name}: the index should say what the learner will be able to do"
        )
    for words in (
        "tensors",
        "autograd",
        "MSE",
        "gradient descent",
        "125 minutes",
        "CC BY 4.0",
        "MIT",
    ):
        assert words in text, f"the index should mention {words!r}"


def test_no_page_loads_anything_from_another_host(built):
    pages = list(built.rglob("*.html"))
    assert len(pages) >= len(PAGES)
    offenders = {
        str(p.relative_to(built)): [u for u in loaded_urls(parse(p)) if OUTSIDE.match(u)]
        for p in pages
    }
    for css in built.rglob("*.css"):
        urls = re.findall(
            r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", css.read_text()
        )
        offenders[str(css.relative_to(built))] = [
            u for pair in urls for u in pair if u and OUTSIDE.match(u)
        ]
    offenders = {name: urls for name, urls in offenders.items() if urls}
    assert not offenders, f"pages that would load from the network: {offenders}"
    text = "\n".join(p.read_text() for p in pages).lower()
    for name in (
        "mathjax.js",
        "tex-mml-chtml",
        "tex-chtml",
        "require.js",
        "requirejs",
        "thebe",
        "fonts.googleapis",
        "cdn.jsdelivr",
        "cdnjs",
        "unpkg.com",
    ):
        assert name not in text, f"a page mentions {name!r}"


def test_notebook_pages_keep_every_figure_and_fold_every_solution(built):
    for path in SERIES:
        nb = nbformat.read(path, as_version=4)
        figures = sum(
            "image/png" in o.get("data", {})
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
        )
        solutions = sum(1 for c in nb.cells if is_solution(c) and c.cell_type == "code")
        page = parse(built / f"{path.stem}.html")
        images = [
            a["src"]
            for tag, a in page.tags
            if tag == "img" and a.get("src", "").startswith("_images/")
        ]
        assert len(images) == figures > 0, (
            f"{path.stem}: {len(images)} images on the page, {figures} stored figures"
        )
        assert all((built / src).stat().st_size > 1000 for src in images)
        folded = [
            a for tag, a in page.tags if tag == "details" and "hide" in a.get("class", "")
        ]
        assert len(folded) == solutions >= 2, (
            f"{path.stem}: {len(folded)} folded cells, {solutions} solutions"
        )
        text = (built / f"{path.stem}.html").read_text()
        assert "three dots" not in text, (
            f"{path.stem}: the JupyterLab folding note should not be on the site"
        )


@pytest.mark.parametrize(
    ("page", "explorer"),
    [("01_data", "WindowExplorer"), ("05_autoregressive", "RolloutExplorer")],
)
def test_each_explorer_shows_as_a_figure_and_says_its_controls_need_a_kernel(
    built, page, explorer
):
    text = (built / f"{page}.html").read_text()
    explorer = text.index(f'{explorer}</span><span class="p">(</span>')
    rest = re.sub(r"<[^>]+>", " ", text[explorer:])
    rest = re.sub(r"\s+", " ", rest)
    assert (
        "needs a running kernel" in rest[:2000] and "above do nothing" in rest[:3000]
    ), rest[:3000]
    figure = text.index("<img", explorer)
    assert figure < text.index("Think!", explorer), (
        "the explorer's static figure should come before Think!"
    )
    assert "widget-view" not in text and "VBox(children" not in text


# -- in the browser ----------------------------------------------------------------------


@pytest.fixture
def server(built):
    """`python -m http.server` on 127.0.0.1 serving the built site."""
    with static_site(built) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium with a fresh profile for both passes (file:// and http), each
    in a page of its own."""
    with chromium(tmp_path_factory.mktemp("chromium-profile"), 1300, 900) as context:
        yield context


PAGE_STATE = """() => ({
    images: [...document.images].map(img => ({
        src: img.currentSrc || img.src, complete: img.complete, width: img.naturalWidth,
    })),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id)
          .concat([...document.querySelectorAll('a[name]')].map(a => a.name)),
    next: (document.querySelector('a.next-page') || {}).href || null,
    prev: (document.querySelector('a.prev-page') || {}).href || null,
})"""


def page_name(url: str) -> str:
    return Path(unquote(urlsplit(url).path)).stem


def exists(url: str, base: str) -> bool:
    if base.startswith("file:"):
        return Path(unquote(urlsplit(url).path)).is_file()
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except urllib.error.URLError:
        return False


@pytest.mark.browser
@pytest.mark.parametrize("how", ["file", "http"])
def test_every_page_opens_without_errors_with_its_images_and_links(
    how, built, browser, request
):
    base = built.as_uri() if how == "file" else request.getfixturevalue("server")
    errors, outside = [], []

    def route(route_):
        url = route_.request.url
        if url.startswith(base) or url.startswith("data:"):
            route_.continue_()
        else:
            outside.append(url)
            route_.abort()

    browser.unroute("**/*")
    browser.route("**/*", route)
    page = browser.new_page()
    page.on(
        "console",
        lambda m: errors.append(f"console {m.type}: {m.text}")
        if m.type == "error"
        else None,
    )
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} for {r.url}") if r.status >= 400 else None,
    )

    opened = [p.name for p in built.glob("*.html")]
    states = {}
    for name in sorted(opened):
        page.goto(f"{base}/{name}")
        page.wait_for_load_state("load")
        page.evaluate(
            "() => Promise.all([...document.images].map(img => img.decode().catch(() => "
            "null)))"
        )
        states[Path(name).stem] = page.evaluate(PAGE_STATE)

    page.close()
    assert not outside, (
        f"requests to outside the site over {how}: {sorted(set(outside))[:10]}"
    )
    assert not errors, f"errors in the browser over {how}: {errors[:10]}"

    images = [(name, img) for name, state in states.items() for img in state["images"]]
    broken = [
        (name, img["src"])
        for name, img in images
        if not (img["complete"] and img["width"] > 0)
    ]
    assert not broken, f"images that did not load over {how}: {broken[:10]}"
    assert sum(1 for name, _ in images if name in PAGES[1:-1]) >= 19, (
        "the notebooks' figures"
    )

    internal = {
        (name, link)
        for name, state in states.items()
        for link in state["links"]
        if link.startswith(base)
    }
    unresolved = []
    for name, link in sorted(internal):
        target, fragment = urldefrag(link)
        stem = page_name(target) if target.rstrip("/") != base else "index"
        if stem in states and target.endswith(".html") or target.rstrip("/") == base:
            if fragment and unquote(fragment) not in states[stem]["ids"]:
                unresolved.append(f"{name}: {link} (no element #{fragment})")
        elif not exists(target, base):
            unresolved.append(f"{name}: {link}")
    assert not unresolved, (
        f"internal links that do not resolve over {how}: {unresolved[:10]}"
    )

    for previous, this, following in zip(PAGES, PAGES[1:], PAGES[2:] + [None]):
        assert page_name(states[this]["prev"]) == previous, f"{this}: previous page"
        assert (
            page_name(states[this]["next"]) if states[this]["next"] else None
        ) == following, f"{this}: next page"
    assert page_name(states["index"]["next"]) == PAGES[1]

    print(
        f"\nsite over {how}: {len(states)} pages, {len(images)} images, "
        f"{len(internal)} internal links ({len({link for _, link in internal})} "
        "distinct) checked"
    )


# -- for every reader --------------------------------------------------------------------


def stored_alt_texts(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [
        o.get("metadata", {}).get("image/png", {}).get("alt", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]


def test_every_figure_has_alt_text_that_describes_it(built):
    from PIL import Image

    from rnnlesson.plots import ALT_KEY

    checked = 0
    for path in SERIES:
        page = parse(built / f"{path.stem}.html")
        images = [
            a
            for tag, a in page.tags
            if tag == "img" and a.get("src", "").startswith("_images/")
        ]
        stored = stored_alt_texts(path)
        assert [a.get("alt", "") for a in images] == stored, (
            f"{path.stem}: the page's alt texts are the notebook's"
        )
        for attrs in images:
            alt = attrs.get("alt", "").strip()
            assert alt, f"{path.stem}: {attrs['src']} has no alt text"
            assert not re.search(r"\.(png|svg|jpe?g)\b|_images/|^[0-9a-f]{16,}", alt), (
                f"{path.stem}: alt is a file name: {alt!r}"
            )
            assert len(alt.split()) >= 8, f"{path.stem}: {alt!r} says too little"
            assert Image.open(built / attrs["src"]).text.get(ALT_KEY) == alt, (
                f"{path.stem}: the PNG keeps the same text"
            )
            checked += 1
    assert checked >= 23
    print(f"\n{checked} figures' alt texts checked")


def test_each_solution_toggle_names_its_exercise(built):
    for path in SERIES:
        text = (built / f"{path.stem}.html").read_text()
        summaries = re.findall(r"<summary([^>]*)>(.*?)</summary>", text, re.DOTALL)
        assert summaries, path.stem
        for attrs, inside in summaries:
            assert "aria-label" not in attrs, (
                f"{path.stem}: a toggle's aria-label hides its words: {attrs}"
            )
        shown = [
            re.sub(r"<[^>]+>|\s+", " ", inside.split('class="expanded')[0]).strip()
            for _, inside in summaries
        ]
        exercises = [
            n for n in re.findall(r"Show the solution to exercise (\d+)", " ".join(shown))
        ]
        assert (
            exercises == [str(i) for i in range(1, len(exercises) + 1)]
            and len(exercises) >= 3
        ), (path.stem, shown)
        assert all(s.startswith("Show the solution to ") for s in shown), (
            path.stem,
            shown,
        )


def test_the_index_says_both_explorers_have_sliders(built):
    text = re.sub(r"<[^>]+>", "", (built / "index.html").read_text())
    assert "sliders of notebooks 01 and 05" in text


PHONE = accessibility.SIZES["phone"]
FIGURE_SIZES = """() => [...document.querySelectorAll('.cell_output img')].map(img => {
    const style = getComputedStyle(img);
    const padding = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
        .reduce((sum, key) => sum + parseFloat(style[key]), 0);
    return {
        src: img.getAttribute('src'), shown: img.getBoundingClientRect().width - padding,
        natural: img.naturalWidth, pageWidth: document.documentElement.scrollWidth,
    };
})"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_figure_text_below_9_css_px_on_a_phone(mode, built, server, browser):
    """At 390 px, each figure's smallest text (stored in its PNG, in image pixels) times
    its shown width over its natural width is at least 9 CSS px; and no page scrolls
    sideways."""
    from PIL import Image

    from rnnlesson.plots import SMALLEST_TEXT_KEY

    smallest, too_small = {}, []
    browser.unroute("**/*")
    page = browser.new_page()
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    try:
        for path in SERIES:
            accessibility.open_in_mode(page, f"{server}/{path.stem}.html", mode)
            page.evaluate(
                "() => Promise.all([...document.images].map(img => img.decode().catch(() "
                "=> null)))"
            )
            for figure in page.evaluate(FIGURE_SIZES):
                assert figure["pageWidth"] <= PHONE[0], (
                    f"{path.stem} scrolls sideways on a phone"
                )
                text_px = float(Image.open(built / figure["src"]).text[SMALLEST_TEXT_KEY])
                css_px = text_px * figure["shown"] / figure["natural"]
                smallest[(path.stem, figure["src"])] = css_px
                if css_px < 9:
                    too_small.append(
                        f"{path.stem} {figure['src']}: {css_px:.1f} CSS px "
                        f"({figure['natural']} px shown at {figure['shown']:.0f})"
                    )
    finally:
        page.close()
    assert len(smallest) >= 23
    assert not too_small, (
        f"figures with text below 9 CSS px on a phone ({mode}): {too_small}"
    )
    print(
        f"\n{mode}: the smallest figure text on a phone is {min(smallest.values()):.2f} "
        "CSS px"
    )


@pytest.mark.a11y
@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violation_on_any_page(built, server, browser):
    accessibility.ensure_axe()
    pages = sorted(p.stem for p in built.glob("*.html"))
    assert set(PAGES) <= set(pages)
    browser.unroute("**/*")
    results = accessibility.audit_site(browser, server, pages)
    # the moderate and minor ones are listed, not failed
    print("\n" + accessibility.report(results))
    failing = [
        f"{name} {size} {mode}: {v['id']} ({v['impact']}) on {v['nodes'][:3]}"
        for (name, size, mode), violations in results.items()
        for v in violations
        if v["impact"] in accessibility.FAILING
    ]
    assert len(results) == len(pages) * len(accessibility.SIZES) * len(
        accessibility.MODES
    )
    assert not failing, (
        f"{len(failing)} serious or critical axe violations: {failing[:10]}"
    )
