"""The time-averaged score-matching loss as built-in objectives (issue 15; the reviews' question).

``L_avg(mu) = integral lambda(t) L_t(e^-t mu; e^-t mu*) dt`` (:mod:`proofs_check.time_average`)
over the UNSCALED parameters: give the configuration at t = 0 (its params are mu, its truth mu*).
The node count in t is adaptive (raised until two rules agree to the working precision), so the
two precisions of :func:`proofs_check.objectives.measured` also carry the t-rule's error.

- ``time-averaged``: lambda uniform on [0, 2];
- ``time-averaged-variance``: lambda proportional to 1 - e^-2t on [0, 2] (denoising score matching).

Other weightings: ``register(name, time_average.objective(Weighting.density(...)))``.
"""
from __future__ import annotations

from .. import time_average
from ..weighting import Weighting

DEFAULT_T_MIN, DEFAULT_T_MAX = "0", "2"

BUILTIN = {
    "time-averaged": time_average.objective(Weighting.uniform(DEFAULT_T_MIN, DEFAULT_T_MAX)),
    "time-averaged-variance": time_average.objective(Weighting.variance(DEFAULT_T_MIN, DEFAULT_T_MAX)),
}

__all__ = ["BUILTIN", "DEFAULT_T_MAX", "DEFAULT_T_MIN"]
