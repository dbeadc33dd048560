"""Theorem 3.5: far initialisation, one survivor, L = O(1/tau) (statement recovered from the secondary summary).

Frozen cases (:class:`FarCase`) -> runs through the dynamics engine returning typed outcomes
(:class:`FarOutcome`) -> a pure judge (``judge_thm35``) that only compares the outcomes' fields with
the named constants below.  The O(1/tau) part is decided from the asymptotic law of L(tau)
(:mod:`proofs_check.claims.far_law`, which also holds Theorem 3.7).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import dynamics, fits
from ..fits import Slope, interval_text, short
from ..executor import pool_map
from . import Metric, Verdict, claim, judged, secondary, worst
from . import descent
from .far_law import LawEvidence, evidence, judge_law, law_figure, law_metrics, law_table
from .random_initialisation import conditions
from .rules import CONVERGE_RADIUS

# -- Theorem 3.5: the constants of its judge ------------------------------------------------
# L <= C/tau means tau L bounded.  Over the last decade [T/10, T] a local log-log slope s of L makes
# tau L change by the factor 10^(s + 1): any s > -1 that persists is unbounded growth of tau L.
# "Eventually" leaves a transient, derived here.  A parameter at distance r from b (the survivor at b)
# moves at a speed ~ exp(-r^2/8) (Lemma C.2's exponent c = 1/8: its weight lives where <x, u> > r/2),
# so r^2 ~ 8 log(tau + tau_0) with tau_0 = exp(r_0^2/8) for a start at r_0, and L ~ exp(-r^2/8) ~
# 1/(tau + tau_0) up to powers of log tau.  That law obeys L <= C/tau, yet its slope over [T/10, T]
# exceeds -1 by a computable amount (0.4 tau_0/(T/10) when tau_0 << T/10): the run's TRANSIENT,
# computed from the farthest diverging parameter's start r_0 (run side) and added to the bound.
ESCAPE_EXPONENT = 1 / 8
# Beyond LATE_SLOPE_TOL + TRANSIENT the slope fails.  LATE_SLOPE_TOL = 0.01 admits the next-order
# term (L = C/tau - C'/tau^2 has slope -1 + O(C'/(C tau)) = O(10^-2) at tau >= 100) and a rise of
# tau L of at most 2.3 % per decade; a true power L = tau^-(1 - q) with q > 0.01 + transient fails.
LATE_SLOPE_TOL = 0.01
# A decade whose transient exceeds MAX_TRANSIENT is dominated by it (a tau^-0.9 could hide there):
# the run is too short to judge L <= C/tau, INCONCLUSIVE.  (D = 8 would need > 10^5 steps: tau_0 ~ 7e3.)
MAX_TRANSIENT = 0.1
# The proof's first stage (the closest parameter reaches b) lasts O(log D / eta) steps, about 4 at
# D <= 6, eta = 0.5; the judged decade must start 25x past it, else the run is too short: INCONCLUSIVE.
MIN_DECADE_START = 100
# "D large" is the hypothesis D >= D_0(n).  D_0(n) is measured before judging by a sweep of aligned
# initialisations over D: the smallest swept D from which every larger swept D gives the outcome.
# It counts as measured only with at least D0_MIN_POINTS swept D at or above it (itself and two
# larger), so that a single success at the top of the grid does not define a threshold.
D0_MIN_POINTS = 3
# The float64 forward-grid trajectory must agree with the 25-digit mpmath engine to 10 digits
# (the grid is exact to double precision; 10 leaves 5 digits for the accumulated rounding).
XCHECK_DIGITS = 10


@dataclass(frozen=True)
class FarCase:
    """One far initialisation: aligned (d = 1, exact offsets) or random (c + 0.5 z meeting lemD.3's conditions)."""

    kind: str
    d: int
    n: int
    D: float
    eta: float
    steps: int
    qmc: int
    seed: int
    role: str = "sweep"      # "sweep" (measures D_0(n)) or "test" (judged against D_0(n))


@dataclass(frozen=True)
class FarOutcome:
    """Numbers of one run: the final outcome (dynamics.final_outcome) and the late decay of L."""

    case: FarCase
    outcome: dynamics.FinalOutcome
    T: float                      # last recorded step
    late_slope: Slope | None      # log-log slope of L over [T/10, T] with its interval
    tauL_start: float             # tau L at the first recorded step >= T/10
    tauL_end: float               # tau L at T
    transient: float              # slope excess over -1 of 1/(tau + tau_0) on [T/10, T] (see ESCAPE_EXPONENT)
    alpha: tuple                  # d|a_j - b|^2 / d log tau over the last decade, diverging j
    steps: tuple
    losses: tuple
    final_params: tuple
    meets_conditions: bool = True  # lemD.3's conditions (1), (2) at the start (Theorem 3.5's hypotheses)

    @property
    def survivor_is_closest(self) -> bool:
        """Theorem 3.5's outcome: exactly the initially closest parameter converged, the rest receded."""
        return self.outcome.survivor_is_closest


def _aligned_offsets(n):
    return list(np.linspace(0.4, -0.5, n)) if n > 1 else [0.0]


def _initial(case: FarCase, b):
    """(initial parameters, their centre c)."""
    if case.kind == "aligned":
        c = np.array([case.D] + [0.0] * (case.d - 1))
        return np.array([[case.D + o] + [0.0] * (case.d - 1) for o in _aligned_offsets(case.n)]), c
    rng = np.random.default_rng(case.seed)
    e = rng.standard_normal(case.d)
    c = case.D * e / np.linalg.norm(e)
    for _ in range(1000):      # the first draw meeting both conditions (thm3.5's hypotheses)
        A0 = c + 0.5 * rng.standard_normal((case.n, case.d))
        c1, c2, _ = conditions(A0, c, b)
        if c1 and c2:
            return A0, c
    raise RuntimeError(f"no draw met lemD.3's conditions for {case}")


def run_far(case: FarCase) -> FarOutcome:
    """One far-initialisation run through the dynamics engine (float64 forward-grid objective)."""
    b = np.zeros(case.d)
    A0, c = _initial(case, b)
    c1, c2, _ = conditions(A0, c, b)
    tr = descent.run(A0, b, case.eta, case.steps, qmc_points=case.qmc, seed=case.seed, dense_steps=10,
                     per_decade=20)
    s, L = descent.series(tr)
    dist = np.array([[float(x) for x in tr.distances(j)] for j in range(len(s))])
    fo = dynamics.final_outcome(dist[0], dist[-1], CONVERGE_RADIUS)
    T = float(s[-1])
    late = s >= T / 10
    j0 = int(np.flatnonzero(late)[0])
    mm = late & (s > 0)
    others = [j for j in range(case.n) if j != fo.closest]
    # growth of the diverging parameters: |a_j - b|^2 against log tau over the last decade
    alpha = tuple(fits.slope(np.log(s[mm]), dist[mm, j] ** 2).value for j in others) if mm.sum() > 2 else ()
    tau0 = np.exp(ESCAPE_EXPONENT * max(dist[0, j] for j in others) ** 2) if others else 0.0
    model_slope = fits.window_slope(s, 1 / (s + tau0), T / 10, T)
    transient = float(model_slope.value + 1) if model_slope is not None else float("inf")
    return FarOutcome(case, fo, T, fits.window_slope(s, L, T / 10, T), float(s[j0] * L[j0]), float(T * L[-1]),
                      transient, alpha, tuple(s.tolist()), tuple(L.tolist()),
                      tuple(tuple(float(v) for v in row) for row in tr.params[-1]), c1 and c2)


# -- the judge of Theorem 3.5 (pure: comparisons of outcome fields only) ------------------------
def judge_d0(sweep: Sequence[FarOutcome]) -> float | None:
    """D_0 of one n: the smallest swept D from which every larger swept D gives the outcome
    (None when fewer than D0_MIN_POINTS swept D, itself included, give it from there on)."""
    above = []
    for r in sorted(sweep, key=lambda r: r.case.D, reverse=True):
        if not r.survivor_is_closest:
            break
        above.append(r.case.D)
    if len(above) < D0_MIN_POINTS:
        return None
    return above[-1]


def judge_late_slope(r: FarOutcome) -> Verdict:
    """L <= C/tau on one run: the last-decade slope's interval against -1 + LATE_SLOPE_TOL + the transient."""
    tag = f"{r.case.kind} d={r.case.d} n={r.case.n} D={r.case.D}"
    if r.late_slope is None or r.T / 10 < MIN_DECADE_START or r.transient > MAX_TRANSIENT:
        return Verdict.inconclusive(f"{tag}: run too short ({int(r.T)} steps; transient {r.transient:.3f}, at most "
                                    f"{MAX_TRANSIENT}; decade from step {MIN_DECADE_START} on)")
    s, bound = r.late_slope, -1 + LATE_SLOPE_TOL + r.transient
    text = f"{tag}: late slope {s.value:.4f} [{s.lo:.4f}, {s.hi:.4f}]"
    if s.hi <= bound:
        return Verdict.passed(f"{text}, not above {bound:.4f}")
    if s.lo > bound:
        return Verdict.failed(f"{text}, wholly above {bound:.4f} (-1 + {LATE_SLOPE_TOL} + transient "
                              f"{r.transient:.3f}): tau L grows like tau^{s.value + 1:.3f}")
    return Verdict.inconclusive(f"{text} straddles {bound:.4f}")


def judge_thm35(sweep: Sequence[FarOutcome], tests: Sequence[FarOutcome], xcheck_digits: float,
                law: LawEvidence | None) -> Verdict:
    """Theorem 3.5 with its hypothesis "D at least D_0(n)", D_0 from ``sweep``; ``tests``: runs outside the sweep;
    ``law``: the far-regime law's evidence (claims/far_law.py), which decides "L = O(1/tau)" (tau L bounded).

    A run meets the hypotheses when it starts with lemD.3's conditions (1), (2), from D_0(n) on.
    FAIL: such a run without the outcome (a counterexample); a late slope decisively above -1; the
    float64 trajectory off the mpmath engine; the law giving tau L -> oo; the law failing its checks
    (against GD, against the reduced model).  INCONCLUSIVE: no D_0 measured for an n; no test run
    meeting the hypotheses (the sweep alone would judge D_0 by itself); a slope undecided; no law."""
    parts = [judge_law(law, "tau L", "finite") if law is not None
             else Verdict.inconclusive("no law evidence for L = O(1/tau)")]
    if xcheck_digits < XCHECK_DIGITS:
        parts.append(Verdict.failed(f"float64 trajectory agrees with the mpmath engine to {xcheck_digits:.1f} "
                                    f"digits only (need {XCHECK_DIGITS})"))
    ns = sorted({r.case.n for r in sweep} | {r.case.n for r in tests})
    d0 = {n: judge_d0([r for r in sweep if r.case.n == n]) for n in ns}
    missing = [n for n in ns if d0[n] is None]
    if missing:
        parts.append(Verdict.inconclusive("no threshold D_0(n) measured (fewer than "
                                          f"{D0_MIN_POINTS} swept D with the outcome at the top) for n = "
                                          + ", ".join(map(str, missing))))
    held = [r for r in list(sweep) + list(tests)
            if d0[r.case.n] is not None and r.case.D >= d0[r.case.n] and r.meets_conditions]
    outside = [r for r in held if r.case.role == "test"]
    if not outside:
        parts.append(Verdict.inconclusive("no run outside the sweep from D_0(n) on"))
    bad = [r for r in held if not r.survivor_is_closest]
    if bad:
        parts.append(Verdict.failed(f"{len(bad)} out of {len(held)} runs from D_0(n) on miss the outcome: " +
                                    "; ".join(f"{r.case.kind} d={r.case.d} n={r.case.n} D={r.case.D}: final |a_i - b| "
                                              + ", ".join(short(x, 3) for x in r.outcome.end) for r in bad)))
    slopes = [judge_late_slope(r) for r in held if r.survivor_is_closest]
    off = [v for v in slopes if v.verdict != "PASS"]
    if off:
        parts.append(worst(*off))
    if all(v.verdict == "PASS" for v in parts):
        return Verdict.passed(f"{parts[0].reason}; all {len(held)} runs from D_0(n) ({', '.join(f'n={n}: {d0[n]}' for n in ns)}) on "
                              f"end with the closest parameter at b, the rest receding; no late slope above "
                              f"-1 + {LATE_SLOPE_TOL} + its transient")
    return worst(*parts)


# -- Theorem 3.5: cases and check ---------------------------------------------------------------
# The sweep stops at D = 6: beyond, the escape transient (tau_0 = exp(r_0^2/8)) outlasts an affordable run.
SWEEP_D_QUICK, SWEEP_D_FULL = (2.0, 3.0, 3.5, 4.0), (2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0)


def far_cases(scale: str, seed: int) -> list[FarCase]:
    """The aligned sweep over D (measures D_0(n)) and the random test runs (judged against it)."""
    if scale == "quick":
        sweep = [("aligned", 1, 3, D, 0.5, 1500, 12) for D in SWEEP_D_QUICK]
        tests = [("random", 2, 3, 4.0, 0.5, 1500, 11)]
    else:
        sweep = [("aligned", 1, n, D, 0.5, 10000, 12) for n in (3, 5) for D in SWEEP_D_FULL]
        tests = [("random", d, n, D, 0.5, 3000, 11) for d in (2, 3) for n in (3, 5) for D in (4.0, 5.0)]
    rows = [(c, "sweep") for c in sweep] + [(c, "test") for c in tests]
    return [FarCase(*c, seed * 65537 + 101 * i, role) for i, (c, role) in enumerate(rows)]


def _mpmath_crosscheck(steps):
    """The aligned D = 4 run's first steps at 25 digits (mpmath line rule) against forward-grid: digits."""
    A0 = [[4.0 + o] for o in _aligned_offsets(3)]
    hi = dynamics.run([[str(round(v[0], 12))] for v in A0], "0", eta="0.5", steps=steps, dps=25,
                      stop_when_decided=False, escape_radius=1e6)
    lo = descent.run([[float(str(round(v[0], 12)))] for v in A0], [0.0], 0.5, steps)
    a = np.array([[float(x) for x in row] for row in hi.final]).ravel()
    b = np.array(lo.final).ravel()
    return float(-np.log10(np.max(np.abs(a - b)) / np.max(np.abs(a)) + 1e-300))


def _warm(cases):
    descent.warm_compiled({(c.d, c.n) for c in cases})



# The paper's hypothesis (MATH.md section 7) on M_0 = |mu - mu*| (here D = |c - b|): M_0 > 10^9 sqrt(d) n^10,
# and its probability bound 1 - n^2 M_0^(-1/3) for the two conditions (non-vacuous only when M_0 > n^6).
def paper_threshold(d: int, n: int) -> float:
    """The paper's M_0 threshold 10^9 sqrt(d) n^10."""
    return 1e9 * d ** 0.5 * n ** 10


def probability_bound(n: int, M0: float) -> float:
    """The paper's lower bound 1 - n^2 M_0^(-1/3) on the probability of the two conditions (vacuous when <= 0)."""
    return 1 - n ** 2 * M0 ** (-1 / 3)


STATEMENT_35 = ("mu_i(0) ~ N(mu, I_d) i.i.d. with M_0 = |mu - mu*| > 10^9 sqrt(d) n^10; the two conditions hold with "
                "probability at least 1 - n^2 M_0^{-1/3}; then exactly one parameter converges to mu*, the others "
                "diverge, and L = O(1/tau) for tau >= tau_0")


@claim("thm3.5", "Theorem 3.5", "RECONSTRUCTED", STATEMENT_35, provenance=secondary(
    assumed="step size eta = 1/2 for every run (no step size was recovered; at 1/2 the converging parameter's map "
            "contracts in one step); D = M_0 swept over 2..6 with d = 1, 2, 3 and n = 3, 5, far below the paper's "
            "M_0 > 1e9 sqrt(d) n^10 (no run can reach it: the table says so per run), so the hypothesis 'M_0 large' "
            "is replaced by D >= D_0(n) with D_0(n) measured; starts c + 0.5 z (aligned: exact offsets) instead of "
            "c + z; the O(1/tau) part from the far-regime law (d = 1, n = 3, D = 4)"))
def check_thm35(scale, seed):
    """Gradient descent (dynamics engine, float64 forward-grid objective: a fixed 1025-node trapezoid rule on
    [-12, 12] for aligned configurations, accurate to double precision against the arbitrary-precision line
    rule; one fixed scrambled Sobol' set, a defensive importance-sampling mixture, for d >= 2).
    1. Sweep: aligned a_i = D + offsets (d = 1) over D measures D_0(n), the smallest swept D from which every
       larger swept D ends in the outcome (dynamics.final_outcome: exactly the initially closest parameter
       within 0.25 of b, every other farther from b than at the start).  Runs below D_0(n) are the evidence
       for it (e.g. D = 3, n = 5: two parameters converge) and are shown, not hidden.
    2. Test: random a_i = c + 0.5 z_i meeting lemD.3's conditions, at fixed D; those with D >= D_0(n) must
       end in the outcome (a failure is a counterexample: FAIL).
    3. L <= C/tau: on every run with D >= D_0(n), the log-log slope of L over the last decade [T/10, T]
       (95 % interval) must not lie above -1 + 0.01 (tau L would grow without bound); see LATE_SLOPE_TOL.
    4. L = O(1/tau) decided from the asymptotic law (claims/far_law.py): tau L -> 0 by the law (sympy), the
       reduced model keeps GD's clock to one step over [300, T] (T = 3000 quick, 10^4 full) and the law's
       truncation errors are the predicted ones out to tau = 1e7.
    Every run's table row says whether the paper's hypothesis M_0 > 1e9 sqrt(d) n^10 holds (it never does)
    and whether the bound 1 - n^2 M_0^(-1/3) is non-vacuous.
    The first steps are cross-checked against the 25-digit mpmath engine (>= 10 digits)."""
    cases = far_cases(scale, seed)
    _warm(cases)
    outs = pool_map(run_far, cases)
    sweep = [o for o in outs if o.case.role == "sweep"]
    tests = [o for o in outs if o.case.role == "test"]
    xsteps = 20 if scale == "quick" else 60
    xdig = _mpmath_crosscheck(xsteps)
    law = evidence(3000 if scale == "quick" else 10000, (100,), 13, 1e7, seed)
    verdict = judge_thm35(sweep, tests, xdig, law)
    d0 = {n: judge_d0([r for r in sweep if r.case.n == n]) for n in sorted({r.case.n for r in sweep})}
    rows = []
    for r in outs:
        n0 = d0.get(r.case.n)
        held = n0 is not None and r.case.D >= n0 and r.meets_conditions
        pb = probability_bound(r.case.n, r.case.D)
        rows.append([r.case.role, r.case.kind, r.case.d, r.case.n, r.case.D,
                     "yes" if r.case.D > paper_threshold(r.case.d, r.case.n) else
                     f"no (needs > {paper_threshold(r.case.d, r.case.n):.3g})",
                     f"{pb:.3f} ({'non-vacuous' if pb > 0 else 'vacuous'})", "yes" if r.meets_conditions else "no",
                     "yes" if held else "no",
                     int(r.T), "yes" if r.survivor_is_closest else "NO",
                     ", ".join(short(x, 3) for x in r.outcome.end), short(r.tauL_start, 4), short(r.tauL_end, 4),
                     interval_text(r.late_slope), f"{r.transient:.3f}", judge_late_slope(r).verdict if held else "not judged",
                     ", ".join(f"{a:.2f}" for a in r.alpha)])
    below = [r for r in sweep if d0[r.case.n] is not None and r.case.D < d0[r.case.n] and not r.survivor_is_closest]
    metrics = [
        Metric("measured threshold D_0(n) (aligned sweep over D = " +
               ", ".join(f"{D:g}" for D in sorted({r.case.D for r in sweep})) + ")",
               ", ".join(f"n={n}: {v if v is not None else 'none'}" for n, v in d0.items()),
               note=f"smallest swept D from which every larger swept D gives the outcome (>= {D0_MIN_POINTS} points)"),
        Metric(f"forward-grid vs mpmath engine (25 digits), aligned D=4, digits of the parameters after {xsteps} steps",
               f"{xdig:.1f}", note=f"need >= {XCHECK_DIGITS}"),
    ]
    judged_slopes = [r.late_slope for r in outs if d0.get(r.case.n) is not None and r.case.D >= d0[r.case.n]
                     and r.meets_conditions and r.late_slope is not None]
    if judged_slopes:
        top = max(judged_slopes, key=lambda s: s.hi)
        metrics.append(Metric("largest upper end of a judged late slope (last decade, 95 % interval)",
                              interval_text(top), note=f"L <= C/tau needs at most -1 + {LATE_SLOPE_TOL} + the run's "
                              "transient (table)"))
    if below:
        metrics.append(Metric("swept runs below D_0(n) without the outcome (why D_0 is where it is)",
                              "; ".join(f"n={r.case.n}, D={r.case.D}: final |a_i - b| " +
                                        ", ".join(short(x, 3) for x in r.outcome.end) for r in below)))
    shown = [r for r in outs if r.case.kind == "aligned" or r.case.D == min(t.case.D for t in tests)]
    figure = {"kind": "loglog", "title": "tau L(tau) along the runs (bounded when L <= C/tau)", "xlabel": "tau",
              "ylabel": "tau L", "series": [{"label": f"{r.case.kind} n={r.case.n} D={r.case.D:g}",
                                             "x": list(r.steps[1::2]), "y": [t * v for t, v in zip(r.steps[1::2], r.losses[1::2])],
                                             "style": "line" if r.survivor_is_closest else "dashed"} for r in shown],
              "caption": "Dashed: runs without Theorem 3.5's outcome (below D_0(n)); the judged decade is the last one."}
    metrics += law_metrics(law)
    tables = {
        "far initialisations (sweep: aligned over D; test: random, judged against D_0(n))": {
            "columns": ["role", "init", "d", "n", "D = M_0", "paper's hypothesis M_0 > 1e9 sqrt(d) n^10",
                        "bound 1 - n^2 M_0^(-1/3)", "conditions (1), (2)", "hypotheses: also D >= D_0(n)", "steps",
                        "closest converges, rest recede", "final |a_i - b|", "tau L at T/10", "tau L at T", "late slope [95 %]", "transient", "L <= C/tau",
                        "d|a_j-b|^2/dlog tau"],
            "rows": rows},
        "reduced model far out against the law (m = 2, eta = 1/2)": law_table(law)}
    return judged("thm3.5", verdict, metrics=metrics, figures={"tau_L": figure, "tau_L_law": law_figure(law)},
                  tables=tables)
