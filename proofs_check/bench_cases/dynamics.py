"""Benchmarks of the dynamics engine and of thm3.1's stationary-point check."""
from __future__ import annotations

import mpmath
from mpmath import mp

from .. import gradient, hessian
from ..bench import Row, best_time, case
from ..model import Configuration
from ..numbers import agreed_digits, at_digits, working
from .core import naive_loss_and_gradient

STEP_CFG = (["0.3", "-1.1", "2.0"], "0.7")
ETA = "0.25"


def _engine_step(dps):
    with working(dps):
        A = [[mp.mpf(v)] for v in STEP_CFG[0]]
        b = [mp.mpf(STEP_CFG[1])]
        ev = gradient.evaluate(A, b, rel_tol=mp.mpf(10) ** -(dps + 2))
        return [a[0] - mp.mpf(ETA) * g[0] for a, g in zip(A, ev.gradient["stein"])]


def _naive_step(dps):
    cfg = Configuration.make(*STEP_CFG)
    vals = naive_loss_and_gradient(cfg, dps)
    with working(dps):
        return [mp.mpf(v) - mp.mpf(ETA) * g for v, g in zip(STEP_CFG[0], vals[1:])]


@case("one gradient-descent step, aligned n=3, 30 digits")
def bench_step(repeat=3):
    """One gradient-descent step by the engine against one by ``mpmath.quad`` per gradient component."""
    dps = 30
    ref = _engine_step(2 * dps)
    _engine_step(dps)
    t_e, v_e = best_time(lambda: _engine_step(dps), repeat)
    t_b, v_b = best_time(lambda: _naive_step(dps), 1)
    with at_digits(2 * dps):
        d_e, d_b = agreed_digits(v_e, ref), agreed_digits(v_b, ref)
    return [Row("GD step a - eta grad L, aligned n=3, 30 digits", t_e, t_b, min(d_e, dps), min(d_b, dps),
                "mpmath.quad per gradient component on (-inf, inf)", "digits: agreement with a 60-digit step")]


def _thm31_engine(dps):
    from ..stationary import locate_r_star
    r, _ = locate_r_star(1, dps)
    with working(dps):
        H = hessian.aligned([mp.zero, r, -r], [1, 1, 1], rel_tol=mp.mpf(10) ** -(dps + 2))
        return [r] + hessian.eigenvalues(H["parallel"]) + hessian.eigenvalues(H["orthogonal"])


def _thm31_naive(dps):
    """Secant on dL/dr and central differences of the gradient, every quantity by mpmath.quad.

    Only the d = 1 Hessian block (the naive route has no orthogonal block without a 2-D quadrature)."""
    def grad(y):
        cfg = Configuration.make([mp.mpf(v) for v in y], "0")
        return naive_loss_and_gradient(cfg, dps)[1:]
    with working(dps):
        r = mpmath.findroot(lambda r: (lambda g: g[1] - g[2])(grad([0, r, -r])), mp.mpf("2.5"))
        h = mp.mpf(10) ** -(dps // 3)
        H = mpmath.matrix(3, 3)
        base = [mp.zero, r, -r]
        for j in range(3):
            up, dn = list(base), list(base)
            up[j] += h
            dn[j] -= h
            gu, gd = grad(up), grad(dn)
            for i in range(3):
                H[i, j] = (gu[i] - gd[i]) / (2 * h)
        H = (H + H.T) / 2
        return [r] + hessian.eigenvalues(H)


@case("thm3.1: r* and the Hessian at 40 digits")
def bench_thm31(repeat=3):
    """Theorem 3.1's r* and Hessian eigenvalues by the engine against secant + central differences."""
    dps = 40
    ref = _thm31_engine(60)
    _thm31_engine(dps)                      # warm: sympy derivation, nodes
    t_e, v_e = best_time(lambda: _thm31_engine(dps), repeat)
    t_b, v_b = best_time(lambda: _thm31_naive(dps), 1)
    with at_digits(2 * dps):
        d_e = agreed_digits(v_e, ref)
        d_b = agreed_digits(v_b, ref[:4])
    return [Row("thm3.1: r* + Hessian (d=1 and orthogonal blocks), 40 digits", t_e, t_b, min(d_e, dps),
                min(d_b, dps), "secant + central differences, mpmath.quad per quantity (d = 1 block only)",
                "digits: r* and eigenvalues against a 60-digit engine run")]
