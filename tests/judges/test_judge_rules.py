"""The shared judging rules (claims.rules) on synthetic numbers: each can say PASS, FAIL and INCONCLUSIVE."""
import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, MEASURED, PASS, Verdict, worst
from proofs_check.claims.rules import judge_digits, judge_exponent, judge_frequency, judge_frequency_undecided
from proofs_check.fits import Slope, frequency


def slope(value, half):
    return Slope(value, half / 2, 10, value - half, value + half)


@pytest.mark.parametrize("k, N, want", [
    (100, 100, PASS),          # lower bound 0.963 >= 0.9
    (90, 100, INCONCLUSIVE),   # [0.826, 0.945] contains 0.9
    (50, 100, FAIL),           # upper bound 0.596 < 0.9
    (5, 5, INCONCLUSIVE),      # below the minimum count, however good
    (0, 0, INCONCLUSIVE),
])
def test_frequency_rule(k, N, want):
    assert judge_frequency(frequency(k, N), 0.9, 20, "P").verdict == want


def test_frequency_rule_edges():
    # lower bound 0.9 exactly: PASS; the minimum count is inclusive
    f = frequency(45, 46)
    assert judge_frequency(f, f.lo, 46, "P").verdict == PASS
    assert judge_frequency(f, f.lo, 47, "P").verdict == INCONCLUSIVE
    assert judge_frequency(f, f.hi + 1e-9, 46, "P").verdict == FAIL
    # a claimed probability a tenth of the observed lower bound must still need the bound
    assert judge_frequency(frequency(30, 100), 0.5, 20, "P").verdict == FAIL
    assert judge_frequency(frequency(30, 100), 0.05, 20, "P").verdict == PASS


@pytest.mark.parametrize("k, u, N, want", [
    (100, 0, 100, PASS),          # no undecided runs: the one-sided rule
    (96, 4, 100, PASS),           # 96/100: lower bound 0.902 >= 0.9 with the undecided as misses
    (90, 10, 100, INCONCLUSIVE),  # as misses [0.826, 0.945] contains 0.9; as successes it would pass
    (50, 0, 100, FAIL),
    (50, 30, 100, FAIL),          # as successes, 80/100: upper bound 0.867 < 0.9
    (50, 45, 100, INCONCLUSIVE),  # as successes, 95/100 contains 0.9: neither verdict rests on them
    (20, 0, 20, INCONCLUSIVE),    # below the minimum count
])
def test_frequency_rule_with_undecided(k, u, N, want):
    assert judge_frequency_undecided(frequency(k, N), frequency(k + u, N), 0.9, 21, "P").verdict == want


def test_frequency_rule_with_undecided_needs_both_sides():
    # undecided runs decide nothing: a pass needs the sure count, a fail the hopeful one
    assert judge_frequency_undecided(frequency(0, 100), frequency(100, 100), 0.5, 20, "P").verdict == INCONCLUSIVE
    assert judge_frequency_undecided(frequency(100, 100), frequency(100, 100), 0.5, 20, "P").verdict == PASS
    assert judge_frequency_undecided(frequency(0, 100), frequency(0, 100), 0.5, 20, "P").verdict == FAIL
    assert judge_frequency_undecided(frequency(60, 100), frequency(60, 100), 0.5, 101, "P").verdict == INCONCLUSIVE


@pytest.mark.parametrize("fit, want", [
    (slope(-2.0, 0.05), PASS),
    (slope(-2.0, 0.3), INCONCLUSIVE),    # interval [-2.3, -1.7] straddles -2 +- 0.2
    (slope(-1.0, 0.05), FAIL),           # an EM-only rate, say
    (slope(-2.5, 0.05), FAIL),
    (slope(-2.15, 0.1), INCONCLUSIVE),
    (None, INCONCLUSIVE),
])
def test_exponent_rule(fit, want):
    assert judge_exponent(fit, -2.0, 0.2, "slope").verdict == want


def test_exponent_rule_edges():
    assert judge_exponent(slope(-1.8, 0.0), -2.0, 0.2, "s").verdict == PASS       # on the edge: inside
    assert judge_exponent(slope(-1.79, 0.0), -2.0, 0.2, "s").verdict == FAIL
    assert judge_exponent(slope(-2.21, 0.0), -2.0, 0.2, "s").verdict == FAIL
    assert judge_exponent(slope(-2.0, 0.21), -2.0, 0.2, "s").verdict == INCONCLUSIVE
    assert judge_exponent(slope(-2.19, 0.02), -2.0, 0.2, "s").verdict == INCONCLUSIVE
    assert judge_exponent(slope(-1.81, 0.02), -2.0, 0.2, "s").verdict == INCONCLUSIVE


def test_digits_rule():
    assert judge_digits(35, 35, "d").verdict == PASS
    assert judge_digits(34, 35, "d").verdict == FAIL
    assert judge_digits(4, 35, "d").verdict == FAIL


def test_worst_combines_parts():
    p, f, i, m = (Verdict.passed("p"), Verdict.failed("f"), Verdict.inconclusive("i"), Verdict.measured("m"))
    assert worst(p, p).verdict == PASS
    assert worst(p, m).verdict == MEASURED
    assert worst(p, i, m).verdict == INCONCLUSIVE
    assert worst(i, f, p).verdict == FAIL
    assert worst().verdict == INCONCLUSIVE
    assert worst(p, f).reason == "f"


def test_verdict_is_not_a_truth_value():
    with pytest.raises(TypeError):
        bool(Verdict.passed("x"))
    with pytest.raises(ValueError):
        Verdict("NOT CHECKED", "x")


def test_converge_radius_is_the_engines():
    """The claims' one "at b" radius is the dynamics engine's default all-converge radius."""
    import inspect
    from fractions import Fraction

    from proofs_check import dynamics
    from proofs_check.claims.rules import CONVERGE_RADIUS
    assert inspect.signature(dynamics.final_outcome).parameters["radius"].default == CONVERGE_RADIUS
    run_default = inspect.signature(dynamics.run).parameters["converge_radius"].default
    assert Fraction(run_default) == Fraction(CONVERGE_RADIUS)
