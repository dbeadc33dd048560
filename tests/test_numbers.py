from fractions import Fraction

import mpmath
import pytest
from mpmath import mp

from proofs_check.numbers import (InputError, agreed_digits, check_dps, exact_str, from_mpfr,
                                  mpf_to_fraction, parse_number, to_mpf, to_mpfr, working)


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
    with mp.workdps(50):
        assert agreed_digits(mp.mpf(1), mp.mpf(1) + mp.mpf("1e-20")) in (19, 20)
        # vectors are judged against their largest component
        assert agreed_digits([mp.mpf(1), mp.mpf("1e-30")], [mp.mpf(1), mp.mpf("2e-30")]) >= 29
        assert agreed_digits(mp.mpf(1), mp.mpf(2)) == 0


def test_printing_does_not_reround_to_context_precision():
    """A 40-digit value printed outside its precision context keeps its digits."""
    from proofs_check.numbers import fmt, to_json_number
    with mp.workdps(50):
        x = mp.mpf(1) / 3
    assert to_json_number(x, 40) == "0." + "3" * 40
    assert fmt(x, 30) == "0." + "3" * 30
