"""Theorem 3.1: the aligned stationary point a = (b [x m], b + r* u, b - r* u) with nonzero loss.

Case (n and two precisions) -> :func:`measure` -> :class:`StationaryOutcome` (numbers only) ->
:func:`judge_stationary` (pure) -> tables and figures.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
from mpmath import mp

from .. import gradient, hessian
from ..numbers import Precision, agreed_digits, fmt, working
from ..stationary import locate_r_star
from . import Metric, PASS, Verdict, claim, judged, secondary

# r* and L(r*) must agree at the two precisions to the lower one less this many digits: the Newton
# iteration converges quadratically, so only the guard-free tail of the lower precision may be lost.
DIGITS_SLACK = 10
# every gradient component at r* must be below 10^-(higher precision - GRAD_SLACK): zero to the working
# precision (the line rule's relative tolerance is 10^-(dps + 2); 5 digits allow for O(1) factors).
GRAD_SLACK = 5
# eigenvalue digits (agreement of the two precisions) below which the classification is undecided
EIG_DIGITS_NEED = 10
# Hessian cross-checks at a non-stationary point (30 digits): the rotation identity is exact, so it must
# hold to the working precision less the quadrature's slack; central differences with step
# h = 10^-((dps + 20) // 3) have error O(h^2) ~ 10^-33 and cancellation ~ 10^-(dps + 20 - 16): >= 15 digits.
ROTATION_DIGITS_NEED = 25
FD_DIGITS_NEED = 15
# the profile L(r), r = 0, 1/2, ..., 12, at PROFILE_DPS digits; L(0) must vanish to that precision
PROFILE_DPS = 20
PROFILE_ZERO = 10.0 ** -(PROFILE_DPS - 5)


@dataclass(frozen=True)
class StationaryCase:
    """One n of Theorem 3.1's family and the two precisions it is measured at."""

    n: int          # parameters: m = n - 2 copies at b, one at b + r u, one at b - r u
    dps: int        # lower precision
    dps_hi: int     # higher precision


@dataclass(frozen=True)
class StationaryOutcome:
    """r*, L(r*), the gradient and the Hessian at r*, measured at two precisions (values at the higher)."""

    case: StationaryCase
    r_star: str                 # decimal, to its agreed digits
    r_digits: int
    loss: float                 # L(r*)
    loss_text: str              # decimal, to its agreed digits
    loss_digits: int
    grad_log10: float           # log10 max_i |grad_{a_i} L| at r* (the engine, higher precision)
    d2L_dr2: float              # second derivative along the family (< 0 at a maximiser)
    parallel: tuple             # d = 1 Hessian eigenvalues (per copy), ascending
    orthogonal: tuple           # the block orthogonal to u (each of the d - 1 directions)
    pair_block: tuple           # (a_2, a_3) block with the copies at b held fixed
    eig_digits: int             # agreement of the eigenvalues at the two precisions
    cross_zero: bool            # the mixed parallel/orthogonal block vanishes identically (sympy)
    d1: dict                    # hessian.classify of the d = 1 block: negative, zero, positive, name
    d2: dict                    # ... of the d = 2 Hessian (parallel + one orthogonal block)
    pair: dict                  # ... of the (a_2, a_3) block


@dataclass(frozen=True)
class ProfileOutcome:
    """L on the family for n = 3 at PROFILE_DPS digits: L(0) by the engine (gradient.evaluate), L(r > 0)."""

    r: tuple
    loss: tuple


@dataclass(frozen=True)
class HessianChecks:
    """Digits of the two independent cross-checks of the derived Hessian blocks."""

    rotation_digits: int        # H_perp alpha = g_par at a non-stationary aligned point
    fd_digits: int              # d = 1 block against central differences of the engine's gradient


def _at_precision(m: int, dps: int) -> dict:
    """r*, L(r*), the engine's gradient there, and the Hessian blocks, at dps digits."""
    r, _ = locate_r_star(m, dps)
    with working(dps):
        rel = Precision(dps).tolerance()
        ev = gradient.evaluate([[mp.zero], [r], [-r]], [mp.zero], [m, 1, 1], rel_tol=rel)
        H = hessian.aligned([mp.zero, r, -r], [m, 1, 1], rel_tol=rel)
        par, perp = hessian.eigenvalues(H["parallel"]), hessian.eigenvalues(H["orthogonal"])
        sub, n = H["parallel"], m + 2
        # (a_2, a_3) with every copy at b held fixed: the last two rows/columns
        sub23 = mpmath.matrix([[sub[n - 2, n - 2], sub[n - 2, n - 1]], [sub[n - 1, n - 2], sub[n - 1, n - 1]]])
        return {"r": r, "loss": ev.loss, "grad": [row[0] for row in ev.gradient["stein"]],
                "par": par, "perp": perp, "sub23": hessian.eigenvalues(sub23), "cross_zero": H["cross_zero"],
                "d2": hessian.along_r(r, m, rel)[2]}


def measure(case: StationaryCase) -> StationaryOutcome:
    """Run one case at its two precisions."""
    m = case.n - 2
    lo, hi = _at_precision(m, case.dps), _at_precision(m, case.dps_hi)
    with working(case.dps_hi):
        r_dig = agreed_digits(lo["r"], hi["r"])
        L_dig = agreed_digits(lo["loss"], hi["loss"])
        gmax = max(abs(v) for v in hi["grad"])
        par, perp = hi["par"], hi["perp"]
        ev_dig = min(agreed_digits(lo["par"], par), agreed_digits(lo["perp"], perp))
        ztol = max(abs(e) for e in par + perp) * mp.mpf(10) ** -(case.dps // 2)
        return StationaryOutcome(
            case, fmt(hi["r"], min(r_dig, 45)), r_dig, float(hi["loss"]), fmt(hi["loss"], min(L_dig, 45)), L_dig,
            float(mpmath.log10(gmax)) if gmax else -math.inf, float(hi["d2"]),
            tuple(float(e) for e in par), tuple(float(e) for e in perp), tuple(float(e) for e in hi["sub23"]),
            ev_dig, bool(hi["cross_zero"]), hessian.classify(par, ztol), hessian.classify(par + perp, ztol),
            hessian.classify(hi["sub23"], ztol))


def measure_profile() -> ProfileOutcome:
    """L(r) for n = 3, r = 0, 1/2, ..., 12: L(0) by the engine's loss, L(r > 0) by the derived line integrand."""
    with working(PROFILE_DPS):
        rel = mp.mpf(10) ** -PROFILE_DPS
        rs = [mp.mpf(k) / 2 for k in range(0, 25)]
        at_zero = gradient.evaluate([[mp.zero]] * 3, [mp.zero], None, loss=True, rel_tol=rel).loss
        prof = [at_zero] + [hessian.along_r(r, 1, rel)[0] for r in rs[1:]]
        return ProfileOutcome(tuple(float(r) for r in rs), tuple(float(v) for v in prof))


def measure_hessian_checks(dps: int = 30) -> HessianChecks:
    """Independent checks of the derived Hessian blocks against the engine's gradient.

    Parallel block: central differences of ``gradient.evaluate`` (d = 1).
    Orthogonal block: rotation invariance gives ``H_perp alpha = g_par``
    (per copy) at every aligned point; checked at a non-stationary one.
    """
    prec = Precision(dps + 20)
    with prec.active():
        alpha = [mp.mpf("0.3"), mp.mpf("-1.1"), mp.mpf(2)]
        mult = [1, 2, 1]
        rel = prec.tolerance()
        H = hessian.aligned(alpha, mult, rel_tol=rel)
        ev = gradient.evaluate([[a] for a in alpha], [mp.zero], mult, rel_tol=rel)
        g = [row[0] for row in ev.gradient["stein"]]
        copies = [alpha[gi] for gi in range(3) for _ in range(mult[gi])]
        gc = [g[gi] for gi in range(3) for _ in range(mult[gi])]
        Hp = H["orthogonal"]
        lhs = [mpmath.fsum(Hp[i, j] * copies[j] for j in range(len(copies))) for i in range(len(copies))]
        rot_digits = agreed_digits(lhs, gc)
        h = mp.mpf(10) ** -((dps + 20) // 3)
        fd = []
        for i in range(len(copies)):
            def grad_at(delta):
                A = [[c + (delta if k == i else 0)] for k, c in enumerate(copies)]
                e = gradient.evaluate(A, [mp.zero], None, rel_tol=rel)
                return [row[0] for row in e.gradient["stein"]]
            gp, gm = grad_at(h), grad_at(-h)
            fd.append([(x - y) / (2 * h) for x, y in zip(gp, gm)])
        Hpar = H["parallel"]
        par_digits = agreed_digits([[Hpar[i, j] for j in range(len(copies))] for i in range(len(copies))],
                                   [[fd[j][i] for j in range(len(copies))] for i in range(len(copies))])
    return HessianChecks(rot_digits, par_digits)


def judge_stationary(points: list, profile: ProfileOutcome, checks: HessianChecks) -> Verdict:
    """Theorem 3.1 from the measured numbers.  PASS when, for every n: r* and L(r*) agree at the two
    precisions to dps - DIGITS_SLACK digits, L(r*) is positive, every gradient component is below
    10^-(dps_hi - GRAD_SLACK), d^2L/dr^2 is negative (r* maximises L along the family), the mixed Hessian
    block vanishes; L(0) is zero, L positive on (0, 12], decaying; the Hessian passes both cross-checks.
    Eigenvalues with fewer than EIG_DIGITS_NEED digits leave the classification INCONCLUSIVE.  The
    classification itself (the paper says 'local maximum') is reported in the reason, not judged: the
    statement checked is 'a stationary point with nonzero loss'."""
    if not points:
        return Verdict.inconclusive("thm3.1: no stationary point measured")
    bad, vague = [], []
    for p in points:
        c, at = p.case, f"n = {p.case.n}"
        if p.r_digits < c.dps - DIGITS_SLACK:
            bad.append(f"{at}: r* to {p.r_digits} digits (need {c.dps - DIGITS_SLACK})")
        if p.loss_digits < c.dps - DIGITS_SLACK:
            bad.append(f"{at}: L(r*) to {p.loss_digits} digits (need {c.dps - DIGITS_SLACK})")
        if not p.loss > 0:
            bad.append(f"{at}: L(r*) = {p.loss_text}, not positive")
        if p.grad_log10 >= -(c.dps_hi - GRAD_SLACK):
            bad.append(f"{at}: max |grad| = 1e{p.grad_log10:.1f}, not below 1e-{c.dps_hi - GRAD_SLACK}")
        if not p.d2L_dr2 < 0:
            bad.append(f"{at}: d^2L/dr^2 = {p.d2L_dr2:.6g} at r*, not negative: r* is no maximiser along r")
        if not p.cross_zero:
            bad.append(f"{at}: the mixed Hessian block does not vanish")
        if p.eig_digits < EIG_DIGITS_NEED:
            vague.append(f"{at}: eigenvalues to {p.eig_digits} digits (need {EIG_DIGITS_NEED})")
    L0, inner = profile.loss[0], profile.loss[1:]
    if abs(L0) > PROFILE_ZERO:
        bad.append(f"L(0) = {L0:.3g} by the engine, not zero (tolerance {PROFILE_ZERO:.0e})")
    low = [f"L({r:g}) = {v:.3g}" for r, v in zip(profile.r[1:], inner) if not v > 0]
    if low:
        bad.append(f"L not positive at {len(low)} of {len(inner)} points with r positive: " + ", ".join(low))
    top, mid, tail = max(inner), profile.loss[len(profile.loss) // 2], profile.loss[-1]
    if not tail < mid < top:
        bad.append(f"L does not decay: L({profile.r[-1]:g}) = {tail:.4g}, L({profile.r[len(profile.r) // 2]:g}) = "
                   f"{mid:.4g}, max {top:.4g}")
    if checks.rotation_digits < ROTATION_DIGITS_NEED:
        bad.append(f"Hessian rotation identity to {checks.rotation_digits} digits (need {ROTATION_DIGITS_NEED})")
    if checks.fd_digits < FD_DIGITS_NEED:
        bad.append(f"Hessian vs central differences to {checks.fd_digits} digits (need {FD_DIGITS_NEED})")
    first = points[0]
    kind = (f"n = {first.case.n}: d = 1 {first.d1['name']}, d = 2 {first.d2['name']} "
            f"(+{first.d2['zero']} zero), (a_2, a_3) block {first.pair['name']}")
    if bad:
        return Verdict.failed(f"thm3.1: {len(bad)} bad: " + "; ".join(bad))
    if vague:
        return Verdict.inconclusive("thm3.1: classification undecided: " + "; ".join(vague))
    return Verdict.passed(f"stationary with L(r*) positive for n = {', '.join(str(p.case.n) for p in points)}; "
                          f"Hessian at r*: {kind}, NOT the paper's 'local maximum'")


def _cases(scale: str) -> list:
    if scale == "quick":
        return [StationaryCase(3, 40, 55), StationaryCase(4, 30, 40), StationaryCase(8, 30, 40)]
    return [StationaryCase(3, 40, 55)] + [StationaryCase(n, 40, 55) for n in (4, 5, 6, 7, 8)]


@claim("thm3.1", "Theorem 3.1", "EXACT",
       "n >= 3, mu* = 0: mu_1 = s e_1, mu_2 = -s e_1, mu_i = 0 for i >= 3; the maximiser s* of L(s) is a "
       "stationary point of L, with L > 0 ('a local maximum' in the prose). The suite checks it as a_1 = b, "
       "a_2 = b + r* u, a_3 = b - r* u (the same construction up to relabelling), for every n >= 3, and measures "
       "its Hessian index in all directions",
       provenance=secondary(assumed="'a local maximum' read as: of L along the construction's line; the "
                                    "Hessian in all directions is measured and reported (a saddle)"))
def check_thm31(scale, seed):
    """r* by Newton on the derived dL/dr (bracketed on a grid), at two precisions; the engine's gradient
    (Lemma B.1, gradient.evaluate) at r* must vanish to the working precision and L(r*) > 0; L(0) = 0 (the
    engine's loss), L > 0 on (0, 12] and decaying.  The Hessian in the full parameter space: the d = 1 block
    and the block orthogonal to u (the same for each of the d - 1 orthogonal directions; mixed blocks vanish
    exactly by the mirror x_1 -> -x_1), from sympy-derived second-derivative integrands on the 1-D line rule,
    checked against central differences of the engine's gradient and against the rotation identity
    H_perp alpha = g_par."""
    points = [measure(c) for c in _cases(scale)]
    profile, checks = measure_profile(), measure_hessian_checks(30)
    verdict = judge_stationary(points, profile, checks)
    return judged("thm3.1", verdict, _summary(verdict, points), _metrics(points[0], profile, checks),
                  _tables(points), _figures(points[0], profile))


def _summary(verdict: Verdict, points: list) -> str:
    p = points[0]
    if verdict.verdict != PASS:
        return verdict.reason
    return (f"Stationary point with L(r*) > 0 for n = {', '.join(str(q.case.n) for q in points)} (every gradient "
            f"component below 1e-{p.case.dps_hi - GRAD_SLACK}). It is a SADDLE, not the paper's 'specifically, a "
            f"local maximum': d = 1 index {p.d1['negative']} ({p.d1['positive']} positive eigenvalue, mostly along "
            f"a_1); d = 2 index {p.d2['negative']} with {p.d2['zero']} rotation zero mode; a local maximum only "
            f"within the family with a_1 held at b.")


def _metrics(p: StationaryOutcome, profile: ProfileOutcome, checks: HessianChecks) -> list:
    mid = len(profile.r) // 2
    return [
        Metric("r* (n = 3)", p.r_star, p.r_digits, f"need >= {p.case.dps - DIGITS_SLACK} digits"),
        Metric("Hessian at r* (n = 3)", f"SADDLE: d = 1 index {p.d1['negative']}; d = 2 index {p.d2['negative']} "
               f"+ {p.d2['zero']} zero" if p.d1["negative"] and p.d1["positive"] else p.d1["name"], p.eig_digits,
               "paper: 'specifically, a local maximum'; eigenvalue digits"),
        Metric("L(r*) (n = 3)", p.loss_text, p.loss_digits, "> 0"),
        Metric("max |grad| at r* (n = 3)", f"1e{p.grad_log10:.1f}", None,
               f"must be below 1e-{p.case.dps_hi - GRAD_SLACK} (working precision {p.case.dps_hi} digits)"),
        Metric("d^2L/dr^2 at r* (n = 3)", f"{p.d2L_dr2:.15g}", None, "< 0: a maximum along r"),
        Metric("Hessian eigenvalues, d = 1 block (n = 3)", "; ".join(f"{e:.15g}" for e in p.parallel), p.eig_digits,
               p.d1["name"]),
        Metric("Hessian eigenvalues, block orthogonal to u (n = 3, each of d - 1 directions)",
               "; ".join(f"{e:.15g}" for e in p.orthogonal), p.eig_digits,
               "the zero eigenvalue is the rotation of the whole configuration about b"),
        Metric("classification d >= 2 (n = 3)",
               f"index {p.d1['negative']} + {p.d2['negative'] - p.d1['negative']}(d-1), "
               f"{p.d2['zero']}(d-1) zero eigenvalue(s) from rotations", None, "per d: d = 2 shown"),
        Metric("(a_2, a_3) block with a_1 held at b (n = 3)", p.pair["name"], p.eig_digits,
               "eigenvalues " + "; ".join(f"{e:.12g}" for e in p.pair_block)),
        Metric("L(0), L(6), L(12) (n = 3)", f"{profile.loss[0]:.3g}, {profile.loss[mid]:.10g}, "
               f"{profile.loss[-1]:.10g}", None,
               f"L(0) by the engine (|L(0)| below {PROFILE_ZERO:.0e}), L > 0 between, decaying; {PROFILE_DPS} digits"),
        Metric("Hessian check: H_perp alpha = g_par (rotation identity), digits", str(checks.rotation_digits), None,
               f"need >= {ROTATION_DIGITS_NEED}; at a non-stationary point"),
        Metric("Hessian check: d = 1 block vs central differences of the engine's gradient, digits",
               str(checks.fd_digits), None, f"need >= {FD_DIGITS_NEED}"),
    ]


def _tables(points: list) -> dict:
    rows = [[p.case.n, p.r_star, p.r_digits, p.loss_text, p.loss_digits, f"1e{p.grad_log10:.1f}", p.d1["name"],
             f"{p.d2['name']} (+{p.d2['zero']} zero)"] for p in points]
    spec = [[p.case.n, "; ".join(f"{e:.12g}" for e in p.parallel), "; ".join(f"{e:.12g}" for e in p.orthogonal),
             "; ".join(f"{e:.12g}" for e in p.pair_block), p.eig_digits] for p in points]
    return {"stationary point by n (extra copies at b)": {
                "columns": ["n", "r*", "r* digits", "L(r*)", "L digits", "max |grad|", "d = 1", "d = 2"], "rows": rows},
            "Hessian spectra (per copy)": {
                "columns": ["n", "d = 1 block", "orthogonal block", "(a_2, a_3) block, a_1 at b", "eigenvalue digits"],
                "rows": spec}}


def _figures(p: StationaryOutcome, profile: ProfileOutcome) -> dict:
    return {"thm3.1 L(r) for n = 3": {
        "kind": "line", "title": "L on the line a = (b, b + r, b - r), n = 3, d = 1", "xlabel": "r", "ylabel": "L(r)",
        "series": [{"label": "L(r)", "x": list(profile.r), "y": list(profile.loss), "style": "both"}],
        "vlines": [{"x": float(p.r_star[:20]), "label": "r* (stationary)"}],
        "caption": "The loss along the symmetric family: zero at r = 0 (the engine's loss), a single interior "
                   "maximum at r*, decaying for large r. r* is a saddle of L in the full parameter space."}}
