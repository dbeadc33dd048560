"""Stress-testing the paper's inequalities and identities with hypothesis (issue 5).

In the spirit of scipy's ``_mptestutils``: a :class:`Probe` evaluates a
statement at one input and returns :class:`Check` s (an inequality
``lhs <= rhs``, an identity ``lhs = rhs`` to a relative tolerance, or a
measured constant); :func:`run` draws inputs with a hypothesis strategy
(seeded, so ``--seed`` reproduces a run), tracks the worst ratio and the
input that gave it for every check, and stops at the first counterexample,
which hypothesis shrinks to a minimal one.

Decisions respect precision: an inequality whose two sides agree to within
the working precision is *undecided* at that precision and is re-evaluated at
higher precision; if it stays undecided it is reported as such, never as a
pass or a counterexample.  The worst inputs are re-evaluated at a second
precision so every reported worst value carries its agreed digits.

Every check carries its ``limit``: 1 for an inequality's ratio, the relative
tolerance for an identity, the bound of a measurement when it has one.  A
measurement without a bound can never be a counterexample: it is reported as
a measurement (the claims' judge says MEASURED, never PASS, for a probe that
has nothing else).  :data:`CONTROLS` holds deliberately wrong variants of
every bounded statement (a constant too small, a flipped sign, a missing
term): the same harness must catch each of them.

The package: :mod:`.checks` (the check and probe types), :mod:`.probes` (the
statements, their negative controls and the registry), :mod:`.runner` (the
hypothesis runner and its report).  Every public name is importable from
``proofs_check.stress``.
"""
from .checks import ESCALATE, EQ, LE, MEASURE, Check, Probe, eq, le, measure
from .probes import CONTROLS, PROBES, chernoff_weight_bound, examples_for, get
from .runner import Counterexample, Report, Worst, confirm_worst, evaluate_input, run

__all__ = ["ESCALATE", "EQ", "LE", "MEASURE", "Check", "Probe", "eq", "le", "measure", "CONTROLS", "PROBES",
           "chernoff_weight_bound", "examples_for", "get", "Counterexample", "Report", "Worst", "confirm_worst",
           "evaluate_input", "run"]
