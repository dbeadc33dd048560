"""Judges of Theorems 3.5 and 3.7 (claims/far_initialisation.py) on synthetic outcomes: PASS, FAIL, INCONCLUSIVE."""
import numpy as np

from proofs_check import fits
from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.far_initialisation import (
    D0_MIN_POINTS, EPS_MIN, LATE_SLOPE_TOL, MAX_TRANSIENT, MIN_DECADE_START, TRUST_DIGITS, XCHECK_DIGITS, FarCase, FarOutcome,
    SlopeHistory, judge_d0, judge_late_slope, judge_thm35, judge_thm37, slope_history)
from proofs_check.dynamics import final_outcome
from proofs_check.fits import Slope


def band(value, half):
    return Slope(value, half / 2, 10, value - half, value + half)


def interval(lo, hi):
    return Slope((lo + hi) / 2, (hi - lo) / 4, 10, lo, hi)


def outcome(n, D, ok):
    """Final distances: the closest (last) at b and the rest receding, or two parameters at b."""
    start = tuple(D + 0.4 - 0.9 * i / max(1, n - 1) for i in range(n))
    end = (9.0,) * (n - 1) + (1e-3,) if ok else (9.0,) * (n - 2) + (0.02, 0.02)
    return final_outcome(start, end)


def run(n=3, D=4.0, ok=True, slope=band(-1.15, 0.01), T=10000, role="sweep", kind="aligned", series=None,
        transient=0.0, conditions=True):
    case = FarCase(kind, 1 if kind == "aligned" else 2, n, D, 0.5, T, 12, 0, role)
    steps, losses = series if series is not None else ((), ())
    return FarOutcome(case, outcome(n, D, ok), float(T), slope, 1.0, 1.0, transient, (), tuple(steps),
                      tuple(losses), (), conditions)


def synthetic(L, T=10000):
    """A run whose recorded losses follow L(tau), sampled as the engine records them (~20 per decade)."""
    s = np.unique(np.round(np.logspace(0, np.log10(T), 20 * int(np.log10(T)) + 1)))
    return run(T=T, slope=fits.window_slope(s, L(s), T / 10, T), series=(s.tolist(), L(s).tolist()))


# -- L <= C/tau: the late slope ------------------------------------------------------------------
def test_slow_decay_fails_and_log_corrected_one_over_tau_passes():
    assert judge_late_slope(synthetic(lambda t: t ** -0.5)).verdict == FAIL
    assert judge_late_slope(synthetic(lambda t: t ** -0.95)).verdict == FAIL     # tau L ~ tau^0.05: unbounded
    log_law = synthetic(lambda t: np.log(t + 1) ** -0.9 / t)                      # local slope ~ -1.1
    assert -1.12 < log_law.late_slope.value < -1.05
    assert judge_late_slope(log_law).verdict == PASS
    assert judge_late_slope(run(slope=band(-1.08, 0.005))).verdict == PASS
    assert judge_late_slope(synthetic(lambda t: t ** -1.0)).verdict in (PASS, INCONCLUSIVE)


def test_late_slope_edges():
    edge = -1 + LATE_SLOPE_TOL
    assert judge_late_slope(run(slope=interval(edge - 0.02, edge))).verdict == PASS
    assert judge_late_slope(run(slope=interval(edge - 0.02, edge + 1e-6))).verdict == INCONCLUSIVE
    assert judge_late_slope(run(slope=interval(edge, edge + 0.02))).verdict == INCONCLUSIVE
    assert judge_late_slope(run(slope=interval(edge + 1e-6, edge + 0.02))).verdict == FAIL
    # a tenfold looser tolerance (0.1) would pass a slope of -0.95: it must FAIL
    assert judge_late_slope(run(slope=band(-0.95, 0.01))).verdict == FAIL
    assert LATE_SLOPE_TOL == 0.01


def test_transient_allowance_and_its_cap():
    edge = -1 + LATE_SLOPE_TOL
    # the escape transient 1/(tau + tau_0) raises the bound by its own slope excess
    assert judge_late_slope(run(slope=interval(edge + 0.03, edge + 0.04), transient=0.04)).verdict == PASS
    assert judge_late_slope(run(slope=interval(edge + 0.03, edge + 0.04), transient=0.03)).verdict == INCONCLUSIVE
    assert judge_late_slope(run(slope=interval(edge + 0.03 + 1e-6, edge + 0.04), transient=0.03)).verdict == FAIL
    # D = 8 at 10^4 steps: the transient dominates the decade (0.67): too short, however the slope looks
    assert judge_late_slope(run(slope=band(-0.79, 0.03), transient=0.67)).verdict == INCONCLUSIVE
    assert judge_late_slope(run(slope=band(-0.5, 0.01), transient=MAX_TRANSIENT + 1e-6)).verdict == INCONCLUSIVE
    assert judge_late_slope(run(slope=band(-0.5, 0.01), transient=MAX_TRANSIENT)).verdict == FAIL
    # a tenfold looser cap (1.0) would judge the D = 8 run; a slow decay within the cap still fails
    assert judge_late_slope(run(slope=band(-0.5, 0.01), transient=0.09)).verdict == FAIL
    assert MAX_TRANSIENT == 0.1


def test_too_short_a_run_is_inconclusive():
    assert judge_late_slope(run(slope=None)).verdict == INCONCLUSIVE
    assert judge_late_slope(run(T=10 * MIN_DECADE_START - 10)).verdict == INCONCLUSIVE
    assert judge_late_slope(run(T=10 * MIN_DECADE_START)).verdict == PASS
    assert judge_late_slope(run(T=10 * MIN_DECADE_START - 10, slope=band(-0.5, 0.01))).verdict == INCONCLUSIVE
    assert MIN_DECADE_START == 100


# -- D_0(n) from the sweep -------------------------------------------------------------------------
def sweep(n, flags, Ds=(2.0, 3.0, 4.0, 6.0)):
    return [run(n, D, ok) for D, ok in zip(Ds, flags)]


def test_threshold_is_the_start_of_the_top_run_of_successes():
    assert judge_d0(sweep(3, [False, True, True, True])) == 3.0
    assert judge_d0(list(reversed(sweep(3, [False, True, True, True])))) == 3.0
    assert judge_d0(sweep(3, [True, True, True, True])) == 2.0
    assert judge_d0(sweep(5, [True, False, True, True, True], (2.0, 3.0, 4.0, 5.0, 6.0))) == 4.0
    assert judge_d0(sweep(3, [False, False, True, True])) is None          # only 2 points above
    assert judge_d0(sweep(3, [True, True, True, False])) is None           # the top fails
    assert judge_d0([]) is None
    assert D0_MIN_POINTS == 3


# -- Theorem 3.5 as a whole ------------------------------------------------------------------------
def test_thm35_pass():
    v = judge_thm35(sweep(3, [False, True, True, True]), [run(3, 4.0, role="test", kind="random")], 15.0)
    assert v.verdict == PASS, v.reason
    assert "n=3: 3.0" in v.reason


def test_thm35_counterexample_at_or_above_the_threshold_fails():
    tests = [run(3, 3.0, ok=False, role="test", kind="random")]             # D = D_0(3) exactly
    v = judge_thm35(sweep(3, [False, True, True, True]), tests, 15.0)
    assert v.verdict == FAIL and "1 out of 4" in v.reason and "0.02" in v.reason
    below = [run(3, 2.5, ok=False, role="test", kind="random")]             # below D_0: not judged
    assert judge_thm35(sweep(3, [False, True, True, True]), below, 15.0).verdict == INCONCLUSIVE


def test_thm35_runs_outside_the_conditions_are_not_counterexamples():
    s = sweep(3, [False, True, True, True])
    off = [run(3, 4.0, ok=False, role="test", kind="random", conditions=False)]
    assert judge_thm35(s, off, 15.0).verdict == INCONCLUSIVE                 # not judged: nothing else tested
    both = off + [run(3, 4.0, role="test", kind="random")]
    assert judge_thm35(s, both, 15.0).verdict == PASS
    assert judge_thm35(s, [run(3, 4.0, ok=False, role="test", kind="random")], 15.0).verdict == FAIL


def test_thm35_the_d3_n5_run_is_below_its_measured_threshold_not_relabelled():
    s = sweep(5, [False, False, True, True, True], (2.0, 3.0, 4.0, 5.0, 6.0))
    assert judge_thm35(s, [run(5, 4.0, role="test", kind="random")], 15.0).verdict == PASS
    s = sweep(5, [False, False, True, True], (2.0, 3.0, 4.0, 6.0))          # no threshold with 3 points
    assert judge_thm35(s, [run(5, 4.0, role="test", kind="random")], 15.0).verdict == INCONCLUSIVE


def test_thm35_slow_decay_and_crosscheck_fail():
    s = sweep(3, [False, True, True, True])
    slow = [run(3, 4.0, role="test", kind="random", slope=band(-0.5, 0.01))]
    assert judge_thm35(s, slow, 15.0).verdict == FAIL
    ok = [run(3, 4.0, role="test", kind="random")]
    assert judge_thm35(s, ok, XCHECK_DIGITS - 0.1).verdict == FAIL
    assert judge_thm35(s, ok, XCHECK_DIGITS).verdict == PASS
    assert judge_thm35(s, ok, 1.0).verdict == FAIL                         # 10 digits: a tenfold looser bound fails


def test_thm35_inconclusive():
    s = sweep(3, [False, True, True, True])
    assert judge_thm35(s, [], 15.0).verdict == INCONCLUSIVE                 # the sweep alone proves nothing
    straddle = [run(3, 4.0, role="test", kind="random", slope=band(-1.0, 0.02))]
    assert judge_thm35(s, straddle, 15.0).verdict == INCONCLUSIVE
    short = [run(3, 4.0, role="test", kind="random", T=500)]
    assert judge_thm35(s, short, 15.0).verdict == INCONCLUSIVE
    other_n = [run(3, 4.0, role="test", kind="random"), run(5, 4.0, role="test", kind="random")]
    assert judge_thm35(s, other_n, 15.0).verdict == INCONCLUSIVE          # no sweep for n = 5


# -- Theorem 3.7 -----------------------------------------------------------------------------------
def history(L, T=10 ** 6, ok=True, digits=14):
    s = np.unique(np.round(np.logspace(0, np.log10(T), 20 * int(np.log10(T)) + 1)))
    r = run(T=T, ok=ok, series=(s.tolist(), L(s).tolist()))
    return slope_history(r, digits)


def test_thm37_true_faster_power_fails():
    h = history(lambda t: t ** -1.2)
    assert abs(h.limit_slope.value + 1.2) < 1e-6
    assert judge_thm37(h).verdict == FAIL
    assert judge_thm37(history(lambda t: t ** -1.1, T=4000)).verdict == FAIL   # the quick scale's length
    assert judge_thm37(history(lambda t: t ** -0.9)).verdict == FAIL            # slope away from -1 upwards


def test_thm37_log_corrected_decay_is_inconclusive_and_one_over_tau_passes():
    v = judge_thm37(history(lambda t: np.log(t + 1) ** -1.09 / t))
    assert v.verdict == INCONCLUSIVE, v.reason
    assert judge_thm37(history(lambda t: (1 + 5 / t) / t)).verdict == PASS


def test_thm37_precondition_and_trust():
    assert judge_thm37(history(lambda t: t ** -1.2, ok=False)).verdict == INCONCLUSIVE
    assert judge_thm37(history(lambda t: t ** -1.2, digits=TRUST_DIGITS - 1)).verdict == INCONCLUSIVE
    assert judge_thm37(history(lambda t: t ** -1.2, digits=TRUST_DIGITS)).verdict == FAIL
    assert TRUST_DIGITS == 6


def hand(limit, last, ok=True):
    return SlopeHistory(run(ok=ok), 14, (), last, limit, ((0.05, 1.0), (0.1, 1.0)), -1.0)


def test_thm37_edges():
    lo_edge, hi_edge = -1 - EPS_MIN, -1 + EPS_MIN
    good = band(-1.0, 0.01)
    assert judge_thm37(hand(interval(lo_edge - 0.01, lo_edge), band(-1.1, 0.01))).verdict == INCONCLUSIVE
    assert judge_thm37(hand(interval(lo_edge - 0.01, lo_edge - 1e-6), band(-1.1, 0.01))).verdict == FAIL
    assert judge_thm37(hand(interval(hi_edge, hi_edge + 0.01), band(-0.9, 0.01))).verdict == PASS
    assert judge_thm37(hand(interval(hi_edge + 1e-6, hi_edge + 0.01), band(-0.9, 0.01))).verdict == FAIL
    assert judge_thm37(hand(good, interval(lo_edge, lo_edge + 0.01))).verdict == INCONCLUSIVE
    assert judge_thm37(hand(good, interval(lo_edge + 1e-6, lo_edge + 0.01))).verdict == PASS
    # eps_min = 0.05: a tenfold looser band (0.5) would pass a limit of -1.2 and a last slope of -1.3
    assert judge_thm37(hand(band(-1.2, 0.01), band(-1.2, 0.01))).verdict == FAIL
    assert judge_thm37(hand(band(-1.0, 0.01), band(-1.3, 0.01))).verdict == INCONCLUSIVE
    assert EPS_MIN == 0.05


def test_thm37_too_few_windows():
    assert judge_thm37(hand(None, band(-1.0, 0.01))).verdict == INCONCLUSIVE
    assert judge_thm37(hand(band(-1.0, 0.01), None)).verdict == INCONCLUSIVE
    assert judge_thm37(history(lambda t: t ** -1.2, T=300)).verdict == INCONCLUSIVE
