"""opt.adam's judge on synthetic runs: MEASURED answer, judged parts (seeds, first steps, SGD control, fits)."""
import math

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, MEASURED
from proofs_check.claims.optimisers import (CONTROL_P, MIN_SEEDS, STEP_RTOL, OptimiserRun, answer, judge_optimisers,
                                            outcome_frequencies, separated)
from proofs_check.fits import Slope, frequency
from proofs_check.trajectory import final_outcome

START = [6.0, 6.0, 6.0, 6.0, 6.0]
ONE = final_outcome(START, [7.4, 7.4, 7.4, 7.4, 0.01])
TWO = final_outcome(START, [7.4, 0.02, 7.4, 7.4, 0.01])
NONE = final_outcome(START, [5.4, 5.4, 5.4, 5.4, 0.07])       # others pulled in, not yet receded


def fit(value, half=0.05):
    return Slope(value, half / 2, 30, value - half, value + half)


def run(opt, seed, final=ONE, slope=-1.1, err=0.0):
    s = fit(slope) if isinstance(slope, float) else slope
    return OptimiserRun(seed, opt, (1.0, 10000.0), (30.0, 1e-3), 3, final, s, err)


def sweep(n=MIN_SEEDS, adam=ONE, sgd=ONE, gd=ONE, adam_slope=-5.0, **kw):
    out = []
    for k in range(n):
        out += [run("gd", k, gd), run("sgd", k, sgd), run("adam", k, adam, adam_slope, **kw)]
    return out


def test_a_complete_sweep_is_measured_never_pass():
    v = judge_optimisers(sweep())
    assert v.verdict == MEASURED
    assert "every Adam late-slope interval lies below every sgd and gd one" in v.reason


def test_no_run_is_inconclusive():
    assert judge_optimisers([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("n, want", [(MIN_SEEDS, MEASURED), (MIN_SEEDS - 1, INCONCLUSIVE), (1, INCONCLUSIVE)])
def test_the_minimum_count_of_starts(n, want):
    assert judge_optimisers(sweep(n)).verdict == want


def test_one_optimiser_short_of_starts_is_inconclusive():
    runs = sweep()[:-1]                                       # adam has MIN_SEEDS - 1 starts
    v = judge_optimisers(runs)
    assert v.verdict == INCONCLUSIVE and "adam: 5 starts" in v.reason


@pytest.mark.parametrize("err, want", [(0.0, MEASURED), (STEP_RTOL, MEASURED), (5 * STEP_RTOL, FAIL),
                                       (1e-3, FAIL), (math.nan, FAIL)])
def test_the_first_step_against_the_hand_update(err, want):
    runs = sweep()
    runs[2] = run("adam", 0, err=err)
    assert judge_optimisers(runs).verdict == want


@pytest.mark.parametrize("k, want", [(MIN_SEEDS, MEASURED), (0, FAIL), (1, INCONCLUSIVE), (3, INCONCLUSIVE)])
def test_the_sgd_control(k, want):
    """SGD must reproduce the recovered outcome: 6/6 -> Wilson lo 0.61 >= 0.5; 1/6 and 3/6 straddle (hi 0.64, 0.81); 0/6 fails (hi 0.39)."""
    runs = [r if r.optimizer != "sgd" or r.seed < k else run("sgd", r.seed, NONE) for r in sweep()]
    assert judge_optimisers(runs).verdict == want


def test_a_different_adam_outcome_is_an_answer_not_a_failure():
    v = judge_optimisers(sweep(adam=TWO))
    assert v.verdict == MEASURED
    assert "more than one converges 6/6" in v.reason and "separated (Wilson intervals disjoint) from sgd and gd" in v.reason


@pytest.mark.parametrize("slope", [None, Slope(-1.0, math.inf, 3, -math.inf, math.inf), Slope(-1.0, 1, 3, -2.0, math.nan)])
def test_a_late_slope_without_finite_interval_is_inconclusive(slope):
    runs = sweep()
    runs[0] = run("gd", 0, slope=slope)
    v = judge_optimisers(runs)
    assert v.verdict == INCONCLUSIVE and "gd seed 0" in v.reason


def test_outcome_frequencies_count_one_and_several():
    runs = [run("adam", 0, ONE), run("adam", 1, TWO), run("adam", 2, NONE), run("sgd", 0, TWO)]
    one, many = outcome_frequencies(runs, "adam")
    assert (one.k, one.N, many.k, many.N) == (1, 3, 1, 3)


def test_separated_needs_disjoint_intervals():
    a, b = frequency(10, 10), frequency(0, 10)
    assert separated(a, b) and separated(b, a)
    assert not separated(frequency(5, 10), frequency(6, 10))
    assert not separated(frequency(6, 10), frequency(5, 10))


def test_slope_comparison_in_the_answer():
    assert "Adam's late-slope intervals overlap SGD's or GD's" in answer(sweep(adam_slope=-1.1))
    assert "overlap" in answer(sweep(adam_slope=-1.16))      # Adam's upper end -1.11 above SGD's lower end -1.15
    assert "lies below every sgd and gd" in answer(sweep(adam_slope=-1.21))
    steep_sgd = [r if r.optimizer != "sgd" else run("sgd", r.seed, slope=-9.0) for r in sweep()]
    assert "lies below every gd one" in answer(steep_sgd)
    assert "not separated from SGD's or GD's" in answer(sweep())


def test_the_constants():
    assert CONTROL_P == 0.5 and MIN_SEEDS == 6 and STEP_RTOL == 1e-12


def test_same_survivor_counts_matching_starts_only():
    from proofs_check.claims.optimisers import same_survivor
    other = final_outcome(START, [0.01, 7.4, 7.4, 7.4, 7.4])          # survivor 0, not GD's 4
    runs = [run("gd", 0), run("adam", 0), run("gd", 1), run("adam", 1, other), run("gd", 2, NONE), run("adam", 2),
            run("adam", 3), run("gd", 4), run("adam", 4, TWO)]
    f = same_survivor(runs, "adam")
    assert (f.k, f.N) == (1, 2)
    assert "the survivor is GD's from the same start: SGD no trials, Adam 1/2" in answer(runs)


def test_survivor_separation_in_the_answer():
    other = final_outcome(START, [0.01, 7.4, 7.4, 7.4, 7.4])
    moved = [r if r.optimizer != "adam" else run("adam", r.seed, other) for r in sweep(n=10)]
    assert "SGD 10/10 = 1.0000 [0.7225, 1.0000], Adam 0/10 = 0.0000 [0.0000, 0.2775] (separated)" in answer(moved)
    assert "(not separated)" in answer(sweep(n=10))
