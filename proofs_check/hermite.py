"""A product Gauss-Hermite rule on the span, and the forward gradient it gives (float64, vectorised).

Section 4 / Figure 1 starts five parameters 1e-7 apart at distance M from the
truth.  Which of them converges is decided by the *differences* of their
gradients, of the size of the spread, so the population rule must be
deterministic and accurate on those differences (a randomised float64 QMC
rule's error, ~1e-4 relative to the gradient, is larger than the differences
and decides nothing).  This module gives:

- :func:`product_rule`: nodes and weights of a product Gauss-Hermite rule for
  ``E_{z ~ N(0, I_k)}`` with its own node count per axis (probabilists'
  Hermite nodes, :func:`numpy.polynomial.hermite_e.hermegauss`).
- :func:`principal_frame`: an orthonormal frame of R^d whose first rows span
  the centred parameters ``a_i - b`` (MATH.md 2's reduction to the span), in
  the order of their singular values; the rule's finest axis lies along the
  parameters' main direction.  With d = k the rule on the span is the rule on
  R^d in that frame; axes outside the span see an integrand that does not vary.
- :func:`pathwise_mean`: the *pathwise* integrand of Lemma B.1 / 2.2
  (MATH.md 3: ``grad_{a_k} L = 2 E[w_k (v + <a_k - v, v> (x - a_k))]``, centred
  at the truth) and ``|v|^2`` averaged with given weights over given points,
  for many runs at once (arrays of shape (R, n, d)).  Integrated by any
  deterministic rule it is the exact gradient of that rule's loss; averaged
  over fresh samples it is the mini-batch gradient of Section 4 (what autograd
  of the batch loss computes).  It is the derived pathwise integrand written
  as five array products; ``tests/test_hermite.py`` checks it against
  :func:`proofs_check.symbolic.compiled` (through
  :class:`proofs_check.integrand.GaussianIntegrand`) to 1e-12.
- :func:`population_gradient`: the rule in the principal frame of each run and
  the pathwise mean: ``(L, grad)`` for R runs.
- :func:`difference_error`: the rule's error on the gradient *differences*
  ``grad_i - grad_1``, measured against a finer rule (two node counts).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.polynomial.hermite_e import hermegauss


@lru_cache(maxsize=None)
def _axis(count: int):
    z, w = hermegauss(count)
    return z, w / w.sum()


@lru_cache(maxsize=None)
def product_rule(counts: tuple) -> tuple:
    """Nodes (P, k) and weights (P,) of the product Gauss-Hermite rule for N(0, I_k), ``counts[j]`` nodes on axis j.

    Exact for polynomials of degree < 2 counts[j] in coordinate j (Gauss-Hermite); the weights sum to 1.
    """
    if not counts or any(int(c) < 1 for c in counts):
        raise ValueError(f"product_rule: counts must be positive node counts, got {counts!r}")
    axes = [_axis(int(c)) for c in counts]
    Z = np.stack(np.meshgrid(*[z for z, _ in axes], indexing="ij"), axis=-1).reshape(-1, len(counts))
    W = axes[0][1]
    for _, w in axes[1:]:
        W = np.multiply.outer(W, w)
    Z.setflags(write=False)
    W = np.ascontiguousarray(W.ravel())
    W.setflags(write=False)
    return Z, W


def principal_frame(C: np.ndarray) -> np.ndarray:
    """Orthonormal frames (R, d, d) of R^d: rows = right singular vectors of each run's centred parameters C (R, n, d).

    The first rows span the centred parameters (MATH.md 2), by decreasing singular value; rows past
    the span's dimension complete the frame (the integrand does not vary along them).
    """
    return np.linalg.svd(C, full_matrices=True)[2]


def pathwise_mean(C: np.ndarray, XT: np.ndarray, weights: np.ndarray) -> tuple:
    """(L, grad) of the forward loss from the derived pathwise integrand, averaged over points (Lemma B.1 / 2.2).

    ``C``: centred parameters ``a_i - b``, shape (R, n, d); ``XT``: centred points ``x - b`` as columns,
    shape (R, d, N) or (d, N); ``weights``: (N,) summing to 1.  Returns ``L`` (R,) = sum_x w |v(x)|^2 and
    ``grad`` (R, n, d) = 2 sum_x w w_k(x) (v + <a_k - v, v> (x - a_k)).  Vectorised; float64.
    """
    logits = C @ XT - 0.5 * np.sum(C * C, axis=-1)[..., None]             # (R, n, N)
    logits -= logits.max(axis=-2, keepdims=True)
    Wt = np.exp(logits)
    Wt /= Wt.sum(axis=-2, keepdims=True)                                    # softmax weights w_k(x)
    V = np.swapaxes(C, -1, -2) @ Wt                                         # v(x), (R, d, N)
    vv = np.einsum("...dn,...dn->...n", V, V)
    S = C @ V
    S -= vv[..., None, :]                                                   # <a_k - v, v>
    Ww = Wt * weights
    WS = Ww * S
    grad = Ww @ np.swapaxes(V, -1, -2) + WS @ np.swapaxes(XT, -1, -2) - WS.sum(axis=-1)[..., None] * C
    return np.sum(vv * weights, axis=-1), 2 * grad


def population_gradient(C: np.ndarray, counts: tuple) -> tuple:
    """(L, grad) of the population forward loss at centred parameters C (R, n, d) by the product rule ``counts``
    (one count per axis of R^d, finest first) in each run's principal frame (Lemma B.1 / 2.2)."""
    C = np.asarray(C, float)
    Z, W = product_rule(tuple(counts))
    XT = np.swapaxes(Z @ principal_frame(C), -1, -2)                        # (R, d, P)
    return pathwise_mean(C, XT, W)


def difference_error(C: np.ndarray, counts: tuple, finer: tuple) -> dict:
    """The rule's error on L, the gradient and the gradient differences grad_i - grad_1, against a finer rule.

    Returns, per run (arrays of shape (R,)): ``loss_error`` |L - L_finer|; ``gradient_error`` max |grad -
    grad_finer|; ``difference`` max_i |grad_i - grad_1| (finer rule); ``difference_error`` max_i
    |(grad_i - grad_1) - (finer)|; ``spread`` max_i |a_i - a_1| (the initial-spread scale they are
    compared with).
    """
    C = np.asarray(C, float)
    L0, g0 = population_gradient(C, counts)
    L1, g1 = population_gradient(C, finer)
    d0, d1 = g0 - g0[..., :1, :], g1 - g1[..., :1, :]

    def vmax(a):
        return np.linalg.norm(a, axis=-1).max(axis=-1)
    return {"loss_error": np.abs(L0 - L1), "gradient_error": vmax(g0 - g1), "difference": vmax(d1),
            "difference_error": vmax(d0 - d1), "spread": vmax(C - C[..., :1, :])}
