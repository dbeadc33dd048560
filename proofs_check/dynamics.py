"""Gradient descent on the loss: the dynamics engine (paper sections 3-4).

:func:`run` iterates ``a_i <- a_i - eta * grad_{a_i} L`` on the paper's
variables ``a_i = e^{-t} mu_i`` (truth ``b = e^{-t} mu*``), with gradients
taken ONLY from :func:`proofs_check.objectives.get` (``objective="forward"``
is the paper's score-matching loss; other modules register more, e.g.
``"reverse"``).  Identical parameters stay identical under gradient descent,
so a group of ``m`` copies is carried as one vector with multiplicity ``m``.

Arithmetic
    ``backend="mpmath"`` (default): parameters are mpf numbers at ``dps``
    digits (default 30) and every gradient is computed at that precision.
    The precision rises automatically (never falls) before a step whenever
    the smallest split between two distinct parameter groups, relative to
    the largest coordinate, would keep fewer than ``keep_digits``
    significant digits: an exponentially small split (1e-40 next to O(1)
    values, MATH.md 4) is carried exactly instead of being rounded away.
    Span dimension 1 (aligned) uses the 1-D line rule, 2 the planar rule,
    3 and more fall back to float64 quasi-Monte Carlo (see gradient.py).
    ``backend="float64"``: parameters are Python floats and the objective's
    float64 quasi-Monte Carlo rule is used (``qmc_points``, ``seed``); a
    split falling below float64 resolution is flagged in the outcome.

Optimisers (``optimizer``, ``batch``; :mod:`proofs_check.optimisers`)
    ``"gd"`` (default): the update above with the objective's gradient;
    ``"sgd"``: the same update on a fresh mini-batch of ``batch`` samples per
    step (float64; the fixed-t forward loss, or the time-averaged loss with
    t drawn from its weighting); ``"adam"``: Adam with beta1 = 0.9, beta2 =
    0.999, eps = 1e-8 and learning rate ``eta``, on the objective's gradient
    or on mini-batches.  Samples are seeded by ``seed``; the choice is
    recorded in ``Trajectory.settings``.

Stopping rules (``Trajectory.stop``)
    ``"converged"``: every ``|a_i - b| <= tol`` (only when ``tol`` is given);
    ``"decided"``: the outcome classifier is decisive and ``stop_when_decided``;
    ``"escaped"``: some ``|a_i - b| > escape_radius``;
    ``"budget"``: ``steps`` steps done;
    ``"precision"``: the automatic precision would exceed ``max_dps``;
    ``"nonfinite"``: a non-finite loss or gradient.

Outcome (``Trajectory.outcome``, with ``Trajectory.reason``)
    :data:`ALL_CONVERGE`: every parameter within ``converge_radius`` of b and
    the largest distance to b still shrinking (over-parameterized convergence
    is sublinear: the spread decays like 1/sqrt(steps), so "reached tol" is
    not required);
    :data:`ONE_CONVERGES`: exactly one parameter (multiplicity 1) within
    ``converge_radius`` of b, every other one farther than
    ``diverge_distance`` from b and moving away from it;
    :data:`UNDECIDED`: neither, with the reason.
    These are empirical classifications of a finite run, stated as such.

Trajectory
    Every step is recorded up to ``dense_steps``, then log-spaced steps
    (``per_decade`` of them per decade), and always the last step.

The run's record and its outcome types (:class:`Trajectory`,
:func:`final_outcome`, the outcome names) live in :mod:`proofs_check.trajectory`
and are re-exported here.

Example::

    from proofs_check import dynamics
    tr = dynamics.run(["0.5", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=2000)
    print(tr.outcome, tr.reason)
"""
from __future__ import annotations

import math
import sys
import time
from fractions import Fraction
from typing import Sequence

import mpmath

from . import objectives, optimisers
from .numbers import DEFAULT_DPS, InputError, Precision, exact_str, fmt, parse_number, to_mpf, working
from .trajectory import (ALL_CONVERGE, BACKENDS, ONE_CONVERGES, OUTCOMES, STOPS, UNDECIDED,  # noqa: F401
                         FinalOutcome, Trajectory, final_outcome, vector_norm)


def _vectors(A0, what, floats_ok):
    """A list of vectors (or a flat list = d 1) as exact Fractions."""
    if not isinstance(A0, (list, tuple)) or not A0:
        raise InputError(f"{what}: expected a non-empty list")
    rows = []
    for i, p in enumerate(A0):
        row = list(p) if isinstance(p, (list, tuple)) else [p]
        if not row:
            raise InputError(f"{what}: parameter {i + 1} is empty")
        rows.append([_number(v, f"{what} {i + 1}", floats_ok) for v in row])
    return rows


def _number(v, what, floats_ok):
    if isinstance(v, float) and floats_ok:
        if not math.isfinite(v):
            raise InputError(f"{what}: {v} is not finite")
        return Fraction(v)
    try:                                   # numpy scalars
        import numpy as np
        if isinstance(v, np.floating) and floats_ok:
            return Fraction(float(v))
        if isinstance(v, np.integer):
            return Fraction(int(v))
    except ImportError:  # pragma: no cover
        pass
    return parse_number(v, what)


def _as_vector(b, what, floats_ok):
    row = list(b) if isinstance(b, (list, tuple)) else [b]
    if not row:
        raise InputError(f"{what}: empty vector")
    return [_number(v, what, floats_ok) for v in row]


def record_schedule(dense_steps: int = 100, per_decade: int = 40):
    """A predicate ``keep(step)``: every step up to ``dense_steps``, then log-spaced."""
    ratio = 10 ** (1 / per_decade)
    state = {"next": float(dense_steps)}

    def keep(step: int) -> bool:
        if step <= dense_steps:
            return True
        if step >= state["next"]:
            while state["next"] <= step:
                state["next"] = max(state["next"] * ratio, state["next"] + 1)
            return True
        return False
    return keep


def run(A0: Sequence, b, multiplicity: Sequence[int] | None = None, eta="0.1", steps: int = 1000,
        objective: str = "forward", dps: int | None = None, backend: str = "mpmath",
        escape_radius=None, tol=None, converge_radius="0.25", diverge_distance=None,
        stop_when_decided: bool = True, keep_digits: int = 20, max_dps: int = 2000,
        dense_steps: int = 100, per_decade: int = 40, progress: bool | None = None,
        qmc_points: int = 14, seed: int = 0, callback=None, optimizer: str = "gd",
        batch: int | None = None) -> Trajectory:
    """Gradient descent ``a_i <- a_i - eta grad_{a_i} L`` from ``A0``; returns a :class:`Trajectory`.

    Parameters
    ----------
    A0 : list of G vectors (or a flat list of numbers when d = 1): the initial
        ``a_i`` in the paper's variables, one entry per group; decimal strings,
        ints, Fractions or mpf (Python floats only with ``backend="float64"``).
    b : the truth (vector, or a number when d = 1).
    multiplicity : copies of each group (default one each); n = sum.
    eta : step size (exact input).  steps : step budget.
    objective : name in :mod:`proofs_check.objectives` ("forward", "reverse", ...).
    dps : starting decimal digits for ``backend="mpmath"`` (default 30); rises
        automatically up to ``max_dps`` so splits keep ``keep_digits`` digits.
    backend : "mpmath" (arbitrary precision) or "float64" (QMC, ``qmc_points``
        = log2 of the points per replicate, ``seed``).
    escape_radius : stop once some ``|a_i - b|`` exceeds it (default
        ``10 (r0 + 1)``, r0 = the largest initial ``|a_i - b|``).
    tol : stop "converged" once every ``|a_i - b| <= tol`` (default: never).
    converge_radius, diverge_distance : the classifier's thresholds (distances
        to b; ``diverge_distance`` defaults to ``r0 + 1``).
    stop_when_decided : stop as soon as the outcome is decisive.
    progress : tqdm bar on stderr; default only when stderr is a terminal.
    callback : optional ``callback(step, params, loss)`` after every step.
    optimizer : "gd" (default), "sgd" or "adam" (:mod:`proofs_check.optimisers`).
    batch : samples per fresh mini-batch (float64; required by "sgd", optional
        for "adam"); seeded by ``seed``; the recorded losses are then the
        batches' mean sample losses.
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose from {BACKENDS}")
    floats_ok = backend == "float64"
    rows = _vectors(A0, "initial parameter", floats_ok)
    bq = _as_vector(b, "truth", floats_ok)
    d = len(bq)
    if any(len(r) != d for r in rows):
        raise InputError(f"every parameter needs {d} coordinates, like the truth")
    G = len(rows)
    mult = [int(m) for m in multiplicity] if multiplicity else [1] * G
    if len(mult) != G or any(m < 1 for m in mult):
        raise InputError("one multiplicity >= 1 per parameter group is needed")
    steps = int(steps)
    if steps < 0:
        raise InputError("steps must be >= 0")
    eta_q = _number(eta, "eta", floats_ok)
    if eta_q <= 0:
        raise InputError("the step size eta must be > 0")
    evaluate = objectives.get(objective)
    batch = optimisers.validate(optimizer, batch, objective, evaluate, backend)
    if dps is None:
        dps = DEFAULT_DPS
    dps = int(dps)
    if progress is None:
        progress = bool(getattr(sys.stderr, "isatty", lambda: False)())

    tr = Trajectory([], mult, exact_str(eta_q), objective, backend)
    t0 = time.perf_counter()
    keep = record_schedule(dense_steps, per_decade)

    state = _State(rows, bq, eta_q, backend, dps, optimizer)
    if batch is not None:
        state.minibatch = optimisers.Minibatch(batch, seed, getattr(evaluate, "weighting", None))
    r0 = max(state.distances())
    conv_r = state.num(parse_number(converge_radius, "converge_radius") if not isinstance(converge_radius, float)
                       else Fraction(converge_radius))
    div_d = r0 + 1 if diverge_distance is None else state.num(_number(diverge_distance, "diverge_distance", True))
    esc = 10 * (r0 + 1) if escape_radius is None else state.num(_number(escape_radius, "escape_radius", True))
    tol_v = None if tol is None else state.num(_number(tol, "tol", True))
    tr.b = state.b
    tr.settings = {"steps": steps, "eta": exact_str(eta_q), "start_dps": dps if backend == "mpmath" else None,
                   "escape_radius": fmt(esc, 6), "converge_radius": fmt(conv_r, 6),
                   "diverge_distance": fmt(div_d, 6), "tol": None if tol_v is None else fmt(tol_v, 6),
                   "keep_digits": keep_digits, "max_dps": max_dps,
                   "qmc_points": qmc_points if backend == "float64" else None, "seed": seed}
    if optimizer != "gd":
        tr.settings.update(optimisers.settings(optimizer, batch))
    tr.dps_history.append((0, state.dps if backend == "mpmath" else 16))

    bar = None
    if progress and steps > 0:
        try:
            from tqdm import tqdm
            bar = tqdm(total=steps, file=sys.stderr, desc=f"{optimizer.upper()} {objective}", leave=False)
        except ImportError:  # pragma: no cover
            bar = None
    prev_dist = None
    step = 0
    try:
        while True:
            # -- precision for this step (mpmath): keep every split resolvable ----
            if backend == "mpmath":
                need = state.needed_dps(keep_digits)
                if need > state.dps:
                    new = need + 10
                    if new > max_dps:
                        tr.stop = "precision"
                        tr.reason = f"the splits need {need} digits, above max_dps = {max_dps}"
                        break
                    state.dps = new
                    tr.dps_history.append((step, new))
            else:
                if state.split_lost():
                    tr.precision_lost = True
            loss, grad = state.gradient(evaluate, mult, qmc_points, seed)
            if not state.finite(loss, grad):
                tr.stop = "nonfinite"
                _record(tr, step, state, loss, grad)
                break
            dist = state.distances()
            if keep(step) or step == steps:
                _record(tr, step, state, loss, grad)
            # -- stopping rules (on the state at `step`) --------------------------
            if tol_v is not None and max(dist) <= tol_v:
                tr.stop = "converged"
            elif max(dist) > esc:
                tr.stop = "escaped"
            elif stop_when_decided and prev_dist is not None and \
                    _classify(dist, prev_dist, grad, state, mult, conv_r, div_d)[0] != UNDECIDED:
                tr.stop = "decided"
            elif step >= steps:
                tr.stop = "budget"
            if tr.stop in ("converged", "escaped", "decided") or step >= steps:
                if not tr.steps or tr.steps[-1] != step:
                    _record(tr, step, state, loss, grad)
                break
            state.update(grad)
            prev_dist = dist
            step += 1
            if callback is not None:
                callback(step, state.A, loss)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    tr.steps_taken = step
    dist = state.distances()
    if tr.stop in ("precision", "nonfinite"):
        tr.outcome = UNDECIDED
        tr.reason = tr.reason or "non-finite loss or gradient (step size too large?)"
    elif prev_dist is None:
        tr.outcome, tr.reason = UNDECIDED, "no step taken"
    else:
        tr.outcome, tr.reason, tr.converged_groups, tr.diverged_groups = _classify(
            dist, prev_dist, state.last_grad, state, mult, conv_r, div_d)
        if tr.stop == "escaped" and tr.outcome == UNDECIDED:
            tr.reason = f"a parameter passed the escape radius {fmt(esc, 6)}; " + tr.reason
        if tr.stop == "converged":
            tr.outcome, tr.reason = ALL_CONVERGE, f"every |a_i - b| <= tol = {fmt(tol_v, 6)}"
    if tr.precision_lost:
        tr.reason += "; WARNING: a split between parameters fell below float64 resolution"
        if tr.outcome != ALL_CONVERGE:
            tr.outcome = UNDECIDED
    tr.seconds = time.perf_counter() - t0
    return tr


def _record(tr, step, state, loss, grad):
    tr.steps.append(step)
    tr.params.append([list(row) for row in state.A])
    tr.losses.append(loss)
    tr.grad_norms.append(max(vector_norm(g) for g in grad))


def _classify(dist, prev_dist, grad, state, mult, conv_r, div_d):
    """(outcome, reason, converged groups, diverged groups) from the last two states."""
    G = len(dist)
    near = [g for g in range(G) if dist[g] <= conv_r]
    moving_away = [g for g in range(G) if dist[g] > prev_dist[g]]
    far_away = [g for g in range(G) if dist[g] >= div_d and g in moving_away]
    if len(near) == G:
        if max(dist) < max(prev_dist):
            return ALL_CONVERGE, (f"every parameter within {fmt(conv_r, 3)} of b and the largest distance "
                                  f"still shrinking ({fmt(max(dist), 6)})"), near, []
        return UNDECIDED, (f"every parameter within {fmt(conv_r, 3)} of b but the largest distance is not "
                           "shrinking yet"), near, []
    if len(near) == 1 and len(far_away) == G - 1:
        g = near[0]
        if mult[g] == 1:
            return ONE_CONVERGES, (f"parameter group {g + 1} within {fmt(dist[g], 3)} of b; the other "
                                   f"{sum(mult) - 1} farther than {fmt(div_d, 3)} and moving away"), near, far_away
        return UNDECIDED, (f"a group of {mult[g]} identical copies converges while the rest diverge"), near, far_away
    far_still = [g for g in range(G) if dist[g] >= div_d and g not in moving_away]
    still = (f", {len(far_still)} farther than {fmt(div_d, 3)} but not moving at this precision (gradient below "
             "resolution)" if far_still else "")
    return UNDECIDED, (f"{len(near)} group(s) within {fmt(conv_r, 3)} of b, {len(far_away)} farther than "
                       f"{fmt(div_d, 3)} and moving away{still}, "
                       f"{G - len(near) - len(far_away) - len(far_still)} in between"), near, far_away


class _State:
    """The parameters in the backend's arithmetic."""

    def __init__(self, rows, bq, eta_q, backend, dps, optimizer="gd"):
        self.backend = backend
        self.dps = dps
        self.last_grad = None
        self.minibatch = None                       # an optimisers.Minibatch: fresh samples every step
        self.adam = optimisers.Adam(backend) if optimizer == "adam" else None
        if backend == "float64":
            self.A = [[float(v) for v in r] for r in rows]
            self.b = [float(v) for v in bq]
            self.eta = float(eta_q)
        else:
            with working(dps):
                self.A = [[to_mpf(v) for v in r] for r in rows]
                self.b = [to_mpf(v) for v in bq]
                self.eta = to_mpf(eta_q)
            self._exact_eta = eta_q

    def num(self, q):
        if self.backend == "float64":
            return float(q)
        with working(self.dps):
            return to_mpf(q)

    def distances(self):
        with working(self.dps):
            return [vector_norm([x - y for x, y in zip(r, self.b)]) for r in self.A]

    def _min_split(self):
        best = None
        for g in range(len(self.A)):
            for h in range(g + 1, len(self.A)):
                s = max(abs(x - y) for x, y in zip(self.A[g], self.A[h]))
                if s != 0 and (best is None or s < best):
                    best = s
        return best

    def needed_dps(self, keep_digits):
        """Digits needed so the smallest split keeps ``keep_digits`` significant digits."""
        with working(self.dps):
            split = self._min_split()
            if split is None:
                return 0
            scale = max(abs(v) for r in self.A + [self.b] for v in r)
            return int(mpmath.ceil(mpmath.log10(scale / split))) + keep_digits

    def split_lost(self):
        split = self._min_split()
        if split is None:
            return False
        scale = max(abs(v) for r in self.A + [self.b] for v in r)
        return split < scale * 1e-13

    def gradient(self, evaluate, mult, qmc_points, seed):
        if self.minibatch is not None:
            loss, grad = self.minibatch(self.A, self.b, mult)
        elif self.backend == "float64":
            ev = evaluate(self.A, self.b, mult, forms=("stein",), loss=True, backend="float64",
                          qmc_points=qmc_points, seed=seed)
            grad = [[float(v) for v in row] for row in _stein(ev)]
            loss = float(ev.loss)
        else:
            prec = Precision(self.dps)
            with prec.active():
                # re-round eta at the current precision (it is exact input)
                self.eta = to_mpf(self._exact_eta)
                ev = evaluate(self.A, self.b, mult, forms=("stein",), loss=True, rel_tol=prec.tolerance())
                grad = [[+v for v in row] for row in _stein(ev)]
                loss = +ev.loss
        self.last_grad = grad
        return loss, grad

    def finite(self, loss, grad):
        vals = [loss] + [v for row in grad for v in row]
        if self.backend == "float64":
            return all(math.isfinite(v) for v in vals)
        return all(mpmath.isfinite(v) for v in vals)

    def update(self, grad):
        step = optimisers.gd_step if self.adam is None else self.adam.step
        if self.backend == "float64":
            self.A = step(self.A, grad, self.eta)
        else:
            with working(self.dps):
                self.A = step(self.A, grad, self.eta)


def _stein(ev):
    """The evaluation's (Stein-form) gradient rows; InputError when the objective gives none."""
    grad = (ev.gradient or {}).get("stein")
    if grad is None:
        raise InputError("the objective gave no gradient (form 'stein'); gradient descent, SGD and Adam need one")
    return grad


def run_config(cfg, **kw) -> Trajectory:
    """:func:`run` from a :class:`~proofs_check.model.Configuration` (scaled to a = e^-t mu)."""
    objectives.check_noise_level(cfg, kw.get("objective") or "forward")
    dps = kw.get("dps") or DEFAULT_DPS
    with working(dps + 20):
        A, b = cfg.scaled()
    return run(A, b, list(cfg.multiplicity), **kw)
