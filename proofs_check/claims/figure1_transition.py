"""Figure 1 (Section 4) as the paper ran it: the vectorised runs and the transition M* between its two panels.

The recovered settings (MATH.md section 7): n = 5, d = 3, mu* = 0, mu_i(0) = (M, 0, 0) + 1e-7 z_i with
z_i ~ N(0, I_3), step 0.01, 20,000 iterations, 20,000 fresh samples per step; t = 0 (a = mu).  Many runs
are advanced at once (arrays (R, n, d)) by plain gradient descent ``a_i <- a_i - eta grad_i``, with

- the population gradient: a product Gauss-Hermite rule in each run's principal frame
  (:func:`proofs_check.hermite.population_gradient`, deterministic: identical parameters get identical
  gradients, and the gradient differences are resolved far below the spread; the claim measures how far);
- the mini-batch gradient: the same derived pathwise integrand averaged over ``batch`` fresh samples
  x ~ N(0, I_3) per step, one seeded generator per run.

The dynamics engine (:mod:`proofs_check.dynamics`) drives one run at a time through the objectives'
``Evaluation`` records; a bisection over seeds and spreads needs thousands of runs-steps per second, so
this module steps the (R, n, d) array itself (the update is the engine's plain gradient step).

Transition: a run is classified at a budget of T_b steps from its distances at T_b/2 and T_b
(:func:`classify`); M* is bracketed by bisection between a converging M and a splitting M.  The linear
theory (this module's :func:`log_amplification`): with every a_i = A e_1 + delta_i, L = |A|^2 -
(2/n) sum_i <A e_1, delta_i>^2 + O(delta^3), so the e_1-components of the differences grow by
(1 + 4 eta A^2 / n) per step while A shrinks by (1 - 2 eta / n): a total factor Phi(M) ~ e^{M^2}.  The
outcome then depends on the start only through spread * Phi(M): ln(spread) + ln Phi(M*) is the same for
every spread (to one step's growth, 4 eta M^2 / n), the prediction the claim compares with.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fractions import Fraction

from .. import gradient, hermite, model
from .rules import CONVERGE_RADIUS

PAPER = {"n": 5, "d": 3, "eta": 0.01, "steps": 20000, "batch": 20000, "spread": 1e-7,
         "M_small": 4.0, "M_large": 6.0}
EXTEND = 2                    # bisect(): how many unit moves of a bracket end with the wrong outcome
NEAR, FAR = 0.5, 1.0          # classify(): "converge" needs every distance <= NEAR and shrinking; "split"
#                               needs a distance >= FAR still growing (the n = 3 saddle of Theorem 3.1 sits at
#                               |a - b| ~ 1; a parameter beyond it and receding has left the basin of b)


def start(M: float, spread: float, z_seed: int | None) -> np.ndarray:
    """mu_i(0) = (M, 0, 0) + spread z_i, z_i ~ N(0, I_3) from default_rng(z_seed) (None: z = 0): (n, d)."""
    n, d = PAPER["n"], PAPER["d"]
    z = np.zeros((n, d)) if z_seed is None else np.random.default_rng(z_seed).standard_normal((n, d))
    base = np.zeros((n, d))
    base[:, 0] = M
    return base + spread * z


def population(counts: tuple):
    """The population gradient by the product Gauss-Hermite rule ``counts``: f(C, step) -> (L, grad)."""
    def grad(C, step):
        return hermite.population_gradient(C, counts)
    return grad


def minibatch(batch: int, seeds: list):
    """The mini-batch gradient, ``batch`` fresh samples per step, run r drawing from default_rng(seeds[r])."""
    gens = [np.random.default_rng(s) for s in seeds]
    weights = np.full(batch, 1.0 / batch)

    def grad(C, step):
        XT = np.stack([g.standard_normal((C.shape[-1], batch)) for g in gens])
        return hermite.pathwise_mean(C, XT, weights)
    return grad


def record_steps(steps: int, every: int = 1, per_decade: int = 30) -> list:
    """Recorded steps: every ``every``-th step up to 200, then ``per_decade`` log-spaced per decade, and the end."""
    dense = set(range(0, min(steps, 200) + 1, max(1, every)))
    logs = {int(round(v)) for v in np.logspace(0, math.log10(max(steps, 1)), per_decade *
                                                max(1, int(math.ceil(math.log10(max(steps, 10))))))}
    return sorted({s for s in dense | logs if s <= steps} | {steps})


def descend(C0: np.ndarray, eta: float, steps: int, gradient, record: list) -> tuple:
    """Gradient descent on R runs at once (C0: (R, n, d), centred at mu* = 0).

    Returns (steps recorded, params (J, R, n, d), losses (J, R)): the loss is the one the gradient came
    with (the rule's loss for the population gradient, the batch's for the mini-batch), at the state before
    the step's update, as in :class:`proofs_check.trajectory.Trajectory`.
    """
    C = np.array(C0, dtype=float)
    want = set(record)
    out_s, out_p, out_l = [], [], []
    for s in range(steps + 1):
        L, g = gradient(C, s)
        if s in want:
            out_s.append(s)
            out_p.append(C.copy())
            out_l.append(np.array(L, dtype=float))
        if s == steps:
            break
        C -= eta * g
    return out_s, np.array(out_p), np.array(out_l)


def classify(half: np.ndarray, end: np.ndarray) -> str:
    """'converge' / 'split' / 'undecided' from the distances |a_i - mu*| at T_b/2 and T_b.

    'split': a parameter at least FAR from mu* and still receding.  'converge': every parameter within
    CONVERGE_RADIUS of mu* (near mu* the loss is quartic in the spread and the last steps barely move), or
    every parameter within NEAR with the largest distance shrinking.
    """
    if np.any((end >= FAR) & (end > half)):
        return "split"
    if np.all(end <= CONVERGE_RADIUS) or (np.all(end <= NEAR) and end.max() <= half.max()):
        return "converge"
    return "undecided"


def outcomes_at(Ms, spreads, z_seeds, gradient_for, budget: int, eta: float) -> list:
    """Classify one run per (M, spread, z seed) after ``budget`` steps (all runs advanced together)."""
    C0 = np.stack([start(M, s, z) for M, s, z in zip(Ms, spreads, z_seeds)])
    steps, P, _ = descend(C0, eta, budget, gradient_for(len(Ms)), [budget // 2, budget])
    D = np.linalg.norm(P, axis=-1)
    return [classify(D[0, r], D[1, r]) for r in range(len(Ms))]


def log_amplification(M: float, eta: float, n: int, tol: float = 1e-12) -> float:
    """ln Phi(M) = sum_tau ln(1 + 4 eta A_tau^2 / n), A_tau = M (1 - 2 eta / n)^tau: the linear growth of the
    e_1-differences of n parameters descending together from distance M (this module's docstring)."""
    q, A2, total = (1 - 2 * eta / n) ** 2, M * M, 0.0
    while True:
        term = math.log1p(4 * eta * A2 / n)
        total += term
        if term < tol:
            return total
        A2 *= q


@dataclass(frozen=True)
class BisectTask:
    """One z seed's bisection for M* at every spread, with one gradient ("population" or "mini-batch")."""

    z_seed: int
    gradient: str
    spreads: tuple
    lo: float
    hi: float
    iterations: int
    budget: int
    counts: tuple             # the Gauss-Hermite rule (population)
    batch: int                # samples per step (mini-batch)
    sample_seed: int          # mini-batch samples: default_rng([sample_seed, z_seed, run])


@dataclass(frozen=True)
class Bracket:
    """M* for one (z seed, spread, gradient): every M <= lo converged, every M >= hi split (as classified).

    ``status``: "bracketed", "undecided" (a run in between stayed undecided at the budget: the bracket is
    the last decided pair), or "no bracket" (the end points did not converge / split).
    """

    z_seed: int
    gradient: str
    spread: float
    lo: float
    hi: float
    status: str
    at_small: str             # the classification at the paper's M = 4
    at_large: str             # and at M = 6
    runs: int


def _gradient_for(task: BisectTask, tag: int):
    def make(R):
        if task.gradient == "population":
            return population(task.counts)
        return minibatch(task.batch, [[task.sample_seed, task.z_seed, tag, r] for r in range(R)])
    return make


def bisect(task: BisectTask) -> list:
    """Bracket M* for every spread of ``task`` (vectorised over the spreads): one Bracket per spread.

    The bracket starts at [lo, hi] (the paper's M = 4 and 6); an end with the wrong outcome moves the bracket
    by one unit (at most EXTEND times) before the bisection halves it ``iterations`` times.
    """
    eta, S = PAPER["eta"], len(task.spreads)
    lo, hi = np.full(S, task.lo), np.full(S, task.hi)
    got = outcomes_at(list(lo) + list(hi), list(task.spreads) * 2, [task.z_seed] * 2 * S,
                      _gradient_for(task, 0), task.budget, eta)
    at_lo, at_hi = got[:S], got[S:]
    paper = (list(at_lo), list(at_hi))
    runs = 2 * S
    for ext in range(EXTEND):
        moves = [(j, -1.0) if at_lo[j] == "split" else (j, 1.0) for j in range(S)
                 if at_lo[j] == "split" or at_hi[j] == "converge"]
        if not moves:
            break
        Ms = [lo[j] - 1 if dm < 0 else hi[j] + 1 for j, dm in moves]
        new = outcomes_at(Ms, [task.spreads[j] for j, _ in moves], [task.z_seed] * len(moves),
                          _gradient_for(task, 1 + ext), task.budget, eta)
        runs += len(moves)
        for (j, dm), M, o in zip(moves, Ms, new):
            if dm < 0:
                lo[j], hi[j], at_lo[j], at_hi[j] = M, lo[j], o, "split"
            else:
                lo[j], hi[j], at_lo[j], at_hi[j] = hi[j], M, "converge", o
    status = ["bracketed" if at_lo[j] == "converge" and at_hi[j] == "split" else "no bracket" for j in range(S)]
    for it in range(task.iterations):
        live = [j for j in range(S) if status[j] == "bracketed"]
        if not live:
            break
        mids = [(lo[j] + hi[j]) / 2 for j in live]
        got = outcomes_at(mids, [task.spreads[j] for j in live], [task.z_seed] * len(live),
                          _gradient_for(task, 1 + EXTEND + it), task.budget, eta)
        runs += len(live)
        for j, m, o in zip(live, mids, got):
            if o == "converge":
                lo[j] = m
            elif o == "split":
                hi[j] = m
            else:
                status[j] = "undecided"
    return [Bracket(task.z_seed, task.gradient, float(task.spreads[j]), float(lo[j]), float(hi[j]), status[j],
                    paper[0][j], paper[1][j], runs) for j in range(S)]


def engine_spot_check(M: float, spread: float, z_seed: int, counts: tuple, dps: int = 30) -> tuple:
    """The Gauss-Hermite rule's gradient differences against the arbitrary-precision engine (Lemma B.1).

    The start with only the e_1-components of z (the components the linear growth acts on; span
    dimension 1, so the engine's line rule applies), its float64 values taken as exact rationals.
    Returns (max |GH (grad_i - grad_1) - engine's| / max |engine's|, the engine's agreed digits,
    max |engine's grad_i - grad_1|).
    """
    C = start(M, spread, z_seed)
    C[:, 1:] = 0.0
    cfg = model.Configuration(tuple(tuple(Fraction(float(v)) for v in row) for row in C),
                              (Fraction(0),) * C.shape[1])
    ev = gradient.measured(cfg, dps)
    rows = ev["gradient"]["stein"]
    exact = np.array([[float(v.value - w.value) for v, w in zip(row, rows[0])] for row in rows])
    _, g = hermite.population_gradient(C[None], counts)
    mine = g[0] - g[0, :1]
    scale = np.abs(exact).max()
    return float(np.abs(mine - exact).max() / scale), min(v.digits for row in rows for v in row), float(scale)
