"""The objectives whose gradient descent the suite studies, by name.

The registry (:mod:`proofs_check.objectives.registry`) is filled here,
explicitly, with the suite's own objectives; every member is imported
downward (this package sits above the evaluators and nothing below imports
it):

- ``forward``: the paper's score-matching loss (Lemma B.1 / 2.2),
  :func:`proofs_check.gradient.evaluate`;
- ``reverse``: the reverse Fisher divergence (MATH.md 6),
  :func:`proofs_check.reverse.evaluate`;
- ``forward-grid`` and ``forward-minibatch``: the forward loss by a fixed
  float64 rule and by the paper's mini-batches (Section 4),
  :func:`proofs_check.general.grid_evaluate` and
  :func:`proofs_check.general.minibatch_evaluate`.

More are added at run time with :func:`register`.  The CLI's
``--objective``, the dynamics engine and the claims look objectives up here;
:func:`at_precision` and :func:`measured` evaluate one at a configuration.

>>> names()[:2]
('forward', 'reverse')
"""
from __future__ import annotations

from .. import general, gradient, model, reverse
from .registry import get, names, register, unregister
from . import time_averaged
from ..errors import InputError
from ..numbers import Precision  # noqa: F401  (named in the signatures: a Precision or a whole number of digits)

BUILTIN = {
    "forward": gradient.evaluate,
    "reverse": reverse.evaluate,
    "forward-grid": general.grid_evaluate,
    "forward-minibatch": general.minibatch_evaluate,
    **time_averaged.BUILTIN,   # time-averaged, time-averaged-variance (issue 15)
}
for _name, _evaluator in BUILTIN.items():
    register(_name, _evaluator, replace=True)
del _name, _evaluator


def check_noise_level(config: model.Configuration, objective: str) -> None:
    """InputError when an objective over the unscaled parameters (``unscaled = True`` on its evaluator, e.g. the
    time-averaged loss, whose noise levels come from its weighting) is given a configuration at t != 0."""
    if getattr(get(objective), "unscaled", False) and config.t != 0:
        raise InputError(f"objective {objective!r} averages over the noise level: give the unscaled parameters at "
                         f"t = 0 (got t = {config.t}); its noise levels come from its weighting")


def at_precision(config: model.Configuration, dps: "Precision | int", forms=("stein",), loss: bool = True,
                 objective: str = "forward", **kw) -> gradient.Evaluation:
    """The objective ``objective`` and its gradient at a configuration, at ``dps`` digits.

    :func:`proofs_check.gradient.at_precision` with the evaluator looked up
    by name; ``kw`` goes to the evaluator (``backend``, ``qmc_points``, ``seed``).
    """
    check_noise_level(config, objective)
    return gradient.at_precision(config, dps, forms, loss, evaluator=get(objective), **kw)


def measured(config: model.Configuration, dps: "Precision | int", forms=("stein",), extra: int | None = None,
             objective: str = "forward", **kw) -> dict:
    """The objective and every gradient at two precisions, with the digits they agree on.

    :func:`proofs_check.gradient.measured` with the evaluator looked up by
    name: ``{"loss": Measured, "gradient": {form: [[Measured]]}, "method", "k"}``.
    """
    check_noise_level(config, objective)
    return gradient.measured(config, dps, forms, extra, evaluator=get(objective), **kw)


__all__ = ["BUILTIN", "at_precision", "check_noise_level", "get", "measured", "names", "register", "unregister"]
