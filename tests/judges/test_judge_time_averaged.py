"""The time-averaged claims' judges (tavg.stationary, tavg.splitting, tavg.rates) on synthetic outcomes."""
import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, MEASURED, PASS
from proofs_check.claims.time_averaged import (MIN_LOG_CENTRE, SPLIT, T_ERR_MAX, Boundary, SplitRun, StationaryOutcome, bracket,
                                               judge_rates, judge_splitting, judge_stationary, spectrum_index,
                                               split_slope_prediction)
from proofs_check.fits import Slope
from proofs_check.trajectory import ALL_CONVERGE, ONE_CONVERGES, UNDECIDED

PAR, PERP = (-0.0767, -0.0726, 0.81), (-0.0064, 1e-30, 0.875)


def stat(s_digits=12, newton=22, pred=22, loss=0.78, loss_digits=12, par=PAR, par_lo=PAR, perp=PERP,
         perp_lo=PERP, kind="uniform"):
    return StationaryOutcome(kind, "0", "1", (12, 22), (18, 41), "4.06925047807", s_digits, "0.787", loss,
                             loss_digits, newton, pred, par, par_lo, perp, perp_lo, 1e-8)


# -- (a) -------------------------------------------------------------------------------------------
def test_a_converged_stationary_point_is_measured_never_pass():
    v = judge_stationary([stat()])
    assert v.verdict == MEASURED and "index 2 (d = 1)" in v.reason and "2 + 1(d - 1)" in v.reason


def test_a_no_case_is_inconclusive():
    assert judge_stationary([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("kw", [dict(s_digits=6), dict(newton=6), dict(pred=6), dict(loss=0.0),
                                dict(loss=-0.1), dict(loss_digits=0)])
def test_a_failures(kw):
    assert judge_stationary([stat(**kw)]).verdict == FAIL


@pytest.mark.parametrize("kw", [dict(s_digits=7), dict(newton=7), dict(pred=7), dict(loss_digits=1)])
def test_a_edges_pass_at_the_requirement(kw):
    """dps 12 - DIGIT_SLACK 5 = 7 digits is enough; a loss resolved to 1 digit is resolved."""
    assert judge_stationary([stat(**kw)]).verdict == MEASURED


def test_a_variance_weighting_has_no_uniform_check():
    assert judge_stationary([stat(pred=None, kind="variance")]).verdict == MEASURED


def test_a_undecided_eigenvalue_sign_is_inconclusive():
    v = judge_stationary([stat(par=(-1e-5, 2e-5, 0.25), par_lo=(-1e-5, -2e-5, 0.25))])
    assert v.verdict == INCONCLUSIVE


def test_spectrum_index_counts_and_edges():
    assert spectrum_index((-1.0, 1e-9, 2.0), (-1.0, -1e-9, 2.0), 1e-8) == (1, 1, 1, 0)
    # a tenth apart: undecided; just inside: decided
    assert spectrum_index((1.0,), (1.1,), 1e-8) == (0, 0, 0, 1)
    assert spectrum_index((1.0,), (1.09,), 1e-8) == (0, 0, 1, 0)
    assert spectrum_index((-1.0,), (-1.09,), 1e-8) == (1, 0, 0, 0)
    # at the zero tolerance: zero; above it with one precision: undecided
    assert spectrum_index((1e-8,), (-1e-8,), 1e-8) == (0, 1, 0, 0)
    assert spectrum_index((2e-8,), (1e-9,), 1e-8) == (0, 0, 0, 1)
    assert spectrum_index((1.5e-8,), (1.5e-8,), 1e-8) == (0, 0, 1, 0)


# -- (b) -------------------------------------------------------------------------------------------
def run(t_max, kind, t_err=1e-15, start="thm3.4", D=4.0):
    near, far, outcome = {SPLIT: (1, 2, ONE_CONVERGES), ALL_CONVERGE: (3, 0, ALL_CONVERGE),
                          UNDECIDED: (1, 0, UNDECIDED)}[kind]
    return SplitRun(start, D, "0", t_max, outcome, "r", 100, (0.1, 5.0), t_err, near, far, 3)


MAP = [run("0", SPLIT), run("0.25", SPLIT), run("0.5", ALL_CONVERGE), run("1", ALL_CONVERGE)]


def test_b_bracket_finds_the_first_change():
    bd = bracket(MAP, "thm3.4", 4.0)
    assert (bd.lo, bd.hi, bd.lo_outcome, bd.hi_outcome) == (0.25, 0.5, SPLIT, ALL_CONVERGE)
    assert bracket(MAP[:2], "thm3.4", 4.0) is None
    assert bracket(MAP + [run("0.3", UNDECIDED)], "thm3.4", 4.0).hi == 0.5


def test_b_map_with_boundary_is_measured():
    v = judge_splitting(MAP, [bracket(MAP, "thm3.4", 4.0)])
    assert v.verdict == MEASURED and "t_max <= 0.25" in v.reason and "from t_max = 0.5" in v.reason


def test_b_no_change_is_reported_measured():
    runs = [run("0", SPLIT), run("1", SPLIT)]
    v = judge_splitting(runs, [])
    assert v.verdict == MEASURED and "no change" in v.reason


def test_b_control_that_does_not_split_is_inconclusive():
    assert judge_splitting([run("0", ALL_CONVERGE), run("1", ALL_CONVERGE)], []).verdict == INCONCLUSIVE


def test_b_undecided_run_is_inconclusive():
    assert judge_splitting(MAP + [run("2", UNDECIDED)], [bracket(MAP, "thm3.4", 4.0)]).verdict == INCONCLUSIVE


def test_b_t_rule_error_edges():
    ok = MAP[:3] + [run("1", ALL_CONVERGE, t_err=T_ERR_MAX)]
    assert judge_splitting(ok, [bracket(ok, "thm3.4", 4.0)]).verdict == MEASURED
    bad = MAP[:3] + [run("1", ALL_CONVERGE, t_err=2 * T_ERR_MAX)]
    assert judge_splitting(bad, [bracket(bad, "thm3.4", 4.0)]).verdict == FAIL
    nan = MAP[:3] + [run("1", ALL_CONVERGE, t_err=float("nan"))]
    assert judge_splitting(nan, [bracket(nan, "thm3.4", 4.0)]).verdict == FAIL


@pytest.mark.parametrize("bd", [Boundary("thm3.4", 4.0, 0.25, 0.5, SPLIT, SPLIT),
                                Boundary("thm3.4", 4.0, 0.5, 0.25, SPLIT, ALL_CONVERGE),
                                Boundary("thm3.4", 4.0, 0.5, 0.5, SPLIT, ALL_CONVERGE),
                                Boundary("thm3.4", 4.0, 0.25, 0.5, UNDECIDED, ALL_CONVERGE),
                                Boundary("thm3.4", 4.0, 0.25, 0.5, SPLIT, UNDECIDED)])
def test_b_a_bracket_without_a_change_fails(bd):
    assert judge_splitting(MAP, [bd]).verdict == FAIL


def test_b_no_run_is_inconclusive():
    assert judge_splitting([], []).verdict == INCONCLUSIVE


def test_regime_needs_every_parameter_placed():
    assert run("0", SPLIT).regime == SPLIT and run("0", SPLIT).label == "split: 1 converge, 2 diverge"
    two_three = SplitRun("fig1", 6.0, "0", "0.5", UNDECIDED, "r", 9, (), 0.0, 2, 3, 5)
    assert two_three.regime == SPLIT
    partial = SplitRun("fig1", 6.0, "0", "0.5", UNDECIDED, "r", 9, (), 0.0, 2, 2, 5)
    assert partial.regime == UNDECIDED


# -- (c) -------------------------------------------------------------------------------------------
def fit(value, half=0.01, points=20):
    return Slope(value, half / 2, points, value - half, value + half)


PRED = split_slope_prediction(10000, 0.25)


def test_c_prediction_band():
    p, tol = PRED
    assert p == pytest.approx(-1.1499, abs=1e-3) and tol == pytest.approx(0.1499, abs=1e-3)


def test_c_split_slope_inside_band_passes_and_answer_is_measured():
    v = judge_rates([run("0", SPLIT), run("1", ALL_CONVERGE)], [(fit(-1.1),) + PRED, (fit(-2.4),) + PRED])
    assert v.verdict == MEASURED and "-2.4" in v.reason


def test_c_split_slope_outside_band_fails():
    p, tol = PRED
    assert judge_rates([run("0", SPLIT)], [(fit(p - tol - 0.02),) + PRED]).verdict == FAIL
    assert judge_rates([run("0", SPLIT)], [(fit(p + tol + 0.02),) + PRED]).verdict == FAIL


def test_c_split_slope_straddling_is_inconclusive():
    p, tol = PRED
    assert judge_rates([run("0", SPLIT)], [(fit(p - tol),) + PRED]).verdict == INCONCLUSIVE


def test_c_window_too_early_is_inconclusive_at_the_edge():
    early = split_slope_prediction(1500, 0.25)          # log t_c = 4.78
    assert judge_rates([run("0", SPLIT)], [(fit(early[0]),) + early]).verdict == INCONCLUSIVE
    edge = (-1 - 1 / MIN_LOG_CENTRE, 1 / MIN_LOG_CENTRE)   # exactly at the minimum: judged
    assert judge_rates([run("0", SPLIT)], [(fit(edge[0]),) + edge]).verdict == MEASURED
    assert judge_rates([run("0", SPLIT)], [(fit(edge[0] - 2 * edge[1]),) + edge]).verdict == FAIL
    late = split_slope_prediction(1e6, 0.25)
    assert judge_rates([run("0", SPLIT)], [(fit(late[0]),) + late]).verdict == MEASURED


def test_c_all_converge_slope_is_not_judged_against_the_split_law():
    assert judge_rates([run("1", ALL_CONVERGE)], [(fit(-2.4),) + PRED]).verdict == MEASURED


@pytest.mark.parametrize("f", [None, fit(-1.1, points=7)])
def test_c_too_few_points_is_inconclusive(f):
    assert judge_rates([run("0", SPLIT)], [(f,) + PRED]).verdict == INCONCLUSIVE


def test_c_at_the_minimum_points_is_judged():
    assert judge_rates([run("0", SPLIT)], [(fit(-1.1, points=8),) + PRED]).verdict == MEASURED


def test_c_undecided_regime_and_no_run():
    assert judge_rates([run("0", UNDECIDED)], [(fit(-1.1),) + PRED]).verdict == INCONCLUSIVE
    assert judge_rates([], []).verdict == INCONCLUSIVE


def test_no_judge_passes():
    """Open questions: an answer nothing could fail is MEASURED, never PASS."""
    assert judge_stationary([stat()]).verdict != PASS
    assert judge_splitting(MAP, [bracket(MAP, "thm3.4", 4.0)]).verdict != PASS
