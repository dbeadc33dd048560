"""What a gradient-descent run produces: the recorded trajectory and its outcome (paper sections 3-4).

:class:`Trajectory` holds the states :func:`proofs_check.dynamics.run` recorded
(parameters ``a_i = e^{-t} mu_i`` per group, losses, gradient norms), why the
run stopped and the engine's step-by-step classification of its outcome
(:data:`ALL_CONVERGE`, :data:`ONE_CONVERGES`, :data:`UNDECIDED`; see
:mod:`proofs_check.dynamics` for the rules).  :func:`final_outcome` is the one
finite-run outcome test the claims use (Theorem 3.5: one converges, the rest
diverge), judged from distances to b only.  The engine lives in
:mod:`proofs_check.dynamics`, which re-exports every name here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import mpmath

from .numbers import fmt

ALL_CONVERGE = "all converge"
ONE_CONVERGES = "one converges, the rest diverge"
UNDECIDED = "undecided"
OUTCOMES = (ALL_CONVERGE, ONE_CONVERGES, UNDECIDED)
BACKENDS = ("mpmath", "float64")
STOPS = ("converged", "decided", "escaped", "budget", "precision", "nonfinite")


@dataclass(frozen=True)
class FinalOutcome:
    """The end of a finite run, judged from distances to b only (compared in the type given; floats kept for display).

    ``near``: groups within ``radius`` of b at the end; ``receded``: groups farther
    from b than at the start; ``closest``: the group closest to b at the start.
    This is the one test of Theorem 3.5's outcome ("one converges, the rest
    diverge") that the claims use, beside the engine's own step-by-step
    classification (which also asks for motion at the last step).
    """

    start: tuple
    end: tuple
    radius: float
    near: tuple
    receded: tuple
    closest: int

    @property
    def one_converges(self) -> bool:
        """Exactly one group ends near b and every other ends farther from b than it started."""
        return len(self.near) == 1 and all(g in self.receded for g in range(len(self.end)) if g != self.near[0])

    @property
    def survivor_is_closest(self) -> bool:
        """Theorem 3.5's outcome with the initially closest group as the survivor."""
        return self.one_converges and self.near[0] == self.closest

    @property
    def all_converge(self) -> bool:
        """Every group ends within ``radius`` of b."""
        return len(self.near) == len(self.end)


def final_outcome(start: Sequence, end: Sequence, radius: float = 0.25) -> FinalOutcome:
    """Classify a run from its groups' distances to b at the start and at the end (Theorem 3.5's outcome).

    The tests (``near``, ``receded``) compare the distances in the number type given: mpf stays mpf (a
    recession of 1e-43 at distance 1000 is seen), floats stay floats.  ``start`` and ``end`` keep float
    summaries for display only.
    """
    d0, dT = tuple(start), tuple(end)
    if len(d0) != len(dT) or not d0:
        raise ValueError("start and end distances must be non-empty and of one length")
    near = tuple(g for g, x in enumerate(dT) if x <= radius)
    receded = tuple(g for g, (x0, x) in enumerate(zip(d0, dT)) if x > x0)
    closest = min(range(len(d0)), key=lambda g: d0[g])
    return FinalOutcome(tuple(float(x) for x in d0), tuple(float(x) for x in dT), float(radius), near, receded,
                        closest)


@dataclass
class Trajectory:
    """A gradient-descent run: recorded states, the stop reason and the outcome.

    ``params[j]`` is the list of G parameter vectors (one per group) at step
    ``steps[j]``, ``losses[j]`` the loss there (the loss of the state before
    the step's update, i.e. at ``params[j]``).  Values are mpf (mpmath
    backend) or float (float64 backend).  ``dps_history`` lists
    ``(step, dps)`` at the start and at every automatic precision rise.
    """

    b: list
    multiplicity: list
    eta: str
    objective: str
    backend: str
    steps: list = field(default_factory=list)
    params: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)
    stop: str = "budget"
    outcome: str = UNDECIDED
    reason: str = ""
    steps_taken: int = 0
    dps_history: list = field(default_factory=list)
    converged_groups: list = field(default_factory=list)
    diverged_groups: list = field(default_factory=list)
    precision_lost: bool = False
    seconds: float = 0.0
    settings: dict = field(default_factory=dict)

    # -- final state -----------------------------------------------------------
    @property
    def final(self) -> list:
        """The last recorded parameters (one vector per group)."""
        return self.params[-1]

    @property
    def final_loss(self):
        """The loss at the last recorded state."""
        return self.losses[-1]

    @property
    def dps(self):
        """The working digits at the end of the run (None before any step is recorded)."""
        return self.dps_history[-1][1] if self.dps_history else None

    @property
    def n(self) -> int:
        """Number of student parameters, counting multiplicity."""
        return sum(self.multiplicity)

    # -- derived series ----------------------------------------------------------
    def distances(self, j: int = -1) -> list:
        """|a_g - b| for every group at recorded index j."""
        return [vector_norm([x - y for x, y in zip(row, self.b)]) for row in self.params[j]]

    def centre(self, j: int = -1) -> list:
        """The geometric centre abar = (1/n) sum_i a_i (copies counted) at index j."""
        P, m = self.params[j], self.multiplicity
        d = len(self.b)
        return [sum(m[g] * P[g][c] for g in range(len(P))) / self.n for c in range(d)]

    def spread(self, j: int = -1):
        """max_i |a_i - abar| at recorded index j."""
        c = self.centre(j)
        return max(vector_norm([x - y for x, y in zip(row, c)]) for row in self.params[j])

    def summary_rows(self, count: int = 8) -> list:
        """About ``count`` recorded states, log-spaced in step: (step, loss, max |a_i - b|, params)."""
        idx = sorted({0, len(self.steps) - 1} | {
            min(range(len(self.steps)), key=lambda j: abs(math.log1p(self.steps[j]) - t))
            for t in [math.log1p(self.steps[-1]) * k / max(1, count - 1) for k in range(count)]})
        return [(self.steps[j], self.losses[j], max(self.distances(j)), self.params[j]) for j in idx]

    def to_json(self, digits: int = 20) -> dict:
        """The run as plain JSON data, numbers as strings with ``digits`` digits (floats by repr)."""
        def num(x):
            return fmt(x, digits) if not isinstance(x, float) else repr(x)
        return {
            "objective": self.objective, "backend": self.backend, "eta": self.eta,
            "truth_b": [num(v) for v in self.b], "multiplicity": list(self.multiplicity),
            "stop": self.stop, "outcome": self.outcome, "reason": self.reason,
            "steps_taken": self.steps_taken, "final_params": [[num(v) for v in row] for row in self.final],
            "final_loss": num(self.final_loss), "converged_groups": self.converged_groups,
            "diverged_groups": self.diverged_groups, "dps_history": self.dps_history,
            "precision_lost": self.precision_lost, "seconds": round(self.seconds, 3),
            "settings": self.settings,
            "trajectory": {"steps": self.steps, "loss": [num(v) for v in self.losses],
                           "params": [[[num(v) for v in row] for row in P] for P in self.params]},
        }


def vector_norm(v):
    """The Euclidean norm of a vector of floats (math) or of mpf numbers (mpmath, at the current precision)."""
    if v and isinstance(v[0], float):
        return math.sqrt(sum(x * x for x in v))
    return mpmath.sqrt(mpmath.fsum(x * x for x in v))
