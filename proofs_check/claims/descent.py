"""Float64 gradient-descent runs shared by the general-dimension claims (no claim lives here).

One engine (:func:`proofs_check.dynamics.run`) with the float64 objectives of
:mod:`proofs_check.general`; these are its defaults for long claim sweeps.
"""
from __future__ import annotations

import numpy as np

from .. import dynamics, general


def run(A0, b, eta, steps, objective="forward-grid", qmc_points=12, seed=0, **kw):
    """One gradient-descent run through the dynamics engine (float64)."""
    kw.setdefault("stop_when_decided", False)
    kw.setdefault("escape_radius", 1e6)
    return dynamics.run([[float(v) for v in row] for row in A0], [float(v) for v in b], eta=str(eta),
                        steps=steps, objective=objective, backend="float64", qmc_points=qmc_points,
                        seed=seed, **kw)


def series(tr):
    """(steps, losses) of a trajectory as float arrays."""
    s = np.array(tr.steps, dtype=float)
    L = np.array([float(v) for v in tr.losses])
    return s, L


def warm_compiled(shapes, parts=("loss", "stein")):
    """Compile the derived integrands for every (d, n) before a pool forks."""
    for d, n in shapes:
        for k in range(1, min(d, n) + 1):
            general.symbolic.compiled(n, k, "numpy", tuple(parts))
