"""Judges of Lemma D.3 and Corollary 3.6 (claims/random_initialisation.py) on synthetic outcomes."""
import math

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.random_initialisation import (
    COND1_FLOOR, COND1_MIN_COUNT, EXPONENT_TOL, MIN_RUNS, P_TARGET, ConditionCell, FailureExponent,
    OutcomeFrequencies, failure_exponent, judge_cor36, judge_lemD3)
from proofs_check.fits import Frequency, Slope


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


# -- Corollary 3.6 -----------------------------------------------------------------------------------
def outcome(small, large):
    return OutcomeFrequencies(2.0, 6.0, small, large)


SMALL = freq(13, 64, 0.12, 0.32)


def test_cor36_pass():
    v = judge_cor36(outcome(SMALL, freq(63, 64, 0.916, 0.997)))
    assert v.verdict == PASS, v.reason


def test_cor36_rule_is_the_lower_bound_not_the_upper():
    # the old inverted rule passed 1/1 and 4/5 and left 45/56 undecided
    assert judge_cor36(outcome(SMALL, freq(1, 1, 0.21, 1.0))).verdict == INCONCLUSIVE
    assert judge_cor36(outcome(SMALL, freq(4, 5, 0.38, 0.96))).verdict == INCONCLUSIVE
    assert judge_cor36(outcome(SMALL, freq(45, 56, 0.68, 0.89))).verdict == FAIL
    assert judge_cor36(outcome(SMALL, freq(60, 64, 0.85, 0.975))).verdict == INCONCLUSIVE


def test_cor36_level_edges_and_minimum_count():
    assert judge_cor36(outcome(SMALL, freq(MIN_RUNS, MIN_RUNS, P_TARGET, 1.0))).verdict == PASS
    assert judge_cor36(outcome(SMALL, freq(MIN_RUNS - 1, MIN_RUNS - 1, P_TARGET, 1.0))).verdict == INCONCLUSIVE
    assert judge_cor36(outcome(SMALL, freq(50, 64, 0.66, P_TARGET - 1e-6))).verdict == FAIL
    assert MIN_RUNS == 35 and P_TARGET == 0.9


def test_cor36_must_rise_with_D():
    high_small = freq(100, 100, 0.963, 1.0)
    v = judge_cor36(outcome(high_small, freq(62, 64, 0.91, 0.96)))
    assert v.verdict == FAIL and "falls" in v.reason
    # touching intervals decide nothing
    assert judge_cor36(outcome(freq(30, 64, 0.5, 0.92), freq(63, 64, 0.92, 0.997))).verdict == INCONCLUSIVE
    assert judge_cor36(outcome(freq(64, 64, 0.96, 1.0), freq(63, 64, 0.92, 0.96))).verdict == INCONCLUSIVE
    assert judge_cor36(outcome(freq(64, 64, 0.96, 1.0), freq(63, 64, 0.92, 0.96 - 1e-6))).verdict == FAIL
    assert judge_cor36(outcome(freq(30, 64, 0.5, 0.92 - 1e-6), freq(63, 64, 0.92, 0.997))).verdict == PASS
