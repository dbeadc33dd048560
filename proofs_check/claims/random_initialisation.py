"""Lemma D.3 and Corollary 3.6: random far initialisations a_i(0) ~ N(c, I) (RECONSTRUCTED).

Each claim reads: frozen cases -> runs returning typed outcomes (numbers only) -> a pure judge
(``judge_lemD3``, ``judge_cor36``) comparing the outcomes' fields with the named constants below.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import dynamics
from ..fits import Frequency, Slope, fewest_trials, frequency, weighted_slope
from ..executor import pool_map
from . import Metric, Verdict, claim, judged, worst
from . import descent
from .rules import CONVERGE_RADIUS, judge_exponent, judge_frequency

# -- Theorem 3.5's two conditions, reconstructed (the thresholds were lost; stated here) -------
#   (1) every |a_i - c|^2 <= d + 2 sqrt(d x) + 2 x with x = log n + 3 (Lemma A.1's radius:
#       by Laurent-Massart and a union bound it fails with probability <= n e^-x = e^-3);
#   (2) a unique closest parameter by a margin: the second-smallest |a_j - b|^2 exceeds the
#       smallest by at least MARGIN (so the closest one's softmax weight near b dominates).
LM_EXTRA, MARGIN = 3.0, 1.0


def conditions(A, c, b, margin=MARGIN):
    """(cond1, cond2, index of the closest parameter) for one initialisation (rows of A)."""
    A = np.asarray(A, float)
    n, d = A.shape
    x = np.log(n) + LM_EXTRA
    r2 = d + 2 * np.sqrt(d * x) + 2 * x
    c1 = bool(np.all(np.sum((A - c) ** 2, axis=1) <= r2))
    q = np.sort(np.sum((A - b) ** 2, axis=1))
    c2 = bool(n == 1 or q[1] - q[0] >= margin)
    return c1, c2, int(np.argmin(np.sum((A - b) ** 2, axis=1)))


# -- Lemma D.3: constants of its judge -------------------------------------------------------
# Condition (1): Lemma A.1 with a union bound guarantees P(cond 1) >= 1 - n e^-x = 1 - e^-3.
COND1_FLOOR = 1 - math.exp(-LM_EXTRA)
# Below this many draws even N/N successes have a Wilson lower bound under the floor
# (N >= z^2 p / (1 - p) with p = the floor): fewer draws cannot PASS, so they are INCONCLUSIVE.
COND1_MIN_COUNT = fewest_trials(COND1_FLOOR)
# Condition (2), the projection argument: with a_i = c + z_i and e = (c - b)/D,
#   |a_i - b|^2 - |a_j - b|^2 = 2 D <z_i - z_j, e> + (|z_i|^2 - |z_j|^2),
# so the gap of the two smallest falls below MARGIN when the gap of the two smallest projections
# <z, e> (i.i.d. N(0, 1)) lies in a window of width ~ MARGIN / (2D), shifted by O(sqrt(d) / D).
# The gap's density is finite and positive at 0, so P(cond 2 fails) = C / D (1 + O(1/D)): exponent
# -1, with a local exponent -1 + O(1/D).  EXPONENT_TOL = 0.1 admits that O(1/D) bias with an O(1)
# coefficient over the fitted D >= 16 (at most ~1/16 + sampling) and rejects D^-0.8, D^-1.2 or
# exp(-cD); the fit's own 95 % interval (binomial errors) must lie inside -1 +- 0.1.
EXPONENT_PREDICTED, EXPONENT_TOL, EXPONENT_D_MIN = -1.0, 0.1, 16.0


@dataclass(frozen=True)
class ConditionCell:
    """Frequencies of the two conditions over N seeded draws at one (d, n, D)."""

    d: int
    n: int
    D: float
    cond1: Frequency
    cond2: Frequency
    both: Frequency


@dataclass(frozen=True)
class FailureExponent:
    """The exponent of P(condition 2 fails) in D at one (d, n), fitted over D >= EXPONENT_D_MIN."""

    d: int
    n: int
    slope: Slope | None


def _lemD3_task(task):
    d, n, D, N, seed = task
    rng = np.random.default_rng(seed)
    x = np.log(n) + LM_EXTRA
    r2 = d + 2 * np.sqrt(d * x) + 2 * x
    k1 = k2 = k12 = 0
    for start in range(0, N, 100000):       # blocks keep the memory small at n = 8, d = 5
        Z = rng.standard_normal((min(100000, N - start), n, d))
        A = Z.copy()
        A[:, :, 0] += D                     # c = D e_1, b = 0: by rotation invariance any direction will do
        c1 = np.all(np.sum(Z ** 2, axis=2) <= r2, axis=1)
        q = np.sort(np.sum(A ** 2, axis=2), axis=1)
        c2 = (q[:, 1] - q[:, 0] >= MARGIN) if n > 1 else np.ones(len(Z), bool)
        k1, k2, k12 = k1 + int(c1.sum()), k2 + int(c2.sum()), k12 + int((c1 & c2).sum())
    return ConditionCell(d, n, D, frequency(k1, N), frequency(k2, N), frequency(k12, N))


def failure_exponent(cells: Sequence[ConditionCell]) -> Slope | None:
    """Weighted least squares of log P(cond 2 fails) on log D over D >= EXPONENT_D_MIN, with the
    binomial variance (1 - f)/(N f) of each log f; a normal 95 % interval.  None below 3 usable D."""
    pts = [(c.D, c.cond2.N - c.cond2.k, c.cond2.N) for c in cells if c.D >= EXPONENT_D_MIN and c.cond2.k < c.cond2.N]
    if len(pts) < 3:
        return None
    x = np.log([D for D, _, _ in pts])
    f = np.array([k / N for _, k, N in pts])
    w = np.array([N * fi / (1 - fi) for (_, _, N), fi in zip(pts, f)])     # 1 / var(log f), binomial
    return weighted_slope(x, np.log(f), w)


def judge_lemD3(cells: Sequence[ConditionCell], exponents: Sequence[FailureExponent]) -> Verdict:
    """Condition (1) at or above Lemma A.1's floor in every cell (Wilson lower bound, minimum count);
    condition (2)'s failure exponent in D inside -1 +- EXPONENT_TOL for every (d, n)."""
    if not cells or not exponents:
        return Verdict.inconclusive("no cells measured")
    c1 = [(c, judge_frequency(c.cond1, COND1_FLOOR, COND1_MIN_COUNT, f"P(cond 1) d={c.d} n={c.n} D={c.D}"))
          for c in cells]
    ex = [(e, judge_exponent(e.slope, EXPONENT_PREDICTED, EXPONENT_TOL, f"exponent of P(cond 2 fails) d={e.d} n={e.n}"))
          for e in exponents]
    parts = []
    for name, judged_parts, total in (("cells: condition (1) vs Lemma A.1's floor", c1, len(cells)),
                                      ("(d, n): condition (2)'s failure exponent vs -1", ex, len(exponents))):
        for kind, word in (("FAIL", "bad"), ("INCONCLUSIVE", "undecided")):
            hit = [v for _, v in judged_parts if v.verdict == kind]
            if hit:
                parts.append(Verdict(kind, f"{len(hit)} out of {total} {name} {word}: " +
                                     "; ".join(v.reason for v in hit)))
    if parts:
        return worst(*parts)
    return Verdict.passed(f"condition (1) reaches {COND1_FLOOR:.4f} (Wilson lower bound) in all {len(cells)} cells; "
                          f"condition (2)'s failure exponent inside {EXPONENT_PREDICTED} +- {EXPONENT_TOL} for all "
                          f"{len(exponents)} (d, n)")


def lemD3_cases(scale: str, seed: int) -> list[tuple]:
    """Lemma D.3's Monte Carlo cells (d, n, D, samples, seed) at a scale, seeded from ``seed``."""
    if scale == "quick":
        ds, ns, Ds = [2], [3, 5], [2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
    else:
        ds, ns, Ds = [2, 3, 5], [2, 3, 5, 8], [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
    N = 400000      # both scales: the exponent's interval needs ~1e3 failures at D = 64
    return [(d, n, D, N, seed * 1000003 + 97 * i) for i, (d, n, D) in
            enumerate((d, n, D) for d in ds for n in ns for D in Ds)]


@claim("lemD.3", "Lemma D.3", "RECONSTRUCTED",
       "for a_i(0) i.i.d. N(c, I) with |c - b| = D, Theorem 3.5's two conditions (all a_i near c; a unique closest "
       "parameter by a margin) hold with probability tending to 1 as D grows: condition (1) at least as often "
       "as Lemma A.1 guarantees, condition (2)'s failure probability decaying like 1/D")
def check_lemD3(scale, seed):
    """Monte Carlo (seeded, one task per (d, n, D) cell in a process pool, 400000 draws per cell) of the two
    reconstructed conditions (LM_EXTRA, MARGIN: condition (1) is Lemma A.1's radius with x = log n + 3,
    condition (2) a gap >= 1 between the two smallest |a_i - b|^2).  Frequencies with 95 % Wilson intervals.
    Judged: P(cond 1) >= 1 - e^-3 by the Wilson lower bound in every cell (FAIL when the upper bound is
    below); the exponent of P(cond 2 fails) in D over D >= 16 (weighted fit, binomial errors) inside
    -1 +- 0.1, the projection argument's prediction (see EXPONENT_TOL).  P(both) is reported."""
    tasks = lemD3_cases(scale, seed)
    cells = pool_map(_lemD3_task, tasks)
    shapes = sorted({(c.d, c.n) for c in cells})
    exps = [FailureExponent(d, n, failure_exponent([c for c in cells if (c.d, c.n) == (d, n)])) for d, n in shapes]
    verdict = judge_lemD3(cells, exps)
    metrics = [Metric(f"exponent of P(condition 2 fails) in D (D >= {EXPONENT_D_MIN:g}), d={e.d}, n={e.n}",
                      "too few points" if e.slope is None else f"{e.slope.value:.3f} [{e.slope.lo:.3f}, {e.slope.hi:.3f}]",
                      note=f"95 % interval; predicted {EXPONENT_PREDICTED} +- {EXPONENT_TOL}") for e in exps]
    low1 = min(cells, key=lambda c: c.cond1.lo)
    metrics.append(Metric("smallest Wilson lower bound of P(condition 1) over the cells", f"{low1.cond1.lo:.4f}",
                          note=f"d={low1.d}, n={low1.n}, D={low1.D}; Lemma A.1's floor 1 - e^-3 = {COND1_FLOOR:.4f}"))
    top = max(c.D for c in cells)
    worst_both = min((c for c in cells if c.D == top), key=lambda c: c.both.value)
    metrics.append(Metric(f"smallest P(both conditions) at the largest D = {top:g}", str(worst_both.both),
                          note=f"d={worst_both.d}, n={worst_both.n} (reported, not judged)"))
    rows = [[c.d, c.n, c.D, str(c.cond1), str(c.cond2), str(c.both)] for c in cells]
    figure = {"kind": "loglog", "title": "P(condition 2 fails) against D", "xlabel": "D", "ylabel": "P(fail)",
              "series": [{"label": f"d={d}, n={n}", "x": [c.D for c in cells if (c.d, c.n) == (d, n)],
                          "y": [1 - c.cond2.value for c in cells if (c.d, c.n) == (d, n)], "style": "both"}
                         for d, n in shapes],
              "caption": f"The projection argument predicts slope {EXPONENT_PREDICTED} (fitted over D >= {EXPONENT_D_MIN:g})."}
    return judged("lemD.3", verdict, metrics=metrics, figures={"cond2_failure": figure}, tables={
        f"frequencies over {tasks[0][3]} initialisations per cell, 95% Wilson intervals": {
            "columns": ["d", "n", "D", "P(cond 1)", "P(cond 2)", "P(both)"], "rows": rows}})


# -- Corollary 3.6 ----------------------------------------------------------------------------
# The corollary's own quantity is the unconditional probability of Theorem 3.5's outcome (the
# initially closest parameter converges, the rest diverge) under a_i(0) ~ N(c, I).  The paper's bound
# (secondary summary, MATH.md section 7) is 1 - n^2 M_0^(-1/3): negative, hence vacuous, for every
# reachable D (at n = 3 it exceeds 0.9 only for M_0 > (10 n^2)^3 = 7.3e5).  The suite therefore states
# its own target, fixed before this version's runs (the previous full report, 63/64 at D = 6, was
# known, so it is a stated level, not a blind one):
#   - judged subset: every run at the LARGEST D of the design, pooled over d and n (the corollary is
#     about large D; the largest reachable D is the closest to it); all runs, no conditioning;
#   - level: P >= P_TARGET = 0.9 ("with high probability" made concrete) by the Wilson lower bound;
#   - trend: the frequency at the largest D above that at the smallest D (disjoint Wilson intervals).
P_TARGET = 0.9
# The fewest runs whose Wilson lower bound can reach P_TARGET (all successes: N >= z^2 p / (1 - p));
# fewer runs cannot PASS, so they are INCONCLUSIVE.
MIN_RUNS = fewest_trials(P_TARGET)


@dataclass(frozen=True)
class RandomRun:
    """One seeded random initialisation and its gradient-descent run's final outcome."""

    d: int
    n: int
    D: float
    seed: int
    cond1: bool
    cond2: bool
    outcome: dynamics.FinalOutcome
    engine: str


@dataclass(frozen=True)
class OutcomeFrequencies:
    """The judged numbers: P(outcome) at the smallest and at the largest D (pooled over d, n)."""

    D_small: float
    D_large: float
    at_small: Frequency
    at_large: Frequency


def judge_cor36(f: OutcomeFrequencies) -> Verdict:
    """P(outcome) at the largest D >= P_TARGET (Wilson lower bound, MIN_RUNS) and rising with D."""
    level = judge_frequency(f.at_large, P_TARGET, MIN_RUNS, f"P(Theorem 3.5 outcome) at D = {f.D_large:g}")
    rise = f"P(outcome) {f.at_small} at D = {f.D_small:g} vs {f.at_large} at D = {f.D_large:g}"
    if f.at_large.lo > f.at_small.hi:
        trend = Verdict.passed(f"{rise}: rises (disjoint intervals)")
    elif f.at_large.hi < f.at_small.lo:
        trend = Verdict.failed(f"{rise}: falls (disjoint intervals)")
    else:
        trend = Verdict.inconclusive(f"{rise}: the intervals overlap")
    return worst(level, trend)


def _cor36_task(task):
    d, n, D, eta, steps, qmc, seed = task
    rng = np.random.default_rng(seed)
    c = np.zeros(d)
    c[0] = D
    b = np.zeros(d)
    A0 = c + rng.standard_normal((n, d))
    c1, c2, _ = conditions(A0, c, b)
    tr = descent.run(A0, b, eta, steps, qmc_points=qmc, seed=seed, converge_radius=CONVERGE_RADIUS,
                     diverge_distance=max(1.0, D / 2), dense_steps=5, per_decade=5)
    fo = dynamics.final_outcome(tr.distances(0), tr.distances(), CONVERGE_RADIUS)
    return RandomRun(d, n, D, seed, c1, c2, fo, tr.outcome)


def _right(runs):
    return frequency(sum(r.outcome.survivor_is_closest for r in runs), len(runs))


def cor36_cases(scale: str, seed: int):
    """Corollary 3.6's seeded runs (d, n, D, eta, steps, qmc, seed), with the cells, runs per cell, steps and eta."""
    if scale == "quick":
        cells, runs, steps = [(2, 3, 2.0), (2, 3, 6.0)], 8, 300
    else:
        cells, runs, steps = [(d, n, D) for d in (2, 3) for n in (3, 5) for D in (2.0, 4.0, 6.0)], 16, 500
    eta, qmc = 0.25, 11
    return [(d, n, D, eta, steps, qmc, seed * 999983 + 1009 * ci + r)
            for ci, (d, n, D) in enumerate(cells) for r in range(runs)], cells, runs, steps, eta


@claim("cor3.6", "Corollary 3.6", "RECONSTRUCTED",
       "a_i(0) i.i.d. N(c, I) with |c - b| = D large: with high probability exactly one a_i converges to b (the "
       "initially closest) and the others diverge. The paper's bound 1 - n^2 D^(-1/3) is vacuous at reachable D; "
       "judged: the unconditional frequency at the largest D is at least 0.9 and rises with D")
def check_cor36(scale, seed):
    """Monte Carlo over seeded random initialisations a_i(0) = c + z_i: each run is gradient descent
    (dynamics engine, forward-grid objective, float64, eta 0.25) for a fixed budget, classified at the end by
    dynamics.final_outcome (exactly the initially closest parameter within 0.25 of b, every other farther
    from b than at the start).  Judged (fixed in advance, see P_TARGET): the unconditional frequency at the
    largest D, pooled over d and n, by the Wilson lower bound against 0.9 with at least 35 runs, and its rise
    over the smallest D (disjoint Wilson intervals).  Reported: per cell, the frequency of one converging,
    of all converging, of the two conditions (lemD.3) and of the outcome given both conditions."""
    tasks, cells, runs, steps, eta = cor36_cases(scale, seed)
    descent.warm_compiled({(d, n) for d, n, _ in cells})
    res = pool_map(_cor36_task, tasks)
    Ds = sorted({D for *_, D in cells})
    freqs = OutcomeFrequencies(Ds[0], Ds[-1], _right([r for r in res if r.D == Ds[0]]),
                               _right([r for r in res if r.D == Ds[-1]]))
    verdict = judge_cor36(freqs)
    rows = []
    for d, n, D in cells:
        rs = [r for r in res if (r.d, r.n, r.D) == (d, n, D)]
        cond = [r for r in rs if r.cond1 and r.cond2]
        rows.append([d, n, D, len(rs), str(frequency(sum(r.outcome.one_converges for r in rs), len(rs))),
                     str(_right(rs)), str(frequency(sum(r.outcome.all_converge for r in rs), len(rs))),
                     str(frequency(len(cond), len(rs))), str(_right(cond)) if cond else "no runs"])
    cond_all = [r for r in res if r.cond1 and r.cond2]
    cond_big = [r for r in cond_all if r.D == Ds[-1]]
    metrics = [
        Metric(f"P(Theorem 3.5 outcome) at the largest D = {Ds[-1]:g} (pooled over d, n; judged)", str(freqs.at_large),
               note=f"95 % Wilson interval; target >= {P_TARGET} with >= {MIN_RUNS} runs"),
        Metric(f"P(Theorem 3.5 outcome) at the smallest D = {Ds[0]:g} (pooled over d, n)", str(freqs.at_small),
               note="must lie below the largest D's (disjoint intervals)"),
        Metric("paper's bound 1 - n^2 D^(-1/3) at the largest D",
               ", ".join(f"n={n}: {1 - n * n * Ds[-1] ** (-1 / 3):.2f}" for n in sorted({n for _, n, _ in cells})),
               note="vacuous (negative): not a usable target"),
        Metric(f"P(outcome | both conditions) at D = {Ds[-1]:g} (reported)",
               str(_right(cond_big)) if cond_big else "no runs", note="95 % Wilson interval"),
        Metric("P(outcome | both conditions), pooled over all D (reported)",
               str(_right(cond_all)) if cond_all else "no runs", note="95 % Wilson interval"),
    ]
    pooled = [_right([r for r in res if r.D == D]) for D in Ds]
    figure = {"kind": "line", "title": "P(Theorem 3.5 outcome) against D (pooled over d, n; 95 % Wilson bounds)",
              "xlabel": "D", "ylabel": "frequency", "series": [
                  {"label": "frequency", "x": Ds, "y": [f.value for f in pooled], "style": "both"},
                  {"label": "Wilson lower", "x": Ds, "y": [f.lo for f in pooled], "style": "dashed"},
                  {"label": "Wilson upper", "x": Ds, "y": [f.hi for f in pooled], "style": "dashed"}],
              "hlines": [P_TARGET], "caption": f"Judged at the largest D against {P_TARGET} (at least {MIN_RUNS} runs)."}
    return judged("cor3.6", verdict, metrics=metrics, figures={"outcome_vs_D": figure}, tables={
        f"outcomes of {runs} seeded runs per cell ({steps} steps, eta {eta})": {
            "columns": ["d", "n", "D", "runs", "P(one converges)", "P(… and it is the closest)", "P(all converge)",
                        "P(both conditions)", "P(outcome | conditions)"], "rows": rows}})
