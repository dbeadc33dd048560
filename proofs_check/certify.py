"""Certified results with ball arithmetic (python-flint / Arb): issue #7.

The enclosures come from :mod:`proofs_check.balls` (the sympy-derived
integrands evaluated on Arb balls, ``acb.integral`` on [-R, R] plus a Mill's
inequality tail bound); this module states what they prove.

Certificates (:func:`certifiers`, :func:`certify`):

- ``thm3.1``: d = 1, n = 3, b = 0, ``a = (0, r, -r)``.  An interval
  ``[r_lo, r_hi]`` of width <= 1e-20 around r*
  (:func:`proofs_check.stationary.locate_r_star`, the one home of Theorem
  3.1's point) with ``dL/dr(r_lo) > 0 > dL/dr(r_hi)`` certified
  (``dL/dr = grad_{a_2} - grad_{a_3}``, both components integrated, no
  symmetry assumed), so a stationary point r* of L(r) lies inside; then a
  certified lower bound of L on the whole interval (integrals with r as a ball
  covering it), the certified gradient there (all three components), and the
  3x3 Hessian in (a_1, a_2, a_3) with entries ``E[D(stein_g, y_h)]``
  (sympy differentiates the derived Stein integrand once more with the chain
  rule ``Derivation.D``), r again a ball covering the interval.  Eigenvalue
  signs by Sylvester's law of inertia: ``M = V^T H V`` with an exact rational
  approximately orthogonal V (det V != 0 exactly, :mod:`proofs_check.exact`),
  and Gershgorin discs of M that exclude 0; eigenvalue enclosures from Arb's
  ``acb_mat.eig``.
- ``lemB.1``: at aligned sample points, the pathwise and Stein enclosures of
  every gradient component overlap, and the central difference
  ``(L(y + h e_g) - L(y - h e_g)) / 2h`` enclosed plus its truncation bound
  ``h^2/6 sup |d^3 L / dy_g^3|`` (third-derivative integrand derived by sympy,
  bounded on the ball ``[y_g - h, y_g + h]``) contains both.

:func:`crosscheck` compares Arb with the suite's mpmath engine
(:func:`proofs_check.gradient.measured`) on every aligned quantity it reports.
The ball machinery's public names (``ball``, ``component``, ``expectation``,
``aligned_inputs``, ``loss_and_gradient``, ...) stay importable from here.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import lru_cache

import mpmath
from flint import acb_mat, arb, arb_mat

from . import exact, gradient, stationary
from .balls import (Component, aligned_inputs, ball, component, correct_digits, decimal_bound,  # noqa: F401
                    exact_value, expectation, interval, loss_and_gradient, mean_abs_bound, sign,
                    symbolic_fraction)
from .errors import InputError
from .model import Configuration
from .numbers import at_digits, ball_bits, digits_between, mpf_to_fraction, to_mpf


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
        """The certificate as plain JSON data (every field)."""
        return asdict(self)


# ---------------------------------------------------------------------------
# thm3.1
# ---------------------------------------------------------------------------

THM31_GOAL_BITS = 110        # ~33 digits: enough to sign dL/dr ~ 1e-21 at the bracket's ends
HALF_WIDTH = Fraction(1, 2 * 10 ** 20)


def _thm31_y(r):
    return [arb(0), r, -r]


def thm31_derivative(r, goal_bits=THM31_GOAL_BITS):
    """Certified ``(dL/dr, grad_1, grad_2, grad_3)`` at ``a = (0, r, -r)``; r an arb ball."""
    with ball_bits(goal_bits + 30):
        y = _thm31_y(ball(r))
        logm = [arb(0)] * 3
        g = [expectation(component(3, "stein", k), y, logm, goal_bits) for k in range(3)]
        return g[1] - g[2], g


def locate_rstar(dps: int = 40) -> Fraction:
    """Theorem 3.1's r* (the maximiser of L(0, r, -r), b = 0) at ``dps`` digits, as the exact value of the mpf.

    Found by :func:`proofs_check.stationary.locate_r_star` with m = 1 (its one home).
    """
    r, _ = stationary.locate_r_star(1, dps)
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
    n = len(H)
    mid = mpmath.matrix([[mpmath.mpf(float(H[i][j].mid())) for j in range(n)] for i in range(n)])
    ev, Q = mpmath.eigsy(mid)
    # exact rational, approximately orthogonal congruence
    V = [[Fraction(float(Q[i, j])).limit_denominator(10 ** 12) for j in range(n)] for i in range(n)]
    detV = exact.determinant(V)
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
    """Theorem 3.1: a certified bracket of the stationary point r* of L(0, r, -r), L > 0 there, and the
    Hessian's eigenvalue signs (a saddle) on the whole bracket."""
    t0 = time.perf_counter()
    rs = rstar_approx()
    r_lo, r_hi = rs - HALF_WIDTH, rs + HALF_WIDTH
    ok_br, d_lo, d_hi = certify_bracket(r_lo, r_hi, goal_bits)
    enc = {"r_lo (exact)": [decimal_bound(r_lo, 35, False), decimal_bound(r_lo, 35, True)],
           "r_hi (exact)": [decimal_bound(r_hi, 35, False), decimal_bound(r_hi, 35, True)],
           "dL/dr(r_lo)": interval(d_lo, 8), "dL/dr(r_hi)": interval(d_hi, 8)}
    checks = {"dL/dr(r_lo) > 0": bool(d_lo > 0), "dL/dr(r_hi) < 0": bool(d_hi < 0),
              "width <= 1e-20": (r_hi - r_lo) <= Fraction(1, 10 ** 20)}
    # the whole interval as one ball: L, the gradient and the Hessian hold for every r in it
    with ball_bits(goal_bits + 30):
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
    """Lemma B.1: pathwise and Stein gradients agree, and both lie in a certified central difference of L."""
    t0 = time.perf_counter()
    enc, checks = {}, {}
    h = LEMB1_H
    for name, params, truth, t in (points or LEMB1_POINTS):
        with ball_bits(goal_bits + 30):
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
    name, params, truth, t, mult = cfg_args
    cfg = Configuration.make(params, truth, t, mult)
    m = gradient.measured(cfg, dps, forms=("stein", "pathwise"))
    bits = int(dps * 3.33) + 20
    with ball_bits(bits + 30):
        y, logm, mu = aligned_inputs(params, truth, t, mult)
        a = loss_and_gradient(y, logm, mu, bits, forms=("stein", "pathwise"))
    rows, ok = [], True
    with at_digits(dps + 30):
        groups = [("loss", [m["loss"]], [a["loss"]])]
        for form in ("stein", "pathwise"):
            groups.append((f"gradient ({form})", [row[0] for row in m["gradient"][form]], a[form]))
        for label, mvals, avals in groups:
            scale = max(abs(mpmath.mpf(v.value)) for v in mvals)
            for i, (mv, av) in enumerate(zip(mvals, avals)):
                val = mpmath.mpf(mv.value)
                claim = scale * mpmath.mpf(10) ** (-mv.digits)
                diff = abs(val - to_mpf(exact_value(av.mid())))
                rad = to_mpf(exact_value(arb(av.rad())))
                good = diff <= rad + claim
                ok &= bool(good)
                rows.append({"config": name, "dps": dps, "quantity": f"{label}[{i}]" if label != "loss" else "loss",
                             "mpmath digits": mv.digits, "arb digits": correct_digits(av),
                             "agreement": digits_between(diff, scale, cap=EXACT_AGREEMENT), "ok": bool(good)})
    return {"ok": ok, "rows": rows}


EXACT_AGREEMENT = 999     # the agreement reported when Arb's midpoint and mpmath's value coincide


def crosscheck(dps_list=(30, 60), configs=None) -> Certificate:
    """Arb against the mpmath engine on :data:`CROSS_CONFIGS` at each precision (``arb-vs-mpmath``)."""
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
    """The certificate of ``claim_id`` (a key of :func:`certifiers`, or ``arb-vs-mpmath``); InputError otherwise."""
    c = certifiers()
    if claim_id == "arb-vs-mpmath":
        return crosscheck()
    if claim_id not in c:
        raise InputError(f"no certificate for {claim_id!r}; available: {', '.join(list(c) + ['arb-vs-mpmath'])}")
    return c[claim_id]()
