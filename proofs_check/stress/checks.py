"""A stress probe's vocabulary: checks decided at a precision, and the probe type (issue 5).

A :class:`Check` is one statement at one input: an inequality ``lhs <= rhs``
(:func:`le`), an identity ``lhs = rhs`` to a relative tolerance (:func:`eq`),
or a measured constant (:func:`measure`).  Decisions respect precision: an
inequality whose two sides agree to within the working precision is
*undecided* there, and :meth:`Probe.checks` re-evaluates it at higher
precision (:data:`ESCALATE`).  Every check carries its ``limit``: 1 for an
inequality's ratio, the relative tolerance for an identity, the bound of a
measurement when it has one (None: a measurement that can never fail).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from mpmath import mp

from ..numbers import fmt, to_mpf

LE, EQ, MEASURE = "<=", "=", "measure"
ESCALATE = (3, 10)         # undecided checks are redone at dps * these factors


# -- checks ---------------------------------------------------------------------------
@dataclass
class Check:
    """One decided (or undecided) statement at one input.

    ``value`` is what the harness tracks: ``lhs/rhs`` for an inequality,
    the relative error for an identity, the quantity itself for a measurement.
    ``worse`` says which direction of ``value`` is worse ("max" or "min").
    """

    name: str
    kind: str
    value: object
    bad: bool = False
    undecided: bool = False
    lhs: object = None
    rhs: object = None
    worse: str = "max"
    limit: object = None       # the value may not pass this (None: a measurement without a bound)

    def describe(self) -> str:
        """One line: the statement, both sides and the ratio (or the relative error, or the value)."""
        if self.kind == LE:
            return f"{self.name}: lhs = {fmt(self.lhs, 12)}, rhs = {fmt(self.rhs, 12)}, ratio = {fmt(self.value, 12)}"
        if self.kind == EQ:
            return (f"{self.name}: lhs = {fmt(self.lhs, 12)}, rhs = {fmt(self.rhs, 12)}, "
                    f"relative error = {fmt(self.value, 3)}")
        return f"{self.name}: {fmt(self.value, 12)}"


def _tol(dps: int, slack: int = 5):
    return mp.mpf(10) ** (-(dps - slack))


def le(name: str, lhs, rhs, dps: int, slack: int = 5) -> Check:
    """``lhs <= rhs`` (rhs > 0), decided at ``dps`` digits; within ``10^-(dps-slack)`` it is undecided."""
    lhs, rhs = mp.mpf(lhs), mp.mpf(rhs)
    if rhs <= 0:
        raise ValueError(f"{name}: right-hand side {rhs} is not positive")
    tol = _tol(dps, slack) * rhs
    diff = lhs - rhs
    return Check(name, LE, lhs / rhs, bad=diff > tol, undecided=abs(diff) <= tol, lhs=lhs, rhs=rhs,
                 limit=mp.one)


def eq(name: str, lhs, rhs, dps: int, slack: int = 5, scale=None) -> Check:
    """``lhs = rhs`` to ``10^-(dps-slack)`` relative to ``scale`` (default the larger side)."""
    lhs, rhs = mp.mpf(lhs), mp.mpf(rhs)
    sc = mp.mpf(scale) if scale is not None else max(abs(lhs), abs(rhs))
    rel = abs(lhs - rhs) / sc if sc else mp.zero
    return Check(name, EQ, rel, bad=rel > _tol(dps, slack), lhs=lhs, rhs=rhs, limit=_tol(dps, slack))


def measure(name: str, value, worse: str = "max", bound=None) -> Check:
    """A measured constant; with ``bound`` (a negative control) a value beyond it is a counterexample."""
    value = mp.mpf(value)
    bad = False
    if bound is not None:
        bound = to_mpf(Fraction(bound))
        bad = value > bound if worse == "max" else value < bound
    return Check(name, MEASURE, value, bad=bad, worse=worse, limit=bound)


# -- probes -----------------------------------------------------------------------------
@dataclass
class Probe:
    """A statement, the inputs to stress it with, and how to check it at one input."""

    id: str
    status: str
    statement: str
    strategy: object                       # a hypothesis strategy drawing a JSON-able dict
    evaluate: Callable                     # (input dict, dps) -> [Check]
    dps: int = 30
    weight: float = 1.0                    # fraction of a profile's examples (expensive probes < 1)
    fields: str = ""                       # the input's fields, for --input
    control_of: str | None = None          # for negative controls: the probe they corrupt
    wrong: str = ""                        # for negative controls: what is wrong

    def checks(self, inp: dict) -> list:
        """Evaluate, escalating precision while some check is undecided."""
        out = self.evaluate(inp, self.dps)
        for f in ESCALATE:
            if not any(c.undecided for c in out):
                break
            out = self.evaluate(inp, self.dps * f)
        return out

