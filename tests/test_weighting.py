"""The weightings of the time-averaged loss (proofs_check.weighting; issue 15)."""
import mpmath
import numpy as np
import pytest
from mpmath import mp

from proofs_check.errors import InputError
from proofs_check.numbers import working
from proofs_check.weighting import Weighting


def test_uniform_weight_is_normalised_and_zero_outside():
    w = Weighting.uniform("0.5", "2.5")
    with working(30):
        assert w.weight("1") == mp.mpf(1) / 2
        assert w.weight("3") == 0 and w.weight("0.25") == 0
        assert w.t_min == mp.mpf("0.5") and w.name == "uniform"


def test_variance_weight_integrates_to_one_and_matches_closed_form():
    w = Weighting.variance("0.1", "3")
    with working(40):
        total = mp.quad(w.weight, [w.t_min, w.t_max])
        assert abs(total - 1) < mp.mpf(10) ** -38
        z = mp.quad(lambda t: 1 - mp.exp(-2 * t), [w.t_min, w.t_max])
        assert abs(w.weight("1") - (1 - mp.exp(-2)) / z) < mp.mpf(10) ** -38


def test_gauss_legendre_nodes_integrate_polynomials_exactly():
    """An n-point rule is exact on polynomials of degree 2n - 1 (uniform weighting)."""
    w = Weighting.uniform("0", "2")
    with working(50):
        ts, ws = w.nodes(50, 5)
        for deg in range(10):
            exact = mp.mpf(2) ** deg / (deg + 1)      # (1/2) int_0^2 t^deg dt
            assert abs(sum(wj * tj ** deg for tj, wj in zip(ts, ws)) - exact) < mp.mpf(10) ** -48
        assert all(0 < tj < 2 for tj in ts) and list(ts) == sorted(ts)


def test_nodes_converge_for_the_variance_weighting():
    w = Weighting.variance("0.2", "4")
    with working(40):
        exact = mp.quad(lambda t: w.weight(t) * mp.exp(-t), [w.t_min, w.t_max])
        errs = []
        for count in (4, 8, 16, 24):
            ts, ws = w.nodes(40, count)
            errs.append(abs(sum(wj * mp.exp(-tj) for tj, wj in zip(ts, ws)) - exact))
        assert errs[-1] < mp.mpf(10) ** -35 and errs[0] > errs[1] > errs[2]


def test_user_density_is_normalised_by_quadrature():
    w = Weighting.density(lambda t: t * t, "1", "2", "square")
    with working(30):
        assert abs(w.weight("1.5") - mp.mpf("2.25") * 3 / 7) < mp.mpf(10) ** -28
        ts, ws = w.nodes(30, 6)
        assert abs(sum(ws) - 1) < mp.mpf(10) ** -28
    assert w.name == "square" and "square on [1, 2]" == w.describe()


def test_sample_follows_the_density():
    w = Weighting.variance("0", "1")
    rng = np.random.default_rng(3)
    t = w.sample(rng, 200_000)
    assert t.dtype == np.float64 and t.min() >= 0 and t.max() <= 1
    # mean of t under lambda proportional to 1 - e^{-2t} on [0, 1]
    with working(20):
        mean = mp.quad(lambda s: s * w.weight(s), [0, 1])
    assert abs(t.mean() - float(mean)) < 5 * t.std() / np.sqrt(t.size)
    u = Weighting.uniform("1", "3").sample(np.random.default_rng(0), 100_000)
    assert abs(u.mean() - 2) < 0.01


def test_sample_is_seeded():
    w = Weighting.uniform("0", "1")
    a = w.sample(np.random.default_rng(7), 10)
    b = w.sample(np.random.default_rng(7), 10)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("args", [("2", "1"), ("-1", "1"), ("1", "1")])
def test_bad_bounds_are_refused(args):
    with pytest.raises(InputError):
        Weighting.uniform(*args)


def test_floats_refused_and_frozen():
    with pytest.raises(InputError):
        Weighting.uniform(0.5, "1")
    w = Weighting.uniform("0", "1")
    with pytest.raises(Exception):
        w.kind = "variance"
    with pytest.raises(InputError):
        w.nodes(20, 0)
    with pytest.raises(InputError):
        Weighting.density("nope", "0", "1", "x")
