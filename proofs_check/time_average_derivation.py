"""The sympy derivation of the time-averaged loss's gradient and Hessian (issue 15; the reviews' question).

The time-averaged loss over the unscaled parameters mu (shared by every noise level) is

    L_avg(mu) = integral lambda(t) L_t(e^-t mu; e^-t mu*) dt,

and, centred at the truth (paper eq. (1)'s shift symmetry), its integrand at one noise level is the
derived loss integrand ``|v|^2`` of :func:`proofs_check.symbolic.derive` at ``y = a(m) = e^-t m``
with ``m = mu - mu*``.  Derivation, with :func:`proofs_check.symbolic.total_derivative` (the one
chain rule) through the parametrisation ``a(m)`` and through every exponential ``E_h``:

1. ``J1 = d a / d m`` (sympy differentiates the parametrisation ``a(m) = exp(-t) m``);
2. ``D_m |v|^2 = sum_c (d|v|^2/dy_c + sum_h d|v|^2/dE_h dE_h/dy_c) * J1``: sympy decides
   exactly (:func:`proofs_check.symbolic.is_zero`) that it equals ``J1 * pathwise`` at ``y = a(m)``,
   so the Stein form follows by linearity (Stein's lemma acts on x only):
   ``grad_m L_t(a(m)) = J1 * grad_a L_t``;
3. ``J2``: the second derivative of ``f(a(m))`` for an undefined f is ``J2 f''(a(m))``
   (``a`` is linear in m), so the Hessian is ``J2 * Hess_a L_t``.

Hence ``grad_mu L_avg = integral lambda(t) J1(t) grad_a L_t dt`` and
``Hess_mu L_avg = integral lambda(t) J2(t) Hess_a L_t dt``; :func:`factors` returns J1, J2
lambdified for mpmath (the derived expressions, not hand-written ones) and :func:`verify`
the exact checks.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .symbolic import derive, is_zero, total_derivative

T = sp.Symbol("t", nonnegative=True)


def parametrisation(m):
    """The paper's scaled variable ``a = e^-t m`` as a sympy expression of the unscaled ``m``."""
    return sp.exp(-T) * m


@lru_cache(maxsize=None)
def jacobians() -> tuple:
    """``(J1, J2)`` as sympy expressions of t: ``d a/d m`` and ``d^2 f(a(m))/d m^2 / f''(a)``."""
    m = sp.Symbol("m", real=True)
    a = parametrisation(m)
    J1 = sp.diff(a, m)
    f = sp.Function("f")
    second = sp.diff(f(a), m, 2)
    J2 = sp.simplify(second / sp.Subs(sp.Derivative(f(sp.Symbol("z")), sp.Symbol("z"), 2),
                                      sp.Symbol("z"), a).doit())
    return sp.simplify(J1), J2


def unscaled_gradient(G: int, k: int) -> tuple:
    """``D_m |v|^2`` for every group g and coordinate c, through ``y = a(m)`` and every ``E_h``.

    Returns ``(der, m, grad)``: the fixed-t derivation, the unscaled symbols ``m[g][c]`` and
    the derived pathwise integrand with respect to them, at ``y = a(m)``.
    """
    der = derive(G, k)
    m = tuple(tuple(sp.Symbol(f"m{g}_{c}", real=True) for c in range(k)) for g in range(G))
    at = {der.y[g][c]: parametrisation(m[g][c]) for g in range(G) for c in range(k)}
    grad = []
    for g in range(G):
        row = []
        for c in range(k):
            dy = sp.diff(parametrisation(m[g][c]), m[g][c])
            # d y_{g,c} / d m_{g,c} and d E_h / d m_{g,c} = (d E_h / d y_{g,c}) (d y_{g,c} / d m_{g,c})
            deps = [(der.y[g][c], dy)] + [(Eh, der._dE(h, der.y[g][c]) * dy) for h, Eh in enumerate(der.E)]
            row.append(total_derivative(der.loss, m[g][c], deps))
        grad.append(tuple(e.subs(at, simultaneous=True) for e in row))
    return der, m, tuple(grad)


def verify(G: int = 3, k: int = 1) -> dict:
    """Decide exactly: ``D_m |v|^2 == J1 * pathwise`` at ``y = a(m)`` (every g, c), and J1, J2 as derived.

    Returns named booleans: ``chain_rule`` (step 2), ``J1_is_exp`` (J1 = e^-t), ``J2_is_J1_squared`` (a linear parametrisation).
    """
    der, m, grad = unscaled_gradient(G, k)
    J1, J2 = jacobians()
    at = {der.y[g][c]: parametrisation(m[g][c]) for g in range(G) for c in range(k)}
    ok = all(is_zero(grad[g][c] - J1 * der.pathwise[g][c].subs(at, simultaneous=True))
             for g in range(G) for c in range(k))
    return {"chain_rule": ok,
            "J1_is_exp": is_zero(J1 - sp.exp(-T)),
            "J2_is_J1_squared": is_zero(J2 - J1 ** 2)}


@lru_cache(maxsize=None)
def factors() -> tuple:
    """``(J1(t), J2(t))`` lambdified for mpmath from the derived expressions (:func:`jacobians`)."""
    J1, J2 = jacobians()
    return sp.lambdify(T, J1, modules="mpmath"), sp.lambdify(T, J2, modules="mpmath")


__all__ = ["T", "factors", "jacobians", "parametrisation", "unscaled_gradient", "verify"]
