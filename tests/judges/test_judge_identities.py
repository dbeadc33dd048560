"""The identity claims' judges (lemB.1, lemA.3, eq1) on synthetic agreements: PASS, FAIL, INCONCLUSIVE.

One rule: every case's routes must agree to the working precision (dps digits); short of it while the
computation resolves that many digits is a FAIL, short of it unresolved is INCONCLUSIVE.  A requirement
loosened by even one digit (39 agreed at dps 40 passing) must turn these tests red.
"""
import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.gradient_identity import (Agreement, SymbolicOutcome, judge_agreement, judge_lemA3,
                                                   judge_lemB1)
from proofs_check.claims.symmetry import judge_eq1


def ag(agreed, dps=40, resolved=None, case="case"):
    return Agreement(case, dps, agreed, dps if resolved is None else resolved)


EXACT = (SymbolicOutcome(1, 1, ()), SymbolicOutcome(2, 2, ()))


# -- lemB.1 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("agreed, dps, resolved, want", [
    (40, 40, 40, PASS),            # the working precision exactly
    (53, 40, 40, PASS),            # the measured aligned cases
    (39, 40, 40, FAIL),            # one digit short, resolved: the forms disagree
    (35, 40, 40, FAIL),            # the old requirement (35 at dps 40) is no longer enough
    (5, 40, 40, FAIL),
    (39, 40, 39, INCONCLUSIVE),    # one digit short, but the computation resolves only 39
    (30, 20, 20, PASS),            # the quick planar case (dps 20)
    (19, 20, 20, FAIL),
    (19, 20, 19, INCONCLUSIVE),
    (30, 30, 30, PASS),            # the full planar case
    (29, 30, 31, FAIL),
])
def test_lemB1_digits(agreed, dps, resolved, want):
    v = judge_lemB1(EXACT, [ag(53), ag(agreed, dps, resolved, "planar")])
    assert v.verdict == want, v.reason


def test_lemB1_reason_lists_the_failing_case_with_numbers():
    v = judge_lemB1(EXACT, [ag(53, case="example"), ag(39, case="split 1e-30")])
    assert v.verdict == FAIL
    assert "1 out of 2" in v.reason and "split 1e-30: 39 digits agreed, need 40" in v.reason


def test_lemB1_symbolic_failure_fails_whatever_the_digits():
    bad = (SymbolicOutcome(1, 1, ()), SymbolicOutcome(2, 2, ("stein == hand formula",)))
    v = judge_lemB1(bad, [ag(53)])
    assert v.verdict == FAIL and "G=2, k=2: stein == hand formula" in v.reason
    assert judge_lemB1(bad, [ag(39, resolved=30)]).verdict == FAIL


def test_lemB1_nothing_run_is_inconclusive():
    assert judge_lemB1((), [ag(53)]).verdict == INCONCLUSIVE
    assert judge_lemB1(EXACT, []).verdict == INCONCLUSIVE
    assert judge_lemB1(EXACT, [ag(53)]).verdict == PASS


def test_one_wrong_case_beats_an_unresolved_one():
    v = judge_agreement([ag(39, resolved=30, case="a"), ag(39, case="b"), ag(45, case="c")], 0, "x")
    assert v.verdict == FAIL and "1 out of 3" in v.reason and "b:" in v.reason
    v = judge_agreement([ag(39, resolved=30, case="a"), ag(45, case="c")], 0, "x")
    assert v.verdict == INCONCLUSIVE and "resolves only 30" in v.reason


def test_the_guard_is_applied():
    assert judge_agreement([ag(38)], 2, "x").verdict == PASS
    assert judge_agreement([ag(37)], 2, "x").verdict == FAIL
    assert judge_agreement([ag(37, resolved=38)], 2, "x").verdict == FAIL            # resolved to the need
    assert judge_agreement([ag(37, resolved=37)], 2, "x").verdict == INCONCLUSIVE
    assert judge_agreement([ag(38, resolved=37)], 0, "x").verdict == INCONCLUSIVE


# -- lemA.3 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("agreed, resolved, want", [
    (49, 48, PASS),                # the measured values
    (40, 48, PASS),
    (39, 48, FAIL),
    (34, 48, FAIL),
    (30, 30, INCONCLUSIVE),        # the quadrature resolved only 30 digits
    (39, 40, FAIL),
])
def test_lemA3_digits(agreed, resolved, want):
    v = judge_lemA3([ag(50, case="x^3 - 2x"), ag(agreed, 40, resolved, "softmax g")])
    assert v.verdict == want, v.reason


def test_lemA3_nothing_run():
    assert judge_lemA3([]).verdict == INCONCLUSIVE


# -- eq1 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("agreed, dps, resolved, want", [
    (40, 30, 40, PASS),            # aligned, measured
    (30, 30, 40, PASS),
    (29, 30, 40, FAIL),
    (28, 30, 40, FAIL),            # the old requirement (dps - 2) is no longer enough
    (29, 30, 29, INCONCLUSIVE),
    (22, 12, 19, PASS),            # quick planar, measured
    (11, 12, 19, FAIL),
    (11, 12, 11, INCONCLUSIVE),
])
def test_eq1_digits(agreed, dps, resolved, want):
    v = judge_eq1([ag(40, 30, 40, "shift"), ag(agreed, dps, resolved, "rotation planar")])
    assert v.verdict == want, v.reason


def test_eq1_nothing_run():
    assert judge_eq1([]).verdict == INCONCLUSIVE


# -- the digits a computation resolves (the resolved column the judges compare) -----------------------
def test_resolved_digits_is_the_one_digit_counter():
    """resolved_digits = min of numbers.digits_between over its (error, scale) pairs, capped: the same
    values as the two counters it replaced (lemA.3: cap 2 dps; eq1: cap 10^6 for exact evaluations)."""
    from mpmath import mp

    from proofs_check.claims.gradient_identity import resolved_digits
    assert resolved_digits([(mp.mpf("1e-42"), 1)], 80) == 42
    assert resolved_digits([(mp.mpf("3e-42"), 2)], 80) == 41          # floor(-log10(1.5e-42)) = 41
    assert resolved_digits([(mp.mpf("1e-42"), 1), (mp.mpf("1e-30"), 1)], 80) == 30   # the smallest pair
    assert resolved_digits([(mp.mpf("1e-90"), 1)], 80) == 80          # capped
    assert resolved_digits([(mp.mpf(5), 1)], 80) == 0                 # an error above the value: no digit
    assert resolved_digits([(0, 1)], 80) == 80                        # an exact evaluation resolves everything
    assert resolved_digits([(mp.mpf("1e-5"), 0)], 80) == 80           # so does a zero value (the eq1 rule)
    assert resolved_digits([], 10 ** 6) == 10 ** 6                    # nothing to resolve


def test_lemB1_expanded_form_failures():
    """The recovered expanded form enters the judge twice: sympy's proof (a failed 'expanded_equals_stein' is a
    FAIL whatever the digits) and its numeric pairs (a case whose expanded route agrees to 39 of 40 digits fails)."""
    bad = (SymbolicOutcome(2, 1, ("expanded_equals_stein",)),)
    v = judge_lemB1(bad, [ag(53)])
    assert v.verdict == FAIL and "expanded_equals_stein" in v.reason
    row = Agreement("example", 40, 39, 40, (("Stein vs pathwise", 53), ("expanded vs Stein", 39)))
    assert judge_lemB1(EXACT, [row]).verdict == FAIL
    assert "expanded" in judge_lemB1(EXACT, [ag(53)]).reason
