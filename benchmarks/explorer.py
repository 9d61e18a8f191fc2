"""How fast the rollout explorer answers a slider, measured in one process.

    python benchmarks/explorer.py [--repeats 41]

update     one slider change driven from Python: the rollout, the new line data, and the plot
           rendered to an Agg buffer and encoded as the PNG the browser receives
           (default view: 49 steps after 1 observed point; and the largest: 200 steps after 20)
rollout    a 200-step free-running rollout alone (``rollout.rollout``, batch 1, warm-up 1)
Each figure is the median over ``--repeats`` runs, after a few unmeasured ones. Floors: update
<= 60 ms, 200-step rollout <= 5 ms; the exit status is 1 when a median misses its floor.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from rnnlesson.data import sine_series
from rnnlesson.pretrained import trained_model
from rnnlesson.reproducibility import set_seed
from rnnlesson.rollout import rollout
from rnnlesson.widgets import MAX_STEPS, MAX_WARMUP, RolloutExplorer

UPDATE_FLOOR_MS = 60.0
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
    parser.add_argument("--repeats", type=int, default=41, help="measured runs per figure (median)")
    args = parser.parse_args()
    set_seed(0)
    model = trained_model()
    explorer = RolloutExplorer(model, start=0.0, n_steps=49, warmup=1)

    def move_start(i: int) -> None:  # what a slider callback does: update() through the observer
        explorer.start_slider.value = round(0.05 + 0.07 * (i % 80), 2)

    update_ms = median_ms(move_start, args.repeats)
    explorer.n_steps_slider.value, explorer.warmup_slider.value = MAX_STEPS, MAX_WARMUP
    update_longest_ms = median_ms(move_start, args.repeats)
    png_kib = len(explorer.image.value) / 1024

    observed = sine_series([0.7], n_points=MAX_STEPS + 1).values
    rollout200_ms = median_ms(lambda i: rollout(model, observed, n_steps=200, warmup=1), args.repeats)

    print(f"slider update, 49 steps after 1 observed point:    {update_ms:6.1f} ms  (floor {UPDATE_FLOOR_MS:.0f} ms)")
    print(f"slider update, {MAX_STEPS} steps after {MAX_WARMUP} observed points: {update_longest_ms:6.1f} ms")
    print(f"200-step rollout alone:                            {rollout200_ms:6.1f} ms  (floor {ROLLOUT_FLOOR_MS:.0f} ms)")
    print(f"PNG sent per update: {png_kib:.0f} KiB; medians of {args.repeats} runs")
    print(json.dumps({
        "update_ms": round(update_ms, 2),
        "update_longest_ms": round(update_longest_ms, 2),
        "rollout200_ms": round(rollout200_ms, 3),
        "png_kib": round(png_kib, 1),
    }))
    return 0 if update_ms <= UPDATE_FLOOR_MS and rollout200_ms <= ROLLOUT_FLOOR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
