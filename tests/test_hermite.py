"""The product Gauss-Hermite rule on the span and its pathwise gradient (proofs_check.hermite)."""
from fractions import Fraction

import numpy as np
import pytest

from proofs_check import gradient, hermite, model, symbolic
from proofs_check.integrand import GaussianIntegrand


def test_the_rule_integrates_gaussian_moments_exactly():
    Z, W = hermite.product_rule((4, 3, 2))
    assert Z.shape == (24, 3) and W.sum() == pytest.approx(1, abs=1e-15)
    assert W @ Z[:, 0] ** 6 == pytest.approx(15, rel=1e-13)            # degree 6 < 2*4
    assert W @ (Z[:, 0] ** 2 * Z[:, 1] ** 4) == pytest.approx(3, rel=1e-13)
    assert W @ Z[:, 2] ** 2 == pytest.approx(1, rel=1e-13)
    assert abs(W @ Z[:, 2] ** 4 - 3) > 0.5                              # degree 4 = 2*2: no longer exact
    with pytest.raises(ValueError, match="counts"):
        hermite.product_rule((3, 0))


def test_pathwise_mean_is_the_derived_pathwise_integrand():
    """Five array products against symbolic.compiled (the sympy derivation) through GaussianIntegrand, k = d = 3."""
    rng = np.random.default_rng(3)
    C = rng.standard_normal((5, 3)) * 1.5
    z = rng.standard_normal((400, 3))
    comp = symbolic.compiled(5, 3, "numpy", ("loss", "pathwise"))
    derived = GaussianIntegrand(comp.func, C).at(z).mean(axis=0)
    L, g = hermite.pathwise_mean(C[None], z.T[None], np.full(400, 1 / 400))
    assert L[0] == pytest.approx(derived[0], rel=1e-12)
    np.testing.assert_allclose(g[0], derived[1:].reshape(5, 3), rtol=1e-11, atol=1e-13)


def test_population_gradient_converges_to_the_derived_stein_expectation():
    """The pathwise and the Stein form (a different derived integrand) agree only in expectation: their
    gap under the rule shrinks as the rule grows (Gauss-Hermite converges slowly on softmax edges)."""
    rng = np.random.default_rng(4)
    C = 0.5 * rng.standard_normal((5, 3))
    comp = symbolic.compiled(5, 3, "numpy", ("loss", "stein"))
    Q = hermite.principal_frame(C[None])[0]
    gaps = []
    for N in (10, 20, 40):
        Z, W = hermite.product_rule((N, N, N))
        stein = W @ GaussianIntegrand(comp.func, C).at(Z @ Q)
        L, g = hermite.population_gradient(C[None], (N, N, N))
        assert L[0] == pytest.approx(stein[0], rel=1e-13)               # the same loss integrand
        gaps.append(np.abs(g[0] - stein[1:].reshape(5, 3)).max())
    assert gaps[0] > 1e-4 and gaps[2] < 1e-7 and gaps[1] < gaps[0] and gaps[2] < gaps[1]


def test_identical_parameters_get_identical_gradients():
    C = np.tile([[6.0, 0.0, 0.0]], (5, 1))[None]
    _, g = hermite.population_gradient(C, (32, 4, 4))
    assert np.all(g[0] == g[0, :1])
    np.testing.assert_allclose(g[0, 0], [2 * 6.0 / 5, 0, 0], rtol=1e-13)   # L = |a|^2 when all equal: 2a/n each
    _, gb = hermite.pathwise_mean(C, np.random.default_rng(0).standard_normal((3, 1000)), np.full(1000, 1e-3))
    # the matrix products may sum rows in different orders: identical parameters then differ by roundoff only
    assert np.abs(gb[0] - gb[0, :1]).max() <= 1e-15 * np.abs(gb[0]).max()


def test_the_differences_match_the_arbitrary_precision_engine():
    """Spread 1e-7 along e_1 (span dimension 1): gradient differences against gradient.at_precision (line rule,
    30 digits) on the same float64 inputs, and against the linear theory (4/n) A^2 (eps_1 - eps_i)."""
    C = np.array([[4 + o * 1e-7, 0.0, 0.0] for o in (3, -1, 0, -2, 1)])
    cfg = model.Configuration(tuple(tuple(Fraction(float(v)) for v in row) for row in C), (Fraction(0),) * 3)
    ev = gradient.at_precision(cfg, 30)
    exact = np.array([[float(v) for v in row] for row in ev.gradient["stein"]])
    _, g = hermite.population_gradient(C[None], (48, 4, 4))
    dif, dex = g[0] - g[0, :1], exact - exact[:1]
    assert np.abs(dif - dex).max() < 1e-7 * np.abs(dex).max()          # the rule resolves the differences
    theory = 4 / 5 * 16 * (C[0, 0] - C[:, 0])
    np.testing.assert_allclose(dex[1:, 0], theory[1:], rtol=1e-5)


def test_difference_error_is_far_below_the_spread_at_the_start():
    C = np.array([[6.0, 0, 0]] * 5) + 1e-7 * np.random.default_rng(0).standard_normal((5, 3))
    e = hermite.difference_error(C[None], (64, 4, 4), (128, 8, 8))
    assert e["spread"][0] == pytest.approx(np.linalg.norm(C - C[0], axis=1).max())
    assert e["difference_error"][0] < 1e-8 * e["difference"][0]
    assert e["difference"][0] > e["spread"][0]                          # (4/n) A^2 = 28.8 > 1: the differences grow


def test_a_coarse_rule_shows_its_error_on_a_split_configuration():
    """Negative control: far parameters (a sharp softmax edge at 3.7) are not resolved by 8 nodes."""
    C = np.array([[0.01, 0, 0], [7.4, 0.01, 0], [7.4, 0, 0.01], [7.41, 0, 0], [7.39, 0, 0]])
    e = hermite.difference_error(C[None], (8, 2, 2), (128, 8, 8))
    L = hermite.population_gradient(C[None], (128, 8, 8))[0]
    assert e["loss_error"][0] > 0.1 * L[0]
