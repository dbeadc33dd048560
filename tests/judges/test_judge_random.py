"""Judges of Lemma D.3 and Corollary 3.6 (claims/random_initialisation.py) on synthetic outcomes."""
import math

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims import MEASURED
from proofs_check.claims.random_far import (
    FAR_MIN_RUNS, THRESHOLD_LEVEL, THRESHOLD_MIN_RUNS, FarFrequency, OutcomeCell, Threshold, cell_verdict, classify,
    hypothesis_columns, hypothesis_met, judge_cor36, judge_far, judge_threshold, locate_threshold, paper_bound)
from proofs_check.claims.random_initialisation import (
    COND1_FLOOR, COND1_MIN_COUNT, EXPONENT_TOL, ConditionCell, FailureExponent, failure_exponent, judge_lemD3)
from proofs_check.fits import Frequency, Slope, frequency
from proofs_check.trajectory import final_outcome


def freq(k, N, lo, hi):
    return Frequency(k, N, lo, hi)


def band(value, half):
    return Slope(value, half / 2, 3, value - half, value + half)


GOOD1 = freq(399600, 400000, 0.9988, 0.9991)


def cell(D=16.0, c1=GOOD1, n=3):
    return ConditionCell(2, n, D, c1, freq(1, 2, 0.1, 0.9), freq(1, 2, 0.1, 0.9))


def exponent(slope, n=3):
    return FailureExponent(2, n, slope)


# -- Lemma D.3 ---------------------------------------------------------------------------------------
def test_lemD3_pass():
    v = judge_lemD3([cell(8.0), cell(16.0)], [exponent(band(-1.0, 0.03))])
    assert v.verdict == PASS, v.reason


def test_lemD3_condition1_below_lemma_A1_fails():
    bad = cell(8.0, freq(900, 1000, 0.88, 0.92))
    v = judge_lemD3([bad, cell(16.0)], [exponent(band(-1.0, 0.03))])
    assert v.verdict == FAIL and "1 out of 2" in v.reason
    # on the floor: the lower bound reaches it (PASS); the upper bound just below it (FAIL)
    on = cell(8.0, freq(999, 1000, COND1_FLOOR, 0.99))
    assert judge_lemD3([on], [exponent(band(-1.0, 0.03))]).verdict == PASS
    under = cell(8.0, freq(940, 1000, 0.92, COND1_FLOOR - 1e-6))
    assert judge_lemD3([under], [exponent(band(-1.0, 0.03))]).verdict == FAIL
    # the interval contains the floor: undecided, never PASS
    wide = cell(8.0, freq(950, 1000, 0.93, 0.96))
    assert judge_lemD3([wide], [exponent(band(-1.0, 0.03))]).verdict == INCONCLUSIVE


def test_lemD3_condition1_minimum_count():
    few = cell(8.0, freq(COND1_MIN_COUNT - 1, COND1_MIN_COUNT - 1, 0.96, 1.0))
    assert judge_lemD3([few], [exponent(band(-1.0, 0.03))]).verdict == INCONCLUSIVE
    enough = cell(8.0, freq(COND1_MIN_COUNT, COND1_MIN_COUNT, 0.951, 1.0))
    assert judge_lemD3([enough], [exponent(band(-1.0, 0.03))]).verdict == PASS
    assert COND1_MIN_COUNT == math.ceil(1.959963984540054 ** 2 * COND1_FLOOR / (1 - COND1_FLOOR)) == 74


@pytest.mark.parametrize("slope, want", [
    (band(-1.0, 0.03), PASS),
    (band(-0.5, 0.03), FAIL),              # a D^-1/2 decay
    (band(-2.0, 0.03), FAIL),              # faster than the projection argument allows
    (band(-1.0 - EXPONENT_TOL - 0.05, 0.03), FAIL),
    (band(-1.09, 0.03), INCONCLUSIVE),     # straddles -1.1
    (band(-1.0, 0.2), INCONCLUSIVE),
    (None, INCONCLUSIVE),
])
def test_lemD3_condition2_exponent(slope, want):
    v = judge_lemD3([cell()], [exponent(band(-1.0, 0.03), n=5), exponent(slope)])
    assert v.verdict == want, v.reason


def test_lemD3_tolerance_is_not_tenfold_looser():
    # with 1.0 instead of 0.1, a D^-0.5 decay would pass
    assert judge_lemD3([cell()], [exponent(band(-0.5, 0.03))]).verdict == FAIL
    assert EXPONENT_TOL == 0.1


def test_lemD3_nothing_measured():
    assert judge_lemD3([], [exponent(band(-1.0, 0.03))]).verdict == INCONCLUSIVE
    assert judge_lemD3([cell()], []).verdict == INCONCLUSIVE


def test_failure_exponent_recovers_one_over_D():
    N = 400000
    cells = []
    for D in (4.0, 16.0, 32.0, 64.0):
        k_fail = round(N * 0.3 / D)
        cells.append(ConditionCell(2, 3, D, GOOD1, Frequency(N - k_fail, N, 0.0, 1.0), GOOD1))
    s = failure_exponent(cells)
    assert s.points == 3 and abs(s.value + 1) < 0.01 and s.hi - s.lo < 0.1
    assert failure_exponent(cells[:2]) is None


# -- the paper's hypothesis and bound -------------------------------------------------------------------
def test_hypothesis_and_bound():
    assert not hypothesis_met(1000.0, 1, 3) and hypothesis_met(6e13, 1, 3) and not hypothesis_met(5.8e13, 1, 3)
    assert not hypothesis_met(6e13, 4, 3)                  # sqrt(d) = 2 doubles the threshold
    assert hypothesis_met(1e9 * 2 ** 10 * 1.0001, 1, 2) and not hypothesis_met(1e9 * 2 ** 10 * 0.9999, 1, 2)
    assert paper_bound(1000.0, 3) == pytest.approx(0.1) and paper_bound(729.0, 3) == pytest.approx(0.0)
    assert paper_bound(8.0, 2) == pytest.approx(-1.0)
    assert hypothesis_columns(1000.0, 1, 3) == ["no", "0.1", "yes"]
    assert hypothesis_columns(8.0, 1, 3)[2] == "no (vacuous)"
    assert hypothesis_columns(1e14, 1, 3)[0] == "yes"


# -- classify: final_outcome's three classes ---------------------------------------------------------------
def test_classify():
    assert classify(final_outcome([1.0, 1000.0, 1001.0], [0.01, 1000.5, 1001.5])) == "success"
    # the far ones' summaries unchanged: the test cannot see their recession
    assert classify(final_outcome([1.0, 1000.0, 1001.0], [0.01, 1000.0, 1001.5])) == "undecided"
    # one came closer: a failure even if another is unresolved
    assert classify(final_outcome([1.0, 1000.0, 1001.0], [0.01, 999.9, 1001.0])) == "failure"
    # nothing converged, or two converged
    assert classify(final_outcome([1.0, 1000.0], [0.5, 1000.0])) == "failure"
    assert classify(final_outcome([1.0, 2.0, 9.0], [0.01, 0.02, 9.0])) == "failure"


# -- D_0(n) ------------------------------------------------------------------------------------------------
def ocell(n, D, k, N, undecided=0):
    f = frequency(k, N)
    return OutcomeCell(1, n, D, f, undecided, f, frequency(0, N))


def test_cell_verdict_edges():
    assert THRESHOLD_LEVEL == 0.95 and THRESHOLD_MIN_RUNS == 73
    assert cell_verdict(ocell(3, 8.0, 73, 73)).verdict == PASS                 # 73/73: lower 0.9501
    assert cell_verdict(ocell(3, 8.0, 72, 72)).verdict == INCONCLUSIVE         # too few runs
    assert cell_verdict(ocell(3, 8.0, 79, 80)).verdict == INCONCLUSIVE         # lower 0.933, upper 0.998
    assert cell_verdict(ocell(3, 8.0, 60, 80)).verdict == FAIL                 # upper 0.84
    # undecided runs count as successes for FAIL: 60 + 18 of 80 cannot be called below 0.95
    assert cell_verdict(ocell(3, 8.0, 60, 80, undecided=18)).verdict == INCONCLUSIVE
    # ... and as misses for PASS: 70 + 10 of 80 cannot PASS
    assert cell_verdict(ocell(3, 8.0, 70, 80, undecided=10)).verdict == INCONCLUSIVE
    assert cell_verdict(ocell(3, 8.0, 0, 80, undecided=80)).verdict == INCONCLUSIVE
    assert cell_verdict(ocell(3, 8.0, 80, 80, undecided=0)).verdict == PASS


def test_locate_threshold_bracket():
    cells = [ocell(3, 3.0, 40, 80), ocell(3, 4.0, 70, 80), ocell(3, 6.0, 79, 80), ocell(3, 8.0, 80, 80),
             ocell(5, 3.0, 40, 80), ocell(5, 4.0, 76, 80)]
    t = locate_threshold(cells, 3)
    assert (t.D_lo, t.D_hi) == (4.0, 8.0) and t.swept == (3.0, 4.0, 6.0, 8.0)
    t5 = locate_threshold(cells, 5)
    assert t5.D_hi is None and t5.D_lo == 3.0          # 76/80 = [0.878, 0.980] contains 0.95: undecided
    # a holding cell at the smallest D: the bracket is open below
    t_open = locate_threshold([ocell(8, 3.0, 80, 80)], 8)
    assert (t_open.D_lo, t_open.D_hi) == (None, 3.0)
    # a failing cell above the first holding one does not move D_lo
    t_up = locate_threshold([ocell(3, 3.0, 40, 80), ocell(3, 4.0, 80, 80), ocell(3, 6.0, 40, 80)], 3)
    assert (t_up.D_lo, t_up.D_hi) == (3.0, 4.0)


def test_judge_threshold():
    located = [Threshold(3, 4.0, 6.0, (3.0, 4.0, 6.0)), Threshold(5, None, 3.0, (3.0,))]
    v = judge_threshold(located)
    assert v.verdict == MEASURED and "(4, 6]" in v.reason and "(?, 3]" in v.reason
    v = judge_threshold(located + [Threshold(8, 6.0, None, (3.0, 6.0, 8.0))])
    assert v.verdict == INCONCLUSIVE and "n=8" in v.reason and "up to D = 8" in v.reason
    assert "P(outcome) >= 0.95" in v.reason
    assert judge_threshold([]).verdict == INCONCLUSIVE


# -- far d = 1 runs against the paper's bound -------------------------------------------------------------
def far(successes, undecided, N, M0=1000.0, n=3):
    return FarFrequency(n, M0, successes, undecided, N)


def test_far_pass_fail_inconclusive():
    assert FAR_MIN_RUNS == 20
    assert judge_far(far(20, 0, 20)).verdict == PASS
    assert judge_far(far(0, 0, 20)).verdict == INCONCLUSIVE         # 0/20: upper 0.161 contains 0.1
    assert judge_far(far(0, 0, 60)).verdict == FAIL                 # 0/60: upper 0.060 < 0.1
    assert judge_far(far(0, 20, 20)).verdict == INCONCLUSIVE        # undecided both ways


def test_far_edges_at_the_bound():
    # bound 0.1 at M_0 = 1000, n = 3; Wilson(2/20) = [0.028, 0.301] contains it
    assert judge_far(far(2, 0, 20)).verdict == INCONCLUSIVE
    # 0/40: upper 0.0876 < 0.1 -> FAIL; 0/30: upper 0.114 -> INCONCLUSIVE
    assert frequency(0, 40).hi < 0.1 < frequency(0, 30).hi
    assert judge_far(far(0, 0, 40)).verdict == FAIL
    assert judge_far(far(0, 0, 30)).verdict == INCONCLUSIVE
    # undecided runs rescue a FAIL (counted as successes for the upper bound) but never make a PASS
    assert judge_far(far(0, 10, 40)).verdict == INCONCLUSIVE
    assert judge_far(far(4, 0, 20)).verdict == INCONCLUSIVE and frequency(4, 20).lo < 0.1
    assert frequency(8, 20).lo >= 0.1 and judge_far(far(8, 0, 20)).verdict == PASS
    assert judge_far(far(4, 30, 40)).verdict == INCONCLUSIVE      # 4/40 lower 0.04 < 0.1


def test_far_minimum_count_and_label():
    assert judge_far(far(19, 0, 19)).verdict == INCONCLUSIVE
    v = judge_far(far(20, 0, 20))
    assert "NOT met" in v.reason and "M_0 > 1e9 sqrt(d) n^10 = 5.9e+13" in v.reason
    v = judge_far(far(20, 0, 20, M0=1e14))             # bound 0.9998: 20/20 cannot reach it
    assert v.verdict == INCONCLUSIVE and "is met" in v.reason
    # a vacuous bound (M_0 = 500 < 729) decides nothing
    assert judge_far(far(0, 0, 40, M0=500.0)).verdict == INCONCLUSIVE


def test_judge_cor36_combination():
    located = [Threshold(3, 4.0, 6.0, (3.0, 4.0, 6.0))]
    missing = [Threshold(8, 6.0, None, (3.0, 6.0))]
    assert judge_cor36([far(20, 0, 20)], located).verdict == PASS
    assert judge_cor36([far(20, 0, 20)], located + missing).verdict == INCONCLUSIVE
    assert judge_cor36([far(0, 0, 40)], located + missing).verdict == FAIL
    assert judge_cor36([far(0, 20, 20)], located).verdict == INCONCLUSIVE
    # every far (n, M_0) counts: one failing comparison fails the claim, one short one leaves it open
    assert judge_cor36([far(20, 0, 20), far(0, 0, 40)], located).verdict == FAIL
    assert judge_cor36([far(20, 0, 20), far(1, 0, 1)], located).verdict == INCONCLUSIVE
    assert judge_cor36([], located).verdict == INCONCLUSIVE


# -- far runs: positions where resolved, else the end-state radial velocity's sign -----------------
def test_sign_of_needs_both_precisions_to_agree():
    from proofs_check.claims.random_far import sign_of
    assert sign_of(1e-300, 2e-300) == 1 and sign_of(-1.0, -2.0) == -1
    assert sign_of(1.0, -1.0) == 0 and sign_of(0, 1.0) == 0 and sign_of(1.0, 0) == 0 and sign_of(0, 0) == 0


def test_far_class():
    from proofs_check.claims.random_far import far_class
    assert far_class(True, [1, 1], [0, 0]) == "success"            # positions resolve the recession
    assert far_class(True, [0, 0], [1, 1]) == "success"            # velocities decide unresolved positions
    assert far_class(True, [1, 0], [-1, 1]) == "success"           # a resolved position wins over its velocity
    assert far_class(True, [0, 0], [1, 0]) == "undecided"          # one unresolved both ways
    assert far_class(True, [0, 0], [1, -1]) == "failure"           # approaching at the end
    assert far_class(True, [-1, 1], [1, 1]) == "success"           # pulled in, receding at the end
    assert far_class(True, [-1, 1], [0, 1]) == "undecided"         # pulled in, end velocity unresolved
    assert far_class(True, [-1, 1], [-1, 1]) == "failure"          # pulled in and still approaching
    assert far_class(False, [1, 1], [1, 1]) == "failure"           # not exactly the closest near b
    assert far_class(True, [], []) == "success"                    # n = 1: nothing else to recede
