"""Is there a signal on which the RNN beats a linear recurrence? Measured over seeds.

On a pure sine an RNN is not needed: a least-squares AR(2) rolls it out almost exactly
(rnnlesson.baselines). This module asks whether any signal the package can generate
changes that. Each is sampled on the lesson's grid (50 points over 10 time units, starts
drawn as ``data.draw_starts``) and scaled into [-1, 1]:

``noisy sine``   sin(t) observed with Gaussian noise of NOISE = 0.1: the models read and
                 are trained on the noisy values, and are scored against the clean sine.
``tanh(3 sin t)`` a waveform with odd harmonics, divided by tanh(3) so that its peaks are
+-1.
``van der pol``  the Van der Pol oscillator x'' = mu (1 - x^2) x' - x with mu = MU, on its
                 limit cycle, divided by the cycle's amplitude (about 2.009 for mu = 1);
                 integrated with RK4 at SUBSTEPS steps per sample. A start s in [0, 2 pi)
                 stands for the point a fraction s / (2 pi) of a period past the cycle's
                 upward zero crossing.

``run(signal, seed)`` trains ``seeded_model(seed)`` with ``train`` (L-BFGS, 8 steps) on
seed's 64 windows (``draw_starts(64, generator=seed)``, then the noise from the same
generator), fits AR(p) for p = 1..MAX_P on the same windows by least squares, picks the p
whose score is lowest on N_SCORED validation windows, and scores the RNN and that AR(p)
the same way on N_SCORED test windows: RMSE of SCORE_STEPS free-running predictions after
SCORE_WARMUP observed points, from a zero hidden state, against the clean signal.
Validation and test windows are the same for every seed and drawn from their own
generators. Seeds pair up (one seed, one set of training windows, both models), so the
comparison is ``stats.compare_paired``. ``python -m rnnlesson.signals`` (``make signals``)
writes SIGNALS_FILE; notebook 05 reads it.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from tqdm import tqdm
from torch import Tensor

from rnnlesson import baselines, tables
from rnnlesson._checks import (
    MAX_WINDOWS,
    choice,
    finite_float,
    generator_seed,
    int_in_range,
)
from rnnlesson.data import N_POINTS, PERIOD, SPAN, SineWindows, draw_starts, window_starts
from rnnlesson.model import SineRNN, check_model, seeded_model
from rnnlesson.rollout import rmse, rollout
from rnnlesson.tables import RERUN_HELP
from rnnlesson.training import train

SIGNALS = ("noisy sine", "tanh(3 sin t)", "van der pol")
NOISE = 0.1  # standard deviation of the noisy sine's observation noise
MU = 1.0  # the Van der Pol oscillator's damping parameter
MAX_MU = 5.0
MAX_POINTS, MAX_SPAN = 10_000, 1000.0  # a window of the signals: points and time units
PHASE_SLACK = 1e-6  # a start of 2 pi stored as float32 rounds up, to 2 pi + 2e-7
SUBSTEPS = 20  # RK4 steps per sample of the Van der Pol oscillator (dt / 20, about 0.01)
SEEDS = tuple(range(8))
MAX_P = 10
N_TRAIN, N_SCORED = 64, 200
VALIDATION_GENERATOR, TEST_GENERATOR = 1001, 1002  # not 0-7: held-out starts and noise
SCORE_WARMUP, SCORE_STEPS = 10, 40
SIGNALS_FILE = tables.table_file("signals")


@dataclass(frozen=True)
class SignalWindows(SineWindows):
    """Windows of one signal: ``values`` [batch, n_points, 1] are what a model reads and
    is trained on (noisy for the noisy sine), ``clean`` [batch, n_points, 1] the signal
    itself, to score against."""

    clean: Tensor = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        super().__post_init__()
        if (
            not isinstance(self.clean, Tensor)
            or self.clean.shape != self.values.shape
            or (not self.clean.is_floating_point())
        ):
            got = (
                f"{self.clean.dtype} shaped {list(self.clean.shape)}"
                if isinstance(self.clean, Tensor)
                else (type(self.clean).__name__)
            )
            raise TypeError(
                "clean must be a float tensor shaped like values "
                f"{list(self.values.shape)}, got {got}"
            )


def signal_windows(
    signal: str,
    starts: Tensor | list[float] | float,
    *,
    noise: float = NOISE,
    mu: float = MU,
    generator: torch.Generator | int | None = None,
    n_points: int = N_POINTS,
    span: float = SPAN,
) -> SignalWindows:
    """``n_points`` samples of ``signal`` (one of SIGNALS) over [start, start + span] for
    each start in [0, 2 pi] (a phase; ``draw_starts`` draws them) -> SignalWindows,
    float32, t [batch, n_points].

    noise: the noisy sine's standard deviation, in [0, 1]; drawn from ``generator`` (a
    torch.Generator, an int seed, or None for torch's global one). mu: Van der Pol's, in
    [0, MAX_MU].
    """
    signal = choice("signal", signal, SIGNALS)
    n_points = _n_points(n_points)
    span = finite_float("span", span, minimum=0.0, strictly=True)
    if span > MAX_SPAN:
        raise ValueError(f"span must be in (0, {MAX_SPAN:g}], got {span:g}")
    noise = finite_float("noise", noise, minimum=0.0)
    if noise > 1.0:
        raise ValueError(
            f"noise must be in [0, 1] (the signal's own range is [-1, 1]), got {noise:g}"
        )
    mu = _mu(mu)
    generator = _generator(generator)
    starts = _phases(starts, n_points)
    # [batch, n_points]
    t = (
        starts[:, None]
        + torch.linspace(0.0, span, n_points, dtype=torch.float64)[None, :]
    )
    if signal == "van der pol":
        clean = van_der_pol(starts, n_points, span / (n_points - 1), mu)
    elif signal == "tanh(3 sin t)":
        clean = torch.tanh(3 * torch.sin(t)) / math.tanh(3)
    else:
        clean = torch.sin(t)
    values = clean
    if signal == "noisy sine" and noise > 0:
        values = clean + noise * torch.randn(
            clean.shape, generator=generator, dtype=torch.float64
        )
    return SignalWindows(
        t=t.float(),
        values=values.float().unsqueeze(-1),
        clean=clean.float().unsqueeze(-1),
    )


def training_windows(
    signal: str, seed: int = 0, n_sequences: int = N_TRAIN
) -> SignalWindows:
    """The windows ``run(signal, seed)`` trains both models on: the starts are
    ``draw_starts(n_sequences, generator=seed)`` (those ``train(model, seed=seed)`` fits
    on a sine), then the noise comes from the same generator."""
    seed = generator_seed("seed", seed)
    n_sequences = int_in_range("n_sequences", n_sequences, maximum=MAX_WINDOWS)
    generator = torch.Generator().manual_seed(seed)
    return signal_windows(
        signal, draw_starts(n_sequences, generator=generator), generator=generator
    )


def scored_windows(signal: str, part: str) -> SignalWindows:
    """The N_SCORED "validation" windows (choose p) or "test" windows (score), the same
    for every seed."""
    return _scored_windows(
        choice("signal", signal, SIGNALS), choice("part", part, ("validation", "test"))
    )


@functools.lru_cache(maxsize=16)
def _scored_windows(signal: str, part: str) -> SignalWindows:
    return training_windows(
        signal, VALIDATION_GENERATOR if part == "validation" else TEST_GENERATOR, N_SCORED
    )


def van_der_pol(starts: Tensor, n_points: int, dt: float, mu: float = MU) -> Tensor:
    """x on the limit cycle of x'' = mu (1 - x^2) x' - x, scaled by the cycle's amplitude,
    sampled ``n_points`` times ``dt`` apart from each phase start in [0, 2 pi]: [batch,
    n_points] float64. The arguments are checked as ``signal_windows`` checks them, with
    (n_points - 1) * dt for its span."""
    n_points, mu = _n_points(n_points), _mu(mu)
    starts = _phases(starts, n_points)
    dt = finite_float("dt", dt, minimum=0.0, strictly=True)
    if dt * (n_points - 1) > MAX_SPAN:
        raise ValueError(
            f"dt must be at most {MAX_SPAN:g} / (n_points - 1) = "
            f"{MAX_SPAN / (n_points - 1):g}, got {dt:g}"
        )
    period, amplitude, origin = limit_cycle(mu)
    # [batch] time past the upward zero crossing
    offset = starts.to(torch.float64) / PERIOD * period
    n_lead = 1000  # RK4 steps from the crossing to each start: at most period / 1000 each
    state = _rk4(origin.expand(len(starts), 2).clone(), offset / n_lead, n_lead, mu)
    samples, h = [state[:, 0]], torch.full_like(offset, dt / SUBSTEPS)
    for _ in range(n_points - 1):
        state = _rk4(state, h, SUBSTEPS, mu)
        samples.append(state[:, 0])
    return torch.stack(samples, dim=1) / amplitude


@functools.lru_cache(maxsize=8)
def limit_cycle(mu: float = MU) -> tuple[float, float, Tensor]:
    """(period, amplitude max |x|, the state [x, v] at the upward zero crossing) of the
    Van der Pol oscillator's limit cycle, found by integrating from (2, 0) past 60 time
    units of transient
    (RK4 in plain floats, h = 0.001; the crossings are interpolated linearly within a
    step)."""
    mu = finite_float("mu", mu, minimum=0.0)
    h = 0.001

    def f(x: float, v: float) -> tuple[float, float]:
        return v, mu * (1 - x * x) * v - x

    def step(x: float, v: float) -> tuple[float, float]:
        k1 = f(x, v)
        k2 = f(x + h / 2 * k1[0], v + h / 2 * k1[1])
        k3 = f(x + h / 2 * k2[0], v + h / 2 * k2[1])
        k4 = f(x + h * k3[0], v + h * k3[1])
        return (
            x + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
            v + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
        )

    x, v = 2.0, 0.0
    for _ in range(60_000):
        x, v = step(x, v)
    crossings: list[tuple[float, float]] = []  # (time, v) at each upward zero crossing
    peak, now = 0.0, 0.0
    while len(crossings) < 3:
        x_next, v_next = step(x, v)
        if crossings:
            peak = max(peak, abs(x_next))
        if x < 0 <= x_next:
            frac = -x / (x_next - x)
            crossings.append((now + frac * h, v + frac * (v_next - v)))
        x, v, now = x_next, v_next, now + h
    period = (crossings[2][0] - crossings[0][0]) / 2
    return period, peak, torch.tensor([0.0, crossings[1][1]], dtype=torch.float64)


def _rk4(state: Tensor, h: Tensor, n_steps: int, mu: float) -> Tensor:
    """``n_steps`` classical Runge-Kutta steps of size h [batch] from state [batch, 2] =
    (x, v)."""

    def f(s: Tensor) -> Tensor:
        x, v = s[:, 0], s[:, 1]
        return torch.stack([v, mu * (1 - x * x) * v - x], dim=1)

    h = h[:, None]
    for _ in range(n_steps):
        k1 = f(state)
        k2 = f(state + h / 2 * k1)
        k3 = f(state + h / 2 * k2)
        k4 = f(state + h * k3)
        state = state + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return state


def score_rnn(model: SineRNN, windows: SignalWindows) -> float:
    """RMSE of SCORE_STEPS free-running predictions after SCORE_WARMUP observed points of
    ``windows.values``, from a zero hidden state, against ``windows.clean``."""
    check_model(model)
    _check_windows(windows)
    pred = rollout(
        model, windows.values.to(model.dtype), n_steps=SCORE_STEPS, warmup=SCORE_WARMUP
    )
    return rmse(pred.double(), _targets(windows))


def score_ar(coefficients: Tensor, windows: SignalWindows) -> float:
    """``score_rnn`` for an AR(p) (p <= SCORE_WARMUP) fed back the same way."""
    _check_windows(windows)
    return rmse(
        baselines.ar_rollout(
            coefficients, windows.values, SCORE_STEPS, warmup=SCORE_WARMUP
        ),
        _targets(windows),
    )


def best_ar(
    train_windows: SignalWindows, validation: SignalWindows
) -> tuple[int, Tensor]:
    """(p, coefficients) of the AR(p), p = 1..MAX_P, fitted by least squares on
    ``train_windows`` whose score on ``validation`` is lowest."""
    _check_windows(train_windows, "train_windows")
    _check_windows(validation, "validation")
    fits = {p: baselines.fit_ar(train_windows.values, p) for p in range(1, MAX_P + 1)}
    scores = {p: score_ar(a, validation) for p, a in fits.items()}
    p = min(scores, key=lambda q: scores[q] if math.isfinite(scores[q]) else math.inf)
    return p, fits[p]


def run(signal: str, seed: int) -> dict[str, float]:
    """One seed of one signal: {"rnn": test RMSE, "ar": the best AR(p)'s test RMSE, "p":
    its p, "rnn_validation", "ar_validation": the same on the validation windows, "loss":
    the RNN's final
    training loss}."""
    signal = choice("signal", signal, SIGNALS)
    seed = generator_seed("seed", seed)
    windows = training_windows(signal, seed)
    validation, test = (
        scored_windows(signal, "validation"),
        scored_windows(signal, "test"),
    )
    model = seeded_model(seed)
    result = train(model, seed=seed, windows=windows)
    p, coefficients = best_ar(windows, validation)
    return {
        "rnn": score_rnn(model, test),
        "ar": score_ar(coefficients, test),
        "p": p,
        "rnn_validation": score_rnn(model, validation),
        "ar_validation": score_ar(coefficients, validation),
        "loss": result.final_loss,
    }


def regenerate(path: Path = SIGNALS_FILE, seeds: tuple[int, ...] = SEEDS) -> Path:
    """Run every signal and seed and write the table, with its run time, to ``path``."""
    started = time.perf_counter()
    table: dict[str, dict[str, dict[str, float]]] = {signal: {} for signal in SIGNALS}
    with tqdm(
        total=len(SIGNALS) * len(seeds), desc="signal search", unit="run", disable=None
    ) as bar:
        for signal in SIGNALS:
            for seed in seeds:
                table[signal][str(seed)] = run(signal, seed)
                bar.update(1)
    path.write_text(
        json.dumps(
            {
                "what": f"RMSE against the clean signal of {SCORE_STEPS} free-running "
                "predictions after "
                f"{SCORE_WARMUP} observed points, over {N_SCORED} test windows, from a "
                "zero state: the "
                f"RNN (train, L-BFGS 8 steps, on {N_TRAIN} windows) and the AR(p), p <= "
                f"{MAX_P}, fitted on "
                f"the same windows with p chosen on {N_SCORED} validation windows; see "
                "rnnlesson/signals.py",
                "torch": torch.__version__,
                "cpu": tables.cpu(),
                "noise": NOISE,
                "mu": MU,
                "substeps": SUBSTEPS,
                "seconds": round(time.perf_counter() - started, 1),
                "scores": table,
            },
            indent=1,
        )
        + "\n"
    )
    return path


def shipped(rerun: bool = False) -> dict[str, dict[int, dict[str, float]]]:
    """The shipped table as {signal: {seed: run(signal, seed)}}; with ``rerun=True``, the
    same runs made on a second CPU (rnnlesson.tables)."""
    table = tables.read("signals", rerun)["scores"]
    return {
        signal: {int(seed): scores for seed, scores in table[signal].items()}
        for signal in SIGNALS
    }


def _n_points(n_points: object) -> int:
    return int_in_range("n_points", n_points, minimum=2, maximum=MAX_POINTS)


def _mu(mu: object) -> float:
    mu = finite_float("mu", mu, minimum=0.0)
    if mu > MAX_MU:
        raise ValueError(f"mu must be in [0, {MAX_MU:g}], got {mu:g}")
    return mu


def _phases(starts: object, n_points: int) -> Tensor:
    """``starts`` as window_starts checks them, each a phase in [0, 2 pi]."""
    starts = window_starts(starts, n_points)
    if not bool(torch.isfinite(starts).all()) or bool(
        ((starts < 0) | (starts > PERIOD + PHASE_SLACK)).any()
    ):
        raise ValueError(
            "starts must be phases in [0, 2*pi] (draw_starts draws them), got "
            f"{starts.tolist()[:5]}"
        )
    return starts


def _generator(generator: object) -> torch.Generator | None:
    if generator is None or isinstance(generator, torch.Generator):
        return generator
    return torch.Generator().manual_seed(generator_seed("generator", generator))


def _check_windows(windows: object, name: str = "windows") -> SignalWindows:
    if not isinstance(windows, SignalWindows):
        raise TypeError(
            f"{name} must be a SignalWindows (from signal_windows), got "
            f"{type(windows).__name__}"
        )
    if windows.values.shape[1] < SCORE_WARMUP + SCORE_STEPS:
        raise ValueError(
            f"{name} must hold at least {SCORE_WARMUP + SCORE_STEPS} points per window, "
            f"got {windows.values.shape[1]}"
        )
    return windows


def _targets(windows: SignalWindows) -> Tensor:
    return windows.clean[:, SCORE_WARMUP : SCORE_WARMUP + SCORE_STEPS].double()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m rnnlesson.signals", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rerun", action="store_true", help=RERUN_HELP)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # a 10-unit RNN: more threads only wait on each other
    path = regenerate(tables.table_file("signals", args.rerun))
    print(
        f"wrote {path} ({path.stat().st_size} bytes, "
        f"{json.loads(path.read_text())['seconds']} s)"
    )


if __name__ == "__main__":
    main()
