"""Judging rules shared by several claims: pure functions of measured numbers -> Verdict.

- A probability is judged by its Wilson interval and a minimum count: PASS when the
  lower bound reaches the claimed probability, FAIL when the upper bound is below it,
  INCONCLUSIVE otherwise and whenever there are fewer than ``min_count`` trials.
  With undecided runs, neither verdict rests on them: PASS counts them as misses,
  FAIL counts them as successes (:func:`judge_frequency_undecided`).
- A rate (an exponent) is judged against a derived prediction with a stated
  tolerance: PASS when the whole confidence interval lies in prediction +- tol,
  FAIL when it lies wholly outside, INCONCLUSIVE when it straddles an edge.
- Agreed digits are judged against a requirement: PASS at or above it, FAIL below.
"""
from __future__ import annotations

from ..fits import Frequency, Slope
from . import FAIL, PASS, Verdict

# "At b": a run's parameter has converged when it ends within this distance of the truth.  The dynamics
# engine's own all-converge radius (dynamics.run's converge_radius, dynamics.final_outcome's radius);
# the one value every claim that classifies the end of a run uses.
CONVERGE_RADIUS = 0.25


def judge_frequency(freq: Frequency, claimed: float, min_count: int, what: str) -> Verdict:
    """P(what) >= claimed, from ``freq`` (Wilson interval) with at least ``min_count`` trials."""
    if freq.N < min_count:
        return Verdict.inconclusive(f"{what}: {freq}; fewer than {min_count} trials")
    if freq.lo >= claimed:
        return Verdict.passed(f"{what}: {freq}, Wilson lower bound reaches {claimed}")
    if freq.hi < claimed:
        return Verdict.failed(f"{what}: {freq}, Wilson upper bound below {claimed}")
    return Verdict.inconclusive(f"{what}: {freq}, the interval contains {claimed}")


def judge_frequency_undecided(sure: Frequency, hopeful: Frequency, claimed: float, min_count: int,
                              what: str) -> Verdict:
    """P(what) >= claimed when some runs are undecided: ``sure`` counts them as misses, ``hopeful`` as
    successes.  PASS when ``sure``'s Wilson lower bound reaches ``claimed``, FAIL when ``hopeful``'s upper
    bound is below it, INCONCLUSIVE otherwise (and below ``min_count`` trials)."""
    low = judge_frequency(sure, claimed, min_count, what)
    if low.verdict == PASS:
        return low
    high = judge_frequency(hopeful, claimed, min_count, what + " (undecided runs as successes)")
    if high.verdict == FAIL:
        return high
    return Verdict.inconclusive(f"{low.reason}; {high.reason}")


def judge_exponent(fit: Slope | None, predicted: float, tol: float, what: str) -> Verdict:
    """A fitted exponent against its derived prediction: the interval inside / outside predicted +- tol."""
    if fit is None:
        return Verdict.inconclusive(f"{what}: too few points for a fit")
    band = f"{predicted} +- {tol}"
    text = f"{what} = {fit.value:.4f}, {int(100 * 0.95)}% interval [{fit.lo:.4f}, {fit.hi:.4f}]"
    if fit.lo >= predicted - tol and fit.hi <= predicted + tol:
        return Verdict.passed(f"{text} inside {band}")
    if fit.hi < predicted - tol or fit.lo > predicted + tol:
        return Verdict.failed(f"{text} outside {band}")
    return Verdict.inconclusive(f"{text} straddles an edge of {band}")


def judge_digits(digits: int, need: int, what: str) -> Verdict:
    """Agreed digits (two precisions, or forms) must reach ``need``."""
    if digits >= need:
        return Verdict.passed(f"{what}: {digits} digits (need {need})")
    return Verdict.failed(f"{what}: only {digits} digits (need {need})")
