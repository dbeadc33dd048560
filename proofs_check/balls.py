"""Ball arithmetic (python-flint / Arb) for the derived integrands: certified Gaussian expectations.

Every number here is an Arb ball that provably contains the true value.  The
integrands are the sympy-derived ones (:mod:`proofs_check.symbolic`): the
normalised derived expressions are polynomials in x, y and the weights w
(``E_g`` with ``sum E`` replaced by 1), lambdified with a plain-arithmetic
module mapping so that the same code runs on ``acb`` balls.  The weights are
``w_g = exp(l_g - l_ref) / sum_h exp(l_h - l_ref)`` evaluated in ``acb``
(meromorphic, so :meth:`flint.acb.integral` detects poles by itself).

A Gaussian expectation ``E_{s ~ N(0,1)} F(s)`` of an aligned configuration
(MATH.md 4) is enclosed as

    acb.integral(F(s) phi(s), -R, R)  +/-  sum_j C_j * 2 T_j(R),

where ``F(s) = sum_j c_j(y, w(s)) s^j`` (sympy's ``Poly`` in the explicit x),
``C_j >= |c_j|`` for every weight vector in ``[0, 1]^G`` (an Arb evaluation
with ball weights) and ``T_j(R) = int_R^inf s^j phi`` bounded by Mill's
inequality (Lemma A.2) ``T_0 <= phi(R)/R`` and the exact recurrence
``T_j = R^{j-1} phi(R) + (j-1) T_{j-2}``.  The same coefficient bounds give
``E|F| <= sum_j C_j E|s|^j``, a bound valid for every parameter in a ball
(used for mean-value and finite-difference truncation bounds).

Integer powers go through :func:`_ipow` (python-flint's ``arb ** int`` is nan
on balls touching zero).  The callers set Arb's precision with
:func:`proofs_check.numbers.ball_bits`; nothing here switches it.  The
certificates built on these enclosures are in :mod:`proofs_check.certify`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from sympy.printing.lambdarepr import LambdaPrinter
from flint import acb, arb, ctx, fmpq

from . import symbolic
from .model import Configuration
from .numbers import digits_between, parse_number, to_mpf


# ---------------------------------------------------------------------------
# Exact <-> ball conversions and outward decimal strings
# ---------------------------------------------------------------------------


def ball(q) -> arb:
    """An exact rational (Fraction, int, decimal string) as an Arb ball at the current precision."""
    if isinstance(q, arb):
        return q
    if isinstance(q, str):
        q = symbolic_fraction(q)
    q = Fraction(q)
    return arb(fmpq(q.numerator, q.denominator))


def symbolic_fraction(text: str) -> Fraction:
    """A decimal string as an exact Fraction (:func:`proofs_check.numbers.parse_number`)."""
    return parse_number(text)


def exact_value(x: arb) -> Fraction:
    """The exact binary value of an exact arb (a midpoint or an endpoint)."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def decimal_bound(q: Fraction, digits: int, up: bool) -> str:
    """q rounded outward (up or down) to ``digits`` significant decimals, as a string."""
    if q == 0:
        return "0"
    e = math.floor(math.log10(abs(q.numerator)) - math.log10(q.denominator))
    scale = Fraction(10) ** (digits - 1 - e)
    v = q * scale
    n = math.ceil(v) if up else math.floor(v)
    if n == 0:
        return "0"
    sgn, ds = ("-" if n < 0 else ""), str(abs(n))
    exp = len(ds) - 1 - (digits - 1 - e)
    body = ds[0] + ("." + ds[1:].rstrip("0") if ds[1:].rstrip("0") else "")
    return f"{sgn}{body}e{exp}" if exp else f"{sgn}{body}"


def interval(x: arb, digits: int = 30) -> list:
    """``[lo, hi]`` decimal strings with lo <= x <= hi for every point of the ball."""
    return [decimal_bound(exact_value(x.lower()), digits, False), decimal_bound(exact_value(x.upper()), digits, True)]


def sign(x: arb) -> int:
    """+1 / -1 when the ball excludes zero, else 0 (undecided)."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


def correct_digits(x: arb) -> int:
    """Significant decimal digits guaranteed by the ball: ``floor(-log10(radius / |midpoint|))``.

    An exact ball (radius 0) has Arb's working digits; a ball centred at 0 has none.
    The count is :func:`proofs_check.numbers.digits_between` (uncapped).
    """
    r = x.rad()
    m = abs(x.mid())
    if r == 0:
        return ctx.dps
    if m == 0:
        return 0
    return digits_between(to_mpf(exact_value(arb(r))), to_mpf(abs(exact_value(x.mid()))), cap=_UNCAPPED)


_UNCAPPED = 10 ** 9      # a ball's relative radius puts no ceiling on its digits


# ---------------------------------------------------------------------------
# The derived integrands as Arb functions
# ---------------------------------------------------------------------------

_ALLOWED = (sp.Symbol, sp.Add, sp.Mul, sp.Pow, sp.Integer)


def _check_arith(expr):
    """The normalised derived integrands are polynomials with integer coefficients:
    refuse anything else (a Float or Rational would be evaluated as a Python float)."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Number) and not isinstance(node, sp.Integer):
            raise ValueError(f"derived integrand has a non-integer constant {node}")
        if isinstance(node, sp.Pow) and not (node.exp.is_Integer and node.exp >= 0):
            raise ValueError(f"derived integrand has a non-polynomial power {node}")
        if not isinstance(node, _ALLOWED) and not isinstance(node, sp.Number):
            raise ValueError(f"derived integrand has an unsupported node {type(node).__name__}")


def _ipow(b, n: int):
    """b**n by repeated squaring: python-flint's ``arb ** int`` goes through exp/log and gives nan
    (or a needlessly wide ball) when the ball touches zero."""
    out = None
    while n:
        if n & 1:
            out = b if out is None else out * b
        n >>= 1
        if n:
            b = b * b
    return 1 if out is None else out


class _BallPrinter(LambdaPrinter):
    """Lambdify printer for Arb: integer powers as ``_ipow`` calls (exact ball arithmetic)."""

    def _print_Pow(self, expr, rational=False):
        if expr.exp.is_Integer and expr.exp >= 0:
            return f"_ipow({self._print(expr.base)}, {int(expr.exp)})"
        raise ValueError(f"non-polynomial power {expr}")


_MODULES = [{"_ipow": _ipow}]


def _lambdify(args, expr):
    return sp.lambdify(args, expr, modules=_MODULES, printer=_BallPrinter, cse=True)


@dataclass(frozen=True)
class Component:
    """One derived integrand: ``f(x, *y, *w)`` and its coefficients in the explicit x."""

    name: str
    func: object        # f(x, y..., w...) -> value
    coeffs: tuple       # coeffs[j](y..., w...) = coefficient of x^j


def _expression(G: int, kind: str, g: int, h: int):
    der = symbolic.derive(G, 1)
    if kind == "loss":
        e = der.loss
    elif kind == "stein":
        e = der.stein[g][0]
    elif kind == "pathwise":
        e = der.pathwise[g][0]
    elif kind == "hessian":      # d/dy_h of the Stein form of grad_g: the Hessian entry's integrand
        e = der.D(der.stein[g][0], der.y[h][0])
    elif kind == "third":        # d^2/dy_g^2 of the Stein form of grad_g
        e = der.D(der.D(der.stein[g][0], der.y[g][0]), der.y[g][0])
    else:
        raise ValueError(kind)
    return der, symbolic.normalised(der, e)


@lru_cache(maxsize=None)
def component(G: int, kind: str, g: int = 0, h: int = 0) -> Component:
    """The derived integrand ``kind`` (loss, stein, pathwise, hessian, third) for G groups, d = 1."""
    der, e = _expression(G, kind, g, h)
    _check_arith(e)
    x = der.x[0]
    ys = [row[0] for row in der.y]
    args = [x] + ys + list(der.E)
    func = _lambdify(args, e)
    # coefficients of x^j as j! c_j = d^j F / dx^j at x = 0 (E held fixed: the explicit x only);
    # cheaper than expanding and, unexpanded, they give tighter ball bounds
    coeffs, dj = [], e
    for j in range(8):
        if dj == 0:
            break
        fj = _lambdify(ys + list(der.E), dj.subs(x, 0))
        coeffs.append(_scaled(fj, math.factorial(j)))
        dj = sp.diff(dj, x)
    else:
        raise ValueError(f"{kind}: explicit degree in x above 7")
    return Component(f"{kind}[{g},{h}]", func, tuple(coeffs))


def _scaled(f, k: int):
    return (lambda *a: f(*a) / k) if k != 1 else f


def _weights(s, slopes, icpt):
    """Softmax weights of the logits ``p_g s + q_g`` (acb or arb), shifted by a leading logit."""
    l = [p * s + q for p, q in zip(slopes, icpt)]
    mids = [float((li.real if isinstance(li, acb) else li).mid()) for li in l]
    ref = l[max(range(len(l)), key=lambda i: mids[i])]
    e = [(li - ref).exp() for li in l]
    S = sum(e[1:], e[0])
    return [ei / S for ei in e]


def _tail_moment(j: int, R: arb, phiR: arb) -> arb:
    """Upper bound of ``T_j(R) = int_R^inf s^j phi(s) ds`` (Mill's inequality for T_0)."""
    if j == 0:
        return phiR / R
    if j == 1:
        return phiR
    return R ** (j - 1) * phiR + (j - 1) * _tail_moment(j - 2, R, phiR)


def _abs_moment(j: int) -> arb:
    """``E|s|^j`` for s ~ N(0, 1): 2^{j/2} Gamma((j+1)/2) / sqrt(pi)."""
    return arb(2) ** (arb(j) / 2) * (arb(j + 1) / 2).gamma() / arb.pi().sqrt()


def _coefficient_bounds(comp: Component, y: list) -> list:
    """``C_j >= |c_j(y, w)|`` for every w in [0, 1]^G (and every y in the balls)."""
    wball = [arb(0.5, 0.5)] * len(y)
    return [arb(c(*y, *wball)).abs_upper() for c in comp.coeffs]


def mean_abs_bound(comp: Component, y: list) -> arb:
    """Rigorous upper bound of ``E|F(s)|`` valid for every y in the balls."""
    C = _coefficient_bounds(comp, y)
    return sum((Cj * _abs_moment(j) for j, Cj in enumerate(C)), arb(0))


def _crossings(y: list, logm: list, R: int) -> list:
    """Approximate logit crossings inside (-R, R): just break points (any partition is valid)."""
    pts = set()
    G = len(y)
    for g in range(G):
        for h in range(g + 1, G):
            dp = float((y[g] - y[h]).mid())
            if abs(dp) < 1e-12:
                continue
            q = float((-(y[g] ** 2) / 2 + logm[g] + (y[h] ** 2) / 2 - logm[h]).mid())
            c = -q / dp
            if -R < c < R:
                pts.add(Fraction(c).limit_denominator(10 ** 6))
    pts.add(Fraction(0))
    return sorted(pts)


def expectation(comp: Component, y: list, logm: list, goal_bits: int) -> arb:
    """Certified ``E_{s ~ N(0,1)}[F(s)]`` for the derived integrand ``comp``.

    ``y``: centred parameters (arb balls, d = 1), ``logm``: log multiplicities
    (arb).  The truncated integral's error is Arb's; the tail beyond R is
    bounded via Mill's inequality; the result is an arb ball.
    """
    tol = arb(2) ** (-goal_bits)
    C = _coefficient_bounds(comp, y)
    R = int(math.ceil(math.sqrt(2 * goal_bits * math.log(2)))) + 2
    while True:
        Rb = arb(R)
        phiR = (-(Rb ** 2) / 2).exp() / (2 * arb.pi()).sqrt()
        tail = sum((Cj * 2 * _tail_moment(j, Rb, phiR) for j, Cj in enumerate(C)), arb(0))
        if not tail.is_finite():
            raise ArithmeticError(f"{comp.name}: no finite bound on the integrand's coefficients")
        if tail < tol / 16:
            break
        R += 1
    tail_u = tail.abs_upper()
    slopes = [acb(v) for v in y]
    icpt = [acb(-(v ** 2) / 2 + lm) for v, lm in zip(y, logm)]
    norm = 1 / (2 * arb.pi()).sqrt()
    yargs = [acb(v) for v in y]

    def f(s, analytic):
        w = _weights(s, slopes, icpt)
        return comp.func(s, *yargs, *w) * (-(s * s) / 2).exp() * norm

    pts = [Fraction(-R)] + _crossings(y, logm, R) + [Fraction(R)]
    total = acb(0)
    for a, b in zip(pts[:-1], pts[1:]):
        total += acb.integral(f, ball(a), ball(b), rel_tol=tol, abs_tol=tol / 8)
    re = total.real
    return re + arb(0, tail_u)


# ---------------------------------------------------------------------------
# Aligned configurations
# ---------------------------------------------------------------------------


def aligned_inputs(params, truth, t="0", multiplicity=None):
    """(y, logm, mult) as arb balls for a d = 1 configuration: ``y_g = e^{-t}(mu_g - mu*)``."""
    cfg = Configuration.make(params, truth, t, multiplicity)
    if cfg.d != 1:
        raise ValueError("the certified engine handles d = 1 configurations (aligned, as reduced)")
    s = (-ball(cfg.t)).exp() if cfg.t else arb(1)
    y = [s * (ball(row[0]) - ball(cfg.truth[0])) for row in cfg.params]
    logm = [arb(m).log() for m in cfg.multiplicity]
    return y, logm, list(cfg.multiplicity)


def loss_and_gradient(y, logm, mult, goal_bits, forms=("stein",)):
    """Certified L and per-copy gradients (w.r.t. the paper's a) for an aligned d = 1 configuration."""
    G = len(y)
    out = {"loss": expectation(component(G, "loss"), y, logm, goal_bits)}
    for form in forms:
        out[form] = [expectation(component(G, form, g), y, logm, goal_bits) / mult[g] for g in range(G)]
    return out
