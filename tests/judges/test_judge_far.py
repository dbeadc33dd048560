"""Judges of Theorems 3.5 and 3.7 (claims/far_initialisation.py, claims/far_law.py) on synthetic outcomes:
PASS, FAIL, INCONCLUSIVE."""
import numpy as np

from proofs_check import fits
from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.far_initialisation import (
    D0_MIN_POINTS, LATE_SLOPE_TOL, MAX_TRANSIENT, MIN_DECADE_START, XCHECK_DIGITS, FarCase, FarOutcome, judge_d0,
    judge_late_slope, probability_bound, paper_threshold)
from proofs_check.claims.far_initialisation import judge_thm35 as judge_thm35_with_law
from proofs_check.claims.far_law import (
    DIGIT_MARGIN, MAX_OFFSET, MIN_FAR_MARKS, MIN_WINDOW_MARKS, NEXT_FACTOR, TAU_FAR, FarOut, LawEvidence, Overlap,
    judge_far, judge_law, judge_limit, judge_overlap, judge_thm37)
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
def judge_thm35(sweep, tests, xdig):
    """The sweep/test part of the judge, with a law that holds (tested on its own below)."""
    return judge_thm35_with_law(sweep, tests, xdig, GOOD)


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


# -- the far-regime law (claims/far_law.py) --------------------------------------------------------
LIMITS = (("tau^(1+eps) L", "oo"), ("tau L", "0"), ("tau L log tau", "2*m/eta"))


def overlap(offset=lambda t: 0.018, n=12, digits=16, tau0=100):
    """Synthetic (a): the model's relative error offset(tau)/tau at n window steps from 3 tau0."""
    taus = tuple(int(round(3 * tau0 * 10 ** (k / 10))) for k in range(n))
    return Overlap(tau0, 6.6, 1.6e-2, 1.6e-2, 1e-2, taus, tuple(offset(t) / t for t in taus), 2e-3, digits)


def far(shift=0.0, marks=(1e6, 1e10, 1e20, 1e30), digits=16):
    """Synthetic (b): errors = predicted + shift x next order (K = 1, 2), at R^2 = 8 log tau."""
    R = tuple(float(np.sqrt(8 * np.log(t))) for t in marks)
    pred = {K: tuple(-400.0 ** K / r ** (2 * K + 2) for r in R) for K in (1, 2)}
    nxt = {K: tuple(-400.0 ** K * 10 / r ** (2 * K + 4) for r in R) for K in (1, 2)}
    err = {K: tuple(p + shift * q for p, q in zip(pred[K], nxt[K])) for K in (1, 2)}
    return FarOut(tuple(marks), R, tuple(8 / r for r in R), tuple(err.items()), tuple(pred.items()),
                  tuple(nxt.items()), digits)


def evidence(ok=True, limits=LIMITS, overlaps=None, far_out=None):
    return LawEvidence(ok, (11.6, 11.6, 1e-6), 10 ** 6, limits, tuple(overlaps or (overlap(),)),
                       far_out or far(), {})


GOOD = evidence()


def test_overlap_clock_offset():
    assert judge_overlap(overlap()).verdict == PASS
    assert judge_overlap(overlap(lambda t: MAX_OFFSET)).verdict == PASS
    assert judge_overlap(overlap(lambda t: -MAX_OFFSET * (1 + 1e-6))).verdict == FAIL
    # without Euler's modified-equation term the offset grows like (1/2) log(tau/tau0): 3.5 steps from 1e3 to 1e6
    assert judge_overlap(overlap(lambda t: 0.5 * np.log(t / 1000), tau0=1000, n=30)).verdict == FAIL
    assert judge_overlap(overlap(lambda t: 0.15 * MAX_OFFSET * 10)).verdict == FAIL        # a tenfold looser bound
    assert MAX_OFFSET == 1.0


def test_overlap_inconclusive():
    assert judge_overlap(overlap(n=MIN_WINDOW_MARKS - 1)).verdict == INCONCLUSIVE
    assert judge_overlap(overlap(n=MIN_WINDOW_MARKS)).verdict == PASS
    o = overlap()
    need = int(np.ceil(max(o.digits) + DIGIT_MARGIN))
    assert judge_overlap(overlap(digits=need)).verdict == PASS
    assert judge_overlap(overlap(digits=need - 1)).verdict == INCONCLUSIVE
    assert judge_overlap(overlap(lambda t: 5.0, digits=3)).verdict == INCONCLUSIVE      # unresolved, not judged
    assert judge_overlap(overlap(lambda t: 5.0, digits=need - 1)).verdict == FAIL       # resolved: a miss


def test_far_errors_against_their_prediction():
    assert judge_far(far()).verdict == PASS
    assert judge_far(far(NEXT_FACTOR * (1 - 1e-9))).verdict == PASS         # the edge (rounding aside)
    assert judge_far(far(-NEXT_FACTOR * (1 - 1e-9))).verdict == PASS
    assert judge_far(far(NEXT_FACTOR * (1 + 1e-6))).verdict == FAIL
    assert judge_far(far(-NEXT_FACTOR * 1.01)).verdict == FAIL
    assert judge_far(far(3.0)).verdict == FAIL                     # a tenfold looser factor would pass it
    assert NEXT_FACTOR == 2.0


def test_far_inconclusive():
    few = far(marks=tuple([1e3, 1e4] + [10 ** (6 + k) for k in range(MIN_FAR_MARKS - 1)]))
    assert judge_far(few).verdict == INCONCLUSIVE
    enough = far(marks=tuple([1e3] + [TAU_FAR * 10 ** k for k in range(MIN_FAR_MARKS)]))
    assert judge_far(enough).verdict == PASS
    below = far(marks=tuple(TAU_FAR * 0.99 * 10 ** (-k) for k in range(5, -1, -1)))
    assert judge_far(below).verdict == INCONCLUSIVE
    f = far()
    e1 = max(-np.log10(abs(v)) for K, errs in f.err for v in errs)
    need = int(np.ceil(e1 + DIGIT_MARGIN))
    assert judge_far(far(digits=need)).verdict == PASS
    assert judge_far(far(digits=need - 1)).verdict == INCONCLUSIVE
    assert judge_far(far(5.0, digits=need - 1)).verdict == FAIL     # a resolved miss still fails


def test_limits():
    assert judge_limit(LIMITS, "tau^(1+eps) L", "infinite").verdict == PASS
    assert judge_limit((("tau^(1+eps) L", "0"),), "tau^(1+eps) L", "infinite").verdict == FAIL
    assert judge_limit((("tau^(1+eps) L", "8"),), "tau^(1+eps) L", "infinite").verdict == FAIL
    assert judge_limit(LIMITS, "tau L", "finite").verdict == PASS
    assert judge_limit((("tau L", "oo"),), "tau L", "finite").verdict == FAIL
    assert judge_limit((("tau L", "2*m/eta"),), "tau L", "finite").verdict == PASS
    assert judge_limit((), "tau L", "finite").verdict == INCONCLUSIVE
    assert judge_limit((("tau L", "nan"),), "tau L", "finite").verdict == FAIL         # no limit is not bounded
    assert judge_limit((("tau L", "-oo"),), "tau L", "finite").verdict == FAIL


def test_thm37_decided_from_the_law():
    assert judge_thm37(GOOD).verdict == PASS
    assert judge_thm37(evidence(limits=(("tau^(1+eps) L", "0"),))).verdict == FAIL
    assert judge_thm37(evidence(overlaps=(overlap(), overlap(lambda t: 2.0, tau0=1000)))).verdict == FAIL
    assert judge_thm37(evidence(far_out=far(4.0))).verdict == FAIL
    assert judge_thm37(evidence(ok=False)).verdict == INCONCLUSIVE
    assert judge_thm37(evidence(far_out=far(marks=(1e3, 1e4)))).verdict == INCONCLUSIVE
    assert judge_law(GOOD, "tau L", "finite").verdict == PASS


def test_paper_hypothesis_and_bound():
    assert paper_threshold(1, 3) == 1e9 * 3 ** 10
    assert paper_threshold(4, 2) == 2e9 * 2 ** 10
    assert probability_bound(3, 729.0) == 0.0                      # M_0 = n^6: the bound is exactly vacuous
    assert probability_bound(3, 1000.0) > 0 > probability_bound(3, 700.0)
    assert abs(probability_bound(3, 8.0) - (1 - 9 / 2)) < 1e-12


def test_thm35_law_part():
    s, ok = sweep(3, [False, True, True, True]), [run(3, 4.0, role="test", kind="random")]
    assert judge_thm35_with_law(s, ok, 15.0, GOOD).verdict == PASS
    assert judge_thm35_with_law(s, ok, 15.0, evidence(limits=(("tau L", "oo"),))).verdict == FAIL
    assert judge_thm35_with_law(s, ok, 15.0, evidence(far_out=far(4.0))).verdict == FAIL
    assert judge_thm35_with_law(s, ok, 15.0, None).verdict == INCONCLUSIVE
    assert judge_thm35_with_law(s, ok, 15.0, evidence(ok=False)).verdict == INCONCLUSIVE
