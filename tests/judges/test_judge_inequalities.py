"""The stress claims' judges (claims.inequalities) on synthetic outcomes: PASS, FAIL, INCONCLUSIVE, MEASURED.

judge_probe maps a probe's report (counterexample, worst values against their limits, undecided
inputs, count) to a verdict; judge_decay_exponent judges lemC.2's local exponent against the derived
limit 1/8 within twice the derived leading correction at the largest R.
"""
import math

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, MEASURED, PASS
from proofs_check.claims.inequalities import (DecayPoint, DecaySweep, ProbeOutcome, Tracked, exponent_correction,
                                             judge_decay_exponent, judge_probe)


# -- judge_probe ---------------------------------------------------------------------------------
def ratio(value, limit=1.0, worse="max", kind="<="):
    return Tracked("lhs <= rhs", kind, worse, value, f"{value}", 30, limit, '{"s": "1"}')


def measurement(value, worse="min"):
    return Tracked("c-hat", "measure", worse, value, f"{value}", 20, None, '{"R": "2"}')


def probe(*tracked, tried=40, counterexample=None, undecided=0):
    return ProbeOutcome("P", 0, 40, tried, counterexample, ("lhs = 2, rhs = 1, ratio = 2",) if counterexample else (),
                        undecided, tuple(tracked), "proofs-check stress P --examples 40 --seed 0")


def test_probe_passes_without_counterexample():
    v = judge_probe(probe(ratio(0.99), ratio(1e-30, limit=1e-25, kind="=")))
    assert v.verdict == PASS
    assert "40 random inputs" in v.reason and "0.99" in v.reason


def test_probe_counterexample_is_a_fail_whatever_else():
    ce = '{"s": "0.5"}'
    assert judge_probe(probe(ratio(0.5), counterexample=ce)).verdict == FAIL
    assert judge_probe(probe(ratio(0.5), counterexample=ce, undecided=3)).verdict == FAIL
    assert judge_probe(probe(measurement(0.1), counterexample=ce, tried=2)).verdict == FAIL
    assert ce in judge_probe(probe(ratio(0.5), counterexample=ce)).reason


@pytest.mark.parametrize("value, want", [
    (1.0, PASS),            # on the limit: not beyond it
    (1.0000001, FAIL),      # a ratio above 1 is a counterexample even when the harness missed it
    (0.5, PASS),
    (10.0, FAIL),
])
def test_probe_ratio_against_its_limit(value, want):
    assert judge_probe(probe(ratio(value))).verdict == want


@pytest.mark.parametrize("value, want", [
    (0.25, PASS),           # a lower bound (a negative control's c >= 1/4): on it is fine
    (0.2499, FAIL),
    (0.3, PASS),
    (0.02, FAIL),
])
def test_probe_lower_limit(value, want):
    assert judge_probe(probe(ratio(value, limit=0.25, worse="min", kind="measure"))).verdict == want


def test_probe_beyond_limit_is_listed_with_numbers():
    v = judge_probe(probe(ratio(1.5), ratio(0.5), undecided=2))
    assert v.verdict == FAIL and "1 out of 2" in v.reason and "1.5" in v.reason


def test_probe_undecided_inputs_are_inconclusive():
    v = judge_probe(probe(ratio(0.9), undecided=1))
    assert v.verdict == INCONCLUSIVE and "1 out of 40" in v.reason
    assert judge_probe(probe(ratio(0.9), undecided=0)).verdict == PASS
    assert judge_probe(probe(measurement(0.1), undecided=1)).verdict == INCONCLUSIVE


@pytest.mark.parametrize("tried, want", [(10, PASS), (9, INCONCLUSIVE), (1, INCONCLUSIVE), (100, PASS)])
def test_probe_minimum_count(tried, want):
    assert judge_probe(probe(ratio(0.9), tried=tried)).verdict == want


def test_probe_with_only_measurements_is_measured_never_pass():
    v = judge_probe(probe(measurement(0.13), measurement(5.0, "max")))
    assert v.verdict == MEASURED and "0.13" in v.reason
    assert judge_probe(probe(measurement(0.13), ratio(0.4))).verdict == PASS
    assert judge_probe(probe(measurement(0.13), tried=9)).verdict == INCONCLUSIVE
    assert judge_probe(probe(tried=40)).verdict == MEASURED


# -- judge_decay_exponent (lemC.2) ---------------------------------------------------------------------
ALPHA = 0.05


def sweep(log_E, Rs=(16.0, 24.0, 32.0, 48.0), alpha=ALPHA, error=0.0):
    """A synthetic sweep of E[w_2] = exp(log_E(R)) and its last local exponent (plain floats)."""
    pts = tuple(DecayPoint(R, log_E(R), 20) for R in Rs)
    (R0, l0), (R1, l1) = [(p.R, p.log_Ew) for p in pts[-2:]]
    return DecaySweep(alpha, pts, -(l1 - l0) / (R1 ** 2 - R0 ** 2), error)


def derived(R):
    """-log E[w_2] = (R + alpha)^2/8 + log R + const: the derived asymptotics."""
    return -(R + ALPHA) ** 2 / 8 - math.log(R) - 0.3


def with_exponent(c, R0=32.0, R1=48.0, error=0.0):
    return DecaySweep(ALPHA, (DecayPoint(R0, -1.0, 20), DecayPoint(R1, -2.0, 20)), c, error)


def test_correction_is_the_derived_one():
    # alpha/(4(R0+R1)) + log(R1/R0)/(R1^2 - R0^2): the measured full-scale local exponent is 0.125471
    assert exponent_correction(0.05, 32, 48) == pytest.approx(0.05 / 320 + math.log(1.5) / 1280)
    assert exponent_correction(-0.05, 32, 48) == exponent_correction(0.05, 32, 48)
    assert exponent_correction(0.05, 64, 96) < exponent_correction(0.05, 32, 48) / 3     # shrinks with R


@pytest.mark.parametrize("c, Rs, want", [
    (0.125471, (32.0, 48.0), PASS),     # the full-scale measurement
    (0.126551, (16.0, 24.0), PASS),     # the quick-scale measurement
    (0.13, (32.0, 48.0), FAIL),
])
def test_decay_measured_values(c, Rs, want):
    assert judge_decay_exponent(with_exponent(c, *Rs)).verdict == want


@pytest.mark.parametrize("log_E, want", [
    (derived, PASS),
    (lambda R: -(R + ALPHA) ** 2 / 8 - 2 * math.log(R), PASS),     # prefactor R^-2: still inside 2x
    (lambda R: -(R + ALPHA) ** 2 / 8 - 4 * math.log(R), FAIL),     # prefactor R^-4: outside 2x the correction
    (lambda R: -R, FAIL),                                           # exp(-R)
    (lambda R: -3 * math.log(R), FAIL),                             # R^-3
    (lambda R: -0.1 * math.log(R), FAIL),                           # R^-0.1
    (lambda R: -R ** 2 / 4, FAIL),                                  # exp(-R^2/4)
    (lambda R: -R ** 2 / 8 * 1.01, FAIL),                           # c 1 % too large
])
def test_decay_synthetic_laws(log_E, want):
    v = judge_decay_exponent(sweep(log_E))
    assert v.verdict == want, v.reason


def test_decay_the_same_laws_fail_at_the_quick_range():
    for log_E in (lambda R: -R, lambda R: -3 * math.log(R), lambda R: -0.1 * math.log(R), lambda R: -R ** 2 / 4):
        assert judge_decay_exponent(sweep(log_E, Rs=(8.0, 12.0, 16.0, 24.0))).verdict == FAIL
    assert judge_decay_exponent(sweep(derived, Rs=(8.0, 12.0, 16.0, 24.0))).verdict == PASS


def test_decay_band_edges():
    tol = 2 * exponent_correction(ALPHA, 32.0, 48.0)
    assert judge_decay_exponent(with_exponent(0.125 + tol)).verdict == PASS          # on the edge: inside
    assert judge_decay_exponent(with_exponent(0.125 - tol)).verdict == PASS
    assert judge_decay_exponent(with_exponent(0.125 + tol * 1.01)).verdict == FAIL
    assert judge_decay_exponent(with_exponent(0.125 - tol * 1.01)).verdict == FAIL
    # the numerical error straddling an edge: undecided
    assert judge_decay_exponent(with_exponent(0.125 + tol, error=tol / 10)).verdict == INCONCLUSIVE
    assert judge_decay_exponent(with_exponent(0.125 - tol, error=tol / 10)).verdict == INCONCLUSIVE
    assert judge_decay_exponent(with_exponent(0.125 + 0.5 * tol, error=tol / 10)).verdict == PASS
    assert judge_decay_exponent(with_exponent(0.125 + 1.2 * tol, error=tol / 10)).verdict == FAIL
    assert judge_decay_exponent(with_exponent(0.125 - 1.2 * tol, error=tol / 10)).verdict == FAIL


def test_decay_band_shrinks_with_R():
    # 0.1265 passes at R = 16..24 (tol 0.0032) but fails at R = 32..48 (tol 0.00095)
    assert judge_decay_exponent(with_exponent(0.1265, 16.0, 24.0)).verdict == PASS
    assert judge_decay_exponent(with_exponent(0.1265, 32.0, 48.0)).verdict == FAIL


def test_decay_undecidable_sweeps():
    assert judge_decay_exponent(DecaySweep(ALPHA, (), None, 0.0)).verdict == INCONCLUSIVE
    assert judge_decay_exponent(DecaySweep(ALPHA, (DecayPoint(8.0, -10.0, 20),), None, 0.0)).verdict == INCONCLUSIVE
    one = DecaySweep(ALPHA, (DecayPoint(48.0, -292.0, 20),), 0.125, 0.0)          # an exponent, one point
    assert judge_decay_exponent(one).verdict == INCONCLUSIVE
    two = DecaySweep(ALPHA, (DecayPoint(32.0, -131.0, 20), DecayPoint(48.0, -292.0, 20)), None, 0.0)
    assert judge_decay_exponent(two).verdict == INCONCLUSIVE
    # R = 2..3: the band (2 x 0.084) is wider than 1/16: it cannot tell 1/8 from 0 or 1/4
    v = judge_decay_exponent(with_exponent(0.2, 2.0, 3.0))
    assert v.verdict == INCONCLUSIVE and "wider" in v.reason
    # R = 4..6: band 2 x 0.0215 = 0.043 < 1/16, judged
    assert judge_decay_exponent(with_exponent(0.146, 4.0, 6.0)).verdict == PASS
    assert judge_decay_exponent(with_exponent(0.2, 4.0, 6.0)).verdict == FAIL
