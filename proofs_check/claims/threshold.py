"""Theorem 3.4: the initialisation threshold delta*(D) and the law of log(1/delta*) in D.

Cases (D, n) -> :func:`measure` (bisection on log10 delta, the engine's classification) ->
:class:`ThresholdOutcome`; the law of log(1/delta*) by candidate models (fits.fit_laws, AIC) ->
:class:`LawComparison`; pure judges :func:`judge_threshold_brackets` (the phenomenon) and
:func:`judge_threshold_law` ("exponentially small").

The derived law (docstring of :func:`split_growth`): linearising gradient descent about the
coincident configuration gives log(1/delta*) = G(D) + c0 with
G(D) = sum_k log(1 + (4 eta / n) D^2 q^(2k)), q = 1 - 2 eta / n.  For a fixed step size
G(D) ~ (log D)^2 / log(1/q): delta* is smaller than every power of D, yet larger than every
exp(-cD) (quasi-polynomial); only for eta D^2 << 1 (gradient flow) is G ~ D^2.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
from mpmath import mp

from .. import dynamics, gradient
from ..fits import Law, fit_laws
from ..numbers import at_digits, working
from . import Metric, Verdict, claim, judged, worst

ETA_34 = "0.25"
# At least this many D values (brackets closed) before laws are compared: the 3-parameter laws then keep
# 3 residual degrees of freedom; with fewer, a 3-parameter law fits any data and AIC decides nothing.
MIN_D = 6
# AIC difference counted as decisive: Burnham & Anderson (2002), a model more than 10 above the best has
# "essentially no support"; below it the comparison is INCONCLUSIVE.
DELTA_AIC = 10.0

EXPONENTIAL, SUBEXPONENTIAL, POLYNOMIAL = "exponential or faster", "sub-exponential", "polynomial"
LINEAR_LAW = "c D + c0 (delta* = e^-cD)"
STRETCHED_LAW = "c D^alpha + c0 (stretched)"
POLY_LAW = "k log D + c0 (delta* = D^-k)"
QUASI_LAW = "c log^2 D + k log D + c0 (quasi-polynomial)"
DLOG_LAW = "c D / log D + c0"
DERIVED_LAW = "G(D) + c0 (derived split growth)"
# the class of each law's delta*; the stretched law's depends on its fitted alpha (see _judge_law_class)
LAW_CLASS = {LINEAR_LAW: EXPONENTIAL, POLY_LAW: POLYNOMIAL, QUASI_LAW: SUBEXPONENTIAL, DLOG_LAW: SUBEXPONENTIAL,
             DERIVED_LAW: SUBEXPONENTIAL}


def group_saddle_distance(n: int) -> mpmath.mpf:
    """y_s(n): with a_1 = b, the distance y of the (n-1)-copy group at which its gradient vanishes.

    Beyond it (a_1 near b) gradient descent pushes the group away from b; inside, towards b.
    The classifier of thm3.4's runs calls a group 'diverging' once it is farther than y_s + 1 and
    moving away (see :func:`dynamics.run`, ``diverge_distance``).
    """
    with working(20):
        def f(y):
            ev = gradient.evaluate([[mp.zero], [y]], [mp.zero], [1, n - 1], loss=False,
                                   rel_tol=mp.mpf(10) ** -20)
            return ev.gradient["stein"][1][0]
        lo, hi = mp.mpf("1.5"), mp.mpf("3.5")
        if not (f(lo) > 0 > f(hi)):
            raise ArithmeticError(f"group saddle distance for n = {n} not in [1.5, 3.5]")
        for _ in range(30):
            mid = (lo + hi) / 2
            if f(mid) > 0:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2


def run_34(D, log10_delta, n=3, steps=1500, ys=None):
    """One thm3.4 run: a_1(0) = 10^log10_delta, the other n - 1 at 0, truth D."""
    ys = group_saddle_distance(n) if ys is None else ys
    with at_digits(30):
        delta = mp.mpf(10) ** mp.mpf(log10_delta)
    return dynamics.run([delta, 0], D, multiplicity=[1, n - 1], eta=ETA_34, steps=steps, dps=30,
                        diverge_distance=+ys + 1, progress=False)


def delta_star(D, n=3, iters=8, steps=1500, lo=None, hi=0.0, ys=None):
    """Bisection on log10(delta): returns (lo, hi, runs, note) with all-converge at 10^lo and
    one-converges at 10^hi.  ``lo`` defaults to -(1.5 D + 6) and is doubled (up to three times)
    until that end point gives all-converge."""
    ys = group_saddle_distance(n) if ys is None else ys
    D = int(D)
    lo = -(1.5 * D + 6) if lo is None else lo
    runs = []
    for attempt in range(4):
        tr = run_34(D, lo, n, steps, ys)
        runs.append((lo, tr.outcome, tr.steps_taken, tr.dps))
        if tr.outcome == dynamics.ALL_CONVERGE:
            break
        if tr.outcome == dynamics.ONE_CONVERGES and attempt < 3:
            hi, lo = lo, 2 * lo
            continue
        return lo, hi, runs, f"end point 10^{lo:g} gave '{tr.outcome}' ({tr.reason}), expected all converge"
    if hi == 0.0 or not any(r[0] == hi for r in runs):
        # an undecided end point: a large delta sends a_1 to b in a few steps and leaves the group frozen far
        # away (its gradient, ~exp(-D^2/2), below the working precision); step down 0, -1, -3, -7, -15, -31
        attempts = 6
        for attempt in range(attempts):
            tr = run_34(D, hi, n, steps, ys)
            runs.append((hi, tr.outcome, tr.steps_taken, tr.dps))
            if tr.outcome != dynamics.UNDECIDED or attempt == attempts - 1 or hi - 2 ** attempt <= lo:
                break           # hi stays the end point last tried, so the note below names it
            hi -= 2 ** attempt
        if tr.outcome != dynamics.ONE_CONVERGES:
            return lo, hi, runs, f"end point 10^{hi:g} gave '{tr.outcome}' ({tr.reason}), expected one converges"
    note = ""
    for _ in range(iters):
        mid = (lo + hi) / 2
        tr = run_34(D, mid, n, steps, ys)
        runs.append((mid, tr.outcome, tr.steps_taken, tr.dps))
        if tr.outcome == dynamics.ALL_CONVERGE:
            lo = mid
        elif tr.outcome == dynamics.ONE_CONVERGES:
            hi = mid
        else:
            note = f"undecided at 10^{mid:.3f} after {tr.steps_taken} steps ({tr.reason}); bracket kept"
            break
    return lo, hi, runs, note


@dataclass(frozen=True)
class ThresholdCase:
    """One bisection for Theorem 3.4's delta*: truth D, n parameters, bisection steps after the end points."""

    D: int
    n: int
    iters: int              # bisection steps after the end points


@dataclass(frozen=True)
class ThresholdOutcome:
    """The bracket [10^lo, 10^hi] of delta*(D) and the engine's outcome at each end point."""

    case: ThresholdCase
    lo: float               # log10 delta of the last all-converge end point
    hi: float               # log10 delta of the last one-converges end point
    lo_outcome: str         # the engine's outcome of the last run at 10^lo ("not run" when none)
    hi_outcome: str
    runs: tuple             # (log10 delta, outcome, steps, final dps) of every run, in order
    note: str
    ys: float               # y_s(n), the group's turning distance

    @property
    def log_inv(self) -> float:
        """log(1/delta*) at the bracket's midpoint (natural log)."""
        return -(self.lo + self.hi) / 2 * math.log(10)

    @property
    def half_width(self) -> float:
        """Half the bracket in log(1/delta): the precision of :attr:`log_inv`."""
        return (self.hi - self.lo) / 2 * math.log(10)


# a guessed bracket for the next case of a sweep: the previous one-converges end point (delta* falls with D
# and with n), and the previous all-converge end point lowered by GUESS_SLOPE decades per unit of D (or n),
# above the measured local slope (<= 1.1 decades per unit D, ~1.2 per unit n at D = 8).  Both end points
# are run and checked; a guess that fails falls back to the default search, so it only saves runs.
GUESS_SLOPE = 1.5


def measure(case: ThresholdCase, ys=None, guess: tuple | None = None) -> ThresholdOutcome:
    """delta*(D) for one case by bisection; ``guess`` = (lo, hi) in log10 delta to start from."""
    ys = group_saddle_distance(case.n) if ys is None else ys
    runs = []
    if guess is not None:
        lo, hi, runs, note = delta_star(case.D, case.n, case.iters, lo=guess[0], hi=guess[1], ys=ys)
        runs = list(runs)
    if guess is None or note.startswith("end point"):
        lo, hi, more, note = delta_star(case.D, case.n, case.iters, ys=ys)
        runs += list(more)

    def last_at(x):
        at = [r[1] for r in runs if r[0] == x]
        return at[-1] if at else "not run"
    return ThresholdOutcome(case, float(lo), float(hi), last_at(lo), last_at(hi), tuple(runs), note, float(ys))


def _closed(o: ThresholdOutcome) -> bool:
    return o.lo_outcome == dynamics.ALL_CONVERGE and o.hi_outcome == dynamics.ONE_CONVERGES


def measure_sweep(cases: list, ys: dict, key, done: dict | None = None) -> list:
    """Every case in order, each bracket guessed from the previous closed one (``key(case)``: D or n);
    cases already in ``done`` are reused."""
    out = []
    for c in cases:
        if done and c in done:
            out.append(done[c])
            continue
        guess = None
        if out and _closed(out[-1]):
            prev = out[-1]
            guess = (prev.lo - GUESS_SLOPE * (key(c) - key(prev.case)), prev.hi)
        out.append(measure(c, ys[c.n], guess))
    return out


def split_growth(D, n: int = 3, eta: float = float(ETA_34)):
    """G(D) = sum_k log(1 + (4 eta / n) A_k^2), A_k = D q^k, q = 1 - 2 eta / n (numpy-vectorised in D).

    Derivation (d = 1, loss E_{x ~ N(b, 1)} (sum_i w_i a_i - b)^2, gradient descent with step eta).  Put
    a_i = a + s u_i with sum u_i = 0, |u| = 1, and A = a - b.  To second order in s the weights are
    w_i = (1 + s u_i (x - a)) / n + O(s^2), so sum_i w_i a_i = a + (s^2 / n)(x - a) + O(s^3) and, with
    E[x - a] = -A, L = A^2 (1 - 2 s^2 / n) + O(s^3).  One step multiplies the split s by 1 + 4 eta A^2 / n
    and the centre's distance A by q = 1 - 2 eta / n (the identical-parameter gradient is 2A/n per copy).
    The split grows from its initial size ~delta until the centre arrives (A ~ 1), where the outcome is
    decided; so log(1/delta*) = sum over the journey of log(1 + 4 eta A_k^2 / n) + c0 = G(D) + c0.
    For large D, G(D) = (log D)^2 / log(1/q) + O(log D): quasi-polynomial for a fixed eta.
    """
    D = np.asarray(D, float)
    q = 1 - 2 * eta / n
    k = np.arange(0, 4000)
    return np.log1p(np.multiply.outer(D * D, 4 * eta / n * q ** (2 * k))).sum(axis=-1)


LAWS = (
    Law(LINEAR_LAW, lambda D, c, c0: c * D + c0, (1.0, 0.0)),
    Law(STRETCHED_LAW, lambda D, c, a, c0: c * np.power(D, a) + c0, (5.0, 0.7, 0.0)),
    Law(POLY_LAW, lambda D, k, c0: k * np.log(D) + c0, (10.0, 0.0)),
    Law(QUASI_LAW, lambda D, c, k, c0: c * np.log(D) ** 2 + k * np.log(D) + c0, (1.0, 1.0, 0.0)),
    Law(DLOG_LAW, lambda D, c, c0: c * D / np.log(D) + c0, (1.0, 0.0)),
    Law(DERIVED_LAW, lambda D, c0: split_growth(D) + c0, (0.0,)),
)


@dataclass(frozen=True)
class LawComparison:
    """Candidate laws for log(1/delta*) against D, fitted by least squares, best AIC first."""

    D: tuple
    log_inv: tuple
    fits: tuple             # fits.LawFit, sorted by AIC


def compare_laws(outcomes: list) -> LawComparison:
    """Fit every candidate law to the closed brackets' midpoints."""
    closed = [o for o in outcomes if _closed(o)]
    xs, ys = [o.case.D for o in closed], [o.log_inv for o in closed]
    fits = tuple(fit_laws(xs, ys, LAWS)) if len(xs) >= 3 else ()
    return LawComparison(tuple(xs), tuple(ys), fits)


def judge_threshold_brackets(outcomes: list, what: str) -> Verdict:
    """The phenomenon: below delta* every parameter converges; above it one converges, the rest diverge.

    PASS: at every case the lower end point ended 'all converge', the upper 'one converges'.
    FAIL: an end point ended in the other decided state (the search found no all-converge delta down to its
    last end point; a large delta where all converge).
    INCONCLUSIVE: no case; an end point undecided, not run."""
    if not outcomes:
        return Verdict.inconclusive(f"{what}: no case")
    decided = (dynamics.ALL_CONVERGE, dynamics.ONE_CONVERGES)
    wrong, open_ = [], []
    for o in outcomes:
        at = f"D = {o.case.D}, n = {o.case.n}"
        if o.lo_outcome == dynamics.ALL_CONVERGE and o.hi_outcome == dynamics.ONE_CONVERGES:
            continue
        ends = f"'{o.lo_outcome}' at 1e{o.lo:g}, '{o.hi_outcome}' at 1e{o.hi:g}"
        if o.lo_outcome == dynamics.ONE_CONVERGES or o.hi_outcome == dynamics.ALL_CONVERGE:
            wrong.append(f"{at}: {ends}")
        elif o.lo_outcome not in decided or o.hi_outcome not in decided:
            open_.append(f"{at}: {ends} ({o.note})")
    if wrong:
        return Verdict.failed(f"{what}: {len(wrong)} of {len(outcomes)} bad: " + "; ".join(wrong))
    if open_:
        return Verdict.inconclusive(f"{what}: {len(open_)} of {len(outcomes)} undecided: " + "; ".join(open_))
    return Verdict.passed(f"{what}: all converge below, one converges above delta*, at every one of "
                          f"{len(outcomes)} cases")


def _judge_law_class(fit) -> str:
    """The class of a fitted law's delta*: the stretched law c D^alpha + c0 is exponential (or faster)
    from alpha = 1 on, sub-exponential below (for a positive c)."""
    if fit.name == STRETCHED_LAW:
        return EXPONENTIAL if fit.params[1] >= 1 else SUBEXPONENTIAL
    return LAW_CLASS[fit.name]


def judge_threshold_law(laws: LawComparison) -> Verdict:
    """'delta* is exponentially small in D', read as: delta* at most exp(-cD) for some c (log(1/delta*) grows
    at least linearly), as Theorem 3.4's recovered initialisation exp(-M_0/100) requires.

    The candidate laws (LAWS) are compared by AIC.  PASS: the best law of the exponential class beats every
    other law by at least DELTA_AIC.  FAIL: a law of another class (polynomial delta* = D^-k,
    quasi-polynomial, D/log D, stretched with alpha below 1, the derived fixed-step law) beats every
    exponential-class law by at least DELTA_AIC.  INCONCLUSIVE: fewer than MIN_D values of D; a smaller
    AIC difference.  The reason names the selected law, how far the polynomial law is behind.
    """
    n = len(laws.D)
    if n < MIN_D:
        return Verdict.inconclusive(f"thm3.4 law: {n} values of D, fewer than {MIN_D}: laws not compared")
    if not laws.fits:
        return Verdict.inconclusive("thm3.4 law: no candidate law could be fitted")
    classes = {f.name: _judge_law_class(f) for f in laws.fits}
    exp = [f.aic for f in laws.fits if classes[f.name] == EXPONENTIAL]
    other = [f.aic for f in laws.fits if classes[f.name] != EXPONENTIAL]
    poly = [f.aic for f in laws.fits if classes[f.name] == POLYNOMIAL]
    best = laws.fits[0]
    text = (f"selected {best.name} ({classes[best.name]}, AIC {best.aic:.1f}) over {n} values of D; "
            + ", ".join(f"{f.name} +{f.aic - best.aic:.1f}" for f in laws.fits[1:]))
    if poly:
        text += f"; the polynomial law is {min(poly) - best.aic:.1f} behind"
    if not exp or not other:
        return Verdict.inconclusive(f"thm3.4 law: only one class of law fitted: {text}")
    gap = min(exp) - min(other)
    if gap >= DELTA_AIC:
        return Verdict.failed(f"thm3.4 law: delta* is not exponentially small; exp(-cD) rejected by AIC "
                              f"{gap:.1f} (decisive from {DELTA_AIC:g}): {text}")
    if -gap >= DELTA_AIC:
        return Verdict.passed(f"thm3.4 law: exponentially small, other classes behind by AIC {-gap:.1f}: {text}")
    return Verdict.inconclusive(f"thm3.4 law: AIC difference {abs(gap):.1f} between the classes, "
                                f"not decisive (need {DELTA_AIC:g}): {text}")


def _cases(scale: str) -> tuple:
    """(D sweep at n = 3, n sweep at D = D_n)."""
    if scale == "quick":
        Ds, iters, ns, D_n, iters_n = [4, 6, 8, 10, 12, 14], 5, [3, 4], 8, 3
    else:
        Ds, iters, ns, D_n, iters_n = [4, 8, 12, 16, 20, 24, 28, 32, 36, 40], 11, [3, 4, 5, 6, 7, 8], 8, 9
    return ([ThresholdCase(D, 3, iters) for D in Ds],
            [ThresholdCase(D_n, n, iters if n == 3 and D_n in Ds else iters_n) for n in ns])


@claim("thm3.4", "Theorem 3.4", "RECONSTRUCTED",
       "d = 1, truth D > 0, a_1(0) = delta, a_i(0) = 0 (i >= 2): for delta above a critical delta*(D) one "
       "parameter converges and the rest diverge, below it all converge; delta* is exponentially small in D "
       "(so Theorem 3.2's exponentially small initialisation is necessary). Step size: the paper's condition is "
       "lost; the suite uses the fixed eta = 0.25 (loss without factor 1/2)")
def check_thm34(scale, seed):
    """Gradient descent (eta = 0.25, the loss without factor 1/2) at arbitrary precision: the engine raises
    the precision so the split delta survives next to O(D) values.  delta* by bisection on log10(delta)
    between an all-converge and a one-converges end point, for D over a range; the law of log(1/delta*) in D
    judged by comparing candidate laws by AIC (exp(-cD), stretched, polynomial D^-k, quasi-polynomial,
    D/log D, and the law derived from the linearised split growth, see split_growth); delta* against n at
    fixed D.  Outcomes are the engine's classification: 'diverging' = farther from b than y_s(n) + 1 and
    moving away, where y_s(n) is the distance at which the group's gradient vanishes with a_1 at b."""
    d_cases, n_cases = _cases(scale)
    ys = {n: float(group_saddle_distance(n)) for n in sorted({c.n for c in d_cases + n_cases})}
    d_out = measure_sweep(d_cases, ys, lambda c: c.D)
    n_out = measure_sweep(n_cases, ys, lambda c: c.n, {o.case: o for o in d_out})
    laws = compare_laws(d_out)
    verdict = worst(judge_threshold_brackets(d_out, "delta*(D), n = 3"),
                    judge_threshold_brackets(n_out, f"delta*(n), D = {n_cases[0].D}"),
                    judge_threshold_law(laws))
    summary = (f"{verdict.reason}. Derived (split_growth): linearised gradient descent gives log(1/delta*) = G(D) + c0, "
               f"G(D) = sum_k log(1 + (4 eta/n) D^2 q^2k), q = 1 - 2 eta/n, ~ (log D)^2 / log(1/q) for a fixed step "
               f"(eta = {ETA_34}): smaller than every power of D, larger than every exp(-cD); only for eta D^2 << 1 "
               f"(gradient flow) does G grow like D^2. The paper's step size is lost.")
    return judged("thm3.4", verdict, summary, _metrics(laws, d_out, ys[3]), _tables(laws, d_out, n_out),
                  _figures(laws, d_out, n_out), seed=seed)


def _metrics(laws: LawComparison, d_out: list, ys3: float) -> list:
    out = []
    if laws.fits:
        best = laws.fits[0]
        exp = [f for f in laws.fits if _judge_law_class(f) == EXPONENTIAL]
        out.append(Metric("selected law for log(1/delta*)", best.name, None,
                          f"AIC {best.aic:.1f} over {len(laws.D)} values of D; params "
                          + ", ".join(f"{p:.5g}" for p in best.params)))
        if exp:
            out.append(Metric("AIC of the best exponential law exp(-cD) minus the selected", f"{exp[0].aic - best.aic:.1f}",
                              None, f"decisive from {DELTA_AIC:g} ({exp[0].name})"))
        for f in laws.fits:
            out.append(Metric(f"fit {f.name}", ", ".join(f"{p:.5g}" for p in f.params), None,
                              f"AIC {f.aic:.1f}; residuals " + ", ".join(f"{r:+.3f}" for r in f.residuals)))
    G = split_growth(list(laws.D)) if laws.D else []
    if len(G):
        off = [y - g for y, g in zip(laws.log_inv, G)]
        out.append(Metric("log(1/delta*) - G(D) (derived split growth), min .. max", f"{min(off):.3f} .. {max(off):.3f}",
                          None, "constant if the derived law holds; bracket half-widths up to "
                                f"{max(o.half_width for o in d_out):.3f}"))
    out += [Metric("y_s(3), the group's turning distance", f"{ys3:.10g}", None, "measured"),
            Metric("smallest delta* reached", f"1e{min(o.lo for o in d_out):.2f}", None,
                   f"at D = {d_out[-1].case.D}; below 1e-16 needs arbitrary precision")]
    return out


def _tables(laws: LawComparison, d_out: list, n_out: list) -> dict:
    G = dict(zip(laws.D, split_growth(list(laws.D)))) if laws.D else {}
    rows = [[o.case.D, f"1e{o.lo:.3f}", f"1e{o.hi:.3f}", f"{o.log_inv:.4f} +- {o.half_width:.4f}",
             f"{G[o.case.D]:.4f}" if o.case.D in G else "", len(o.runs), max(r[3] for r in o.runs),
             o.note or "bracket closed"] for o in d_out]
    nrows = [[o.case.n, f"{o.ys:.6g}", f"1e{o.lo:.3f}", f"1e{o.hi:.3f}", f"{o.log_inv:.4f} +- {o.half_width:.4f}",
              o.note or "bracket closed"] for o in n_out]
    best = laws.fits[0].aic if laws.fits else 0.0
    lrows = [[f.name, _judge_law_class(f), ", ".join(f"{p:.5g}" for p in f.params), f"{f.aic:.2f}",
              f"{f.aic - best:.2f}", f"{math.sqrt(f.rss / len(f.residuals)):.4f}",
              ", ".join(f"{r:+.3f}" for r in f.residuals)] for f in laws.fits]
    return {"delta*(D), n = 3 (bisection on log10 delta)": {
                "columns": ["D", "all converge at", "one converges at", "log(1/delta*)", "G(D) derived", "runs",
                            "max dps", "note"], "rows": rows},
            "candidate laws for log(1/delta*)(D), best AIC first": {
                "columns": ["law", "class of delta*", "parameters", "AIC", "AIC - best", "rms residual",
                            "residuals"], "rows": lrows},
            f"delta* against n at D = {n_out[0].case.D}": {
                "columns": ["n", "y_s(n)", "all converge at", "one converges at", "log(1/delta*)", "note"],
                "rows": nrows}}


def _figures(laws: LawComparison, d_out: list, n_out: list) -> dict:
    xs = list(laws.D)
    fig = {"kind": "line", "title": "Theorem 3.4: the initialisation threshold delta*(D), n = 3",
           "xlabel": "D = |b|", "ylabel": "log(1/delta*)",
           "series": [{"label": "measured (bracket midpoint)", "x": xs, "y": list(laws.log_inv), "style": "points"}],
           "caption": f"Above delta* one parameter converges and the rest diverge; below it all converge "
                      f"(eta = {ETA_34}). Dashed: candidate laws fitted by least squares."}
    res = {"kind": "line", "title": "Residuals of the candidate laws", "xlabel": "D = |b|",
           "ylabel": "log(1/delta*) - law", "series": []}
    law_f = {law.name: law.f for law in LAWS}
    for f in laws.fits:
        fig["series"].append({"label": f"{f.name}, AIC {f.aic:.1f}", "x": xs,
                              "y": [float(v) for v in law_f[f.name](np.asarray(xs, float), *f.params)],
                              "style": "dashed"})
        res["series"].append({"label": f.name, "x": xs, "y": list(f.residuals), "style": "both"})
    figs = {"thm3.4 log(1/delta*) vs D": fig}
    if laws.fits:
        figs["thm3.4 law residuals"] = res
    figs["thm3.4 delta* vs n"] = {
        "kind": "line", "title": f"Theorem 3.4: delta* against n at D = {n_out[0].case.D}", "xlabel": "n",
        "ylabel": "log(1/delta*)",
        "series": [{"label": "measured", "x": [o.case.n for o in n_out], "y": [o.log_inv for o in n_out],
                    "style": "both"}]}
    return figs
