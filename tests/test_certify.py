"""The ball machinery (proofs_check.balls) and the certificates' plumbing: fast checks, no integrals.

The certificates themselves (thm3.1, lemB.1, Arb against mpmath) run in verify/test_certified.py.
"""
from fractions import Fraction

from flint import arb, ctx

from proofs_check import balls, certify, stationary
from proofs_check.numbers import ball_bits, mpf_to_fraction


def test_decimal_bound_rounds_outward():
    q = Fraction(1, 3)
    assert balls.decimal_bound(q, 5, up=False) == "3.3333e-1"
    assert balls.decimal_bound(q, 5, up=True) == "3.3334e-1"
    assert balls.decimal_bound(-q, 5, up=False) == "-3.3334e-1"
    assert balls.decimal_bound(Fraction(25, 10), 3, up=True) == "2.5"
    assert balls.decimal_bound(Fraction(0), 3, up=True) == "0"


def test_interval_encloses_the_ball():
    with ball_bits(200):
        x = arb(1) / 3
        lo, hi = balls.interval(x, 20)
        assert Fraction(lo) <= balls.exact_value(x.mid()) <= Fraction(hi)
        assert balls.exact_value(arb(0.375)) == Fraction(3, 8)


def test_correct_digits_counts_the_relative_radius():
    with ball_bits(200):
        assert balls.correct_digits(arb(2)) == ctx.dps             # exact: Arb's working digits
        assert balls.correct_digits(arb(0, 1)) == 0                # centred at 0: none
        assert balls.correct_digits(arb(1, 1e-10)) == 9            # radius 1e-10 (rounded up by Arb): 9 digits
        assert balls.correct_digits(arb(1, 0.5)) == 0


def test_sign_decides_only_when_zero_is_excluded():
    assert balls.sign(arb(1, 0.5)) == 1 and balls.sign(arb(-1, 0.5)) == -1 and balls.sign(arb(0, 1)) == 0


def test_certify_reexports_the_ball_machinery():
    for name in ("ball", "component", "expectation", "mean_abs_bound", "aligned_inputs", "loss_and_gradient",
                 "correct_digits", "interval", "sign"):
        assert getattr(certify, name) is getattr(balls, name)


def test_rstar_comes_from_its_one_home():
    """certify's r* is stationary.locate_r_star's (m = 1), rounded to 30 decimals for the bracket."""
    r, _ = stationary.locate_r_star(1, 40)
    assert certify.locate_rstar(40) == mpf_to_fraction(r)
    rs = certify.rstar_approx()
    assert rs.denominator <= 10 ** 30 and abs(rs - mpf_to_fraction(r)) <= Fraction(1, 2 * 10 ** 30)
    assert Fraction("2.5505509886412239011985346642") < rs < Fraction("2.5505509886412239011985346643")
