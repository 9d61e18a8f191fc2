"""The shipped ablation table (rnnlesson/checkpoints/ablation.json) is what
``ablation.run`` gives.

Fast checks here; the retraining of sampled entries runs in `make test-retrain` (CI runs
it too). Notebook 05 reruns the first 200 steps of two configurations live and compares
them with the file, under every CPU path that `make test` checks.
"""

import pytest

from rnnlesson import ablation
from rnnlesson.pretrained import TRAINED_SEEDS, original_model, trained_model

TABLE = ablation.shipped()
RERUN = ablation.shipped(rerun=True)


def test_the_table_holds_every_configuration_for_every_seed():
    assert list(TABLE) == list(ablation.CONFIGS) and len(ablation.SEEDS) >= 5


def test_the_rerun_table_holds_the_same_runs_and_the_loop_agrees_to_1e_4():
    """The rerun on a second CPU: the same configurations, seeds and scored steps (an
    L-BFGS run is scored once, at its end, which may come at another step); the post's
    loop took the same path there, batched Adam did not."""
    assert list(RERUN) == list(TABLE)
    for config in ablation.CONFIGS:
        assert list(RERUN[config]) == list(TABLE[config]), config
        if config.startswith("lbfgs/"):
            continue
        gaps = [
            abs(RERUN[config][seed][step] - score)
            for seed, by_step in TABLE[config].items()
            for step, score in by_step.items()
        ]
        if config.startswith("loop/"):
            assert max(gaps) < 1e-4, config
        else:
            assert max(gaps) > 0.01, config


def test_the_posts_loop_seed_0_is_the_shipped_original_model():
    # the same recipe as pretrained.original_model(): seed 0, the post's loop, 6000
    # iterations
    assert ablation.score(original_model()[0]) == pytest.approx(
        TABLE["loop/original/carried"][0][6000], abs=1e-3
    )


@pytest.mark.parametrize("seed", TRAINED_SEEDS)
def test_lbfgs_over_a_period_scores_like_the_shipped_trained_models(seed):
    # L-BFGS ends at other weights on another CPU (notebook 03), so compare quality, not
    # digits
    assert ablation.score(trained_model(seed)) == pytest.approx(
        ablation.final(TABLE, "lbfgs/period/zeros")[seed], abs=0.02
    )


def test_late_is_the_mean_over_the_second_half_of_each_run():
    table = {"c": {1: {200: 0.5, 3000: 0.3, 4500: 0.1, 6000: 0.2}, 0: {187: 0.03}}}
    assert ablation.late(table, "c") == [0.03, pytest.approx(0.2)]


def test_final_reads_each_seeds_last_score():
    table = {"c": {1: {200: 0.5, 6000: 0.2}, 0: {187: 0.03}}}
    assert ablation.final(table, "c") == [0.03, 0.2]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"seed": 0, "config": "loop/period"}, ValueError, "config must be one of"),
        ({"seed": -1, "config": "loop/period/zeros"}, ValueError, "seed must be >= 0"),
        (
            {"seed": 0, "config": "loop/period/zeros", "scored_at": ()},
            ValueError,
            "scored_at must name at least one step",
        ),
        (
            {"seed": 0, "config": "loop/period/zeros", "scored_at": (0,)},
            ValueError,
            "scored_at must be >= 1",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        ablation.run(**kwargs)


@pytest.mark.retrain
@pytest.mark.parametrize(
    "seed, config",
    [(1, "loop/original/zeros"), (2, "adam/original/zeros"), (6, "lbfgs/original/zeros")],
)
def test_sampled_entries_retrain_to_the_table(seed, config):
    """Whole runs (seconds to a minute each). The post's loop, one window per step, takes
    the same path on every CPU tried: every scored step must match. Batched Adam matches
    at step 200, then takes another path on another CPU (the rerun table shows it), and
    L-BFGS ends elsewhere (notebook 03): after step 200 they are compared as a quality,
    within a factor of 2 of the range that both shipped tables' seeds span."""
    got, shipped = ablation.run(seed, config), TABLE[config][seed]
    if config.startswith("loop/"):
        assert got == {step: pytest.approx(s, abs=2e-3) for step, s in shipped.items()}
        return
    if config.startswith("lbfgs/"):
        assert list(got.values())[0] == pytest.approx(list(shipped.values())[0], abs=0.02)
    else:
        assert got[200] == pytest.approx(shipped[200], abs=2e-3)
    late = ablation.late({config: {seed: got}}, config)[0]
    spanned = ablation.late(TABLE, config) + ablation.late(RERUN, config)
    assert min(spanned) / 2 <= late <= 2 * max(spanned), (late, spanned)
