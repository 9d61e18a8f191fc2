"""How fast the explorers answer a control, measured side by side in one process.

    python benchmarks/explorer.py [--repeats 41]

update, two models   notebook 05's rollout explorer comparing the trained model with the
                     original post's: one slider change driven from Python, i.e. both
                     rollouts, the new line data, and the plot rendered to an Agg buffer
                     and encoded as the PNG the browser receives (default view: 49 steps
                     after 1 observed point; the largest: 200 steps after 20; and the
                     starting-state control switched)
update, one model    the same explorer with the trained model alone, for the ratio
window explorer      notebook 01's explorer: one start change, a full redraw of its window
rollout              a 200-step free-running rollout alone (``rollout.rollout``, batch 1,
                     warm-up 1)
Each figure is the median over ``--repeats`` runs, after a few unmeasured ones. Floors:
two-model update <= 60 ms, window explorer <= 150 ms, 200-step rollout <= 5 ms; the exit
status is 1 when a median misses its floor. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import torch

from rnnlesson.data import sine_series, sine_windows
from rnnlesson.pretrained import original_model, trained_model
from rnnlesson.reproducibility import set_seed
from rnnlesson.rollout import rollout
from rnnlesson.widgets import (
    SLIDER_MAX_STEPS,
    SLIDER_MAX_WARMUP,
    RolloutExplorer,
    WindowExplorer,
)

UPDATE_FLOOR_MS = 60.0
WINDOW_FLOOR_MS = 150.0
ROLLOUT_FLOOR_MS = 5.0
N_UNMEASURED = 5


def median_ms(action, repeats: int) -> float:
    """Median wall time of ``action(i)`` in milliseconds, after a few unmeasured calls."""
    for i in range(N_UNMEASURED):
        action(i)
    times = []
    for i in range(repeats):
        began = time.perf_counter()
        action(N_UNMEASURED + i)
        times.append(time.perf_counter() - began)
    return 1e3 * statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=41, help="measured runs per figure (median)"
    )
    args = parser.parse_args()
    set_seed(0)
    model = trained_model()
    original, leftover, _ = original_model()
    with torch.no_grad():
        _, other_state = model(sine_windows([2.0]).x)
    pair = RolloutExplorer(
        {"trained": model, "original post": original},
        leftover={"trained": other_state, "original post": leftover},
        start=0.0,
        n_steps=49,
        warmup=1,
    )
    single = RolloutExplorer(model, start=0.0, n_steps=49, warmup=1)
    window = WindowExplorer(start=0.0, n_points=50)

    # what a slider callback does: update() through the observer
    def move_start(explorer):
        def action(i: int) -> None:
            explorer.start_slider.value = round(0.05 + 0.07 * (i % 80), 2)

        return action

    def switch_state(i: int) -> None:
        pair.state_buttons.value = ("zeros", "leftover")[i % 2]

    pair_ms = median_ms(move_start(pair), args.repeats)
    single_ms = median_ms(move_start(single), args.repeats)
    state_ms = median_ms(switch_state, args.repeats)
    window_ms = median_ms(move_start(window), args.repeats)
    pair.set(n_steps=SLIDER_MAX_STEPS, warmup=SLIDER_MAX_WARMUP, state="zeros")
    pair_longest_ms = median_ms(move_start(pair), args.repeats)
    png_kib = len(pair.image.value) / 1024

    observed = sine_series([0.7], n_points=SLIDER_MAX_STEPS + 1).values
    rollout200_ms = median_ms(
        lambda i: rollout(model, observed, n_steps=200, warmup=1), args.repeats
    )

    print(
        f"slider update, two models, 49 steps after 1 point:    {pair_ms:6.1f} ms  "
        f"(floor {UPDATE_FLOOR_MS:.0f} ms)"
    )
    print(
        f"slider update, one model, 49 steps after 1 point:     {single_ms:6.1f} ms  "
        f"(two models / one: {pair_ms / single_ms:.2f})"
    )
    print(f"state switched, two models:                           {state_ms:6.1f} ms")
    print(
        f"slider update, two models, {SLIDER_MAX_STEPS} steps after {SLIDER_MAX_WARMUP} "
        f"points: {pair_longest_ms:6.1f} ms"
    )
    print(
        f"window explorer (notebook 01), start moved:           {window_ms:6.1f} ms  "
        f"(floor {WINDOW_FLOOR_MS:.0f} ms)"
    )
    print(
        f"200-step rollout alone:                               {rollout200_ms:6.1f} ms  "
        f"(floor {ROLLOUT_FLOOR_MS:.0f} ms)"
    )
    print(f"PNG sent per update: {png_kib:.0f} KiB; medians of {args.repeats} runs")
    print(
        json.dumps(
            {
                "update_two_models_ms": round(pair_ms, 2),
                "update_one_model_ms": round(single_ms, 2),
                "two_over_one": round(pair_ms / single_ms, 3),
                "state_switch_ms": round(state_ms, 2),
                "update_two_models_longest_ms": round(pair_longest_ms, 2),
                "window_update_ms": round(window_ms, 2),
                "rollout200_ms": round(rollout200_ms, 3),
                "png_kib": round(png_kib, 1),
            }
        )
    )
    return (
        0
        if pair_ms <= UPDATE_FLOOR_MS
        and window_ms <= WINDOW_FLOOR_MS
        and rollout200_ms <= ROLLOUT_FLOOR_MS
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
