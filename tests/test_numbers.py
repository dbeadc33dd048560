from fractions import Fraction

import gmpy2
import mpmath
import pytest
from mpmath import mp

from proofs_check.numbers import (GUARD_DPS, InputError, Precision, agreed_digits, at_bits, at_digits, ball_bits,
                                  check_dps, digits_between, exact_str, fmt, from_mpfr, measure, mpf_to_fraction,
                                  parse_number, second_precision, to_mpf, to_mpfr, working)


def test_parse_is_exact():
    assert parse_number("0.3") == Fraction(3, 10)
    assert parse_number("-1.25e-3") == Fraction(-125, 100000)
    assert parse_number(".5") == Fraction(1, 2)
    # 1 + 1e-40 survives parsing: no float on the way
    assert parse_number("1.0000000000000000000000000000000000000001") - 1 == Fraction(1, 10 ** 40)


@pytest.mark.parametrize("bad", ["abc", "1..2", "", "1e", "--1", "nan", "inf"])
def test_parse_rejects(bad):
    with pytest.raises(InputError):
        parse_number(bad)


def test_parse_refuses_floats():
    with pytest.raises(InputError, match="float"):
        parse_number(0.3)


def test_mpf_roundtrip_exact_including_sign():
    with working(40):
        for x in [mp.mpf(1) / 3, -mp.mpf(2) / 7, mp.mpf("-1e-300"), mp.mpf(0)]:
            assert to_mpf(mpf_to_fraction(x)) == x
            assert from_mpfr(to_mpfr(x)) == x


def test_exact_str():
    assert exact_str(Fraction(3, 10)) == "0.3"
    assert exact_str(Fraction(-1, 16)) == "-0.0625"
    assert exact_str(Fraction(1, 3)) == "1/3"
    assert exact_str(Fraction(7)) == "7"


def test_check_dps_bounds():
    assert check_dps("30") == 30
    for bad in ["9", "10001", "x", "3.5"]:
        with pytest.raises(InputError):
            check_dps(bad)


def test_agreed_digits():
    with at_digits(50):
        assert agreed_digits(mp.mpf(1), mp.mpf(1) + mp.mpf("1e-20")) in (19, 20)
        # vectors are judged against their largest component
        assert agreed_digits([mp.mpf(1), mp.mpf("1e-30")], [mp.mpf(1), mp.mpf("2e-30")]) >= 29
        assert agreed_digits(mp.mpf(1), mp.mpf(2)) == 0


def test_printing_does_not_reround_to_context_precision():
    """A 40-digit value printed outside its precision context keeps its digits."""
    from proofs_check.numbers import to_json_number
    with at_digits(50):
        x = mp.mpf(1) / 3
    assert to_json_number(x, 40) == "0." + "3" * 40
    assert fmt(x, 30) == "0." + "3" * 30


# -- Precision, the contexts, the one digit counter, measure, fmt (issue 16) ---------------------
def test_precision_pair_and_guard():
    p = Precision(30)
    assert p.working_dps == 30 + GUARD_DPS
    assert p.higher().dps == 45 and p.higher().dps == second_precision(30)
    assert Precision(10).higher().dps == 20          # at least 10 more digits
    assert Precision(100).higher().dps == 150        # half as many more above 20
    assert p.higher(extra=7).dps == 37 and p.plus(3).dps == 33
    with working(40):
        assert p.tolerance() == mp.mpf(10) ** -32


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "30"])
def test_precision_refuses_bad_digits(bad):
    with pytest.raises(InputError, match="dps"):
        Precision(bad)


def test_active_sets_mpmath_and_mpfr_together_and_restores():
    before_dps, before_mpfr = mp.dps, gmpy2.get_context().precision
    with Precision(30).active():
        assert mp.dps == 40
        assert gmpy2.get_context().precision == mp.prec
    assert mp.dps == before_dps and gmpy2.get_context().precision == before_mpfr


def test_at_digits_has_no_guard_and_at_bits_is_binary():
    with at_digits(25):
        assert mp.dps == 25 and gmpy2.get_context().precision == mp.prec
    with at_bits(200):
        assert mp.prec == 200 and gmpy2.get_context().precision == 200
    with working(25):
        assert mp.dps == 25 + GUARD_DPS


def test_ball_bits_sets_arb_precision_only_inside():
    from flint import ctx
    before = ctx.prec
    with ball_bits(300):
        assert ctx.prec == 300
    assert ctx.prec == before


def test_digits_between_counts_and_edges():
    with at_digits(30):
        assert digits_between(mp.mpf("1e-12"), 1) == 12
        assert digits_between(mp.mpf("3e-12"), 1) == 11           # floor, not round
        assert digits_between(mp.mpf("1e-12"), -2) == 12          # signs do not matter
        assert digits_between(2, 1) == 0                          # clipped at 0, never negative
        assert digits_between(mp.mpf("1e-50"), 1, cap=20) == 20   # clipped at the cap
        assert digits_between(0, 5, cap=17) == 17                 # exact agreement: the cap
        assert digits_between(1, 0, cap=17) == 17                 # zero scale: the cap
        assert digits_between(0, 5) == 30                         # no cap: the working digits
        assert digits_between(2.5e-3, 1.0, cap=99) == 2           # floats are taken at their exact value


def test_agreed_digits_is_digits_between_on_the_scale():
    with at_digits(50):
        x, y = mp.mpf(2), mp.mpf(2) + mp.mpf("3e-20")
        assert agreed_digits(x, y) == digits_between(y - x, y)


def test_measure_runs_both_precisions():
    seen = []

    def compute(p):
        seen.append((p.dps, mp.dps))
        return mpmath.pi

    m = measure(compute, Precision(20), method="pi")
    assert seen == [(20, 30), (30, 40)]
    assert m.precisions == (20, 30) and m.digits == 20 and m.method == "pi"
    # digits: where the two results part, capped by the cap
    m2 = measure(lambda p: mp.mpf(1) + 3 * mp.mpf(10) ** -(p.dps - 5), 20, extra=5)
    assert m2.precisions == (20, 25) and m2.digits == 14
    assert measure(lambda p: mpmath.e, 20, cap=7).digits == 7
    m3 = measure(lambda p: [mp.one, mp.mpf(2)], Precision(15), error=lambda v: v[1] - v[0])
    assert m3.error == 1 and m3.value == [1, 2]


def test_fmt_keeps_the_digits_asked_for():
    with at_digits(60):
        x = mp.mpf(1) / 7
    assert fmt(x, 40) == mpmath.nstr(x, 40) and len(fmt(x, 40)) == 42
    assert fmt(0.5, 3) == "0.5"
    assert fmt(x) == "0.142857142857143"
    with at_bits(300):
        y = gmpy2.mpfr(1) / 3
    assert fmt(y, 30) == "0." + "3" * 30
