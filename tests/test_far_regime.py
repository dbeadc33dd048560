"""The reduced far-regime model (far_regime.py) and its asymptotic law (far_law.py)."""
import math

import mpmath
import pytest
import sympy as sp
from mpmath import mp

from proofs_check import far_law, far_regime
from proofs_check.numbers import Precision, agreed_digits


def test_beta_moments_are_the_closed_forms():
    M = far_law.beta_moments(2)
    assert [sp.simplify(m - v) for m, v in zip(M, (sp.pi / 2, sp.pi, sp.pi ** 3 / 2))] == [0, 0, 0]
    with Precision(20).active():     # M_1 by direct quadrature: int u e^{3u/2}/(1+e^u)^2 du = pi
        direct = mpmath.quad(lambda u: u * mpmath.exp(3 * u / 2) / (1 + mpmath.exp(u)) ** 2, [-mpmath.inf, 0, mpmath.inf])
        assert agreed_digits(direct, +mp.pi) >= 18


def test_loss_series_and_tau_series_against_the_hand_formulas():
    C, ks = far_law.loss_series(1)
    lam = far_law.LAM
    assert sp.simplify(ks[0] - (-sp.pi ** 2 / 2 + 2 * lam - lam ** 2 / 2)) == 0
    assert sp.simplify(C - sp.sqrt(sp.pi / 2) * sp.exp(lam / 2) / 2) == 0
    cs, ds = far_law.tau_series(2)
    k1 = sp.Symbol("k1")
    assert cs[0] == 16 and sp.expand(cs[1] - (336 - 16 * k1)) == 0 and sp.expand(ds[0] - (k1 - 16)) == 0


def test_limits_of_the_leading_law():
    lim = far_law.limits()
    assert lim["tau^(1+eps) L"] == sp.oo and lim["tau L"] == 0
    assert sp.simplify(lim["tau L log tau"] - 2 * sp.Symbol("m", positive=True) / sp.Symbol("eta", positive=True)) == 0


@pytest.mark.parametrize("m", [1, 2])
def test_loss_series_matches_the_line_rule_at_large_R(m):
    """L(a_1 = 0, R) from the line rule against C_m R e^{-R^2/8}(1 + k_1/R^2 + k_2/R^4): off by O(k_3/R^6)."""
    R = 20
    with Precision(25).active():
        K = far_law.Law(m, "0.5", 3).constants()
        L = far_regime.loss_and_forces(0, R, m)[0]
        series = K["C_m"] * R * mpmath.exp(-mpmath.mpf(R) ** 2 / 8) * (1 + K["k"][0] / R ** 2 + K["k"][1] / R ** 4)
        assert abs(series / L - 1) < 2 * abs(K["k"][2]) / R ** 6
        assert abs(series / L - 1) > abs(K["k"][2]) / R ** 6 / 2     # and the next term is really there


def test_slaving_and_the_table():
    with Precision(20).active():
        e, L, gR, res = far_regime.slaved(mpmath.mpf("8.3"), 2)
        assert res < mpmath.mpf(10) ** -25 and 0 < e < mpmath.mpf("1e-2")
        lead = mpmath.sqrt(mp.pi / 2) / 16 * mpmath.sqrt(2) * mpmath.mpf("8.3") ** 2 * mpmath.exp(-mpmath.mpf("8.3") ** 2 / 8)
        assert 0.7 < e / lead < 1                                     # a_1* -> the leading form from below
        T = far_regime.build_table(2, 8, 9, 12)
        R = mpmath.mpf("8.537")                                       # not a node
        e, L, gR, _ = far_regime.slaved(R, 2)
        assert agreed_digits(T.L(R), L) >= 12 and agreed_digits(T.force(R)[0], -gR) >= 12
        assert agreed_digits(T.a1(R), e) >= 10
        f, dlf = T.force(R)
        h = mpmath.mpf("1e-6")
        fd = (T.force(R + h)[0] - T.force(R - h)[0]) / (2 * h) / f
        assert agreed_digits(fd, dlf) >= 8
        eta = mpmath.mpf("0.5")
        assert T.speed(R, eta, True) / T.speed(R, eta, False) == 1 - eta * f * dlf / 2
        assert T.speed(R, eta, True) > T.speed(R, eta, False)        # f' < 0: GD runs ahead of the flow


def test_run_model_clock():
    with Precision(20).active():
        T = far_regime.build_table(2, 8, 10, 10)
        pts = far_regime.run_model(T, "0.5", 1000, mpmath.mpf("8.295"), [1500, 3000, 6000])
        assert [p.R for p in pts] == sorted(p.R for p in pts) and pts[0].R > mpmath.mpf("8.295")
        for p in pts:
            assert p.tauL == p.tau * T.L(p.R) and -1.3 < p.slope < -1.1
        # Newton's inverse: the quadrature from R0 to R(tau) gives tau back
        back = far_regime.run_model(T, "0.5", 1000, mpmath.mpf("8.295"), [pts[1].tau])[0]
        assert agreed_digits(back.R, pts[1].R) >= 18
        with pytest.raises(ValueError):
            far_regime.run_model(T, "0.5", 1000, mpmath.mpf("8.295"), [1e9])


def test_summed_law_of_several_groups():
    with Precision(20).active():
        one = far_law.Law(1, "0.5").tauL_of_R(12, 2)
        assert far_law.summed_tauL([12, 12], [1, 1], "0.5") == 2 * one
        assert abs(far_law.Law(2, "0.5").tauL_of_R(12, 0) - 2 * one / (1 + 16 / mpmath.mpf(144) + far_law.Law(1, "0.5").constants()["c"][1] / 12 ** 4)) < 1e-20
        assert math.isclose(float(far_law.Law(2, "0.5").leading(1e6)), 8 / math.log(1e6))
