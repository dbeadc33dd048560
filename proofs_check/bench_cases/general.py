"""Benchmark cases for the general-dimension dynamics (see :mod:`proofs_check.bench`)."""
from __future__ import annotations

import math

import numpy as np
from mpmath import mp

from .. import general, gradient, symbolic
from ..integrand import GaussianIntegrand
from ..bench import Row, best_time, case
from ..numbers import digits_between

N8D5_SEED = 11


def _config(n=8, d=5, seed=N8D5_SEED):
    rng = np.random.default_rng(seed)
    b = rng.standard_normal(d)
    A = b + 0.7 * rng.standard_normal((n, d))
    return A, b


def _digits(err, scale):
    """Digits of a float64 estimate: :func:`digits_between` of its error bound and scale; None without both."""
    return digits_between(err, scale, cap=_UNCAPPED) if err > 0 and scale > 0 else None


_UNCAPPED = 10 ** 9      # a float64 error bound puts no ceiling of its own on the count


def _plain_mc(A, b, points, seed=0):
    """Baseline: plain Monte Carlo (i.i.d. normals) of the same derived integrand, same point count."""
    Q, Y = general.span(A, b)
    G, k = Y.shape
    comp = symbolic.compiled(G, k, "numpy", ("loss", "stein"))
    rng = np.random.default_rng(seed)
    reps = []
    for _ in range(8):
        z = rng.standard_normal((points // 8, k))
        reps.append(GaussianIntegrand(comp.func, Y).at(z).mean(axis=0))
    reps = np.array(reps)
    return reps.mean(axis=0), 3 * reps.std(axis=0, ddof=1) / math.sqrt(8)


@case("population gradient n=8, d=5 (float64 QMC)")
def bench_population_n8d5(repeat=3):
    """Float64 QMC population gradient (n = 8, d = 5) against plain Monte Carlo of the same integrand."""
    A, b = _config()
    Am = [[mp.mpf(float(v)) for v in row] for row in A]
    bm = [mp.mpf(float(v)) for v in b]
    run = lambda: gradient.evaluate(Am, bm, forms=("stein",), backend="float64")   # 8 x 2^14 points
    run()                                             # warm: lambdify G=8, k=5 once
    t_e, ev = best_time(run, repeat)
    g = np.array([[float(v) for v in row] for row in ev.gradient["stein"]])
    e = np.array([[float(v) for v in row] for row in ev.errors["stein"]])
    scale = float(np.abs(g).max())
    d_e = _digits(float(e.max()), scale)
    t_b, (vals, errs) = best_time(lambda: _plain_mc(A, b, ev.evaluations), repeat)
    d_b = _digits(float(np.abs(errs[1:]).max()), scale)
    return [Row("population L + gradient, n=8, d=5 (k=5), 8 x 2^14 scrambled Sobol' points", t_e, t_b, d_e, d_b,
                "plain Monte Carlo, same integrand and point count",
                f"digits: -log10(max error estimate / max |grad|); error estimate {float(e.max()):.2e}, "
                f"loss {float(ev.loss):.6g} +- {float(ev.loss_error):.1e}",
                {"qmc_points": ev.evaluations, "max_error": float(e.max()), "max_abs_grad": scale})]


@case("mini-batch gradient step n=8, d=5")
def bench_minibatch_n8d5(repeat=5):
    """The float64 objectives' steps (mini-batch, fixed rule) against one population gradient evaluation."""
    A, b = _config()
    general.minibatch_evaluate(A, b, qmc_points=10)          # warm (pathwise lambdify)
    general.grid_evaluate(A, b, qmc_points=12)
    t_mb, _ = best_time(lambda: general.minibatch_evaluate(A, b, qmc_points=10, seed=1), repeat)
    t_fix, _ = best_time(lambda: general.grid_evaluate(A, b, qmc_points=12), repeat)
    Am = [[mp.mpf(float(v)) for v in row] for row in A]
    bm = [mp.mpf(float(v)) for v in b]
    gradient.evaluate(Am, bm, forms=("stein",), backend="float64")
    t_pop, _ = best_time(lambda: gradient.evaluate(Am, bm, forms=("stein",), backend="float64"), 2)
    return [Row("mini-batch step (1024 samples, pathwise integrand), n=8, d=5", t_mb, t_pop, None, None,
                "population gradient.evaluate (float64 QMC, 8 x 2^14 points)", ""),
            Row("fixed-rule population step (forward-grid: Sobol' 2^11 at 0 and each a_g/2, 9 x 2^11 points), n=8, d=5", t_fix, t_pop, None, None,
                "population gradient.evaluate (float64 QMC, 8 x 2^14 points)", "")]
