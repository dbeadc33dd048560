"""fig1's judge on synthetic runs: outcomes by dynamics.final_outcome, the late slope against -1 - 1/log tau_c."""
import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.figure1 import FIG1, Fig1Run, judge_fig1, slope_prediction
from proofs_check.dynamics import final_outcome
from proofs_check.fits import Slope

ALL = final_outcome([4.0, 4.1, 3.9, 4.0], [0.02, 0.03, 0.01, 0.02])
ONE = final_outcome([4.0, 4.1, 3.9, 4.0], [7.3, 7.3, 0.01, 7.3])
NONE = final_outcome([4.0, 4.1, 3.9, 4.0], [3.0, 3.0, 2.0, 3.0])
PRED, TOL = -1.124, 0.124          # T = 10000: tau_c = 3162, 1/log tau_c = 0.124


def fit(value, half=0.01):
    return Slope(value, half / 2, 30, value - half, value + half)


def small(final=ALL, obj="forward-grid"):
    return Fig1Run(FIG1["mu_small"], obj, (1.0, 10000.0), (1e-2, 1e-8), (), final, final, fit(-1.9), PRED, TOL)


def large(slope=fit(-1.2), final=ONE, warm=ONE, obj="forward-grid"):
    return Fig1Run(FIG1["mu_large"], obj, (1.0, 10000.0), (1e-2, 1e-5), (), final, warm, slope, PRED, TOL)


def test_the_reconstructed_figure_passes():
    assert judge_fig1([small(), small(obj="forward-minibatch"), large(), large(fit(-1.13), obj="forward-minibatch")]
                      ).verdict == PASS


def test_the_mini_batch_slope_is_reported_not_judged_but_its_outcome_is():
    assert judge_fig1([small(), large(), large(fit(-3.0), obj="forward-minibatch")]).verdict == PASS
    assert judge_fig1([small(), large(), large(None, warm=NONE, obj="forward-minibatch")]).verdict == PASS
    assert judge_fig1([small(), large(), large(final=ALL, obj="forward-minibatch")]).verdict == FAIL
    assert judge_fig1([small(obj="forward-minibatch", final=ONE), large()]).verdict == FAIL


def test_no_run_is_inconclusive():
    assert judge_fig1([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("runs", [
    [small(final=ONE), large()],           # small |mu*| but one diverged
    [small(final=NONE), large()],
    [small(), large(final=ALL)],           # large |mu*| and every parameter converged
    [small(), large(final=NONE)],
])
def test_wrong_outcomes_fail(runs):
    assert judge_fig1(runs).verdict == FAIL


@pytest.mark.parametrize("slope, want", [
    (fit(-1.0, 0.0), PASS),                # the edges PRED +- TOL are inside
    (fit(-1.248, 0.0), PASS),
    (fit(-0.99, 0.0), FAIL),               # shallower than -1 at T = 10^4
    (fit(-1.26, 0.0), FAIL),
    (fit(-1.5), FAIL),                     # tau^-1.5
    (fit(-0.5), FAIL),                     # tau^-1/2 (a bounded-tau-L tautology would pass this)
    (fit(-1.24, 0.02), INCONCLUSIVE),      # the interval straddles the lower edge
    (fit(-1.01, 0.02), INCONCLUSIVE),
    (None, INCONCLUSIVE),
])
def test_late_slope(slope, want):
    assert judge_fig1([small(), large(slope)]).verdict == want


def test_window_holding_the_warm_up_is_inconclusive():
    v = judge_fig1([small(), large(fit(-3.0), warm=NONE)])
    assert v.verdict == INCONCLUSIVE and "warm-up" in v.reason
    # a wrong final outcome is a FAIL whatever the window
    assert judge_fig1([small(), large(final=ALL, warm=NONE)]).verdict == FAIL


def test_the_derived_band():
    """-1 - 1/log(tau_c) +- 1/log(tau_c), tau_c = T/sqrt(10): the tolerance is the whole log correction."""
    assert slope_prediction(10000) == (-1.1241, 0.1241)    # 1/log(3162.3) = 0.12412
    assert slope_prediction(600) == (-1.1906, 0.1906)
