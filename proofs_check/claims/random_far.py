"""Corollary 3.6 under the paper's recovered hypothesis (MATH.md section 7): D_0(n) and far d = 1 starts.

The secondary summary states: mu_i(0) ~ N(mu, I_d) i.i.d. with M_0 = |mu - mu*| > 10^9 sqrt(d) n^10; the
conditions hold with probability at least 1 - n^2 M_0^(-1/3); then exactly one parameter converges and the
others diverge.  The suite works at t = 0 (a = mu, b = mu*), so M_0 is the distance D of the suite's c.

Two measurements, each with a pure judge:

- :func:`locate_threshold` / :func:`judge_threshold`: D_0(n), the smallest swept D at which the outcome
  (trajectory.final_outcome: exactly one parameter within CONVERGE_RADIUS of b, every other farther than at
  the start) holds in at least 95 % of random starts by the Wilson lower bound (at least THRESHOLD_MIN_RUNS),
  with its bracket.  A measured constant (MEASURED); INCONCLUSIVE at an n where no swept D reaches it.
- :func:`judge_far`: far d = 1 starts (M_0 = 1000, where 1 - n^2 M_0^(-1/3) > 0) on the arbitrary-precision
  engine, classified by :func:`far_class` (positions where resolved, else the end-state radial velocity's sign
  at two precisions), the measured frequency against the paper's bound.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy as np

from .. import dynamics, gradient, model
from ..fits import Frequency, fewest_trials, frequency
from ..numbers import Precision, agreed_digits, fmt, working
from . import Verdict, worst
from . import descent
from .rules import CONVERGE_RADIUS, judge_frequency_undecided


# -- the paper's hypothesis and bound (secondary summary) ----------------------------------------
def hypothesis_met(M0: float, d: int, n: int) -> bool:
    """The recovered hypothesis of Theorem 3.5 / Corollary 3.6: M_0 > 10^9 sqrt(d) n^10."""
    return M0 > 1e9 * math.sqrt(d) * n ** 10


def paper_bound(M0: float, n: int) -> float:
    """The recovered probability bound 1 - n^2 M_0^(-1/3) (Corollary 3.6 / Lemma D.3)."""
    return 1 - n * n * M0 ** (-1 / 3)


def hypothesis_columns(M0: float, d: int, n: int) -> list:
    """Table cells: whether M_0 > 1e9 sqrt(d) n^10 holds, the bound, and whether the bound is > 0."""
    b = paper_bound(M0, n)
    return ["yes" if hypothesis_met(M0, d, n) else "no", f"{b:.4g}", "yes" if b > 0 else "no (vacuous)"]


# -- D_0(n) ------------------------------------------------------------------------------------------
THRESHOLD_LEVEL = 0.95
# The fewest runs whose Wilson lower bound can reach 0.95 (all successes): fewer cannot decide a cell.
THRESHOLD_MIN_RUNS = fewest_trials(THRESHOLD_LEVEL)


def classify(fo: dynamics.FinalOutcome) -> str:
    """A run's class from trajectory.final_outcome (pure): 'success' (one converges, the rest recede);
    'undecided' (exactly one near b, none of the others resolved as closer than at the start, but some
    other's distance unchanged in the float64 summaries: a recession below float64 spacing, which the test
    cannot see); 'failure' otherwise."""
    if fo.one_converges:
        return "success"
    others = [g for g in range(len(fo.end)) if g not in fo.near]
    if len(fo.near) == 1 and all(fo.end[g] >= fo.start[g] for g in others) and \
            any(fo.end[g] == fo.start[g] for g in others):
        return "undecided"
    return "failure"


@dataclass(frozen=True)
class OutcomeCell:
    """Runs from a_i(0) = c + z_i (|c - b| = D) at one (d, n, D): how often final_outcome held."""

    d: int
    n: int
    D: float
    outcome: Frequency          # successes: exactly one converges, the rest recede (FinalOutcome.one_converges)
    undecided: int              # runs neither position nor the end-state velocity signs decide
    closest: Frequency          # successes whose survivor is the initially closest
    all_converge: Frequency
    by_velocity: int = 0        # runs not decided by position (another closer than at the start, or equal), decided
                                # by the end-state radial velocities' signs

    @property
    def optimistic(self) -> Frequency:
        """Successes and undecided runs together (the frequency if every undecided run succeeded)."""
        return frequency(self.outcome.k + self.undecided, self.outcome.N)


@dataclass(frozen=True)
class Threshold:
    """D_0(n) on the swept grid: D_hi = the smallest D whose cell holds (None: none does), D_lo = the
    largest D below D_hi whose cell is significantly below the level (None: none is)."""

    n: int
    D_lo: float | None
    D_hi: float | None
    swept: tuple


def cell_verdict(cell: OutcomeCell) -> Verdict:
    """One cell: P(outcome) >= THRESHOLD_LEVEL (at least THRESHOLD_MIN_RUNS runs) holds (PASS) when the Wilson
    lower bound of the successes reaches it, fails (FAIL) when the Wilson upper bound of successes + undecided
    runs is below it; INCONCLUSIVE otherwise."""
    return judge_frequency_undecided(cell.outcome, cell.optimistic, THRESHOLD_LEVEL, THRESHOLD_MIN_RUNS,
                                     f"P(outcome) n={cell.n} D={cell.D:g}")


def locate_threshold(cells: Sequence[OutcomeCell], n: int) -> Threshold:
    """The bracket of D_0(n) from the cells at n (pure): (largest failing D below D_hi, smallest holding D]."""
    mine = sorted((c for c in cells if c.n == n), key=lambda c: c.D)
    verdicts = [(c.D, cell_verdict(c).verdict) for c in mine]
    hold = [D for D, v in verdicts if v == "PASS"]
    D_hi = hold[0] if hold else None
    below = [D for D, v in verdicts if v == "FAIL" and (D_hi is None or D < D_hi)]
    return Threshold(n, below[-1] if below else None, D_hi, tuple(D for D, _ in verdicts))


def threshold_text(t: Threshold) -> str:
    """D_0(n) as a bracket, e.g. 'D_0 in (4, 6]'."""
    if t.D_hi is None:
        return f"not reached up to D = {max(t.swept):g}" if t.swept else "no cells"
    lo = "?" if t.D_lo is None else f"{t.D_lo:g}"
    return f"D_0 in ({lo}, {t.D_hi:g}]"


def judge_threshold(thresholds: Sequence[Threshold]) -> Verdict:
    """D_0(n) is a measured constant: MEASURED when located at every n, INCONCLUSIVE where it is not."""
    if not thresholds:
        return Verdict.inconclusive("D_0(n): no n swept")
    missing = [t for t in thresholds if t.D_hi is None]
    if missing:
        return Verdict.inconclusive("D_0(n) not located (no swept D reaches P(outcome) >= "
                                    f"{THRESHOLD_LEVEL} by the Wilson lower bound with >= {THRESHOLD_MIN_RUNS} runs) at "
                                    + ", ".join(f"n={t.n} ({threshold_text(t)})" for t in missing))
    return Verdict.measured("measured D_0(n): " + "; ".join(f"n={t.n}: {threshold_text(t)}" for t in thresholds))


def outcome_task(task) -> tuple:
    """One seeded float64 run (d = 1, n, D, eta, steps, seed) -> (class, survivor_is_closest, all_converge,
    decided_by_velocity).  Success by position (final_outcome.one_converges) first; a run with exactly one
    parameter near b whose others are not all farther than at the start is classified by far_class with the
    end-state radial velocities (radial_velocities at 15 and 25 digits, the float64 state taken exactly)."""
    d, n, D, eta, steps, seed = task
    rng = np.random.default_rng(seed)
    c, b = np.zeros(d), np.zeros(d)
    c[0] = D
    A0 = c + rng.standard_normal((n, d))
    tr = descent.run(A0, b, eta, steps, qmc_points=11, seed=seed, converge_radius=CONVERGE_RADIUS,
                     diverge_distance=max(1.0, D / 2), dense_steps=5, per_decade=5)
    d0, dT = tr.distances(0), tr.distances()
    fo = dynamics.final_outcome(d0, dT, CONVERGE_RADIUS)
    if fo.one_converges or len(fo.near) != 1:
        return classify(fo), fo.survivor_is_closest, fo.all_converge, False
    others = [g for g in range(len(dT)) if g != fo.near[0]]
    pos = [1 if g in fo.receded else (-1 if dT[g] < d0[g] else 0) for g in others]
    lo, hi, _ = radial_velocities(tr.final, str(eta), Precision(15))
    with working(25):
        vel = [sign_of(lo[g], hi[g]) for g in others]
    cls = far_class(True, pos, vel)
    return cls, cls == "success" and fo.near[0] == fo.closest, fo.all_converge, cls != "undecided"


def outcome_cell(d, n, D, results) -> OutcomeCell:
    """Tally the runs of one cell."""
    N = len(results)
    return OutcomeCell(d, n, D, frequency(sum(r[0] == "success" for r in results), N),
                       sum(r[0] == "undecided" for r in results), frequency(sum(r[1] for r in results), N),
                       frequency(sum(r[2] for r in results), N), sum(r[3] for r in results))


# -- far d = 1 starts on the arbitrary-precision engine ---------------------------------------------
# Why the end-state radial velocity: a far parameter with projection gap g to the closest one moves, in the first
# step, by about exp(-M_0 g) (its softmax weight under N(b, 1)), and afterwards by ~exp(-M_0^2 / 8) per step, so
# its change of position needs ~0.43 M_0 g digits (up to ~1700 at M_0 = 1000).  Its gradient, though, is a tiny
# number computed without cancellation (mpf's exponent range carries e^-54000), so the sign of
# v_i = -eta grad_{a_i} L . (a_i - b)/|a_i - b| at the end state (closest converged), agreed at two precisions,
# is the observable: a finite-time proxy for "diverges", like "farther than at the start".  Positions decide
# where their change is resolved at both precisions.  Runs with neither resolved are 'undecided' and counted
# both ways: PASS needs the Wilson LOWER bound of (successes / N) to reach the paper's bound; FAIL needs the
# Wilson UPPER bound of ((successes + undecided) / N) to lie below it; else INCONCLUSIVE.
FAR_MIN_RUNS = 20       # a frequency from fewer far starts is not judged (both scales)


@dataclass(frozen=True)
class FarRun:
    """One far d = 1 start a_i(0) = M_0 + z_i (b = 0) run on the mpmath engine at two precisions."""

    n: int
    M0: float
    seed: int
    gaps: tuple                # |a_j(0) - b| - min_i |a_i(0) - b|, per parameter
    result: str                # far_class: position signs where resolved, else end-state radial velocity signs
    unresolved: int            # other parameters whose position change is not resolved at both precisions
    by_velocity: int           # of those, decided by the end-state radial velocity's sign
    closest_final: float       # the final distance of the initially closest parameter
    displacements: tuple       # |a_j(T) - b| - |a_j(0) - b| per parameter (strings, higher precision)
    digits: tuple              # their agreed digits between the two precisions (0 = zero at the lower one)
    dps: tuple                 # the two precisions
    velocities: tuple          # end-state radial velocities v_i (strings, higher precision)
    velocity_digits: tuple     # their agreed digits between two precisions


@dataclass(frozen=True)
class FarFrequency:
    """The far runs' counts at one (n, M_0): successes, undecided and N."""

    n: int
    M0: float
    successes: int
    undecided: int
    N: int


def far_counts(runs: Sequence[FarRun]) -> FarFrequency:
    """Tally far runs of one (n, M_0)."""
    cls = [r.result for r in runs]
    return FarFrequency(runs[0].n, runs[0].M0, cls.count("success"), cls.count("undecided"), len(runs))


def judge_far(f: FarFrequency) -> Verdict:
    """The measured frequency against the paper's bound 1 - n^2 M_0^(-1/3) (a lower bound on a probability):
    PASS when the Wilson lower bound of successes/N reaches it, FAIL when the Wilson upper bound of
    (successes + undecided)/N is below it, INCONCLUSIVE otherwise; INCONCLUSIVE below FAR_MIN_RUNS runs."""
    bound = paper_bound(f.M0, f.n)
    label = (f"n={f.n}, d=1, M_0={f.M0:g} (the hypothesis M_0 > 1e9 sqrt(d) n^10 = {1e9 * f.n ** 10:.3g} is "
             f"{'met' if hypothesis_met(f.M0, 1, f.n) else 'NOT met: a miss is a finding about the bound, not a counterexample'})")
    if bound <= 0:
        return Verdict.inconclusive(f"{label}: the bound {bound:.4f} is vacuous")
    return judge_frequency_undecided(frequency(f.successes, f.N), frequency(f.successes + f.undecided, f.N),
                                     bound, FAR_MIN_RUNS,
                                     f"{label}: {f.undecided} undecided; outcome against the paper's bound {bound:.4f}")


def far_start(M0: int, n: int, seed: int) -> list:
    """a_i(0) = M_0 + z_i as exact Fractions (z_i float64 normals, exactly represented)."""
    z = np.random.default_rng(seed).standard_normal(n)
    return [[Fraction(M0) + Fraction(float(v))] for v in z]


def sign_of(lo, hi) -> int:
    """+1 / -1 when two precisions' values are both nonzero with one sign, else 0 (unresolved); pure."""
    if lo > 0 and hi > 0:
        return 1
    if lo < 0 and hi < 0:
        return -1
    return 0


def far_class(near_one: bool, position: Sequence[int], velocity: Sequence[int]) -> str:
    """A far run's class (pure).  ``near_one``: exactly one parameter (the initially closest) ends within
    CONVERGE_RADIUS of b.  Per other parameter: ``position[k]``, the sign of |a(T) - b| - |a(0) - b|;
    ``velocity[k]``, the sign of the end-state radial velocity; each agreed at both precisions (0: not
    resolved).  A parameter recedes when its position sign is +1, else when its velocity sign is +1 (pulled
    in first, receding at the end).  'success': near_one, every other recedes.  'failure': not near_one; or
    some other parameter, not farther than at the start, has velocity sign -1.  'undecided' otherwise."""
    if not near_one:
        return "failure"
    signs = [1 if p > 0 else v for p, v in zip(position, velocity)]
    if any(s < 0 for s in signs):
        return "failure"
    return "success" if all(s > 0 for s in signs) else "undecided"


def _far_run(A0, M0, prec: Precision, steps: int, eta: str):
    tr = dynamics.run(A0, [0], eta=eta, steps=steps, dps=prec.dps, stop_when_decided=False,
                      escape_radius=10 * M0 ** 2, dense_steps=steps, max_dps=prec.dps)
    with working(prec.dps):
        return tr.distances(0), tr.distances(-1), tr.final


def radial_velocities(final, eta: str, prec: Precision) -> tuple:
    """v_i = -eta grad_{a_i} L . (a_i - b)/|a_i - b| (b = 0, d = 1) at the state ``final`` (Lemma 2.2's
    gradient, gradient.evaluate), at prec and prec.higher(): (values at prec, values at higher, agreed digits
    per parameter).  A far parameter's gradient is a tiny number without cancellation; mpf's exponent range
    carries it at modest digits.  A float64 ``final`` is converted exactly (Fraction)."""
    config = model.Configuration.make([[Fraction(float(x[0])) if isinstance(x[0], (float, np.floating)) else x[0]]
                                       for x in final], [0])     # a float64 state is taken exactly

    def compute(p):
        A, b = config.scaled()
        ev = gradient.evaluate(A, b, config.multiplicity, forms=("stein",), loss=False, rel_tol=p.tolerance())
        e = mpmath.mpf(eta)
        return [-e * g[0] * mpmath.sign(a[0]) for g, a in zip(ev.gradient["stein"], A)]

    hi_p = prec.higher()
    with prec.active():
        lo = compute(prec)
    with hi_p.active():
        hi = compute(hi_p)
        digits = tuple(0 if x == 0 or y == 0 else min(agreed_digits(x, y), prec.dps) for x, y in zip(hi, lo))
    return lo, hi, digits


def far_task(task) -> FarRun:
    """One far start run for ``steps`` steps at ``dps`` and at Precision(dps).higher(): final_outcome-style
    position signs (mpf, agreed at both runs) and, for the others, the end-state radial velocity's sign agreed at
    two precisions; classified by far_class."""
    n, M0, eta, steps, dps, seed = task
    A0 = far_start(M0, n, seed)
    lo_p = Precision(dps)
    hi_p = lo_p.higher()
    d0_lo, dT_lo, _ = _far_run(A0, M0, lo_p, steps, eta)
    d0, dT, final = _far_run(A0, M0, hi_p, steps, eta)
    fo = dynamics.final_outcome(d0, dT, CONVERGE_RADIUS)
    closest = fo.closest
    v_lo, v_hi, v_dg = radial_velocities(final, eta, hi_p)
    with working(hi_p.dps):
        disp = [x - y for x, y in zip(dT, d0)]
        disp_lo = [x - y for x, y in zip(dT_lo, d0_lo)]
        digits = tuple(0 if dl == 0 else min(agreed_digits(dh, dl), lo_p.dps) for dh, dl in zip(disp, disp_lo))
        gaps = tuple(float(x - d0[closest]) for x in d0)
        text = tuple(fmt(v, 6) for v in disp)
        off = [g for g in range(n) if g != closest]
        pos = [sign_of(disp_lo[g], disp[g]) for g in off]
        vel = [sign_of(v_lo[g], v_hi[g]) for g in off]
        vtext = tuple(mpmath.nstr(v_hi[g], 4) for g in range(n))
    near_one = fo.near == (closest,)
    return FarRun(n, float(M0), seed, gaps, far_class(near_one, pos, vel), sum(1 for p in pos if p == 0),
                  sum(1 for p, v in zip(pos, vel) if p == 0 and v != 0), float(dT[closest]), text, digits,
                  (lo_p.dps, hi_p.dps), vtext, v_dg)


def recession_digits(runs: Sequence[FarRun]) -> list:
    """(gap, log10 of the resolved recession) over the far parameters whose recession agreed to >= 2 digits."""
    out = []
    for r in runs:
        for g, (gap, disp, dg) in enumerate(zip(r.gaps, r.displacements, r.digits)):
            if gap > 0 and dg >= 2 and mpmath.mpf(disp) > 0:
                out.append((gap, float(mpmath.log10(mpmath.mpf(disp)))))
    return out


def judge_cor36(fars: Sequence[FarFrequency], thresholds: Sequence[Threshold]) -> Verdict:
    """Corollary 3.6: the far comparisons with the paper's bound decide (the worst of judge_far over the far
    (n, M_0)); D_0(n) is a measured constant that can only make the claim INCONCLUSIVE (not located at some n),
    never PASS it.  No far comparison: INCONCLUSIVE."""
    if not fars:
        return Verdict.inconclusive("no far runs")
    parts = [judge_far(f) for f in fars]
    located = judge_threshold(thresholds)
    if located.verdict == "INCONCLUSIVE":
        parts.append(located)
    return worst(*parts)
