"""General-dimension tools for Theorems 2.1, 3.5-3.7, Lemma 3.3 and Figure 1.

- :func:`split_derivation`: the gradient-EM / remainder split of the derived
  Stein integrand (MATH.md 3).  ``em[g][c] = 2 w_g v_c`` is built from the
  derivation's own symbols; sympy decides exactly that it is the Stein
  image of ``-2 w_g (x_c - y_{g,c})`` (the gradient-EM direction) and that
  ``stein - em`` is the hand "cubic" remainder
  ``-2 w_g <y_g - v, v> v_c + 2 w_g (C (y_g - 2 v))_c``.
- :func:`split_compiled`: numpy lambdification of ``em`` and
  ``remainder = stein - em`` (derived, not hand-written).
- :func:`qmc_split`: E[em], E[remainder] at a float64 configuration by
  randomised QMC, each with its own replicate error (the remainder is
  integrated as its own integrand, so its relative error does not inherit
  the EM term's size).
- :func:`qmc_gradient_rows`: E[stein] rows and E[stein_i - stein_j] for
  pairs (Lemma 3.3), the differences integrated directly.
- :func:`minibatch_gradient`: the paper's mini-batch gradient (Section 4):
  the same derived Stein integrand averaged over x ~ N(b, I) samples
  (numpy backend of :func:`proofs_check.symbolic.compiled`).

Everything is centred at the truth and reduced to the span of the centred
parameters, as in :mod:`proofs_check.gradient`, and every integrand is
evaluated by :meth:`proofs_check.integrand.GaussianIntegrand.at`.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from . import symbolic
from .expectation import QMCRule
from .gradient import Evaluation
from .integrand import GaussianIntegrand


# -- the EM / remainder split (symbolic) -------------------------------------------
@lru_cache(maxsize=None)
def split_derivation(G: int, k: int):
    """(der, em, remainder): em[g][c] = 2 w_g v_c, remainder = stein - em."""
    der = symbolic.derive(G, k)
    w, v = der.weights, der.v
    em = tuple(tuple(2 * w[g] * v[c] for c in range(k)) for g in range(G))
    rem = tuple(tuple(der.stein[g][c] - em[g][c] for c in range(k)) for g in range(G))
    return der, em, rem


def verify_split(G: int, k: int) -> dict:
    """Decide exactly (sympy.cancel):

    - ``em_is_stein_of_em_direction``: em = D(-2 w_g, x_c) + 2 w_g y_{g,c}, i.e. the
      Stein image of -2 w_g (x_c - y_{g,c}) (minus twice gradient EM);
    - ``remainder_is_cubic_hand_form``: stein - em = -2 w<y_g - v, v> v + 2 w C (y_g - 2v);
    - ``split_vanishes_at_truth``: both parts vanish with every parameter at the truth.
    """
    der, em, rem = split_derivation(G, k)
    w, v, y, x = der.weights, der.v, der.y, der.x
    zero = symbolic.is_zero
    C = [[sum(w[j] * y[j][a] * y[j][b] for j in range(G)) - v[a] * v[b] for b in range(k)]
         for a in range(k)]
    out = {"em_is_stein_of_em_direction": True, "remainder_is_cubic_hand_form": True,
           "split_vanishes_at_truth": True}
    at_truth = {yc: 0 for row in y for yc in row}
    for g in range(G):
        ip = sum((y[g][c] - v[c]) * v[c] for c in range(k))
        u = [y[g][c] - 2 * v[c] for c in range(k)]
        for c in range(k):
            out["em_is_stein_of_em_direction"] &= zero(em[g][c] - (der.D(-2 * w[g], x[c]) + 2 * w[g] * y[g][c]))
            hand = -2 * w[g] * ip * v[c] + 2 * w[g] * sum(C[c][b] * u[b] for b in range(k))
            out["remainder_is_cubic_hand_form"] &= zero(rem[g][c] - hand)
            out["split_vanishes_at_truth"] &= zero(em[g][c].subs(at_truth)) and zero(rem[g][c].subs(at_truth))
    return out


@lru_cache(maxsize=None)
def split_compiled(G: int, k: int):
    """numpy f(x..., y..., w...) -> [em (G*k), remainder (G*k)] from the derivation."""
    der, em, rem = split_derivation(G, k)
    args = list(der.x) + [yc for row in der.y for yc in row] + list(der.E)
    exprs = [symbolic.normalised(der, e) for part in (em, rem) for row in part for e in row]
    return sp.lambdify(args, exprs, modules="numpy", cse=True)


# -- float64 reduction to the span ---------------------------------------------------
def span(A: np.ndarray, b: np.ndarray, tol: float = 1e-12):
    """Orthonormal basis Q (k, d) of span(A - b) and coordinates Y (G, k)."""
    C = np.asarray(A, float) - np.asarray(b, float)
    scale = np.abs(C).max() if C.size else 0.0
    if scale == 0:
        return np.zeros((0, C.shape[1])), np.zeros((C.shape[0], 0))
    U, S, Vt = np.linalg.svd(C, full_matrices=False)
    k = int(np.sum(S > tol * S[0]))
    Q = Vt[:k]
    return Q, C @ Q.T




def qmc_split(A, b, log2_points: int = 14, replicates: int = 8, seed: int = 0) -> dict:
    """E[em_g], E[remainder_g] (lifted to R^d) with replicate errors (norms per g)."""
    A, b = np.asarray(A, float), np.asarray(b, float)
    Q, Y = span(A, b)
    G, k = Y.shape
    est = GaussianIntegrand(split_compiled(G, k), Y).by_qmc(log2_points, seed, replicates)
    vals, errs = np.array(est.values), np.array(est.errors)
    em = vals[:G * k].reshape(G, k) @ Q
    rem = vals[G * k:].reshape(G, k) @ Q
    return {"em": em, "remainder": rem,
            "em_error": np.abs(errs[:G * k].reshape(G, k)).sum(axis=1),
            "remainder_error": np.abs(errs[G * k:].reshape(G, k)).sum(axis=1)}


def qmc_gradient_rows(A, b, pairs, log2_points: int = 14, replicates: int = 8, seed: int = 0) -> dict:
    """E[stein_g] for every g and E[stein_i - stein_j] for (i, j) in pairs, lifted to R^d.

    The differences are integrated as their own integrands (same points,
    own replicate spread), so their errors are those of the differences.
    """
    A, b = np.asarray(A, float), np.asarray(b, float)
    Q, Y = span(A, b)
    G, k = Y.shape
    stein = GaussianIntegrand(symbolic.compiled(G, k, "numpy", ("stein",)).func, Y)

    def F(z):
        S = stein.at(z).reshape(-1, G, k)
        diffs = [S[:, i, :] - S[:, j, :] for i, j in pairs]
        return np.concatenate([S.reshape(-1, G * k)] + diffs, axis=1)

    est = QMCRule(k, log2_points, replicates, seed).integrate(F)
    vals, errs = np.array(est.values), np.array(est.errors)
    grad = vals[:G * k].reshape(G, k) @ Q
    P = len(pairs)
    dif = vals[G * k:].reshape(P, k) @ Q if P else np.zeros((0, A.shape[1]))
    derr = np.abs(errs[G * k:].reshape(P, k)).sum(axis=1) if P else np.zeros(0)
    return {"gradient": grad, "differences": dif, "difference_errors": derr}


# -- mini-batch gradient (Section 4) -------------------------------------------------
def minibatch_gradient(A, b, batch: int, rng: np.random.Generator):
    """(loss, gradient (G, d)) averaged over ``batch`` samples x ~ N(b, I).

    Uses the derived Stein integrand (numpy backend of symbolic.compiled) in
    the centred span coordinates: the sample's component orthogonal to the
    span does not enter the integrand, so only its span coordinates are drawn.
    """
    A, b = np.asarray(A, float), np.asarray(b, float)
    Q, Y = span(A, b)
    G, k = Y.shape
    if k == 0:
        return 0.0, np.zeros_like(A)
    comp = symbolic.compiled(G, k, "numpy", ("loss", "stein"))
    z = rng.standard_normal((batch, k))
    m = GaussianIntegrand(comp.func, Y).at(z).mean(axis=0)
    return float(m[0]), m[1:].reshape(G, k) @ Q


def population_gradient(A, b, log2_points: int = 12, replicates: int = 2, seed: int = 0):
    """(loss, gradient (G, d)) by randomised QMC of the derived Stein integrand (float64)."""
    A, b = np.asarray(A, float), np.asarray(b, float)
    Q, Y = span(A, b)
    G, k = Y.shape
    if k == 0:
        return 0.0, np.zeros_like(A), 0.0
    comp = symbolic.compiled(G, k, "numpy", ("loss", "stein"))
    est = GaussianIntegrand(comp.func, Y).by_qmc(log2_points, seed, replicates)
    vals = np.array(est.values)
    return float(vals[0]), vals[1:].reshape(G, k) @ Q, float(np.abs(est.errors).max())


# -- float64 objectives for long gradient-descent runs ----------------------------------
# Registered by name in proofs_check.objectives (explicitly, by that package) so the dynamics
# engine drives them by name: the SAME derived integrands as "forward", with a
# cheaper fixed float64 rule.  Each has the signature of gradient.evaluate.
#
# "forward-grid": span dimension k = 1 (aligned) -> composite trapezoid on a fixed
#   grid over [-GRID_HALF, GRID_HALF] (GRID_POINTS nodes, Gaussian weights; exponentially
#   accurate for these smooth integrands whose softmax transitions have width
#   ~1/|a_i - a_j| >> the spacing); k >= 2 -> a defensive importance-sampling
#   mixture: one scrambled Sobol' set of 2**(qmc_points - 1) points (seeded, the
#   same at every step) shifted to 0 and to every c_g / 2 (the edge of the
#   half-space where a far parameter's weight lives, which plain N(0, I) points
#   almost never reach), weighted by phi / q for q the equal mixture.  Without
#   the shifts a far parameter's gradient and its share of L rest on a handful
#   of points (the runs stall on a spurious plateau).
# "forward-minibatch": the paper's mini-batch gradient (Section 4): 2**qmc_points
#   fresh samples x ~ N(b, I) per call, the derivative of the sample loss
#   |v(x)|^2 (the derived *pathwise* integrand, what autograd of the mini-batch
#   loss computes); samples drawn from a generator seeded by (seed, the current
#   parameters' bytes), so a run is reproducible and every step gets new samples.
GRID_HALF, GRID_POINTS = 12.0, 1025


@lru_cache(maxsize=None)
def _grid_1d():
    z = np.linspace(-GRID_HALF, GRID_HALF, GRID_POINTS)
    w = np.exp(-z * z / 2) / math.sqrt(2 * math.pi) * (z[1] - z[0])
    w[0] *= 0.5
    w[-1] *= 0.5
    return z[:, None], w / w.sum()


@lru_cache(maxsize=None)
def _sobol_points(k, log2_points, seed):
    from scipy.stats import norm, qmc
    sob = qmc.Sobol(k, scramble=True, rng=np.random.default_rng(np.random.SeedSequence([seed, 7919])))
    u = sob.random_base2(log2_points)
    z = norm.ppf(np.clip(u, 1e-300, 1 - 1e-16))
    return z, np.full(len(z), 1.0 / len(z))


def mixture_points(Y, log2_points, seed):
    """Defensive importance-sampling rule for E_{N(0, I_k)}: centres 0 and Y_g / 2."""
    k = Y.shape[1]
    z, _ = _sobol_points(k, max(6, log2_points - 1), seed)
    centres = np.vstack([np.zeros(k), Y / 2])
    X = (z[None, :, :] + centres[:, None, :]).reshape(-1, k)
    lr = X @ centres.T - 0.5 * np.sum(centres ** 2, axis=1)      # log phi(x - m_j) - log phi(x)
    top = lr.max(axis=1)
    q_over_phi = np.exp(top) * np.mean(np.exp(lr - top[:, None]), axis=1)
    return X, 1.0 / (q_over_phi * len(X))


def _f64_evaluate(A, b, multiplicity, forms, loss, points, form_used, method):
    A = np.array([[float(v) for v in row] for row in A])
    b = np.array([float(v) for v in b])
    G, d = A.shape
    mult = np.array(list(multiplicity) if multiplicity else [1] * G, dtype=float)
    Q, Y = span(A, b)
    k = Y.shape[1]
    zero = [[0.0] * d for _ in range(G)]
    if k == 0:
        return Evaluation(0.0, 0.0, {f: zero for f in forms}, {f: zero for f in forms}, "exact", 0)
    z, wq = points(k, Y)
    comp = symbolic.compiled(G, k, "numpy", ("loss", form_used))
    m = wq @ GaussianIntegrand(comp.func, Y, np.log(mult)).at(z)
    grad = (m[1:].reshape(G, k) @ Q) / mult[:, None]
    g = [[float(v) for v in row] for row in grad]
    return Evaluation(float(m[0]), 0.0, {f: g for f in forms}, {f: zero for f in forms}, method, k, len(wq))


def grid_evaluate(A, b, multiplicity=None, forms=("stein",), loss=True, rel_tol=None, backend="float64",
                  qmc_points: int = 12, seed: int = 0):
    """The forward loss and Stein gradient in float64 by a fixed rule (see above)."""
    def points(k, Y):
        return _grid_1d() if k == 1 else mixture_points(Y, qmc_points, seed)
    return _f64_evaluate(A, b, multiplicity, forms, loss, points, "stein", "fixed float64 rule")


def minibatch_evaluate(A, b, multiplicity=None, forms=("stein",), loss=True, rel_tol=None, backend="float64",
                       qmc_points: int = 10, seed: int = 0):
    """Mini-batch loss and gradient: 2**qmc_points samples x ~ N(b, I), pathwise integrand."""
    Ab = np.ascontiguousarray(np.array([[float(v) for v in row] for row in A]))
    key = np.frombuffer(Ab.tobytes(), dtype=np.uint32)
    rng = np.random.default_rng(np.random.SeedSequence([seed, *key.tolist()]))

    def points(k, Y):
        n = 2 ** qmc_points
        return rng.standard_normal((n, k)), np.full(n, 1.0 / n)
    return _f64_evaluate(A, b, multiplicity, forms, loss, points, "pathwise", f"mini-batch of {2 ** qmc_points}")
