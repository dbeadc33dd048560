"""The loss L and its gradient (Lemma B.1 / 2.2): one evaluator for the whole suite.

:func:`evaluate` computes ``L`` and ``grad_{a_i} L`` for every parameter, in
the pathwise form, the Stein form, or both, from the sympy-derived integrands
(:mod:`proofs_check.symbolic`), and on request the recovered fully expanded form
(``"expanded"``, MATH.md section 7).  The configuration is centred at the truth and
reduced to the span of the centred parameters (dimension k <= n); the
directions orthogonal to that span contribute nothing (their coordinates are
independent standard normals that the integrands meet only linearly).

- k = 0: everything is exactly zero;
- k = 1 (aligned, MATH.md 4): :class:`~proofs_check.expectation.LineRule`;
- k = 2: :class:`~proofs_check.expectation.PlaneRule`;
- k >= 3, or ``backend='float64'``: quasi-Monte Carlo in float64

(the dispatch is :func:`proofs_check.integrand.expectation`, the integrand
:class:`proofs_check.integrand.GaussianIntegrand`).

Gradients are with respect to the paper's variables ``a_i = e^{-t} mu_i``;
for a group of m identical parameters the gradient of each copy is reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import gmpy2
import mpmath
from mpmath import mp

from . import model, numbers, stencils
from .expectation import LineRule
from .integrand import GaussianIntegrand, expectation, span_arrays
from .numbers import (InputError, Measured, Precision, agreed_digits, as_precision, at_digits, mpfr_matching, to_mpfr,
                      working)
from .symbolic import compiled

FORMS = ("pathwise", "stein")
# the forms evaluate() accepts: the derived FORMS and Lemma B.1's recovered fully expanded form
# (MATH.md section 7; symbolic.recovered_expanded).  FORMS itself is unchanged: other objectives import it.
FORWARD_FORMS = FORMS + ("expanded",)


@dataclass
class Evaluation:
    """L and its gradient at one configuration, with error estimates.

    ``gradient[form][g]`` is the gradient of one copy of parameter g (a
    d-vector); ``errors`` holds absolute error estimates of the same shape,
    ``loss_error`` the loss's.  ``method`` names the quadrature.
    """

    loss: object
    loss_error: object
    gradient: dict
    errors: dict
    method: str
    k: int
    evaluations: int = 0
    info: dict = field(default_factory=dict)

    def flat_gradient(self, form: str = "stein") -> list:
        """The gradient of ``form`` as one flat list, group-major (one copy of each parameter)."""
        return [v for row in self.gradient[form] for v in row]


def evaluate(A: Sequence, b: Sequence, multiplicity: Sequence | None = None,
             forms: Sequence[str] = ("stein",), loss: bool = True,
             rel_tol=None, backend: str = "mpmath", qmc_points: int = 14,
             seed: int = 0) -> Evaluation:
    """L(A; b) and the gradient forms requested, at the current precision.

    ``A``: G parameter vectors (mpf), ``b``: the truth, ``multiplicity``: copies
    of each parameter.  ``rel_tol`` defaults to the working precision.
    ``backend='float64'`` forces the float64 quasi-Monte Carlo rule.
    """
    for f in forms:
        if f not in FORWARD_FORMS:
            raise InputError(f"unknown gradient form {f!r}; choose from {FORWARD_FORMS}")
    G, d = len(A), len(b)
    mult, logm, Q, Y = reduce_to_span(A, b, multiplicity)
    k = len(Q)
    parts = (("loss",) if loss else ()) + tuple(forms)
    zero_grad = {f: [[mp.zero] * d for _ in range(G)] for f in forms}
    if k == 0 or not parts:
        return Evaluation(mp.zero, mp.zero, zero_grad, {f: [[mp.zero] * d for _ in range(G)] for f in forms},
                          "exact (every parameter at the truth)", k)

    def integrand_for(numeric):
        comp = compiled(G, k, numeric, parts)
        return GaussianIntegrand(comp.func, *span_arrays(Y, mult, logm, numeric), compiled=comp)

    est, ig = expectation(integrand_for, k, backend=backend, rel_tol=rel_tol, qmc_points=qmc_points, seed=seed)
    comp = ig.compiled
    vals = comp.split(est.values)
    errs = comp.split(est.errors)
    grad, gerr = {}, {}
    for f in forms:
        grad[f] = [_lift(Q, vals[f][g], d, mult[g]) for g in range(G)]
        gerr[f] = [_lift_err(errs[f][g], d, mult[g]) for g in range(G)]
    lval = vals.get("loss", None)
    lerr = errs.get("loss", None)
    return Evaluation(lval, lerr, grad, gerr, est.method, k, est.evaluations, est.info)


def reduce_to_span(A, b, multiplicity=None):
    """Centre at the truth and reduce to the span: ``(mult, logm, Q, Y)``.

    ``Q`` is an orthonormal basis of span{a_g - b}, ``Y[g]`` the coordinates
    of a_g - b in it, ``logm`` the log-multiplicities (weights' shifts).
    """
    mult = list(multiplicity) if multiplicity else [1] * len(A)
    logm = [mpmath.log(m) for m in mult]
    C = [[mp.mpf(a) - mp.mpf(bb) for a, bb in zip(row, b)] for row in A]
    Q, Y = model.gram_schmidt(C)
    return mult, logm, Q, Y


def _lift(Q, coords, d, m):
    """Map span coordinates back to R^d and divide by the multiplicity."""
    out = [mp.zero] * d
    for qv, c in zip(Q, coords):
        c = mp.mpf(c)
        for i in range(d):
            out[i] += c * qv[i]
    return [v / m for v in out]


def _lift_err(coords, d, m):
    e = mpmath.fsum(abs(mp.mpf(c)) for c in coords) / m
    return [e] * d


def integrate_aligned(func, y, logm, rel_tol=None):
    """``E_s[func(s, *y, *w(s))]`` for aligned coordinates y with log-multiplicities logm (MATH.md 4).

    The weights are the stable softmax of the logits ``y_g s - y_g^2/2 +
    log m_g`` in MPFR; ``func`` is a lambdified derived integrand.  A thin
    name for :meth:`proofs_check.integrand.GaussianIntegrand.on_line`.
    """
    return GaussianIntegrand(func, [[v] for v in y], logm).on_line(rel_tol)


# -- user-facing evaluations with two precisions -----------------------------------
def at_precision(config: model.Configuration, dps: "Precision | int", forms=("stein",), loss=True, *,
                 evaluator=None, **kw) -> Evaluation:
    """Evaluate a :class:`~proofs_check.model.Configuration` at ``dps`` digits (Lemma B.1 / 2.2).

    ``dps``: a :class:`~proofs_check.numbers.Precision` or a whole number of digits.

    ``evaluator`` (default :func:`evaluate`, the paper's forward loss) is any
    callable with :func:`evaluate`'s signature; other objectives by name go
    through :func:`proofs_check.objectives.at_precision`.
    """
    fn = evaluate if evaluator is None else evaluator
    prec = as_precision(dps)
    with prec.active():
        A, b = config.scaled()
        return fn(A, b, config.multiplicity, forms=forms, loss=loss, rel_tol=prec.tolerance(), **kw)


def measured(config: model.Configuration, dps: "Precision | int", forms=("stein",), extra: int | None = None, *,
             evaluator=None, **kw) -> dict:
    """L and every gradient at two precisions, with the digits they agree on.

    Returns ``{"loss": Measured, "gradient": {form: [[Measured]]}, "method", "k"}``.
    The second precision is :meth:`proofs_check.numbers.Precision.higher`.
    ``evaluator`` as in :func:`at_precision` (other objectives by name:
    :func:`proofs_check.objectives.measured`).  Not :func:`proofs_check.numbers.measure`:
    the loss and each gradient form get their own digits, capped at 14 for a
    randomised float64 rule and by the rule's own error bound.
    """
    prec = as_precision(dps)
    hi_prec = prec.higher(extra)
    dps, hi_dps = prec.dps, hi_prec.dps
    lo = at_precision(config, prec, forms, evaluator=evaluator, **kw)
    hi = at_precision(config, hi_prec, forms, evaluator=evaluator, **kw)
    with at_digits(hi_dps + 5):
        float_rule = lo.method.startswith("randomised")
        cap = 14 if float_rule else dps

        def m(vh, vl, err):
            dg = min(agreed_digits(vh, vl), cap)
            if float_rule:
                dg = min(dg, _digits_from_error(vh, err))
            return Measured(vh, dg, err, hi.method, (dps, hi_dps))

        out = {"loss": m(hi.loss, lo.loss, hi.loss_error), "gradient": {}, "method": hi.method, "k": hi.k}
        # a form's digits are judged against its largest component over all
        # parameters, so a gradient that vanishes (a stationary parameter,
        # where both precisions return rounding noise) does not read as 0 digits
        for f in forms:
            dg = min(agreed_digits(hi.gradient[f], lo.gradient[f]), cap)
            rows = [[Measured(v, dg, e, hi.method, (dps, hi_dps)) for v, e in zip(hv, he)]
                    for hv, he in zip(hi.gradient[f], hi.errors[f])]
            out["gradient"][f] = rows
    return out


def _digits_from_error(value, err) -> int:
    """Digits a randomised rule's error bound leaves a value (0 for a zero value, 15 for a zero error)."""
    if mp.mpf(value) == 0:
        return 0
    return numbers.digits_between(err, value, cap=15)


def uncentred_loss_1d(alphas, beta, dps):
    """L for d = 1 straight from the definition (paper eq. (1)'s shift symmetry), *without* centring.

    ``x ~ N(beta, 1)``, weights from the raw logits ``alpha_i x - alpha_i^2/2``,
    integrand ``(sum_i w_i alpha_i - beta)^2``: an independent route to the
    loss that the shift symmetry says must equal the centred engine's value
    (it deliberately builds its own integrand instead of the centred one of
    :mod:`proofs_check.integrand`).
    """
    prec = Precision(dps)
    with prec.active():
        a = [mp.mpf(v) for v in alphas]
        b = mp.mpf(beta)
        comp = compiled(len(a), 1, "mpmath", ("loss",))
        with mpfr_matching():
            ar, br = [to_mpfr(v) for v in a], to_mpfr(b)
            zero = [gmpy2.mpfr(0)]

        def Fn(x):
            w = model.softmax([ai * x - ai * ai / 2 for ai in ar], gmpy2.exp)
            # the derived loss integrand |sum w y|^2 with y = alpha_i - beta
            return comp.func(zero[0], *[ai - br for ai in ar], *w)

        est = LineRule(a, [-(v * v) / 2 for v in a], prec.tolerance(), center=b).integrate(Fn)
        return est.values[0]


def finite_difference(config: model.Configuration, dps: int, directions=None) -> list:
    """Fourth-order central differences of L along coordinate (or given) directions (checks Lemma B.1).

    ``L'(0) ~ [L(-2h) - 8 L(-h) + 8 L(h) - L(2h)] / (12 h)``
    (:func:`proofs_check.stencils.central_difference`) with truncation
    error ``h^4 L^(5) / 30``.  With ``h = 10^-(dps/4 + 3)`` and L evaluated at
    ``dps + dps/4 + 10`` digits, both the truncation error and the
    cancellation (eps/h) stay near ``10^-(dps+5)`` on the loss's scale.
    Works in the paper's variables a.  Returns one derivative per direction;
    by default the G*d coordinate directions, group-major, of one copy of each
    parameter (a copy of a multiple parameter is split off its group).
    """
    work = dps + dps // 4 + 10
    with working(work):
        A, b = config.scaled()
        h = mp.mpf(10) ** (-(dps // 4 + 3))
        if directions is None:
            directions = stencils.coordinate_directions(len(A), len(b))
        out = []
        for D in directions:
            def L(step, D=D):
                Ap, bp, mult = stencils.move_one_copy(A, b, config.multiplicity, D, step)
                return evaluate(Ap, bp, mult, forms=(), loss=True, rel_tol=mp.mpf(10) ** (-(work - 3))).loss
            out.append(stencils.central_difference(L, h))
        return out
