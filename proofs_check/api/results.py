"""The API's result types: values with their agreed digits, never floats.

:class:`LossResult` and :class:`GradientResult` hold two-precision
measurements (:class:`proofs_check.numbers.Measured`), :class:`Simulation` a
gradient-descent run with its configuration, :class:`StressInput` one
stress probe's checks at one input.  Each has ``to_json()`` giving the JSON
the matching CLI command prints (without its ``command``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..numbers import Measured, exact_str, fmt


# -- results ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LossResult:
    """The loss L at one configuration (MATH.md 2: no factor 1/2), measured at two precisions.

    ``value`` is the higher precision's result (an mpf), ``digits`` the
    significant digits on which both precisions agree, ``precisions`` the two
    precisions (decimal digits), ``error`` the quadrature's absolute error
    estimate, ``method`` the quadrature, ``span_dimension`` the dimension k of
    the span of the centred parameters (which decides the rule).
    """

    value: Any
    digits: int
    method: str
    precisions: tuple
    error: Any
    objective: str
    span_dimension: int
    config: Any
    dps: int

    @property
    def measured(self) -> Measured:
        """The value as a :class:`~proofs_check.numbers.Measured`."""
        return Measured(self.value, self.digits, self.error, self.method, self.precisions)

    def text(self) -> str:
        """The value printed to its agreed digits (at least one)."""
        return fmt(self.value, max(self.digits, 1))

    def to_json(self) -> dict:
        """The JSON of ``proofs-check loss --json`` (without its ``command``)."""
        return {"objective": self.objective, "config": config_json(self.config), "dps": self.dps,
                "loss": self.measured.to_json(), "method": self.method, "span_dimension": self.span_dimension}

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"LossResult({self.text()}, digits={self.digits})"


@dataclass(frozen=True)
class GradientResult:
    """L and the gradient of one copy of every parameter group, with respect to ``a_i = e^-t mu_i``.

    ``gradient[form][g]`` is a tuple of :class:`~proofs_check.numbers.Measured`
    (one per coordinate) for group g; ``form`` is ``"stein"`` (Lemma B.1's
    form) or ``"pathwise"`` (the chain rule under the expectation).  Both
    forms are the same vector (Lemma A.3, Stein's lemma); their digits are
    judged against the form's largest component over all parameters.
    """

    loss: LossResult
    gradient: dict
    method: str
    span_dimension: int
    objective: str
    config: Any
    dps: int

    @property
    def forms(self) -> tuple:
        """The forms computed, in order."""
        return tuple(self.gradient)

    def values(self, form: str = "stein") -> list:
        """The gradient of one copy of each group, as lists of mpf."""
        return [[m.value for m in row] for row in self._rows(form)]

    def digits(self, form: str = "stein") -> int:
        """The digits on which the two precisions agree for this form."""
        return min(m.digits for row in self._rows(form) for m in row)

    def text(self, form: str = "stein") -> list:
        """Each group's gradient printed to the form's agreed digits."""
        return [[fmt(m.value, max(m.digits, 1)) for m in row] for row in self._rows(form)]

    def to_json(self) -> dict:
        """The JSON of ``proofs-check grad --json`` (without its ``command``)."""
        return {"objective": self.objective, "config": config_json(self.config), "dps": self.dps,
                "loss": self.loss.measured.to_json(),
                "gradient_with_respect_to": "a_i = exp(-t) mu_i (the paper's variables), one copy of each parameter",
                "gradient": {f: [[v.to_json() for v in row] for row in rows] for f, rows in self.gradient.items()},
                "method": self.method, "span_dimension": self.span_dimension}

    def _rows(self, form):
        if form not in self.gradient:
            raise InputError(f"form={form!r}: not computed; this result has {', '.join(self.forms)}")
        return self.gradient[form]

    def __repr__(self) -> str:
        parts = [f"loss={self.loss.text()} ({self.loss.digits} digits)"]
        for f in self.forms:
            vecs = ", ".join("[" + ", ".join(row) + "]" for row in self.text(f))
            parts.append(f"{f}=[{vecs}] ({self.digits(f)} digits)")
        return "GradientResult(" + ",\n               ".join(parts) + ")"


@dataclass(frozen=True)
class Simulation:
    """A gradient-descent run (:class:`proofs_check.dynamics.Trajectory`) with its configuration.

    ``outcome`` is one of "all converge", "one converges, the rest diverge",
    "undecided"; ``reason`` says why; ``trajectory`` holds every recorded state
    (mpf for the mpmath backend, floats for float64).  ``shown_digits`` is how
    many digits the printed summaries use.
    """

    trajectory: Any
    config: Any
    shown_digits: int

    @property
    def outcome(self) -> str:
        """The classified outcome of the run."""
        return self.trajectory.outcome

    @property
    def reason(self) -> str:
        """Why the run was classified so, with its numbers."""
        return self.trajectory.reason

    @property
    def stop(self) -> str:
        """Why the run stopped: converged, decided, escaped, budget, precision or nonfinite."""
        return self.trajectory.stop

    @property
    def steps_taken(self) -> int:
        """Steps taken before the stop."""
        return self.trajectory.steps_taken

    @property
    def final(self) -> list:
        """The final parameters ``a_i`` (one vector per group)."""
        return self.trajectory.final

    @property
    def final_loss(self):
        """The loss at the final parameters."""
        return self.trajectory.final_loss

    def to_json(self, command: str | None = None) -> dict:
        """The JSON of ``proofs-check simulate --json`` (``command`` is added when given)."""
        out = self.trajectory.to_json(digits=self.shown_digits)
        out.update({"config": config_json(self.config), "variables": "a_i = exp(-t) mu_i, b = exp(-t) mu*"})
        if command is not None:
            out["command"] = command
        return out

    def __repr__(self) -> str:
        return (f"Simulation(outcome={self.outcome!r}, stop={self.stop!r}, steps_taken={self.steps_taken}, "
                f"final_loss={fmt(self.final_loss, self.shown_digits)})")


@dataclass(frozen=True)
class StressInput:
    """A stress probe evaluated at one input: its checks (:class:`proofs_check.stress.Check`)."""

    probe: Any
    input: dict
    checks: tuple

    @property
    def counterexample(self) -> bool:
        """True when some check is violated at this input."""
        return any(c.bad for c in self.checks)

    def to_json(self) -> dict:
        """The JSON of ``proofs-check stress ID --input ... --json``."""
        return {"probe": self.probe.id, "input": self.input, "checks": [
            {"check": c.name, "kind": c.kind, "value": fmt(c.value, 15), "bad": c.bad,
             "undecided": c.undecided} for c in self.checks], "counterexample": self.counterexample}

    def lines(self) -> list:
        """One line per check: [ok], [undecided] or [COUNTEREXAMPLE] and the check with its numbers."""
        return [f"[{'COUNTEREXAMPLE' if c.bad else ('undecided' if c.undecided else 'ok')}] {c.describe()}"
                for c in self.checks]


def config_json(cfg) -> dict:
    """A configuration's exact inputs as JSON (decimal strings), as the CLI prints them."""
    return {
        "params_mu": [[exact_str(v) for v in row] for row in cfg.params],
        "truth_mu": [exact_str(v) for v in cfg.truth],
        "t": exact_str(cfg.t),
        "multiplicity": list(cfg.multiplicity),
        "n": cfg.n, "d": cfg.d,
    }


__all__ = ["LossResult", "GradientResult", "Simulation", "StressInput", "config_json"]
