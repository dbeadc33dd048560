"""Certified results with ball arithmetic (python-flint / Arb): issue #7.

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
inequality ``T_0 <= phi(R)/R`` and the exact recurrence
``T_j = R^{j-1} phi(R) + (j-1) T_{j-2}``.  The same coefficient bounds give
``E|F| <= sum_j C_j E|s|^j``, a bound valid for every parameter in a ball
(used for mean-value and finite-difference truncation bounds).

Certificates (:func:`certifiers`, :func:`certify`):

- ``thm3.1``: d = 1, n = 3, b = 0, ``a = (0, r, -r)``.  An interval
  ``[r_lo, r_hi]`` of width <= 1e-20 with ``dL/dr(r_lo) > 0 > dL/dr(r_hi)``
  certified (``dL/dr = grad_{a_2} - grad_{a_3}``, both components integrated,
  no symmetry assumed), so a stationary point r* of L(r) lies inside; then a
  certified lower bound of L on the whole interval (integrals with r as a ball
  covering it), the certified gradient there (all three components), and the
  3x3 Hessian in (a_1, a_2, a_3) with entries ``E[D(stein_g, y_h)]``
  (sympy differentiates the derived Stein integrand once more with the chain
  rule ``Derivation.D``), r again a ball covering the interval.  Eigenvalue
  signs by Sylvester's law of inertia: ``M = V^T H V`` with an exact rational
  approximately orthogonal V (det V != 0 exactly), and Gershgorin discs of M
  that exclude 0; eigenvalue enclosures from Arb's ``acb_mat.eig``.
- ``lemB.1``: at aligned sample points, the pathwise and Stein enclosures of
  every gradient component overlap, and the central difference
  ``(L(y + h e_g) - L(y - h e_g)) / 2h`` enclosed plus its truncation bound
  ``h^2/6 sup |d^3 L / dy_g^3|`` (third-derivative integrand derived by sympy,
  bounded on the ball ``[y_g - h, y_g + h]``) contains both.

:func:`crosscheck` compares Arb with the suite's mpmath engine
(:func:`proofs_check.gradient.measured`) on every aligned quantity it reports.
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from sympy.printing.lambdarepr import LambdaPrinter
from flint import acb, acb_mat, arb, arb_mat, ctx, fmpq, fmpq_mat

from . import symbolic

# ---------------------------------------------------------------------------
# Certificate
# ---------------------------------------------------------------------------


@dataclass
class Certificate:
    """A certified result: ``ok`` only when every inequality was proved by ball arithmetic."""

    claim_id: str
    ok: bool
    summary: str
    enclosures: dict = field(default_factory=dict)   # name -> [lo, hi] (decimal strings, outward rounded)
    checks: dict = field(default_factory=dict)       # name -> bool (each proved inequality)
    notes: list = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)


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
    from .numbers import parse_number
    return parse_number(text)


def _exact(x: arb) -> Fraction:
    """The exact binary value of an exact arb (a midpoint or an endpoint)."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def _dec(q: Fraction, digits: int, up: bool) -> str:
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
    return [_dec(_exact(x.lower()), digits, False), _dec(_exact(x.upper()), digits, True)]


def sign(x: arb) -> int:
    """+1 / -1 when the ball excludes zero, else 0 (undecided)."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


def correct_digits(x: arb) -> int:
    """Significant decimal digits guaranteed by the ball (relative radius)."""
    r = x.rad()
    m = abs(x.mid())
    if r == 0:
        return ctx.dps
    if m == 0:
        return 0
    return max(0, int(math.floor(-float((arb(r) / m).log() / arb(10).log()))))


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
    from .model import Configuration
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


# ---------------------------------------------------------------------------
# thm3.1
# ---------------------------------------------------------------------------

THM31_GOAL_BITS = 110        # ~33 digits: enough to sign dL/dr ~ 1e-21 at the bracket's ends
HALF_WIDTH = Fraction(1, 2 * 10 ** 20)


def _thm31_y(r):
    return [arb(0), r, -r]


def thm31_derivative(r, goal_bits=THM31_GOAL_BITS):
    """Certified ``(dL/dr, grad_1, grad_2, grad_3)`` at ``a = (0, r, -r)``; r an arb ball."""
    with ctx.workprec(goal_bits + 30):
        y = _thm31_y(ball(r))
        logm = [arb(0)] * 3
        g = [expectation(component(3, "stein", k), y, logm, goal_bits) for k in range(3)]
        return g[1] - g[2], g


def locate_rstar(dps: int = 40):
    """r* (the maximiser of L(0, r, -r)) by mpmath: a grid then findroot on dL/dr via gradient.evaluate."""
    import mpmath
    from mpmath import mp

    from . import gradient
    from .numbers import working

    def dLdr(r):
        ev = gradient.evaluate([[mp.zero], [r], [-r]], [mp.zero], forms=("stein",), loss=False,
                               rel_tol=mp.mpf(10) ** (-(mp.dps - 3)))
        return ev.gradient["stein"][1][0] - ev.gradient["stein"][2][0]

    with working(15):
        grid = [mp.mpf(k) / 4 for k in range(1, 25)]
        vals = [dLdr(r) for r in grid]
        start = None
        for r0, r1, v0, v1 in zip(grid, grid[1:], vals, vals[1:]):
            if v0 > 0 > v1:
                start = (r0, r1)
                break
    if start is None:
        raise RuntimeError("no sign change of dL/dr on (0, 6]")
    with working(dps):
        r = mpmath.findroot(dLdr, (mp.mpf(start[0]), mp.mpf(start[1])), solver="anderson")
        from .numbers import mpf_to_fraction
        return mpf_to_fraction(r)


@lru_cache(maxsize=4)
def rstar_approx() -> Fraction:
    """r* rounded to 30 decimals (a rational: the certified bracket is built around it)."""
    r = locate_rstar(40)
    return Fraction(round(r * 10 ** 30), 10 ** 30)


def certify_bracket(r_lo, r_hi, goal_bits=THM31_GOAL_BITS) -> tuple:
    """Proved sign change of dL/dr on [r_lo, r_hi]? Returns (ok, d_lo, d_hi)."""
    d_lo, _ = thm31_derivative(Fraction(r_lo), goal_bits)
    d_hi, _ = thm31_derivative(Fraction(r_hi), goal_bits)
    ok = (sign(d_lo) * sign(d_hi)) == -1
    return ok, d_lo, d_hi


def _hessian_signs(H: list) -> dict:
    """Signs of the eigenvalues of a symmetric 3x3 arb matrix (Sylvester + Gershgorin)."""
    import mpmath
    n = len(H)
    mid = mpmath.matrix([[mpmath.mpf(float(H[i][j].mid())) for j in range(n)] for i in range(n)])
    ev, Q = mpmath.eigsy(mid)
    # exact rational, approximately orthogonal congruence
    V = [[Fraction(float(Q[i, j])).limit_denominator(10 ** 12) for j in range(n)] for i in range(n)]
    detV = fmpq_mat([[fmpq(v.numerator, v.denominator) for v in row] for row in V]).det()
    Va = arb_mat([[ball(v) for v in row] for row in V])
    Ha = arb_mat([[H[i][j] for j in range(n)] for i in range(n)])
    M = Va.transpose() * Ha * Va
    discs, signs, ok = [], [], detV != 0
    for i in range(n):
        rad = sum((abs(M[i, j]) for j in range(n) if j != i), arb(0))
        disc = M[i, i] + arb(0, rad.abs_upper())
        discs.append(disc)
        s = sign(disc)
        signs.append(s)
        ok &= s != 0
    try:
        eig = acb_mat(Ha).eig(algorithm="rump")
        eig = sorted((e.real for e in eig), key=lambda x: float(x.mid()))
    except Exception:   # noqa: BLE001  (Arb refuses when it cannot isolate: fall back to discs)
        eig = None
    return {"ok": bool(ok), "signs": sorted(signs), "discs": discs, "eig": eig,
            "negative": signs.count(-1), "positive": signs.count(1)}


def certify_thm31(goal_bits: int = THM31_GOAL_BITS) -> Certificate:
    t0 = time.perf_counter()
    rs = rstar_approx()
    r_lo, r_hi = rs - HALF_WIDTH, rs + HALF_WIDTH
    ok_br, d_lo, d_hi = certify_bracket(r_lo, r_hi, goal_bits)
    enc = {"r_lo (exact)": [_dec(r_lo, 35, False), _dec(r_lo, 35, True)],
           "r_hi (exact)": [_dec(r_hi, 35, False), _dec(r_hi, 35, True)],
           "dL/dr(r_lo)": interval(d_lo, 8), "dL/dr(r_hi)": interval(d_hi, 8)}
    checks = {"dL/dr(r_lo) > 0": bool(d_lo > 0), "dL/dr(r_hi) < 0": bool(d_hi < 0),
              "width <= 1e-20": (r_hi - r_lo) <= Fraction(1, 10 ** 20)}
    # the whole interval as one ball: L, the gradient and the Hessian hold for every r in it
    with ctx.workprec(goal_bits + 30):
        rb = ball((r_lo + r_hi) / 2) + arb(0, ball(HALF_WIDTH))
        y = _thm31_y(rb)
        logm = [arb(0)] * 3
        L = expectation(component(3, "loss"), y, logm, 70)
        grads = [expectation(component(3, "stein", k), y, logm, 70) for k in range(3)]
        H = [[expectation(component(3, "hessian", g, h), y, logm, 60) for h in range(3)] for g in range(3)]
        sym_ok = all(H[g][h].overlaps(H[h][g]) for g in range(3) for h in range(3))
        Hs = [[H[g][h].intersection(H[h][g]) if sym_ok else H[g][h] for h in range(3)] for g in range(3)]
        hs = _hessian_signs(Hs)
    checks["L > 0 on the interval"] = bool(L > 0)
    checks["Hessian enclosure symmetric (H_gh overlaps H_hg)"] = bool(sym_ok)
    checks["every Hessian eigenvalue sign certified"] = hs["ok"]
    enc["L on [r_lo, r_hi]"] = interval(L, 25)
    for k in range(3):
        enc[f"grad_a{k + 1} on [r_lo, r_hi]"] = interval(grads[k], 8)
    for g in range(3):
        for h in range(g, 3):
            enc[f"H[a{g + 1},a{h + 1}]"] = interval(Hs[g][h], 15)
    if hs["eig"] is not None:
        for i, e in enumerate(hs["eig"]):
            enc[f"Hessian eigenvalue {i + 1}"] = interval(e, 15)
    for i, dsc in enumerate(hs["discs"]):
        enc[f"Gershgorin disc {i + 1} of V^T H V"] = interval(dsc, 10)
    ok = all(checks.values())
    kind = {(0, 3): "a local minimum", (3, 0): "a local maximum"}.get(
        (hs["negative"], hs["positive"]), f"a saddle ({hs['positive']} positive, {hs['negative']} negative)")
    summary = (f"dL/dr changes sign on [r_lo, r_hi] (width {float(r_hi - r_lo):.1e}), so a stationary point r* "
               f"with L >= {interval(L, 12)[0]} > 0 lies inside (there grad_a1 = 0 and grad_a2 = -grad_a3 by the "
               f"mirror symmetry, so every gradient vanishes); Hessian signs {hs['signs']} in "
               f"(a1, a2, a3), d = 1: {kind}" if ok else
               "NOT certified: " + ", ".join(k for k, v in checks.items() if not v))
    notes = ["dL/dr = grad_a2 - grad_a3 (both integrated; no symmetry used)",
             "Hessian entries E[D(stein_g, y_h)], sympy-derived; signs by Sylvester's law of inertia with "
             "an exact rational congruence and Gershgorin discs",
             f"integration goal 2^-{goal_bits} for dL/dr at the ends, 2^-60 for the Hessian, "
             "2^-70 for L and the gradient over the interval"]
    return Certificate("thm3.1", ok, summary, enc, checks, notes, round(time.perf_counter() - t0, 2))


# ---------------------------------------------------------------------------
# lemB.1
# ---------------------------------------------------------------------------

LEMB1_POINTS = [
    ("example", ["0.3", "-1.1", "2.0"], "0.7", "0"),
    ("far apart, t = 0.5", ["4", "-3", "0.25"], "1.5", "0.5"),
]
LEMB1_H = Fraction(1, 10 ** 14)


def certify_lemB1(goal_bits: int = 120, points=None) -> Certificate:
    t0 = time.perf_counter()
    enc, checks = {}, {}
    h = LEMB1_H
    for name, params, truth, t in (points or LEMB1_POINTS):
        with ctx.workprec(goal_bits + 30):
            y, logm, mult = aligned_inputs(params, truth, t)
            G = len(y)
            res = loss_and_gradient(y, logm, mult, goal_bits, forms=("stein", "pathwise"))
            hb = ball(h)
            for g in range(G):
                st, pw = res["stein"][g], res["pathwise"][g]
                yp = list(y); yp[g] = y[g] + hb
                ym = list(y); ym[g] = y[g] - hb
                Lp = expectation(component(G, "loss"), yp, logm, goal_bits)
                Lm = expectation(component(G, "loss"), ym, logm, goal_bits)
                cd = (Lp - Lm) / (2 * hb)
                yb = list(y); yb[g] = y[g] + arb(0, hb)
                third = mean_abs_bound(component(G, "third", g), yb)
                trunc = (hb ** 2 / 6 * third).abs_upper()
                fd = cd + arb(0, trunc)
                key = f"{name}: grad_a{g + 1}"
                enc[f"{key} Stein"] = interval(st, 30)
                enc[f"{key} pathwise"] = interval(pw, 30)
                enc[f"{key} central difference (+ truncation)"] = interval(fd, 26)
                checks[f"{key}: Stein and pathwise overlap"] = bool(st.overlaps(pw))
                checks[f"{key}: FD enclosure contains Stein"] = bool(fd.contains(st))
                checks[f"{key}: FD enclosure contains pathwise"] = bool(fd.contains(pw))
    ok = all(checks.values())
    summary = ("at every sample point the pathwise and Stein enclosures of each gradient component overlap and "
               "lie inside a certified central-difference enclosure (h = 1e-14, truncation h^2/6 sup|L'''|)"
               if ok else "NOT certified: " + ", ".join(k for k, v in checks.items() if not v))
    notes = ["sup|L'''| bounded by E|D^2 stein_g| with the weights in [0, 1] and y_g in [y_g - h, y_g + h]"]
    return Certificate("lemB.1", ok, summary, enc, checks, notes, round(time.perf_counter() - t0, 2))


# ---------------------------------------------------------------------------
# arb against mpmath
# ---------------------------------------------------------------------------

CROSS_CONFIGS = [
    ("example", ["0.3", "-1.1", "2.0"], "0.7", "0", None),
    ("split 1e-30, multiplicity", ["0.5", "0.5000000000000000000000000000001", "-0.8"], "0", "0", [2, 1, 1]),
    ("far apart, t = 0.5", ["4", "-3", "0.25"], "1.5", "0.5", None),
    ("thm3.1 shape r = 1", ["0", "1", "-1"], "0", "0", None),
]


def compare(cfg_args, dps: int) -> dict:
    """Arb enclosures against gradient.measured at ``dps``: does each mpmath value lie within the
    ball widened by mpmath's claimed digits (on the vector's scale, as agreed_digits counts)?"""
    from mpmath import mp

    from . import gradient
    from .model import Configuration
    name, params, truth, t, mult = cfg_args
    cfg = Configuration.make(params, truth, t, mult)
    m = gradient.measured(cfg, dps, forms=("stein", "pathwise"))
    bits = int(dps * 3.33) + 20
    with ctx.workprec(bits + 30):
        y, logm, mu = aligned_inputs(params, truth, t, mult)
        a = loss_and_gradient(y, logm, mu, bits, forms=("stein", "pathwise"))
    rows, ok = [], True
    with mp.workdps(dps + 30):
        groups = [("loss", [m["loss"]], [a["loss"]])]
        for form in ("stein", "pathwise"):
            groups.append((f"gradient ({form})", [row[0] for row in m["gradient"][form]], a[form]))
        for label, mvals, avals in groups:
            scale = max(abs(mp.mpf(v.value)) for v in mvals)
            for i, (mv, av) in enumerate(zip(mvals, avals)):
                val = mp.mpf(mv.value)
                claim = scale * mp.mpf(10) ** (-mv.digits)
                diff = abs(val - mp.mpf(_exact(av.mid()).numerator) / _exact(av.mid()).denominator)
                rad = mp.mpf(_exact(arb(av.rad())).numerator) / _exact(arb(av.rad())).denominator
                good = diff <= rad + claim
                ok &= bool(good)
                rows.append({"config": name, "dps": dps, "quantity": f"{label}[{i}]" if label != "loss" else "loss",
                             "mpmath digits": mv.digits, "arb digits": correct_digits(av),
                             "agreement": _agree(diff, scale), "ok": bool(good)})
    return {"ok": ok, "rows": rows}


def _agree(diff, scale) -> int:
    import mpmath
    if diff == 0:
        return 999
    return max(0, int(mpmath.floor(-mpmath.log10(diff / scale))))


def crosscheck(dps_list=(30, 60), configs=None) -> Certificate:
    t0 = time.perf_counter()
    rows, ok, checks = [], True, {}
    for cfg in (configs or CROSS_CONFIGS):
        for dps in dps_list:
            res = compare(cfg, dps)
            rows += res["rows"]
            checks[f"{cfg[0]} at {dps} digits"] = res["ok"]
    ok = all(checks.values())
    worst = min(r["agreement"] for r in rows)
    summary = (f"Arb and mpmath agree within their claimed digits on {len(rows)} aligned quantities "
               f"(loss, Stein and pathwise gradients); worst agreement {worst} digits"
               if ok else "disagreement: " + ", ".join(k for k, v in checks.items() if not v))
    cert = Certificate("arb-vs-mpmath", ok, summary, {}, checks, [], round(time.perf_counter() - t0, 2))
    cert.notes = [f"{r['config']} dps {r['dps']} {r['quantity']}: mpmath {r['mpmath digits']} digits, "
                  f"arb {r['arb digits']} digits, agree {r['agreement']}" for r in rows]
    return cert


# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------


def certifiers() -> dict:
    """claim id -> callable() returning a :class:`Certificate`."""
    return {"thm3.1": certify_thm31, "lemB.1": certify_lemB1}


def certify(claim_id: str) -> Certificate:
    c = certifiers()
    if claim_id == "arb-vs-mpmath":
        return crosscheck()
    if claim_id not in c:
        from .numbers import InputError
        raise InputError(f"no certificate for {claim_id!r}; available: {', '.join(list(c) + ['arb-vs-mpmath'])}")
    return c[claim_id]()
