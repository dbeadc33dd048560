"""fig1's judges on synthetic outcomes: the panels, the other z draws, and the spread-or-noise finding."""
import math

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.figure1 import PAPER, Fig1Run, judge_driver, judge_fig1, judge_seeds, slope_prediction
from proofs_check.claims.figure1_transition import Bracket
from proofs_check.fits import Slope
from proofs_check.trajectory import final_outcome

START4, START6 = [4.0] * 5, [6.0] * 5
ALL = final_outcome(START4, [0.02, 0.03, 0.01, 0.02, 0.05])
SLOW = final_outcome(START4, [0.2, 0.3, 0.01, 0.1, 0.4])          # converging, not yet within 0.25
SPLIT4 = final_outcome(START4, [4.3, 4.3, 0.01, 4.3, 4.2])
ALL6 = final_outcome(START6, [0.02, 0.03, 0.01, 0.02, 0.05])
ONE = final_outcome(START6, [7.3, 7.3, 0.01, 7.3, 7.2])
TWO = final_outcome(START6, [7.3, 0.02, 0.01, 7.3, 7.2])          # two at mu*, three receded
NOT_YET = final_outcome(START6, [5.4, 5.4, 0.01, 5.4, 5.3])       # split, not yet past the start
PRED, TOL = slope_prediction(20000, 0.01)                         # -1.2411 +- 0.2411


def fit(value, half=0.01):
    return Slope(value, half / 2, 30, value - half, value + half)


def small(final=ALL, trend="converge", g="population"):
    return Fig1Run(PAPER["M_small"], g, (1.0, 20000.0), (1e-2, 1e-8), (), final, final, trend, fit(-1.9), PRED,
                   TOL, ())


def large(slope=fit(-1.3), final=ONE, warm=ONE, trend="split", g="population"):
    return Fig1Run(PAPER["M_large"], g, (1.0, 20000.0), (1e-2, 1e-5), (), final, warm, trend, slope, PRED, TOL, ())


def test_the_recovered_figure_passes():
    runs = [small(), small(g="mini-batch"), large(), large(fit(-1.1), g="mini-batch")]
    assert judge_fig1(runs).verdict == PASS


def test_the_mini_batch_slope_is_reported_not_judged_but_its_outcome_is():
    assert judge_fig1([small(), large(), large(fit(-3.0), g="mini-batch")]).verdict == PASS
    assert judge_fig1([small(), large(), large(final=ALL6, trend="converge", g="mini-batch")]).verdict == FAIL
    assert judge_fig1([small(g="mini-batch", final=SPLIT4, trend="split"), large()]).verdict == FAIL


def test_no_run_is_inconclusive():
    assert judge_fig1([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("runs", [
    [small(final=SPLIT4, trend="split"), large()],        # M = 4 but parameters receding
    [small(final=SLOW, trend="split"), large()],
    [small(), large(final=ALL6, trend="converge")],       # M = 6 and every parameter heading back
    [small(), large(final=NOT_YET, trend="converge")],
    [small(), large(final=TWO, trend="split")],           # two at mu*, the rest receding
])
def test_wrong_outcomes_fail(runs):
    assert judge_fig1(runs).verdict == FAIL


@pytest.mark.parametrize("runs", [
    [small(final=SLOW, trend="converge"), large()],       # M = 4 still converging at T
    [small(final=SLOW, trend="undecided"), large()],
    [small(), large(final=NOT_YET, trend="split")],       # M = 6 split but not yet past the start
    [small(), large(final=NOT_YET, trend="undecided")],
    [small(), large(final=TWO, trend="undecided")],
])
def test_outcomes_not_yet_decided_are_inconclusive(runs):
    assert judge_fig1(runs).verdict == INCONCLUSIVE


@pytest.mark.parametrize("slope, want", [
    (fit(-1.0, 0.0), PASS),                # the edges PRED +- TOL are inside
    (fit(-1.4822, 0.0), PASS),
    (fit(-0.99, 0.0), FAIL),               # shallower than -1
    (fit(-1.49, 0.0), FAIL),
    (fit(-2.0), FAIL),
    (fit(-0.5), FAIL),                     # tau^-1/2
    (fit(-1.48, 0.02), INCONCLUSIVE),      # straddles the lower edge
    (fit(-1.01, 0.02), INCONCLUSIVE),
    (None, INCONCLUSIVE),
])
def test_late_slope(slope, want):
    assert judge_fig1([small(), large(slope)]).verdict == want


def test_window_holding_the_warm_up_is_inconclusive():
    v = judge_fig1([small(), large(fit(-3.0), warm=NOT_YET)])
    assert v.verdict == INCONCLUSIVE and "warm-up" in v.reason
    assert judge_fig1([small(), large(final=ALL6, warm=NOT_YET, trend="converge")]).verdict == FAIL


def test_the_derived_band_is_in_flow_time():
    """-1 - 1/log(t_c) +- 1/log(t_c), t_c = eta T/sqrt(10): 1/log(63.25) = 0.2411 at the paper's settings."""
    assert slope_prediction(20000, 0.01) == (-1.2411, 0.2411)
    assert slope_prediction(10000, 0.25) == (-1.1499, 0.1499)


def bracket(z=0, g="population", spread=1e-7, lo=4.2, hi=4.25, status="bracketed", small="converge",
            large="split"):
    return Bracket(z, g, spread, lo, hi, status, small, large, 10)


def test_other_draws_pass_when_every_draw_behaves():
    bs = [bracket(z) for z in range(4)] + [bracket(0, "mini-batch"), bracket(1, spread=1e-5, small="split")]
    assert judge_seeds(bs).verdict == PASS          # another spread's M = 4 split is not the paper's setting


@pytest.mark.parametrize("small, large", [("split", "split"), ("converge", "converge"), ("split", "converge"),
                                          ("split", "undecided"), ("undecided", "converge")])
def test_a_draw_with_the_wrong_outcome_fails(small, large):
    assert judge_seeds([bracket(0), bracket(1, small=small, large=large)]).verdict == FAIL


@pytest.mark.parametrize("small, large", [("undecided", "split"), ("converge", "undecided")])
def test_an_undecided_draw_is_inconclusive(small, large):
    assert judge_seeds([bracket(0), bracket(1, small=small, large=large)]).verdict == INCONCLUSIVE


def test_no_draw_at_the_paper_spread_is_inconclusive():
    assert judge_seeds([]).verdict == INCONCLUSIVE
    assert judge_seeds([bracket(spread=1e-5)]).verdict == INCONCLUSIVE


ZERO = {"population": "converge", "mini-batch": "converge"}
L100 = math.log(100)                                                # 4.605: adjacent spreads 1e-5, 1e-7, 1e-9


def amp(*ivs, z=0):
    return {(z, s): iv for s, iv in zip((1e-5, 1e-7, 1e-9), ivs)}


def test_the_spread_law_passes_when_the_brackets_agree():
    assert judge_driver(ZERO, amp((1.0, 1.2), (1.1, 1.3), (0.9, 1.15)), 0.2).verdict == PASS
    # the edges: intervals exactly tol apart, width + tol exactly half the spreads' log ratio
    assert judge_driver(ZERO, amp((1.0, 1.2), (1.4, 1.5)), 0.2).verdict == PASS
    w = L100 / 2 - 0.2
    assert judge_driver(ZERO, amp((1.0, 1.0 + w), (1.0, 1.0 + w)), 0.2).verdict == PASS


@pytest.mark.parametrize("zero, ivs", [
    ({"population": "split", "mini-batch": "converge"}, amp((1.0, 1.2), (1.1, 1.3))),
    ({"population": "converge", "mini-batch": "split"}, amp((1.0, 1.2), (1.1, 1.3))),
    (ZERO, amp((1.0, 1.2), (1.41, 1.5))),                          # 0.21 apart > tol 0.2
    (ZERO, amp((1.0, 1.2), (1.0 - L100, 1.2 - L100))),             # a spread-blind M*: shifted by ln 100
    (ZERO, {**amp((1.0, 1.2), (1.0, 1.2)), **amp((1.0, 1.2), (3.0, 3.2), z=1)}),
])
def test_the_spread_law_fails(zero, ivs):
    assert judge_driver(zero, ivs, 0.2).verdict == FAIL


@pytest.mark.parametrize("zero, ivs", [
    ({"population": "undecided", "mini-batch": "converge"}, amp((1.0, 1.2), (1.1, 1.3))),
    ({}, amp((1.0, 1.2), (1.1, 1.3))),
    (ZERO, amp((1.0, 1.2))),                                       # one spread only
    (ZERO, {}),
    (ZERO, amp((-1.2, 3.2), (-0.6, 3.4))),                         # brackets too wide to tell
    (ZERO, amp((1.0, 1.0 + L100 / 2 - 0.19), (1.0, 1.2))),         # width + tol just over half of ln 100
])
def test_the_spread_law_is_inconclusive(zero, ivs):
    assert judge_driver(zero, ivs, 0.2).verdict == INCONCLUSIVE
