"""spread.py: the linearised spread recursion and the derived threshold law (Theorems 3.2, 3.4)."""
import mpmath
import pytest

from proofs_check import dynamics, spread
from proofs_check.numbers import working


def test_split_growth_large_D_form_error_falls_like_D_minus_2():
    """G(D) - (y^2/(4 lam) + y/2 + pi^2/(12 lam) + lam/6) = O(D^-2) (Euler-Maclaurin)."""
    with working(30):
        err = [abs(spread.split_growth(D, 3, "0.25") - spread.split_growth_asymptotic(D, 3, "0.25"))
               for D in (100, 1000)]
        assert err[1] < mpmath.mpf("1e-4")
        assert 50 < err[0] / err[1] < 200          # a factor 100 for a factor 10 in D


def test_split_growth_is_the_sum_of_the_step_factors():
    with working(30):
        q = spread.contraction(3, "0.25")
        direct = mpmath.fsum(mpmath.log1p(4 * mpmath.mpf("0.25") / 3 * (8 * q ** k) ** 2) for k in range(3000))
        assert abs(spread.split_growth(8, 3, "0.25") - direct) < mpmath.mpf("1e-25")


def test_journey_contracts_the_centre_and_multiplies_the_split():
    with working(30):
        h = spread.journey(10, mpmath.log(mpmath.mpf("1e-8")), 3, "0.25", 6)
        q = spread.contraction(3, "0.25")
        A0 = mpmath.mpf("1e-8") / 3 - 10
        assert h.steps == 3 and abs(h.A - A0 * q ** 3) < mpmath.mpf("1e-25")
        growth = mpmath.fsum(mpmath.log1p(4 * mpmath.mpf("0.25") * (A0 * q ** k) ** 2 / 3) for k in range(3))
        assert abs(h.log_growth - growth) < mpmath.mpf("1e-25")
        assert abs(h.split / (mpmath.mpf("1e-8") * mpmath.exp(growth)) - 1) < mpmath.mpf("1e-25")


def test_journey_stops_when_the_split_leaves_the_linear_regime():
    with working(30):
        h = spread.journey(1000, mpmath.log(mpmath.mpf("1e-3")), 3, "0.25", 6)
        assert h.steps == 0                       # A * split = 1 already
        h = spread.journey(1000, -40, 3, "0.25", 6)
        assert abs(h.A) > 6 and abs(h.A) * h.split >= spread.LINEAR_LIMIT


def test_journey_matches_full_gradient_descent():
    """The linear journey against the engine over the same steps: the split agrees to O(A * split)."""
    with working(30):
        delta = mpmath.mpf("1e-8")
        h = spread.journey(10, mpmath.log(delta), 3, "0.25", 6)
        tr = dynamics.run([delta, 0], 10, multiplicity=[1, 2], eta="0.25", steps=h.steps, dps=40,
                          stop_when_decided=False, progress=False)
        a1, ag = tr.params[-1][0][0], tr.params[-1][1][0]
        centre = (a1 + 2 * ag) / 3
        assert abs((centre - 10) / h.A - 1) < 10 * h.split ** 2          # the centre's O(s^2)
        rel = abs((a1 - ag) / h.split - 1)
        assert rel < 10 * abs(h.A) * h.split, rel                       # the split's O(A s)


def test_mean_spread_run_from_a_tiny_start():
    with working(30):
        e = mpmath.exp(-mpmath.mpf(2000))
        r = spread.mean_spread_run([e, -e, 0], 2, "0.25", 50)
        q = spread.contraction(3, "0.25")
        assert abs(r.centre_distance[-1] - 2 * q ** 50) < mpmath.mpf("1e-25")
        G50 = mpmath.fsum(mpmath.log1p(4 * mpmath.mpf("0.25") * (2 * q ** k) ** 2 / 3) for k in range(50))
        assert abs(r.spread[-1] / (e * mpmath.exp(G50)) - 1) < mpmath.mpf("1e-25")
        assert r.neglected < mpmath.mpf(10) ** -1700


def test_crossing_meets_D_over_100_and_none_for_eta_over_D():
    with working(30):
        c0 = mpmath.mpf("-3.2")
        x = spread.crossing(3, lambda D: mpmath.mpf("0.25"), c0)
        assert x is not None
        gap = spread.split_growth_asymptotic(x, 3, "0.25") + c0 - x / 100
        assert abs(gap) < mpmath.mpf("1e-6") * x
        assert spread.split_growth_asymptotic(x / 2, 3, "0.25") + c0 > x / 200      # law above D/100 before
        assert spread.crossing(3, lambda D: 4 / D, c0) is None


@pytest.mark.parametrize("eta", ["0.25", "0.5"])
def test_contraction(eta):
    with working(30):
        assert spread.contraction(3, eta) == 1 - 2 * mpmath.mpf(eta) / 3
