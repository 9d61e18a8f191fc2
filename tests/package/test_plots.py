import pytest
import torch
from matplotlib.figure import Figure

from rnnlesson import plots
from rnnlesson.data import sine_series, sine_windows


def legend_texts(ax):
    """The entries of the legend that names ``ax``'s lines: its own, or its figure's
    (below the axes)."""
    legend = ax.get_legend() or (ax.figure.legends[0] if ax.figure.legends else None)
    return [t.get_text() for t in legend.get_texts()] if legend else []


def labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and legend_texts(ax)


def test_plot_windows_one_row_per_window():
    fig = plots.plot_windows(sine_windows([0.0, 1.0, 2.0, 3.0]), n_show=2)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    top, bottom = fig.axes
    assert (
        top.get_title() and top.get_ylabel() == "sin(t)" and len(legend_texts(top)) == 2
    )
    assert bottom.get_xlabel() == "time t"  # the rows share one time label, at the bottom
    for ax, start in zip(fig.axes, [0.0, 1.0]):
        x_line, y_line = ax.lines  # inputs and targets of one window
        assert x_line.get_xdata()[0] == pytest.approx(start)
        # targets shifted by one step
        assert list(x_line.get_xdata()[1:]) == list(y_line.get_xdata()[:-1])
        assert "start = " in ax.get_title()
    # never more rows than windows
    assert len(plots.plot_windows(sine_windows([0.0]), n_show=3).axes) == 1
    with pytest.raises(ValueError, match="n_show must be >= 1"):
        plots.plot_windows(sine_windows([0.0]), n_show=0)


def test_plot_losses_log_scale_per_history():
    fig = plots.plot_losses({"a": [1.0, 0.1], "b": torch.tensor([2.0, 1.0, 0.5])})
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "log"]
    assert all(labelled(ax) for ax in fig.axes)
    assert list(fig.axes[1].lines[0].get_ydata()) == [2.0, 1.0, 0.5]
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_losses({})
    with pytest.raises(ValueError, match="'a' is empty"):
        plots.plot_losses({"a": []})


def test_plot_rollout_places_predictions_after_warmup():
    s = sine_series([0.0], n_points=30)
    fig = plots.plot_rollout(s.t[0], s.values[0], {"rollout": torch.zeros(20)}, warmup=4)
    ax = fig.axes[0]
    assert labelled(ax)
    truth, warm, pred = ax.lines
    assert len(warm.get_xdata()) == 4
    assert pred.get_xdata()[0] == pytest.approx(s.t[0, 4].item())
    # the truth stays visible over a prediction
    assert truth.get_zorder() > pred.get_zorder()
    no_marks = plots.plot_rollout(
        s.t[0], s.values[0], {"one-step": torch.zeros(29)}, warmup=1, show_warmup=False
    )
    assert [line.get_label() for line in no_marks.axes[0].lines] == ["truth", "one-step"]
    with pytest.raises(ValueError, match="has 40 steps"):
        plots.plot_rollout(s.t[0], s.values[0], {"rollout": torch.zeros(40)}, warmup=4)
    with pytest.raises(ValueError, match="warmup must be >= 1"):
        plots.plot_rollout(s.t[0], s.values[0], {}, warmup=0)


def test_plot_error_by_horizon():
    fig = plots.plot_error_by_horizon(
        {"k=1": torch.ones(5), "k=5": torch.full((5,), 0.5)}
    )
    ax = fig.axes[0]
    assert labelled(ax) and len(ax.lines) == 2 and ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4, 5]
    assert list(ax.lines[1].get_ydata()) == [0.5] * 5
    fig = plots.plot_error_by_horizon(
        {"a": torch.ones(60)}, title="T", xlabel="position", mark=49, mark_label="49"
    )
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel()) == ("T", "position")
    assert list(ax.lines[-1].get_xdata()) == [49, 49] and ax.lines[-1].get_label() == "49"
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_error_by_horizon({})


def test_plot_error_by_warmup():
    fig = plots.plot_error_by_warmup(
        [1, 2, 5], {"ours": [0.5, 0.03, 0.01], "other": torch.tensor([0.3, 0.3, 0.3])}
    )
    ax = fig.axes[0]
    assert labelled(ax) and ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 5]
    assert list(ax.lines[0].get_ydata()) == [0.5, 0.03, 0.01]
    with pytest.raises(ValueError, match="has 2 values for 3 warm-ups"):
        plots.plot_error_by_warmup([1, 2, 5], {"ours": [0.5, 0.03]})
    with pytest.raises(ValueError, match="warmup must be >= 1"):
        plots.plot_error_by_warmup([0, 1], {"ours": [0.5, 0.03]})
    with pytest.raises(ValueError, match="at least one entry"):
        plots.plot_error_by_warmup([], {})


def all_text_sizes(fig):
    from matplotlib.text import Text

    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]


def boxes(fig):
    from matplotlib.patches import FancyBboxPatch

    return [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]


def test_plot_unrolled_is_drawn_from_the_model_sizes():
    default = plots.plot_unrolled(hidden_size=10, num_layers=1, n_steps=4)
    deep = plots.plot_unrolled(hidden_size=3, num_layers=2, n_steps=4)
    # inputs, one row of hidden states per layer, predictions, and an h_0 per layer
    assert len(boxes(default)) == 4 * (1 + 2) + 1
    assert len(boxes(deep)) == 4 * (2 + 2) + 2
    texts = [t.get_text() for t in deep.axes[0].texts]
    assert (
        texts.count("h_1\n[batch, 3]") == 2
        and "x_4\n[batch, 1]" in texts
        and "pred_4\n[batch, 1]" in texts
    )
    assert any("= [2, batch, 3]" in t for t in texts), (
        "the final hidden state's shape follows the sizes"
    )
    assert not any("[batch, 10]" in t for t in texts)
    assert "num_layers=2" in deep.axes[0].get_title()
    assert "W_hh" in plots.alt_text(deep) and "[2, batch, 3]" in plots.alt_text(deep)
    assert min(all_text_sizes(deep)) >= plots.MIN_TEXT_PT


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"hidden_size": 0}, "hidden_size must be >= 1"),
        ({"hidden_size": 3, "num_layers": 7}, r"num_layers must be in \[1, 6\]"),
        ({"hidden_size": 3, "n_steps": 9}, r"n_steps must be in \[1, 8\]"),
    ],
)
def test_plot_unrolled_refuses_sizes_it_cannot_draw(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_unrolled(**kwargs)


def test_plot_hidden_states_one_heatmap_per_model():
    w = sine_windows([0.0])
    states = {"a": torch.zeros(49, 10), "b": torch.linspace(-1, 1, 49 * 4).reshape(49, 4)}
    fig = plots.plot_hidden_states(w.x[0], states)
    top, *maps = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(maps) == 2 and len(top.lines) == 1 and len(top.lines[0].get_xdata()) == 49
    for ax, (name, state) in zip(maps, states.items()):
        (image,) = ax.images
        # a row per unit, a column per step
        assert image.get_array().shape == (state.shape[1], 49)
        assert (
            image.get_clim() == (-1, 1)
            and name in ax.get_title()
            and ax.get_ylabel() == "hidden unit"
        )
    assert maps[-1].get_xlabel().startswith("step t")
    assert min(all_text_sizes(fig)) >= plots.MIN_TEXT_PT


def test_plot_hidden_states_checks_shapes():
    with pytest.raises(
        ValueError,
        match=r"states\['a'\] must be a tensor shaped "
        r"\[seq_len, hidden\] = \[49, hidden\]",
    ):
        plots.plot_hidden_states(torch.zeros(49), {"a": torch.zeros(48, 10)})
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_hidden_states(torch.zeros(49), {})


def test_plot_ablation_one_dot_per_seed_and_a_median_per_configuration():
    scores = {"a/b": [0.1, 0.3, 0.2], "c/d": torch.tensor([0.05, 0.07, 1.2])}
    fig = plots.plot_ablation(scores, reference={"train()": 0.014})
    ax = fig.axes[0]
    assert labelled(ax) and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a/b", "c/d"]
    dots_a, median_a, dots_c, median_c, reference = ax.lines
    assert sorted(dots_a.get_ydata()) == [0.1, 0.2, 0.3] and list(
        median_a.get_ydata()
    ) == [0.2, 0.2]
    assert list(dots_c.get_ydata()) == pytest.approx(
        [0.05, 0.07, 1.2]
    ) and median_c.get_ydata()[0] == pytest.approx(0.07)
    assert all(-0.5 < x < 0.5 for x in dots_a.get_xdata()) and all(
        0.5 < x < 1.5 for x in dots_c.get_xdata()
    )
    assert list(reference.get_ydata()) == [0.014, 0.014]
    assert legend_texts(ax) == ["one seed", "median", "train()"]
    assert min(all_text_sizes(fig)) >= plots.MIN_TEXT_PT
    with pytest.raises(ValueError, match="at least one configuration"):
        plots.plot_ablation({})
    with pytest.raises(
        ValueError, match=r"scores\['a'\] must hold positive finite numbers"
    ):
        plots.plot_ablation({"a": [0.1, float("inf")]})


# -- every reader: colours, alt text, the phone-width font floor -------------------------

# a figure's width on a 390 px phone in the dark panel (tests/course/test_site.py measures
# it)
PHONE_COLUMN_PX = 352
PHONE_FLOOR_PX = 9


def lesson_figures():
    """One figure from every plotting function, with arguments like the notebooks'."""
    from rnnlesson import stacking
    from rnnlesson.gradients import grad_states

    s = sine_series([0.0], n_points=60)
    w = sine_windows([0.0, 1.0, 2.0, 3.0])
    model = torch.nn.Linear(2, 1)
    from rnnlesson.model import SineRNN

    # the longest parameter names of notebook 04
    two = grad_states({"a": SineRNN(), "b": SineRNN()})
    norms = [
        {"weight": 1.0, "bias": 1.0},
        {"weight": 2.0, "bias": 2.0},
        {"weight": 3.0, "bias": 3.0},
    ]
    return {
        "windows": plots.plot_windows(w, n_show=4),
        "losses": plots.plot_losses(
            {
                "original loop: 1 window per step, Adam": [1.0, 0.1, 0.01],
                "train(): 64 windows per evaluation, L-BFGS": [1.0, 0.01],
            }
        ),
        "rollout": plots.plot_rollout(
            s.t[0],
            s.values[0],
            {
                "trained, from zeros": torch.zeros(40),
                "original post, leftover state": torch.ones(40),
                "a third": torch.ones(40),
                "a fourth": -torch.ones(40),
            },
            warmup=5,
            title="Rollouts from four starting states",
        ),
        "horizon": plots.plot_error_by_horizon(
            {"trained": torch.ones(200), "original post": torch.ones(200) * 2},
            mark=49,
            mark_label="training window (49 steps)",
        ),
        "warmup": plots.plot_error_by_warmup(
            [1, 2, 5, 10, 20],
            {"trained": [0.5, 0.1, 0.05, 0.01, 0.01], "original post": [0.5] * 5},
        ),
        "ablation": plots.plot_ablation(
            {f"choice {i}\nmore": [0.1, 0.2, 0.3] for i in range(6)},
            reference={"shipped trained model": 0.01, "original post": 0.5},
        ),
        "unrolled": plots.plot_unrolled(8, 1, 4),
        "unrolled deep": plots.plot_unrolled(8, 2, 3),
        "hidden": plots.plot_hidden_states(
            w.x[0], {"trained": torch.zeros(49, 8), "untrained": torch.zeros(49, 8)}
        ),
        "grad norms": plots.plot_grad_norms(
            {
                "without clearing": norms,
                "model.zero_grad() before each call": norms[:1] * 3,
            }
        ),
        "grad states": plots.plot_grad_states(
            {
                "before backward": grad_states(model),
                "after loss.backward()": grad_states(model),
            }
        ),
        "row order": plots.plot_row_order(3, 4),
        "grad states, two models": plots.plot_grad_states(
            {
                "after backward": two,
                "model_a.zero_grad()": two,
                "optimizer.zero_grad()": two,
            },
            title="Case 2: one optimizer over two models",
        ),
    }


@pytest.fixture(scope="module")
def figures():
    return lesson_figures()


def png_size_and_smallest(fig):
    import base64
    import io

    from PIL import Image

    data, metadata = plots.png_with_alt(fig)
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    return image, metadata


@pytest.fixture(scope="module")
def pngs(figures):
    """Each figure as a notebook shows it (a PNG with its text chunks, and the output's
    metadata), rendered once for the tests below."""
    return {name: png_size_and_smallest(fig) for name, fig in figures.items()}


def test_every_figure_has_alt_text_that_describes_it_in_its_png_and_its_metadata(
    figures, pngs
):
    for name, fig in figures.items():
        image, metadata = pngs[name]
        alt = metadata["alt"]
        assert alt == image.text[plots.ALT_KEY], (
            f"{name}: the PNG should carry the same alt text"
        )
        assert len(alt.split()) >= 8 and not alt.lower().endswith((".png", ".png.")), (
            f"{name}: {alt!r}"
        )
        titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
        titles += [fig._suptitle.get_text()] if fig._suptitle is not None else []
        assert titles and all(" ".join(t.split()) in alt for t in titles), (
            f"{name}: its titles should be in {alt!r}"
        )
    assert "x: time t" in plots.alt_text(
        figures["rollout"]
    ) and "a fourth" in plots.alt_text(figures["rollout"])
    assert "(log scale)" in plots.alt_text(figures["horizon"])


def test_every_figure_keeps_its_text_at_9_css_px_on_a_phone(figures, pngs):
    """At most PHONE_COLUMN_PX wide on the site, each figure's smallest text stays >= 9
    CSS px."""
    for name, fig in figures.items():
        image, _ = pngs[name]
        smallest_px = float(image.text[plots.SMALLEST_TEXT_KEY])
        assert smallest_px == pytest.approx(
            plots.smallest_text_pt(fig) * fig.dpi / 72, abs=0.01
        )
        on_phone = smallest_px * min(1.0, PHONE_COLUMN_PX / image.width)
        assert on_phone >= PHONE_FLOOR_PX, (
            f"{name}: {image.width} px wide with {smallest_px:.1f} px text shows it at "
            f"{on_phone:.1f} CSS px on a phone"
        )


def relative_luminance_difference(a, b):
    from matplotlib.colors import to_rgb

    return abs(
        sum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), to_rgb(a)))
        - sum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), to_rgb(b)))
    )


def simulate(color, kind):
    """``color`` as seen with a colour-vision deficiency (Machado et al. 2009, severity
    1.0)."""
    import numpy as np
    from matplotlib.colors import to_rgb

    matrices = {
        "protanopia": [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ],
        "deuteranopia": [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ],
        "tritanopia": [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ],
    }
    return np.clip(np.array(matrices[kind]) @ np.array(to_rgb(color)), 0, 1)


def test_colours_stay_apart_for_colour_blind_readers_and_lines_differ_by_marker_dash():
    import itertools

    import numpy as np

    n = 4  # the most series one figure of the lesson draws
    styles = [plots.series_style(i) for i in range(n)]
    assert (
        len({s["marker"] for s in styles}) == n
        and len({str(s["linestyle"]) for s in styles}) == n
    )
    for kind in ("protanopia", "deuteranopia", "tritanopia"):
        for a, b in itertools.combinations([s["color"] for s in styles], 2):
            distance = np.linalg.norm(simulate(a, kind) - simulate(b, kind))
            assert distance > 0.2, (
                f"{a} and {b} look alike with {kind} (distance {distance:.2f})"
            )


def test_every_line_of_a_figure_differs_from_the_others_by_marker_or_dash(figures):
    from matplotlib.lines import Line2D

    for name, fig in figures.items():
        for ax in fig.axes:
            lines = [
                line for line in ax.get_lines() if not line.get_label().startswith("_")
            ]
            looks = [(line.get_marker(), str(line.get_linestyle())) for line in lines]
            assert len(set(looks)) == len(looks), (
                f"{name}: lines that differ by colour only: {looks}"
            )
    assert Line2D  # the lines of every panel were compared


def test_the_explorers_figures_meet_the_same_floor():
    from rnnlesson.model import SineRNN
    from rnnlesson.widgets import RolloutExplorer, WindowExplorer

    torch.manual_seed(0)
    for explorer in (
        WindowExplorer(),
        RolloutExplorer({"trained": SineRNN(), "original post": SineRNN()}),
    ):
        image, metadata = png_size_and_smallest(explorer.figure)
        on_phone = float(image.text[plots.SMALLEST_TEXT_KEY]) * min(
            1.0, PHONE_COLUMN_PX / image.width
        )
        assert on_phone >= PHONE_FLOOR_PX, (
            f"{type(explorer).__name__}: {on_phone:.1f} CSS px on a phone"
        )
        assert "Line plot" in metadata["alt"] and "sin(t)" in metadata["alt"]
        lines = [
            line
            for line in explorer.axes.get_lines()
            if not line.get_label().startswith("_")
        ]
        looks = [(line.get_marker(), str(line.get_linestyle())) for line in lines]
        assert len(set(looks)) == len(looks), f"{type(explorer).__name__}: {looks}"


def test_importing_the_plots_changes_nothing_until_show_inline_is_called():
    """No side effect on import: the module's top level only defines (no call runs there),
    and stacking, which the figures use, does not import plots at all."""
    import ast

    from rnnlesson import stacking

    tree = ast.parse(open(plots.__file__).read())
    calls = [
        node.lineno
        for node in tree.body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ]
    assert not calls, f"rnnlesson/plots.py calls something at import, line {calls}"
    imported = {
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(open(stacking.__file__).read()))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not any("plots" in name for name in imported), imported
    plots.show_inline()  # outside Jupyter: nothing to switch, and no error
