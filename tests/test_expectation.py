"""The quadrature rules against Gaussian expectations known in closed form."""
import gmpy2
import mpmath
import numpy as np
from mpmath import mp

from proofs_check.expectation import LineRule, PlaneRule, QMCRule
from proofs_check.numbers import working


def test_line_rule_moments_and_exponential():
    with working(40):
        est = LineRule([], [], mp.mpf(10) ** -42).integrate(lambda s: [s * s, s ** 4, gmpy2.exp(s)])
        assert abs(est.values[0] - 1) < mp.mpf(10) ** -40
        assert abs(est.values[1] - 3) < mp.mpf(10) ** -40
        assert abs(est.values[2] - mpmath.exp(mp.mpf(1) / 2)) < mp.mpf(10) ** -40
        assert max(est.errors) < mp.mpf(10) ** -38


def test_line_rule_sharp_sigmoid_by_symmetry():
    """E[sigmoid(D s)] = 1/2 for any D by symmetry, even for a very sharp transition."""
    with working(30):
        for D in ["3", "1000"]:
            D = mp.mpf(D)
            Dr = gmpy2.mpfr(str(D))
            est = LineRule([D, 0], [0, 0], mp.mpf(10) ** -32).integrate(lambda s: [1 / (1 + gmpy2.exp(-Dr * s))])
            assert abs(est.values[0] - mp.mpf(1) / 2) < mp.mpf(10) ** -30


def test_line_rule_shifted_gaussian():
    with working(30):
        est = LineRule([], [], mp.mpf(10) ** -32, center=mp.mpf("2.5")).integrate(lambda s: [s, s * s])
        assert abs(est.values[0] - mp.mpf("2.5")) < mp.mpf(10) ** -30
        assert abs(est.values[1] - (1 + mp.mpf("2.5") ** 2)) < mp.mpf(10) ** -29


def test_line_rule_error_estimate_covers_true_error_when_starved():
    """Forbid refinement and use low-order rules: the estimate must still cover the error."""
    with working(30):
        for degree in (2, 3, 4):
            for D in ("5", "40", "300"):
                class Starved(LineRule):
                    MAX_DEPTH = 0
                    BASE_DEGREE = degree
                Dr = gmpy2.mpfr(D)
                est = Starved([mp.mpf(D), 0], [0, 0], mp.mpf(10) ** -32).integrate(
                    lambda s: [1 / (1 + gmpy2.exp(-Dr * s))])
                true_err = abs(est.values[0] - mp.mpf(1) / 2)
                assert est.errors[0] >= true_err, (degree, D, est.errors[0], true_err)


def test_plane_rule_product_moments():
    with working(12):
        est = PlaneRule([[1, 0], [0, 1]], [0, 0], mp.mpf(10) ** -12).integrate(lambda a, b: [a * a * b * b, a * b])
        assert abs(est.values[0] - 1) < mp.mpf(10) ** -10
        assert abs(est.values[1]) < mp.mpf(10) ** -10


def test_qmc_rule_is_seeded_and_covers_truth():
    f = lambda z: np.column_stack([np.sum(z * z, axis=1), np.exp(z[:, 0])])
    a = QMCRule(3, log2_points=10, seed=7).integrate(f)
    b = QMCRule(3, log2_points=10, seed=7).integrate(f)
    assert a.values == b.values
    assert abs(a.values[0] - 3) <= a.errors[0] + 1e-12
    assert abs(a.values[1] - np.exp(0.5)) <= a.errors[1] + 1e-12


def test_line_rule_stops_on_pure_noise_with_an_honest_error():
    """An integrand that is rounding noise can never meet a relative target: the rule must stop."""
    import random
    rng = random.Random(1)

    class Small(LineRule):
        MAX_EVALUATIONS = 5000
    with working(20):
        eps = gmpy2.mpfr(2) ** (-mp.prec)
        est = Small([], [], mp.mpf(10) ** -22).integrate(lambda s: [eps * (rng.random() - 0.5)])
        assert est.info["target_met"] is False
        assert est.evaluations <= 5000 + 200
        assert est.errors[0] > 0
