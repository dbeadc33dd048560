"""The time-averaged score-matching loss and its gradient (issue 15; the reviews' question).

``L_avg(mu) = integral lambda(t) L_t(e^-t mu; e^-t mu*) dt`` over the unscaled parameters mu,
shared by every noise level, with a :class:`~proofs_check.weighting.Weighting` lambda.  By the
derivation in :mod:`proofs_check.time_average_derivation` (sympy, through ``a = e^-t mu``),

    grad_mu L_avg = integral lambda(t) J1(t) grad_a L_t dt,   Hess_mu L_avg = integral lambda(t) J2(t) Hess_a L_t dt,

with the derived ``J1 = e^-t``, ``J2 = e^-2t``.  The t-integral is a Gauss-Legendre rule
(:meth:`Weighting.nodes`) around the fixed-t engine at each node:

- ``inner="line"`` (default): :func:`proofs_check.gradient.evaluate` (the line rule when the
  configuration is aligned: exact to the working precision; planar / QMC otherwise);
- ``inner="grid"``: :func:`proofs_check.general.grid_evaluate` (float64, fixed rule), for long
  float64 gradient-descent runs.

:class:`TimeAveraged` is an evaluator (the signature of :func:`proofs_check.gradient.evaluate`)
for the objectives registry and the dynamics engine; its inputs ``A, b`` are the unscaled mu and
mu* (a configuration at t = 0).  :func:`converged` is the exact value: the node count raised
until the rule agrees with the previous one to the working digits, at two precisions, each with
its t-error.  :func:`finite_difference` checks the gradient; :func:`hessian_aligned` and
:func:`along_line` serve Theorem 3.1's construction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from mpmath import mp

from . import general, gradient, hessian, model, stencils
from .errors import InputError, PrecisionError
from .numbers import Measured, Precision, agreed_digits, as_precision, to_mpf, working
from .time_average_derivation import factors
from .weighting import Weighting

INNER = {"line": gradient.evaluate, "grid": general.grid_evaluate}
START_COUNT = 8          # first node count tried by :func:`converged`
GROWTH = 1.5             # node-count growth factor between two tries
MAX_COUNT = 400


@dataclass(frozen=True)
class TimeAveraged:
    """The time-averaged objective as an evaluator: ``weighting``, ``count`` t-nodes, ``inner`` fixed-t engine.

    Called like :func:`proofs_check.gradient.evaluate` with the UNSCALED parameters mu and truth
    mu*; returns a :class:`proofs_check.gradient.Evaluation` of L_avg and grad_mu L_avg (per copy).
    ``count=None`` (default): the node count is raised by GROWTH from START_COUNT until two
    successive rules agree to ``rel_tol`` (:func:`adaptive`), so the t-rule's error stays below
    the precision asked for; a fixed count is cheaper (long float64 runs) and its error is the
    caller's to measure.
    """

    weighting: Weighting
    count: int | None = None
    inner: str = "line"
    unscaled = True    # takes mu at t = 0 (objectives.check_noise_level refuses another t)

    def __post_init__(self):
        if self.inner not in INNER:
            raise InputError(f"time-averaged objective: inner {self.inner!r}; choose from {', '.join(INNER)}")
        if self.count is not None and (not isinstance(self.count, int) or self.count < 1):
            raise InputError(f"time-averaged objective: count must be a positive whole number, got {self.count!r}")

    def __call__(self, A, b, multiplicity=None, forms=("stein",), loss=True, rel_tol=None, backend="mpmath",
                 qmc_points=14, seed=0) -> gradient.Evaluation:
        """L_avg and its gradient at (A, b) = (mu, mu*) (the evaluator signature of gradient.evaluate)."""
        if self.count is None:
            return adaptive(A, b, multiplicity, self.weighting, forms, loss, rel_tol, backend, qmc_points, seed,
                            self.inner)[0]
        return evaluate(A, b, multiplicity, self.weighting, self.count, forms, loss, rel_tol, backend,
                        qmc_points, seed, self.inner)


def _is_float64(A, backend, inner) -> bool:
    return backend == "float64" or inner == "grid" or any(isinstance(v, float) for row in A for v in row)


def evaluate(A, b, multiplicity, weighting: Weighting, count: int, forms=("stein",), loss=True, rel_tol=None,
             backend="mpmath", qmc_points=14, seed=0, inner="line") -> gradient.Evaluation:
    """``sum_j w_j (L_{t_j}, J1(t_j) grad_a L_{t_j})`` at ``a = e^-t_j mu``: the count-node rule in t.

    mpmath at the current precision, or float64 when ``backend='float64'``, ``inner='grid'`` or
    the parameters are Python floats.  Errors: the weighted sum of the inner rule's errors (the
    t-rule's own error is measured by :func:`converged`).
    """
    J1 = factors()[0]
    fn = INNER[inner]
    G, d = len(A), len(b)
    if _is_float64(A, backend, inner):
        ts, ws = weighting.nodes(20, count)
        nodes = [(float(t), float(w), float(J1(t))) for t, w in zip(ts, ws)]
        scale = math.exp
        zero = 0.0
    else:
        ts, ws = weighting.nodes(int(mp.dps), count)
        nodes = [(+t, +w, +J1(t)) for t, w in zip(ts, ws)]
        scale = mp.exp
        zero = mp.zero
    L, Lerr, evals = zero, zero, 0
    grad = {f: [[zero] * d for _ in range(G)] for f in forms}
    gerr = {f: [[zero] * d for _ in range(G)] for f in forms}
    method = ""
    k = 0
    for t, w, j1 in nodes:
        e = scale(-t)
        ev = fn([[e * v for v in row] for row in A], [e * v for v in b], multiplicity, forms=forms, loss=loss,
                rel_tol=rel_tol, backend=backend, qmc_points=qmc_points, seed=seed)
        if loss:
            L += w * ev.loss
            Lerr += w * abs(ev.loss_error)
        for f in forms:
            for g in range(G):
                for c in range(d):
                    grad[f][g][c] += w * j1 * ev.gradient[f][g][c]
                    gerr[f][g][c] += w * j1 * abs(ev.errors[f][g][c])
        evals += ev.evaluations
        method, k = ev.method, max(k, ev.k)
    return gradient.Evaluation(L if loss else None, Lerr if loss else None, grad, gerr,
                               f"{count}-node Gauss-Legendre in t ({weighting.describe()}) around: {method}", k,
                               evals, {"t_nodes": count, "weighting": weighting.describe()})


# -- the exact value: node count raised until converged, at two precisions -----------------------
@dataclass(frozen=True)
class TimeAveragedValue:
    """L_avg and grad_mu L_avg (stein form, per copy, group-major) at two precisions.

    ``counts``: the t-node counts at which the rule converged at the lower and higher
    precision; ``t_errors``: |last - previous rule| there (loss and largest gradient component).
    """

    loss: Measured
    gradient: tuple          # Measured per coordinate, group-major
    counts: tuple            # (lower precision, higher precision)
    t_errors: tuple          # ((loss, gradient) at lower, (loss, gradient) at higher)
    method: str


def _unscaled(config: model.Configuration):
    if config.t != 0:
        raise InputError("the time-averaged loss takes the unscaled parameters mu: give the configuration at t = 0 "
                         f"(got t = {config.t}); its noise levels come from the weighting")
    return [[to_mpf(v) for v in row] for row in config.params], [to_mpf(v) for v in config.truth]


def adaptive(A, b, multiplicity, weighting: Weighting, forms=("stein",), loss=True, rel_tol=None,
             backend="mpmath", qmc_points=14, seed=0, inner="line", start: int = START_COUNT):
    """``(Evaluation, count, (loss t-error, gradient t-error))``: nodes raised by GROWTH until converged.

    Converged: the loss and every gradient form (against its largest component) agree with the
    previous rule's to ``rel_tol`` (default the working precision; 1e-13 in float64).
    """
    f64 = _is_float64(A, backend, inner)
    tol = 1e-13 if f64 else (mp.mpf(10) ** (-(mp.dps - 2)) if rel_tol is None else mp.mpf(rel_tol))
    count, prev = start, None
    while count <= MAX_COUNT:
        ev = evaluate(A, b, multiplicity, weighting, count, forms, loss, rel_tol, backend, qmc_points, seed, inner)
        cur = ([ev.loss] if loss else []), [ev.flat_gradient(f) for f in forms]
        if prev is not None:
            dl = abs(cur[0][0] - prev[0][0]) if loss else 0
            ok = (not loss) or dl <= tol * abs(cur[0][0])
            dg = 0
            for new, old in zip(cur[1], prev[1]):
                diff = max([abs(x - y) for x, y in zip(new, old)] + [0 * tol])
                dg = max(dg, diff)
                ok = ok and diff <= tol * max([abs(x) for x in new] + [0 * tol])
            if ok:
                ev.info["t_nodes"] = count
                return ev, count, (dl, dg)
        prev = cur
        count = int(math.ceil(count * GROWTH))
    raise PrecisionError(f"time-averaged rule not converged to a relative {tol} with {MAX_COUNT} t-nodes "
                         f"({weighting.describe()})")


def converged_rule(config: model.Configuration, weighting: Weighting, prec: Precision, start: int = START_COUNT):
    """:func:`adaptive` at ``prec`` for a configuration (t = 0: its params are the unscaled mu), to ``prec.dps`` digits."""
    with prec.active():
        A, b = _unscaled(config)
        return adaptive(A, b, config.multiplicity, weighting, ("stein",), True, prec.tolerance(), start=start)


def converged(config: model.Configuration, weighting: Weighting, dps: "Precision | int") -> TimeAveragedValue:
    """The exact L_avg and gradient: :func:`converged_rule` at ``dps`` and at its higher precision, agreed digits."""
    prec = as_precision(dps)
    hi_prec = prec.higher()
    lo, n_lo, e_lo = converged_rule(config, weighting, prec)
    hi, n_hi, e_hi = converged_rule(config, weighting, hi_prec)
    with hi_prec.active():
        L = Measured(hi.loss, min(agreed_digits(hi.loss, lo.loss), prec.dps), hi.loss_error + e_hi[0], hi.method,
                     (prec.dps, hi_prec.dps))
        gd = min(agreed_digits(hi.flat_gradient(), lo.flat_gradient()), prec.dps)
        G = tuple(Measured(v, gd, e_hi[1], hi.method, (prec.dps, hi_prec.dps)) for v in hi.flat_gradient())
    return TimeAveragedValue(L, G, (n_lo, n_hi), (e_lo, e_hi), hi.method)


def finite_difference(config: model.Configuration, weighting: Weighting, count: int, dps: int) -> list:
    """Fourth-order central differences of the count-node L_avg along each coordinate of one copy per group.

    The same t-rule as the gradient it checks (so the check is independent of the t-rule's
    error); step ``h = 10^-(dps/4 + 3)`` at ``dps + dps/4 + 10`` digits, as
    :func:`proofs_check.gradient.finite_difference`.
    """
    work = dps + dps // 4 + 10
    with working(work):
        A, b = _unscaled(config)
        h = mp.mpf(10) ** (-(dps // 4 + 3))
        out = []
        for D in stencils.coordinate_directions(len(A), len(b)):
            def L(step, D=D):
                Ap, bp, mult = stencils.move_one_copy(A, b, config.multiplicity, D, step)
                return evaluate(Ap, bp, mult, weighting, count, (), True, mp.mpf(10) ** (-(work - 3))).loss
            out.append(stencils.central_difference(L, h))
        return out


def gradient_at(config: model.Configuration, weighting: Weighting, count: int, dps: int) -> list:
    """The count-node grad_mu L_avg (stein form, per copy, group-major) at ``dps`` digits (what FD checks)."""
    prec = Precision(dps)
    with prec.active():
        A, b = _unscaled(config)
        return evaluate(A, b, config.multiplicity, weighting, count, ("stein",), False,
                        prec.tolerance()).flat_gradient()


# -- Theorem 3.1's construction ----------------------------------------------------------------
def along_line(s, m: int, weighting: Weighting, count: int, rel_tol=None) -> tuple:
    """``(L_avg, dL_avg/ds, d^2L_avg/ds^2)`` for ``mu - mu* = (0 [x m], s, -s)``, current precision.

    ``sum_j w_j (phi, J1 phi', J2 phi'')(e^-t_j s)`` with ``phi`` the fixed-t family
    (:func:`proofs_check.hessian.along_r`) and the derived J1, J2.
    """
    J1, J2 = factors()
    ts, ws = weighting.nodes(int(mp.dps), count)
    out = [mp.zero, mp.zero, mp.zero]
    for t, w in zip(ts, ws):
        L, d1, d2 = hessian.along_r(mp.exp(-t) * s, m, rel_tol)
        out[0] += w * L
        out[1] += w * J1(t) * d1
        out[2] += w * J2(t) * d2
    return tuple(out)


def hessian_aligned(alpha, multiplicity, weighting: Weighting, count: int, rel_tol=None) -> dict:
    """Hessian blocks of L_avg at ``mu_g - mu* = alpha_g u`` (per copy): ``sum_j w_j J2(t_j) H(e^-t_j alpha)``.

    ``{"parallel", "orthogonal"}``: n x n mpmath matrices (:func:`proofs_check.hessian.aligned` per node).
    """
    J2 = factors()[1]
    ts, ws = weighting.nodes(int(mp.dps), count)
    out = {}
    for t, w in zip(ts, ws):
        e = mp.exp(-t)
        H = hessian.aligned([e * mp.mpf(a) for a in alpha], multiplicity, rel_tol)
        for key in ("parallel", "orthogonal"):
            term = H[key] * (w * J2(t))
            out[key] = term if key not in out else out[key] + term
    return out


def objective(weighting: Weighting, count: int | None = None, inner: str = "line") -> TimeAveraged:
    """A :class:`TimeAveraged` evaluator (for :func:`proofs_check.objectives.register`)."""
    return TimeAveraged(weighting, count, inner)


__all__ = ["GROWTH", "INNER", "MAX_COUNT", "START_COUNT", "TimeAveraged", "TimeAveragedValue", "adaptive", "along_line",
           "converged", "converged_rule", "evaluate", "finite_difference", "gradient_at", "hessian_aligned",
           "objective"]
