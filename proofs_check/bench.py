"""Benchmarks: the suite's engines side by side with naive baselines, as ratios.

Register a case with :func:`case`; it returns a list of :class:`Row`.  Speed
is measured here and printed by ``proofs-check bench``, never asserted in
tests.  Each timing is the best of ``repeat`` runs (a fresh cache state is
not simulated: compiled integrands and quadrature nodes are warmed first, as
in any long run).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

_CASES: dict[str, Callable] = {}


@dataclass
class Row:
    """One comparison: the engine's time, the baseline's, their accuracies."""

    case: str
    engine_seconds: float
    baseline_seconds: float | None = None
    engine_digits: int | None = None
    baseline_digits: int | None = None
    baseline: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self):
        """Baseline time over engine time (how many times faster the engine is); None without a baseline."""
        if self.baseline_seconds is None or self.engine_seconds == 0:
            return None
        return self.baseline_seconds / self.engine_seconds


def case(name: str):
    """Register a bench case: ``@case(name)`` on ``fn(repeat) -> [Row]``."""
    def deco(fn):
        _CASES[name] = fn
        return fn
    return deco


def cases() -> dict:
    """Every registered case, name -> function (importing :mod:`proofs_check.bench_cases` registers them)."""
    from . import bench_cases  # noqa: F401  (registers the cases)
    return dict(_CASES)


def best_time(fn, repeat: int = 3):
    """(best wall time in seconds, last result) over ``repeat`` calls."""
    best, out = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, out
