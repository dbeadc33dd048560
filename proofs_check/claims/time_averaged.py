"""The reviewers' open question: the paper's results under the time-averaged loss (OPEN QUESTION, issue 15).

``L_avg(mu) = integral lambda(t) L_t(e^-t mu; e^-t mu*) dt`` (:mod:`proofs_check.time_average`), trained
over the unscaled mu shared by every noise level.  Three claims, each a question with the suite's answer:

- ``tavg.stationary`` (a): Theorem 3.1's construction mu = (s, -s, 0), truth 0, under L_avg: the maximiser
  s* of L_avg along the line (Newton on the derived dL_avg/ds, t-nodes raised until s* converged, two
  precisions), its loss and its Hessian index (exact blocks, :func:`time_average.hessian_aligned`).  For the
  uniform weighting the substitution r = e^-t s gives dL_avg/ds = (phi(e^-t_min s) - phi(e^-t_max s)) /
  ((t_max - t_min) s), so s* must satisfy phi(e^-t_min s*) = phi(e^-t_max s*): an independent check.
- ``tavg.splitting`` (b): from Theorem 3.4's start (a_1 = delta above the fixed-t threshold, the others at 0,
  truth D) does time-averaged gradient descent still split?  Outcome map over (D, t_max), boundary bracketed
  by bisection in t_max; Figure 1's start (MATH.md 7) at the full scale.
- ``tavg.rates`` (c): the late log-log slope of L_avg in each regime.

Runs are float64 (:func:`time_average.evaluate` with the fixed float64 rule in x, ``inner="grid"``), with the
t-rule's error measured at the start (count against twice the count).  Shape: frozen cases -> a run per case
-> frozen outcomes -> pure judges (``judge_*``) -> tables and figures.

Over 500 lines because the three claims share their cases, runs and outcome types (SplitRun feeds (b) and (c))
and one module was assigned to the issue's claims.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from mpmath import mp

from .. import dynamics, hessian, objectives, stationary, time_average as ta
from ..fits import interval_text, short, window_slope
from ..numbers import Precision, agreed_digits, digits_between, fmt
from ..trajectory import ALL_CONVERGE, UNDECIDED
from ..weighting import Weighting
from . import REVIEWS, OPEN_QUESTION, Provenance, Verdict, claim, figure1, judged, worst
from .rules import judge_digits, judge_exponent

WHERE = "the paper's reviews (../shared/paper/overparam-score-matching-reviews.txt)"
DIGIT_SLACK = 5          # a converged quantity must keep all but this many of the lower precision's digits
ETA = "0.25"             # thm3.4's step size in the suite (claims.threshold.ETA_34)
FIG1_ETA = "0.1"         # Figure 1's start: 0.25 does not split at fixed t (threshold.split_growth), 0.1 does
T_NODES = 12             # float64 t-rule of the runs; its error is measured (T_ERR_MAX)
T_ERR_MAX = 1e-8         # largest relative loss change from T_NODES to 2 T_NODES accepted for the runs
MIN_FIT_POINTS = 8       # fewest recorded steps in [T/10, T] for a late slope
# The split law's window must lie late enough for its derived 1/log(t_c) correction to dominate the next terms,
# O(log log t_c / log^2 t_c) with unknown constants: log log t_c / log t_c <= 0.3 needs log t_c >= 6 (flow time
# t_c = eta T / sqrt(10) >= 400).  Earlier windows are INCONCLUSIVE (quick: t_c = 119 at 1500 steps).
MIN_LOG_CENTRE = 6.0
SPLIT = "split"          # some parameters converge, every other one diverges (one or more converge)


# ======================================================================= (a) stationary points
@dataclass(frozen=True)
class StationaryCase:
    """Theorem 3.1's line under L_avg with a weighting on [t_min, t_max], at ``dps`` digits (n = 3)."""

    kind: str
    t_min: str
    t_max: str
    dps: int


@dataclass(frozen=True)
class StationaryOutcome:
    """s* (two precisions), its loss, the stationarity residual, the uniform check and the Hessian spectra."""

    kind: str
    t_min: str
    t_max: str
    dps: tuple               # (lower, higher)
    counts: tuple            # t-nodes at which s* converged, per precision
    s_star: str
    s_digits: int
    loss: str
    loss_value: float
    loss_digits: int
    newton_digits: int       # -log10(|last Newton step| / s*) at the higher precision
    prediction_digits: int | None   # uniform only: phi(e^-t_min s*) = phi(e^-t_max s*)
    eig_parallel: tuple      # ascending, higher precision
    eig_parallel_lo: tuple
    eig_orthogonal: tuple
    eig_orthogonal_lo: tuple
    zero_tol: float          # |eigenvalue| below it at both precisions: zero (the rotation mode)


def weighting_of(kind: str, t_min: str, t_max: str) -> Weighting:
    """The weighting named ``kind`` ("uniform" or "variance") on [t_min, t_max]."""
    return Weighting.variance(t_min, t_max) if kind == "variance" else Weighting.uniform(t_min, t_max)


def _newton_s(w, prec, s0, start):
    """(s*, count, previous count, L, last step): Newton on dL_avg/ds, t-nodes raised until s* is stable."""
    with prec.active():
        tol = prec.tolerance()
        s, count, prev, prev_count = mp.mpf(s0), start, None, start
        small = mp.mpf(10) ** (-(prec.dps + 2))
        for _ in range(80):
            L, d1, d2 = ta.along_line(s, 1, w, count, tol)
            step = d1 / d2
            new = s - step if (d2 < 0 and s - step > 0) else (s * 5 / 4 if d1 > 0 else s * 4 / 5)
            if abs(step) <= small * s and d2 < 0:
                if prev is not None and abs(new - prev) <= s * mp.mpf(10) ** (-prec.dps):
                    return new, count, prev_count, L, step
                prev, prev_count, count = new, count, int(math.ceil(count * ta.GROWTH))
            s = new
        raise ArithmeticError(f"s* not converged ({w.describe()}, {prec.dps} digits)")


def run_stationary(case: StationaryCase) -> StationaryOutcome:
    """s* of L_avg on thm3.1's line at two precisions, its loss, residual, uniform check and Hessian."""
    w = weighting_of(case.kind, case.t_min, case.t_max)
    r_star, _ = stationary.locate_r_star(1, 20)
    lo_p = Precision(case.dps)
    hi_p = lo_p.higher()
    with lo_p.active():
        s0 = r_star * mp.exp((w.t_min + w.t_max) / 2)
    res = {}
    start = ta.START_COUNT
    for p in (lo_p, hi_p):
        s, count, prev_count, L, step = _newton_s(w, p, s0 if p is lo_p else res[lo_p][0], start)
        with p.active():
            H = ta.hessian_aligned([0, s, -s], [1, 1, 1], w, count, p.tolerance())
            eig = (hessian.eigenvalues(H["parallel"]), hessian.eigenvalues(H["orthogonal"]))
        res[p] = (s, count, L, step, eig)
        start = prev_count
    s, count, L, step, eig = res[hi_p]
    s_lo, count_lo, L_lo, _, eig_lo = res[lo_p]
    with hi_p.active():
        pred = None
        if case.kind == "uniform":
            a = hessian.along_r(mp.exp(-w.t_min) * s, 1, hi_p.tolerance())[0]
            b = hessian.along_r(mp.exp(-w.t_max) * s, 1, hi_p.tolerance())[0]
            pred = digits_between(a - b, a, cap=hi_p.dps)
        s_d = min(agreed_digits(s, s_lo), lo_p.dps)
        L_d = min(agreed_digits(L, L_lo), lo_p.dps)
        scale = max(abs(e) for e in eig[0] + eig[1])
        zero_tol = float(scale * mp.mpf(10) ** (-(lo_p.dps - DIGIT_SLACK)))
        return StationaryOutcome(
            case.kind, case.t_min, case.t_max, (lo_p.dps, hi_p.dps), (count_lo, count), fmt(s, s_d), s_d,
            fmt(L, L_d), float(L), L_d, digits_between(step, s, cap=hi_p.dps), pred,
            tuple(float(e) for e in eig[0]), tuple(float(e) for e in eig_lo[0]),
            tuple(float(e) for e in eig[1]), tuple(float(e) for e in eig_lo[1]), zero_tol)


def spectrum_index(hi: tuple, lo: tuple, zero_tol: float) -> tuple:
    """(negative, zero, positive, undecided) counts: an eigenvalue is decided when both precisions give the same
    sign and differ by under a tenth of it, or both are below ``zero_tol`` (zero)."""
    neg = zero = pos = undecided = 0
    for a, b in zip(hi, lo):
        if abs(a) <= zero_tol and abs(b) <= zero_tol:
            zero += 1
        elif a * b > 0 and abs(a - b) < abs(a) / 10 and abs(a) > zero_tol:
            if a < 0:
                neg += 1
            else:
                pos += 1
        else:
            undecided += 1
    return neg, zero, pos, undecided


def judge_stationary(outcomes) -> Verdict:
    """Judged: s* agrees at two precisions, its Newton residual, the uniform check phi(e^-t_min s*) =
    phi(e^-t_max s*), a nonzero loss and a decided Hessian sign pattern, each to all but DIGIT_SLACK digits;
    the answer (s*, loss, index) is MEASURED."""
    if not outcomes:
        return Verdict.inconclusive("no case run")
    parts, answers = [], []
    for o in outcomes:
        tag = f"{o.kind} on [{o.t_min}, {o.t_max}]"
        need = o.dps[0] - DIGIT_SLACK
        parts.append(judge_digits(o.s_digits, need, f"{tag}: s* at {o.dps[0]} and {o.dps[1]} digits"))
        parts.append(judge_digits(o.newton_digits, need, f"{tag}: last Newton step relative to s*"))
        if o.prediction_digits is not None:
            parts.append(judge_digits(o.prediction_digits, need, f"{tag}: phi(e^-t_min s*) = phi(e^-t_max s*)"))
        if not (o.loss_value > 0 and o.loss_digits >= 1):
            parts.append(Verdict.failed(f"{tag}: the loss at s* ({o.loss}, {o.loss_digits} digits) is not a "
                                        "resolved positive number"))
        par = spectrum_index(o.eig_parallel, o.eig_parallel_lo, o.zero_tol)
        perp = spectrum_index(o.eig_orthogonal, o.eig_orthogonal_lo, o.zero_tol)
        if par[3] or perp[3]:
            parts.append(Verdict.inconclusive(f"{tag}: {par[3] + perp[3]} Hessian eigenvalue sign(s) undecided "
                                              f"between the precisions (parallel {o.eig_parallel} vs "
                                              f"{o.eig_parallel_lo}; orthogonal {o.eig_orthogonal} vs "
                                              f"{o.eig_orthogonal_lo})"))
        answers.append(f"{tag}: s* = {o.s_star}, L_avg(s*) = {o.loss}, index {par[0]} (d = 1), "
                       f"{par[0]} + {perp[0]}(d - 1) in d dimensions")
    return worst(*parts, Verdict.measured("stationary with nonzero loss: " + "; ".join(answers)))


# ======================================================================= (b) splitting
@dataclass(frozen=True)
class SplitCase:
    """One time-averaged run: ``start`` ("thm3.4" d = 1 or "fig1" d = 3), distance D, window [t_min, t_max]
    (t_max == t_min: the fixed-t loss at t = 0, objective forward-grid), step size, budget."""

    start: str
    D: float
    log10_delta: float       # thm3.4 only (fig1: 1e-7 z_i)
    t_min: str
    t_max: str
    eta: str
    steps: int
    seed: int = 0
    record: bool = False     # keep the loss series (rates)


@dataclass(frozen=True)
class SplitRun:
    """A run's outcome (the engine's classifier), its end distances, loss series and t-rule error."""

    start: str
    D: float
    t_min: str
    t_max: str
    outcome: str
    reason: str
    steps_taken: int
    end: tuple
    t_error: float           # relative change of L_avg at the start from T_NODES to 2 T_NODES (0 for fixed t)
    n_near: int = 0          # parameters (with multiplicity) within the converge radius at the end
    n_far: int = 0           # parameters farther than the divergence distance and moving away
    n: int = 0
    steps: tuple = ()
    L: tuple = ()

    @property
    def regime(self) -> str:
        """SPLIT (some converge, the rest diverge), ALL_CONVERGE, or UNDECIDED."""
        if self.outcome == ALL_CONVERGE:
            return ALL_CONVERGE
        if self.n_far > 0 and self.n_near + self.n_far == self.n:
            return SPLIT
        return UNDECIDED

    @property
    def label(self) -> str:
        """The regime with its counts, e.g. 'split: 2 converge, 3 diverge'."""
        if self.regime == SPLIT:
            return f"split: {self.n_near} converge, {self.n_far} diverge"
        return self.regime


def _start(case: SplitCase):
    if case.start == "thm3.4":
        return [[10.0 ** case.log10_delta], [0.0]], [case.D], [1, 2]
    Z = np.random.default_rng(case.seed).standard_normal((5, 3))
    return [[case.D + 1e-7 * z[0], 1e-7 * z[1], 1e-7 * z[2]] for z in Z], [0.0, 0.0, 0.0], None


def run_split(case: SplitCase) -> SplitRun:
    """Gradient descent (float64, dynamics engine) on L_avg, uniform on the case's window, from its start."""
    A0, b, mult = _start(case)
    qmc = 9
    if case.t_max == case.t_min:
        name, t_err = "forward-grid", 0.0
    else:
        w = Weighting.uniform(case.t_min, case.t_max)
        name = f"time-averaged-grid[{case.t_min},{case.t_max}]"
        objectives.register(name, ta.objective(w, T_NODES, "grid"), replace=True)
        one = ta.evaluate(A0, b, mult, w, T_NODES, inner="grid", qmc_points=qmc).loss
        two = ta.evaluate(A0, b, mult, w, 2 * T_NODES, inner="grid", qmc_points=qmc).loss
        t_err = abs(one - two) / abs(two)
    tr = dynamics.run(A0, b, multiplicity=mult, eta=case.eta, steps=case.steps, objective=name,
                      backend="float64", stop_when_decided=not case.record, escape_radius=1e6, progress=False,
                      qmc_points=qmc, seed=case.seed)
    end = tuple(float(x) for x in tr.distances(len(tr.steps) - 1))
    m = mult or [1] * len(A0)
    near = sum(m[g] for g in (tr.converged_groups or ()))
    far = sum(m[g] for g in (tr.diverged_groups or ()))
    keep = (tuple(float(s) for s in tr.steps), tuple(float(v) for v in tr.losses)) if case.record else ((), ())
    return SplitRun(case.start, case.D, case.t_min, case.t_max, tr.outcome, tr.reason, tr.steps_taken, end,
                    t_err, near, far, sum(m), *keep)


@dataclass(frozen=True)
class Boundary:
    """The bracket [lo, hi] of t_max where the outcome changes, for one start."""

    start: str
    D: float
    lo: float                # largest t_max seen with lo_outcome
    hi: float
    lo_outcome: str
    hi_outcome: str


def bracket(runs, start: str, D: float) -> Boundary | None:
    """The first change of outcome along t_max among decided runs of one start (None: no change)."""
    mine = sorted((float(r.t_max), r.regime) for r in runs if r.start == start and r.D == D and
                  r.regime != UNDECIDED)
    for (a, oa), (b, ob) in zip(mine, mine[1:]):
        if oa != ob:
            return Boundary(start, D, a, b, oa, ob)
    return None


def judge_splitting(runs, boundaries) -> Verdict:
    """Judged: the fixed-t control splits (the premise: delta above the fixed-t threshold), no run undecided,
    the t-rule's error below T_ERR_MAX, every bracket's ends decided and different; the map is MEASURED."""
    if not runs:
        return Verdict.inconclusive("no run")
    parts, answers = [], []
    for r in runs:
        tag = f"{r.start} D = {r.D} on [{r.t_min}, {r.t_max}]"
        if r.t_max == r.t_min and r.regime != SPLIT:
            parts.append(Verdict.inconclusive(f"{tag}: the fixed-t control did not split ({r.label}): the start "
                                              "is not above the fixed-t threshold"))
        if r.regime == UNDECIDED:
            parts.append(Verdict.inconclusive(f"{tag}: undecided after {r.steps_taken} steps ({r.reason})"))
        if not r.t_error <= T_ERR_MAX:
            parts.append(Verdict.failed(f"{tag}: t-rule error {r.t_error:.2g} above {T_ERR_MAX:g}"))
    for bd in boundaries:
        if bd.lo_outcome == bd.hi_outcome or UNDECIDED in (bd.lo_outcome, bd.hi_outcome) or not bd.lo < bd.hi:
            parts.append(Verdict.failed(f"{bd.start} D = {bd.D}: bracket [{bd.lo}, {bd.hi}] holds no change of "
                                        f"outcome ({bd.lo_outcome} / {bd.hi_outcome})"))
        else:
            answers.append(f"{bd.start} D = {bd.D}: {bd.lo_outcome} for t_max <= {bd.lo:g}, {bd.hi_outcome} from "
                           f"t_max = {bd.hi:g}")
    seen = sorted({(r.start, r.D) for r in runs})
    for s, D in seen:
        if not any(bd.start == s and bd.D == D for bd in boundaries):
            kinds = sorted({r.label for r in runs if (r.start, r.D) == (s, D)})
            answers.append(f"{s} D = {D}: no change of outcome over the t_max map ({', '.join(kinds)})")
    return worst(*parts, Verdict.measured("; ".join(answers)))


# ======================================================================= (c) rates
def judge_rates(runs, predictions) -> Verdict:
    """Late log-log slope of L_avg over [T/10, T] per regime: a one-converges run is judged against the
    derived -1 - 1/log(tau_c) +- 1/log(tau_c) (figure1.slope_prediction: the receding share's law holds for any
    Gaussian-tailed share, so also for the t-average) once log t_c >= MIN_LOG_CENTRE (earlier: INCONCLUSIVE);
    an all-converge slope is MEASURED (no derived law)."""
    if not runs:
        return Verdict.inconclusive("no run")
    parts, answers = [], []
    for r, (fit, pred, tol) in zip(runs, predictions):
        tag = f"{r.start} D = {r.D} on [{r.t_min}, {r.t_max}] ({r.label})"
        if fit is None or fit.points < MIN_FIT_POINTS:
            parts.append(Verdict.inconclusive(f"{tag}: fewer than {MIN_FIT_POINTS} points in [T/10, T]"))
            continue
        answers.append(f"{tag}: slope {interval_text(fit)}")
        if r.regime == SPLIT and tol > 1 / MIN_LOG_CENTRE:
            parts.append(Verdict.inconclusive(f"{tag}: window too early for the split law (log t_c = "
                                              f"{1 / tol:.2f} < {MIN_LOG_CENTRE}); slope {interval_text(fit)}"))
        elif r.regime == SPLIT:
            parts.append(judge_exponent(fit, pred, tol, f"{tag} late slope"))
        elif r.regime != ALL_CONVERGE:
            parts.append(Verdict.inconclusive(f"{tag}: regime undecided ({r.reason})"))
    return worst(*parts, Verdict.measured("; ".join(answers)))


def split_slope_prediction(T: float, eta: float) -> tuple:
    """(slope, tolerance) over [T/10, T] steps for a split run: Figure 1's derived -1 - 1/log(t_c) +- 1/log(t_c),
    t_c = eta T/sqrt(10) (:func:`figure1.slope_prediction`, its one home).

    A receding share A(R) = C R^m exp(-R^2/kappa) of the loss gives L ~ kappa / (4 t log t) in flow time
    t = eta * steps, whatever m and kappa; the t-average of such shares over a window is again of that form
    (dominated by t_max's edge), so the law carries over.
    """
    return figure1.slope_prediction(T, eta)


def late_fit(r: SplitRun, eta: float):
    """(window slope over [T/10, T], predicted slope, tolerance) of a recorded run."""
    s, L = np.array(r.steps), np.array(r.L)
    T = s[-1]
    return (window_slope(s, L, T / 10, T),) + split_slope_prediction(T, eta)


# ======================================================================= cases, checks, tables, figures
PROVENANCE_A = Provenance(REVIEWS, WHERE, assumed=(
    "n = 3 (mu_3 = 0), d = 1 and its orthogonal block for d >= 2; uniform weightings on several windows and "
    "the variance weighting 1 - e^-2t; precisions 12/22 (quick) and 20/30 (full) digits"))
PROVENANCE_B = Provenance(REVIEWS, WHERE, assumed=(
    "uniform weighting on [0, t_max]; thm3.4's start with n = 3, eta = 0.25 (as claims.threshold) and delta "
    "above the fixed-t threshold (checked by the fixed-t control run); Figure 1's start (MATH.md 7: n = 5, "
    "d = 3, mu* = 0, (M, 0, 0) + 1e-7 z_i, M = 6) with eta = 0.1 (the paper's 0.01 needs 20,000 steps; 0.25 "
    "does not split at fixed t); float64 engine (fixed rule in x, 12 Gauss-Legendre nodes in t)"))
PROVENANCE_C = Provenance(REVIEWS, WHERE, assumed="as tavg.splitting; runs not stopped when decided")


def _stationary_cases(scale):
    if scale == "quick":
        return [StationaryCase("uniform", "0", "1", 12)]
    wins = [("0", "0.5"), ("0", "1"), ("0", "2"), ("0", "4"), ("0.5", "1.5"), ("1", "3")]
    return [StationaryCase("uniform", a, b, 20) for a, b in wins] + [StationaryCase("variance", "0", "2", 20)]


@claim("tavg.stationary", "reviews: time-averaged loss; Theorem 3.1", OPEN_QUESTION,
       "Does Theorem 3.1's construction (mu_1 = s e_1, mu_2 = -s e_1, mu_i = 0, truth 0) still give a stationary "
       "point with nonzero loss under the time-averaged loss L_avg = integral lambda(t) L_t(e^-t mu) dt?  Where is "
       "it (s*), and what is its Hessian index as t_min and t_max vary?", provenance=PROVENANCE_A)
def check_stationary(scale, seed):
    """Newton on the derived dL_avg/ds along the line (t-nodes raised until s* is stable) at two precisions;
    the loss and the exact Hessian blocks (parallel, orthogonal) at s*; for uniform weightings the independent
    condition phi(e^-t_min s*) = phi(e^-t_max s*).  By the mirror symmetry the other gradient components vanish,
    so dL_avg/ds = 0 is stationarity."""
    from ..executor import pool_map
    outs = pool_map(run_stationary, _stationary_cases(scale))
    v = judge_stationary(outs)
    cols = ["weighting", "window", "t-nodes", "s*", "digits", "L_avg(s*)", "parallel eigenvalues",
            "orthogonal eigenvalues", "index d = 1", "phi check digits"]
    rows = []
    for o in outs:
        par = spectrum_index(o.eig_parallel, o.eig_parallel_lo, o.zero_tol)
        rows.append([o.kind, f"[{o.t_min}, {o.t_max}]", f"{o.counts[0]} / {o.counts[1]}", o.s_star, o.s_digits,
                     o.loss, ", ".join(short(e, 4) for e in o.eig_parallel),
                     ", ".join(short(e, 4) for e in o.eig_orthogonal), par[0], o.prediction_digits])
    uni = [o for o in outs if o.kind == "uniform" and o.t_min == "0"]
    fig = {"kind": "line", "title": "thm3.1's stationary point under L_avg (uniform on [0, t_max])",
           "xlabel": "t_max", "ylabel": "s*",
           "series": [{"label": "s*", "x": [float(o.t_max) for o in uni], "y": [o.s_star for o in uni],
                       "style": "both"}],
           "caption": "s* grows with the window: the line's maximiser at fixed t is r* = 2.5506 (t = 0)."}
    metrics = [judged_metric(o) for o in outs]
    return judged("tavg.stationary", v, metrics=metrics, tables={"stationary points of L_avg": {
        "columns": cols, "rows": rows}}, figures={"s_star": fig})


def judged_metric(o):
    """One metric per stationary case: s* with its agreed digits."""
    from . import Metric
    par = spectrum_index(o.eig_parallel, o.eig_parallel_lo, o.zero_tol)
    perp = spectrum_index(o.eig_orthogonal, o.eig_orthogonal_lo, o.zero_tol)
    return Metric(f"s* ({o.kind} on [{o.t_min}, {o.t_max}])", o.s_star, o.s_digits,
                  f"L_avg(s*) = {o.loss}; Hessian index {par[0]} (d = 1), orthogonal block {perp[0]} negative, "
                  f"{perp[1]} zero; t-nodes {o.counts}")


def _split_grid(scale):
    if scale == "quick":
        return [("thm3.4", 4.0, -2.0, ETA, ["0", "0.5"], 2, 3000)], []
    thm = [("thm3.4", D, ld, ETA, ["0", "0.1", "0.25", "0.5", "1", "2"], 4, 4000)
           for D, ld in ((4.0, -2.0), (5.0, -3.0), (6.0, -4.0))]
    fig = [("fig1", 6.0, 0.0, FIG1_ETA, ["0", "0.5", "2"], 0, 4000)]
    return thm, fig


def split_map(scale):
    """The outcome map over t_max per start, with the boundary bisected; returns (runs, boundaries)."""
    from ..executor import pool_map
    thm, fig = _split_grid(scale)
    groups = thm + fig
    cases = [SplitCase(s, D, ld, "0", tm, eta, steps) for s, D, ld, eta, tms, _, steps in groups for tm in tms]
    runs = list(pool_map(run_split, cases))
    bounds = []
    for s, D, ld, eta, _, iters, steps in groups:
        for _ in range(iters):
            bd = bracket(runs, s, D)
            if bd is None:
                break
            mid = f"{(bd.lo + bd.hi) / 2:.4g}"
            runs.append(run_split(SplitCase(s, D, ld, "0", mid, eta, steps)))
        bd = bracket(runs, s, D)
        if bd is not None:
            bounds.append(bd)
    return runs, bounds


@claim("tavg.splitting", "reviews: time-averaged loss; Theorem 3.4, Figure 1", OPEN_QUESTION,
       "From Theorem 3.4's start (a_1(0) = delta above the fixed-t threshold, the others at 0, truth at distance D) "
       "and from Figure 1's start (n = 5, d = 3, mu* = 0, mu_i(0) = (M, 0, 0) + 1e-7 z_i, M = 6), do all parameters "
       "converge under time-averaged gradient descent, or does the split persist?  Where is the boundary in "
       "t_max?", provenance=PROVENANCE_B)
def check_splitting(scale, seed):
    """Float64 gradient descent on L_avg (uniform on [0, t_max]) through the dynamics engine and its classifier
    (all converge / one converges, the rest diverge); t_max = 0 is the fixed-t control, which must split.  The
    first change of outcome along the t_max grid is bisected (boundary bracket).  Figure 1's start at the full
    scale only (d = 3, about 0.3 s a step)."""
    runs, bounds = split_map(scale)
    v = judge_splitting(runs, bounds)
    rows = [[r.start, r.D, f"[{r.t_min}, {r.t_max}]", r.label, r.steps_taken,
             ", ".join(short(x, 3) for x in r.end), f"{r.t_error:.1e}"] for r in runs]
    series = []
    for kind in sorted({r.label for r in runs}):
        sel = [r for r in runs if r.label == kind]
        if sel:
            series.append({"label": f"{kind}", "x": [r.D + (0.1 if r.start == "fig1" else 0) for r in sel],
                           "y": [float(r.t_max) for r in sel]})
    fig = {"kind": "scatter", "title": "Outcome of time-averaged GD over (D, t_max)", "xlabel": "D (M for fig1, +0.1)",
           "ylabel": "t_max (uniform on [0, t_max]; 0 = fixed t)", "series": series,
           "caption": "thm3.4 start (delta above the fixed-t threshold) and Figure 1's start."}
    from . import Metric
    metrics = [Metric(f"boundary t_max ({bd.start}, D = {bd.D})", f"[{bd.lo:g}, {bd.hi:g}]", None,
                      f"{bd.lo_outcome} below, {bd.hi_outcome} above") for bd in bounds]
    metrics.append(Metric("largest t-rule error (float64, 12 vs 24 nodes)", f"{max(r.t_error for r in runs):.1e}",
                          None, f"judged against {T_ERR_MAX:g}"))
    return judged("tavg.splitting", v, metrics=metrics,
                  tables={"time-averaged runs": {"columns": ["start", "D", "window", "outcome", "steps",
                                                             "end |mu_i - mu*|", "t-rule error"], "rows": rows}},
                  figures={"outcome_map": fig})


def _rate_cases(scale):
    steps = 1500 if scale == "quick" else 10000
    return [SplitCase("thm3.4", 4.0, -2.0, "0", tm, ETA, steps, record=True) for tm in ("0", "0.1", "1")]


@claim("tavg.rates", "reviews: time-averaged loss; Theorems 3.5/3.7", OPEN_QUESTION,
       "How fast does the time-averaged loss decay in each regime (all converge; one converges, the rest "
       "diverge)?", provenance=PROVENANCE_C)
def check_rates(scale, seed):
    """Long runs from thm3.4's start (D = 4, delta = 1e-2) at t_max = 0 (fixed t), 0.1 (split persists) and 1
    (all converge); late log-log slope of L_avg over [T/10, T] (fits.window_slope, 95 % interval)."""
    from ..executor import pool_map
    runs = pool_map(run_split, _rate_cases(scale))
    preds = [late_fit(r, float(ETA)) for r in runs]
    v = judge_rates(runs, preds)
    from . import Metric
    metrics = [Metric(f"late slope (t_max = {r.t_max}, {r.label})", interval_text(f), None,
                      f"prediction {p} +- {tol} (judged for one-converges only)") for r, (f, p, tol) in zip(runs, preds)]
    fig = {"kind": "loglog", "title": "L_avg along time-averaged GD (thm3.4 start, D = 4)", "xlabel": "step",
           "ylabel": "L_avg", "series": [{"label": f"t_max = {r.t_max} ({r.label})",
                                          "x": [s + 1 for s in r.steps], "y": list(r.L)} for r in runs]}
    return judged("tavg.rates", v, metrics=metrics, figures={"loss_curves": fig})
