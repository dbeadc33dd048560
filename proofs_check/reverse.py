"""The reverse Fisher divergence (MATH.md 6): the expectation under the student.

Single-Gaussian teacher ``N(b, I)``, student ``p_a = sum_g (m_g/n) N(a_g, I)``
(multiplicities respected, ``n = sum m_g``), whose score is exactly
``s_a(x) = sum_i w_i(x) a_i - x``:

    L_rev(a) = E_{x ~ p_a} | sum_i w_i(x) a_i - b |^2
             = sum_g (m_g/n) E_{y ~ N(c_g, I)} f(y),    f = |sum_g w_g(y) c_g|^2,

in the centred form ``c_g = a_g - b``, ``y = x - b`` (the shift symmetry holds
for the reverse loss too: the measure moves with the parameters).  ``f`` is
exactly :func:`proofs_check.symbolic.derive`'s ``loss``.

Gradient of one copy of parameter k (derived below, in sympy):

    grad_{a_k} L_rev = (1/m_k) sum_g (m_g/n) E_{N(c_g, I)}[ d f / d y_k ]      (the integrand moves)
                     + (1/n) E_{N(c_k, I)}[ (y - c_k) f(y) ]                    (the measure moves)

``d f/d y_k`` is ``derive(G, k).pathwise[k]`` (the derivative for the whole
group, hence the 1/m_k).  The factor ``(y - c_k)`` is derived as
``d/dz log phi(y - z)`` at ``z = c_k`` (the score of the component with
respect to its own mean).  Two forms, both from the same derivation:

- ``pathwise``: exactly the formula above;
- ``stein``: Stein's lemma under ``N(z, I)``, ``E[(x_c - z_c) g] = E[D(g, x_c)]``,
  applied to both terms: the measure term becomes ``(1/n) E_{N(c_k)}[grad_x f]``
  (a total derivative, through the weights) and the explicit x in the
  integrand's derivative becomes ``z_c G + D(G, x_c)``.  No explicit
  ``(x - z)`` factor remains.

Quadrature (:class:`proofs_check.integrand.GaussianIntegrand` with a centre,
the rule chosen by :func:`proofs_check.integrand.expectation`): each component
``N(c_g, I)`` is centred away from the origin.

- span dimension k = 1 (aligned, MATH.md 4): :class:`LineRule` with
  ``center = c_g`` (arbitrary precision);
- k = 2: :class:`PlaneRule` (which integrates against N(0, I_2)) after the
  shift ``y = z + c_g``: the logits become ``<z, c_h> + (<c_g, c_h> - |c_h|^2/2
  + log m_h)``, i.e. the same rule with ``log m_h`` replaced by
  ``log m_h + <c_g, c_h>`` (arbitrary precision);
- k >= 3 or ``backend='float64'``: quasi-Monte Carlo in float64 with the same shift.

The derivations (sympy) live in :mod:`proofs_check.reverse_derivation` and
are re-exported here.  The teacher-mixture variant (rev.mixture) is
:func:`evaluate_mixture`, with its own sympy derivation (:func:`derive_mixture`): the integrand is
``|s_student(x) - grad log q(x)|^2``, ``grad log q(x) = sum_j u_j(x) t_j - x``
with ``u = softmax(<x, t_j> - |t_j|^2/2 + log pi_j)``.
"""
from __future__ import annotations

from typing import Sequence

import mpmath
import numpy as np
from mpmath import mp

from . import model, stencils
from .expectation import LineRule, PlaneRule, QMCRule
from .gradient import FORMS, Evaluation, reduce_to_span
from .integrand import GaussianIntegrand, expectation, span_arrays
from .numbers import InputError
from .reverse_derivation import (CompiledReverse, MixtureDerivation, ReverseDerivation,  # noqa: F401  (re-exported)
                                 compiled_mixture, compiled_reverse, derive_mixture, derive_reverse,
                                 verify_reverse_derivation)


# -- assembling L_rev and its gradient --------------------------------------------------
def _assemble(comp, ests, mult, Q, d, forms, method, k, drop_measure=False):
    """L_rev and the gradient of one copy of each parameter from the per-component expectations.

    ``L_rev = sum_g (m_g/n) E_g[f]``; ``grad_g = (1/m_g) sum_h (m_h/n) E_h[param_g] + (1/n) E_g[measure]``
    (MATH.md 6), lifted from the span back to R^d; errors add in absolute value.
    """
    n = sum(mult)
    G = len(mult)
    parts = [comp.split(e.values) for e in ests]
    perrs = [comp.split(e.errors) for e in ests]
    lval = lerr = None
    if comp.loss:
        lval = mpmath.fsum(mp.mpf(m) / n * p["loss"] for m, p in zip(mult, parts))
        lerr = mpmath.fsum(mp.mpf(m) / n * abs(p["loss"]) for m, p in zip(mult, perrs))
    grad, gerr = {}, {}
    for f in forms:
        grad[f], gerr[f] = [], []
        for g in range(G):
            coords, ecoords = [], []
            for c in range(k):
                v = mpmath.fsum(mp.mpf(m) / n * parts[h][f][0][g][c] for h, m in enumerate(mult)) / mult[g]
                if not drop_measure:
                    v += parts[g][f][1][c] / n
                e = mpmath.fsum(mp.mpf(m) / n * abs(perrs[h][f][0][g][c]) for h, m in enumerate(mult)) / mult[g]
                e += abs(perrs[g][f][1][c]) / n
                coords.append(v)
                ecoords.append(e)
            grad[f].append(_lift(Q, coords, d))
            gerr[f].append([mpmath.fsum(ecoords)] * d)
    evals = sum(e.evaluations for e in ests)
    return Evaluation(lval, lerr, grad, gerr, method, k, evals, {"components": len(ests)})


def _lift(Q, coords, d):
    """Span coordinates back to R^d."""
    out = [mp.zero] * d
    for qv, c in zip(Q, coords):
        for i in range(d):
            out[i] += mp.mpf(c) * qv[i]
    return out


def _check_forms(forms):
    for f in forms:
        if f not in FORMS:
            raise InputError(f"unknown gradient form {f!r}; choose from {FORMS}")


def evaluate(A: Sequence, b: Sequence, multiplicity: Sequence | None = None,
             forms: Sequence[str] = ("stein",), loss: bool = True,
             rel_tol=None, backend: str = "mpmath", qmc_points: int = 14,
             seed: int = 0, _drop_measure: bool = False) -> Evaluation:
    """L_rev(A; b) and its gradient (one copy of each parameter), at the current precision.

    Same signature and result as :func:`proofs_check.gradient.evaluate`.
    ``_drop_measure`` (tests only: the negative control) leaves out the term
    from differentiating the sampling measure, giving a wrong gradient.
    """
    _check_forms(forms)
    forms = tuple(forms)
    G, d = len(A), len(b)
    mult, logm, Q, Y = reduce_to_span(A, b, multiplicity)
    k = len(Q)
    ests, comp = [], None
    if loss or forms:
        for g in range(G):
            def integrand_for(numeric, g=g):
                c = compiled_reverse(G, k, numeric, loss, forms)
                return GaussianIntegrand(c.func, *span_arrays(Y, mult, logm, numeric), centre=g, compiled=c)
            found = expectation(integrand_for, k, backend=backend, rel_tol=rel_tol, qmc_points=qmc_points,
                                seed=seed + 7919 * g)
            if found is None:
                break
            ests.append(found[0])
            comp = found[1].compiled
    if not ests:
        zeros = {f: [[mp.zero] * d for _ in range(G)] for f in forms}
        return Evaluation(mp.zero, mp.zero, zeros, {f: [[mp.zero] * d for _ in range(G)] for f in forms},
                          "exact (every parameter at the truth)", k)
    return _assemble(comp, ests, mult, Q, d, forms, ests[0].method + _PER_COMPONENT[ests[0].method], k,
                     _drop_measure)


# how each rule meets the student components (one expectation per component)
_PER_COMPONENT = {LineRule.name: ", centred on each student component",
                  PlaneRule.name: ", shifted to each student component",
                  QMCRule.name: ", one rule per student component (shifted)"}
_PER_COMPONENT_MIXTURE = {LineRule.name: ", centred on each student component, split at student and teacher crossings",
                          QMCRule.name: _PER_COMPONENT[QMCRule.name]}


def evaluate_mixture(A: Sequence, teacher: Sequence, multiplicity: Sequence | None = None,
                     teacher_weights: Sequence | None = None, forms: Sequence[str] = ("stein",),
                     loss: bool = True, rel_tol=None, backend: str = "mpmath",
                     qmc_points: int = 14, seed: int = 0) -> Evaluation:
    """Reverse loss against a teacher mixture ``q = sum_j pi_j N(t_j, I)``.

    ``E_{x ~ p_a} |s_a(x) - grad log q(x)|^2`` and its gradient.  Coordinates
    are taken relative to the first teacher mean and reduced to the span of
    all student and teacher means: k = 1 (everything on one line) is
    arbitrary precision (:class:`LineRule` centred on each student
    component, split at the crossings of both logit families); otherwise
    float64 quasi-Monte Carlo.
    """
    _check_forms(forms)
    forms = tuple(forms)
    G, K, d = len(A), len(teacher), len(teacher[0])
    mult = list(multiplicity) if multiplicity else [1] * G
    pis = [mp.mpf(p) for p in teacher_weights] if teacher_weights else [mp.one / K] * K
    logm = [mpmath.log(m) for m in mult]
    logpi = [mpmath.log(p) for p in pis]
    o = [mp.mpf(v) for v in teacher[0]]
    C = [[mp.mpf(a) - oc for a, oc in zip(row, o)] for row in A]
    Tc = [[mp.mpf(a) - oc for a, oc in zip(row, o)] for row in teacher]
    Q, Yall = model.gram_schmidt(C + Tc)
    k = len(Q)
    if k == 0:   # every mean at the same point: student = teacher
        zeros = {f: [[mp.zero] * d for _ in range(G)] for f in forms}
        return Evaluation(mp.zero, mp.zero, zeros, zeros, "exact (student equals teacher)", 0)
    Y, TY = Yall[:G], Yall[G:]

    def integrand_for(numeric, g):
        c = compiled_mixture(G, K, k, numeric, loss, forms)
        Yb, lm = span_arrays(Y, mult, logm, numeric)
        if numeric == "numpy":
            tch = (np.array([[float(v) for v in row] for row in TY]), np.array([float(v) for v in logpi]))
        else:
            tch = (TY, logpi)
        return GaussianIntegrand(c.func, Yb, lm, centre=g, teacher=tch, compiled=c)

    found = [expectation(lambda numeric, g=g: integrand_for(numeric, g), k, backend=backend, rel_tol=rel_tol,
                         qmc_points=qmc_points, seed=seed + 7919 * g, exact_up_to=1) for g in range(G)]
    ests = [est for est, _ in found]
    method = ests[0].method + _PER_COMPONENT_MIXTURE[ests[0].method]
    return _assemble(found[0][1].compiled, ests, mult, Q, d, forms, method, k)


# -- finite differences (tests and claims) ---------------------------------------------
def finite_difference(A, b, multiplicity=None, h=None, evaluator=None, **kw) -> list:
    """Fourth-order central differences of the loss along every coordinate of one copy
    of each group (group-major), at the current precision
    (:func:`proofs_check.stencils.central_difference`).  ``evaluator`` defaults to
    :func:`evaluate`; any loss-only callable ``evaluator(A, b, mult) -> loss`` works.
    """
    G, d = len(A), len(b)
    mult = list(multiplicity) if multiplicity else [1] * G
    h = mp.mpf(h) if h is not None else mp.mpf(10) ** (-(mp.dps // 4 + 2))
    if evaluator is None:
        evaluator = lambda A2, b2, m2: evaluate(A2, b2, m2, forms=(), loss=True, **kw).loss
    out = []
    for D in stencils.coordinate_directions(G, d):
        out.append(stencils.central_difference(lambda step, D=D: evaluator(*stencils.move_one_copy(A, b, mult, D, step)), h))
    return out


# -- a fixed float64 rule for aligned (d = 1) mixtures: long seeded sweeps (rev.mixture) --------------------
GRID_H, GRID_Z = 0.05, 9.0   # trapezoid spacing and half-width: softmax poles lie >= pi/12 from the real
#                              axis while every |a_i - a_j| <= 12, so the error is ~exp(-2 pi (pi/12) / H) ~ 1e-14;
#                              the tail beyond 9 standard deviations is ~1e-19
_NODES = np.arange(-GRID_Z, GRID_Z + GRID_H / 2, GRID_H)
_WEIGHTS = np.exp(-_NODES ** 2 / 2) / np.sum(np.exp(-_NODES ** 2 / 2))


def grid_mixture(A, teacher):
    """(L_rev, gradient per component) against the teacher mixture, d = 1, float64 trapezoid.

    ``L_rev = (1/n) sum_g E_{N(a_g, 1)} f`` and ``grad_g = (1/n) sum_h E_{N(a_h)}[param_g]
    + (1/n) E_{N(a_g)}[measure]`` (stein forms), exactly as
    :func:`proofs_check.reverse.evaluate_mixture` assembles them, with every
    expectation by the same fixed rule (nodes ``a_h + z_j``)."""
    y = np.array([float(r[0]) if hasattr(r, "__len__") else float(r) for r in A])
    t = np.asarray(teacher, float)
    G = len(y)
    comp = compiled_mixture(G, len(t), 1, "numpy", True, ("stein",))
    teacher_means = (t.reshape(-1, 1), None)      # equal teacher weights: no shift of their logits
    ig = GaussianIntegrand(comp.func, y.reshape(-1, 1), None, teacher=teacher_means)
    V = np.ascontiguousarray(ig.at_every_centre(_NODES[:, None]).transpose(2, 0, 1)) @ _WEIGHTS   # (columns, G, m)
    return float(V[0].sum() / G), V[1:1 + G].sum(axis=1) / G + V[1 + G] / G


__all__ = ["evaluate", "evaluate_mixture", "finite_difference", "grid_mixture", "GRID_H", "GRID_Z",
           "CompiledReverse", "MixtureDerivation", "ReverseDerivation", "compiled_mixture", "compiled_reverse",
           "derive_mixture", "derive_reverse", "verify_reverse_derivation"]
