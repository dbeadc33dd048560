"""Stochastic optimisers from Figure 1's M = 6 start: does Adam change the outcome and the late rate? (OPEN QUESTION)

The paper's summary names stochastic optimisers as open (MATH.md 7).  Frozen cases (one start per
seed, one optimiser each) -> :func:`run_case` (the dynamics engine with ``optimizer=`` gd / sgd / adam)
returning an :class:`OptimiserRun` (numbers only) -> the pure judge :func:`judge_optimisers` -> tables
and figures.  The answer is a measurement (MEASURED); the parts that can fail are judged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fractions import Fraction

from .. import general, gradient, optimisers
from ..executor import pool_map
from ..fits import Frequency, Slope, frequency, interval_text, short, window_slope
from ..numbers import Precision, digits_between, to_mpf
from ..trajectory import FinalOutcome, final_outcome
from . import OPEN_QUESTION, Metric, Verdict, claim, judged, secondary, worst
from . import descent
from .rules import CONVERGE_RADIUS, judge_frequency

# -- the start (MATH.md 7, fig1): n = 5, d = 3, mu* = 0, mu_i(0) = (M, 0, 0) + 1e-7 z_i, M = 6, step 0.01 ----
START = {"n": 5, "M": 6.0, "spread": 1e-7, "eta": "0.01"}
OPTIMISERS = ("gd", "sgd", "adam")
# GD runs on the population gradient (forward-grid: the derived Stein integrand on a fixed importance-sampling
# mixture of 6 x 2^(GD_QMC - 1) scrambled Sobol' points); the population loss of every recorded state (all
# optimisers) is evaluated by the same rule at LOSS_QMC and, for its agreed digits, at LOSS_QMC - 1.
GD_QMC, LOSS_QMC = 8, 12
SCALES = {"quick": {"seeds": 2, "steps": 4000, "batch": 128},
          "full": {"seeds": 10, "steps": 10000, "batch": 1000}}
PAPER_SCALE = {"steps": 20000, "batch": 20000}     # the figure's own budget: behind check_paper_scale()
PAPER_COMMAND = ('python -c "from proofs_check.claims import explain, optimisers; '
                 'print(explain(optimisers.check_paper_scale()))"')

# -- the constants of the judge ---------------------------------------------------------------------------------
# Seeds: with fewer than MIN_SEEDS starts a frequency's Wilson interval is too wide to compare optimisers
# (6/6 gives [0.61, 1]); the frequency parts are then INCONCLUSIVE, at both scales alike.
MIN_SEEDS = 6
# The control: SGD from the figure's start must reproduce the recovered Figure 1 outcome at M = 6 ("one
# converges, the others diverge") in most starts: Wilson lower bound of P(one converges) >= CONTROL_P.
CONTROL_P = 0.5
# The engine's first Adam (SGD) step against the update written out by hand, a - eta g / (|g| + eps)
# (a - eta g), on the same first mini-batch: relative agreement to STEP_RTOL (float64 rounding of a few
# operations on O(1) numbers is ~1e-16).
STEP_RTOL = 1e-12


@dataclass(frozen=True)
class OptimiserCase:
    """One run: the start's seed (z_i ~ N(0, I_3) from it), the optimiser, its budget and mini-batch size."""

    seed: int
    optimizer: str
    steps: int
    batch: int
    d: int = 3               # 3: the recovered Figure 1 start; 1: the same start on the line (aligned)


@dataclass(frozen=True)
class OptimiserRun:
    """One run's numbers: outcome (distances to mu*), population-loss series, late slope, first-step check."""

    seed: int
    optimizer: str
    steps: tuple               # recorded steps
    L: tuple                   # population loss at the recorded steps (LOSS_QMC rule)
    final_L_digits: int        # digits the final L agrees on between the LOSS_QMC - 1 and LOSS_QMC rules
    final: FinalOutcome        # start -> end, radius CONVERGE_RADIUS
    slope: Slope | None        # log-log slope of L over [T/10, T]
    first_step_error: float    # relative difference, engine's first step vs the update written by hand


# -- the judge (pure) ----------------------------------------------------------------------------------------
def outcome_frequencies(runs, optimizer):
    """(P(exactly one converges), P(more than one converges)) of one optimiser's runs, with Wilson intervals."""
    mine = [r for r in runs if r.optimizer == optimizer]
    return (frequency(sum(r.final.one_converges for r in mine), len(mine)),
            frequency(sum(len(r.final.near) > 1 for r in mine), len(mine)))


def same_survivor(runs, optimizer, reference="gd") -> Frequency:
    """How often ``optimizer``'s single survivor is ``reference``'s from the same start (both one-converges runs)."""
    ref = {r.seed: r.final.near[0] for r in runs if r.optimizer == reference and r.final.one_converges}
    pairs = [(r.final.near[0], ref[r.seed]) for r in runs
             if r.optimizer == optimizer and r.final.one_converges and r.seed in ref]
    return frequency(sum(a == b for a, b in pairs), len(pairs))


def separated(a: Frequency, b: Frequency) -> bool:
    """Two frequencies whose Wilson intervals do not overlap."""
    return a.hi < b.lo or b.hi < a.lo


# The judge: the answer is MEASURED; the parts that can fail are judged: every optimiser has MIN_SEEDS starts
# (else INCONCLUSIVE), each engine first step agrees with the update written by hand to STEP_RTOL (else FAIL),
# SGD reproduces the recovered M = 6 outcome (judge_frequency at CONTROL_P), and every late slope was fitted
# with a finite interval (else INCONCLUSIVE).
def judge_optimisers(runs) -> Verdict:
    """The MEASURED answer, combined (claims.worst) with the judged parts listed above this function."""
    if not runs:
        return Verdict.inconclusive("no run")
    parts = []
    for opt in OPTIMISERS:
        count = sum(r.optimizer == opt for r in runs)
        if count < MIN_SEEDS:
            parts.append(Verdict.inconclusive(f"{opt}: {count} starts, fewer than {MIN_SEEDS}"))
    bad = [r for r in runs if not r.first_step_error <= STEP_RTOL]
    if bad:
        parts.append(Verdict.failed("first step differs from the update written by hand: " + ", ".join(
            f"{r.optimizer} seed {r.seed} rel. diff {r.first_step_error:.3g} > {STEP_RTOL}" for r in bad)))
    parts.append(judge_frequency(outcome_frequencies(runs, "sgd")[0], CONTROL_P, MIN_SEEDS,
                                 "control: SGD gives the fixed-t outcome at M = 6 (one converges, as in the recovered Figure 1)"))
    unfit = [r for r in runs if r.slope is None or not (math.isfinite(r.slope.lo) and math.isfinite(r.slope.hi))]
    if unfit:
        parts.append(Verdict.inconclusive("no finite late-slope interval: " + ", ".join(
            f"{r.optimizer} seed {r.seed}" for r in unfit)))
    parts.append(Verdict.measured(answer(runs)))
    return worst(*parts)


def answer(runs) -> str:
    """The measured answer in words: outcome frequencies and late slopes per optimiser, Adam against SGD and GD."""
    words = []
    for opt in OPTIMISERS:
        one, many = outcome_frequencies(runs, opt)
        fits = [r.slope.value for r in runs if r.optimizer == opt and r.slope is not None]
        rng = f"late slopes {min(fits):.3f} .. {max(fits):.3f}" if fits else "no late slope"
        words.append(f"{opt}: one converges {one}, more than one converges {many}, {rng}")
    kept_sgd, kept_adam = same_survivor(runs, "sgd"), same_survivor(runs, "adam")
    words.append(f"the survivor is GD's from the same start: SGD {kept_sgd}, Adam {kept_adam} ("
                 + ("separated" if separated(kept_adam, kept_sgd) else "not separated") + ")")
    adam_one = outcome_frequencies(runs, "adam")[0]
    changed = [o for o in ("sgd", "gd") if separated(adam_one, outcome_frequencies(runs, o)[0])]
    words.append("Adam's P(one converges) is separated (Wilson intervals disjoint) from " + " and ".join(changed)
                 if changed else "Adam's P(one converges) is not separated from SGD's or GD's")
    steeper = [o for o in ("sgd", "gd") if _slopes_below(runs, "adam", o)]
    words.append("every Adam late-slope interval lies below every " + " and ".join(steeper) + " one"
                 if steeper else "Adam's late-slope intervals overlap SGD's or GD's")
    return "; ".join(words)


def _slopes_below(runs, low, high) -> bool:
    a = [r.slope for r in runs if r.optimizer == low and r.slope is not None]
    b = [r.slope for r in runs if r.optimizer == high and r.slope is not None]
    return bool(a and b) and max(s.hi for s in a) < min(s.lo for s in b)


# -- runs -------------------------------------------------------------------------------------------------------
def start(seed: int, d: int = 3):
    """(A0, b): the recovered Figure 1 start at t = 0 (a = mu) in dimension d, z_i ~ N(0, I_d) from ``seed``."""
    n = START["n"]
    z = np.random.default_rng(seed).standard_normal((n, d))
    A0 = np.zeros((n, d))
    A0[:, 0] = START["M"]
    return A0 + START["spread"] * z, np.zeros(d)


def run_case(case: OptimiserCase) -> OptimiserRun:
    """One run through the dynamics engine (float64), then its population loss at every recorded state."""
    A0, b = start(case.seed, case.d)
    eta = float(START["eta"])
    kw = dict(optimizer=case.optimizer, dense_steps=50, per_decade=30)
    if case.optimizer == "gd":
        tr = descent.run(A0, b, START["eta"], case.steps, objective="forward-grid", qmc_points=GD_QMC,
                         seed=case.seed, **kw)
        g1 = np.array(general.grid_evaluate(A0, b, qmc_points=GD_QMC, seed=case.seed).gradient["stein"])
    else:
        tr = descent.run(A0, b, START["eta"], case.steps, objective="forward", seed=case.seed, batch=case.batch,
                         **kw)
        g1 = np.array(optimisers.Minibatch(case.batch, case.seed)(A0.tolist(), b.tolist(), [1] * START["n"])[1])
    by_hand = A0 - eta * (g1 / (np.abs(g1) + 1e-8) if case.optimizer == "adam" else g1)
    moved = np.array(tr.params[1]) - A0
    err = float(np.max(np.abs(moved - (by_hand - A0))) / np.max(np.abs(by_hand - A0)))
    s = np.array(tr.steps, float)
    L = np.array([general.grid_evaluate(P, b, qmc_points=LOSS_QMC).loss for P in tr.params])
    coarse = (general.grid_evaluate(tr.params[-1], b, qmc_points=LOSS_QMC - 1).loss if case.d > 1
              else line_loss(tr.params[-1], b))
    dist = np.array([[float(x) for x in tr.distances(j)] for j in range(len(s))])
    T = s[-1]
    return OptimiserRun(case.seed, case.optimizer, tuple(s.tolist()), tuple(L.tolist()),
                        digits_between(abs(coarse - L[-1]), abs(L[-1]), 15), final_outcome(dist[0], dist[-1],
                                                                                            CONVERGE_RADIUS),
                        window_slope(s, L, T / 10, T), err)


def line_loss(P, b) -> float:
    """The loss at an aligned float64 state by the arbitrary-precision line rule at 20 digits (the fixed grid's
    second opinion: at d = 1 the grid does not depend on LOSS_QMC)."""
    prec = Precision(20)
    with prec.active():
        ev = gradient.evaluate([[to_mpf(Fraction(v)) for v in row] for row in P], [to_mpf(Fraction(v)) for v in b],
                               [1] * len(P), forms=("stein",), loss=True, rel_tol=prec.tolerance())
        return float(ev.loss)


def sweep(seeds: int, steps: int, batch: int, base: int = 0, d: int = 3) -> list:
    """Every optimiser from the starts of seeds base .. base + seeds - 1 (executor.pool_map)."""
    for parts in (("loss", "stein"), ("loss", "pathwise")):
        descent.warm_compiled([(d, START["n"])], parts)
    cases = [OptimiserCase(base + k, opt, steps, batch, d) for k in range(seeds) for opt in OPTIMISERS]
    return pool_map(run_case, cases)


# -- the claim ----------------------------------------------------------------------------------------------------
STATEMENT = ("Open question (the summary names stochastic optimisers as open): from the recovered Figure 1 start at "
             "M = 6 (n = 5, d = 3, mu* = 0, mu_i(0) = (6, 0, 0) + 1e-7 z_i, step 0.01), where mini-batch SGD gives "
             "'one converges, the others diverge', does Adam's per-coordinate normalisation change which parameters "
             "converge, and the late log-log rate of the loss?")
ASSUMED = ("t = 0 (a = mu; the summary gives no t for Figure 1); the step 0.01 is the recovered one and is Adam's "
           "learning rate, with Adam's standard beta1 = 0.9, beta2 = 0.999, eps = 1e-8; the recovered 20,000 steps "
           "and batches of 20,000 fresh samples cost ~7 min per run here, so the full scale uses 10,000 steps and "
           "batches of 1,000 (quick: 2 starts, 4,000 steps, 128), 10 starts (z seeds 0-9); check_paper_scale() runs the "
           "figure's own budget; GD uses the population gradient (forward-grid, fixed importance-sampling "
           "Sobol' rule, 6 x 2^7 points)")


def tables(runs) -> dict:
    """The per-run table and the per-optimiser summary."""
    rows = [[r.optimizer, r.seed, len(r.final.near), "yes" if r.final.one_converges else "no",
             ", ".join(short(x, 3) for x in r.final.end), f"{short(r.L[-1], 4)} ({r.final_L_digits} digits)",
             interval_text(r.slope), f"{r.first_step_error:.2g}"] for r in runs]
    summary = []
    for opt in OPTIMISERS:
        one, many = outcome_frequencies(runs, opt)
        fits = [r.slope for r in runs if r.optimizer == opt and r.slope is not None]
        Ls = [r.L[-1] for r in runs if r.optimizer == opt]
        summary.append([opt, str(one), str(many), str(same_survivor(runs, opt)) if opt != "gd" else "-",
                        f"{min(f.value for f in fits):.3f} .. {max(f.value for f in fits):.3f}" if fits else "-",
                        f"{short(min(Ls), 3)} .. {short(max(Ls), 3)}" if Ls else "-"])
    return {"Outcome and late rate per optimiser": {
                "columns": ["optimiser", "P(exactly one converges) [95% Wilson]", "P(more than one converges)",
                            "P(same survivor as GD from the same start)",
                            "late slopes (range over starts)", "final L (range)"], "rows": summary},
            "Runs (start seed = z seed)": {
                "columns": ["optimiser", "seed", "parameters within 0.25 of mu*", "one converges",
                            "final |a_i - mu*|", "final population L (agreed digits)", "late slope [95%] over [T/10, T]",
                            "first step vs hand update (rel.)"], "rows": rows}}


def figures(runs, caption: str, where: str) -> dict:
    """Population loss against iterations (log-log), one panel per optimiser, every start."""
    panels = []
    for opt in OPTIMISERS:
        series = []
        for r in runs:
            if r.optimizer != opt:
                continue
            s, L = np.array(r.steps), np.array(r.L)
            m = (s >= 1) & (L > 0)
            series.append({"label": f"seed {r.seed} ({len(r.final.near)} converge)", "x": s[m].tolist(),
                           "y": L[m].tolist()})
        panels.append({"kind": "loglog", "title": f"{opt}", "xlabel": "iteration", "ylabel": "population loss L",
                       "series": series})
    return {"optimisers": {"kind": "panels", "ncols": 3, "panels": panels, "caption": caption,
                           "title": f"{where}: population loss under GD, SGD and Adam"}}


def result(runs, settings: dict, seed: int, cid: str = "opt.adam", d: int = 3):
    """Judge, tables, figures and metrics of a sweep: the claim's Result."""
    verdict = judge_optimisers(runs)
    where = "Figure 1's M = 6 start" if d == 3 else f"Figure 1's M = 6 start on the line (d = {d}, aligned)"
    caption = (f"n = 5, d = {d}, mu* = 0, mu_i(0) = 6 e_1 + 1e-7 z_i, eta = 0.01, {settings['steps']} steps, "
               f"SGD and Adam on fresh mini-batches of {settings['batch']}, GD on the population gradient; "
               "population loss by the fixed Sobol' mixture rule")
    metrics = []
    for opt in OPTIMISERS:
        one, many = outcome_frequencies(runs, opt)
        metrics.append(Metric(f"P(exactly one converges), {opt}", str(one), note="Wilson 95% interval; "
                              "trajectory.final_outcome, radius 0.25"))
        metrics.append(Metric(f"P(more than one converges), {opt}", str(many)))
        if opt != "gd":
            metrics.append(Metric(f"P(same survivor as GD from the same start), {opt}", str(same_survivor(runs, opt)),
                                  note="over the starts where both end with exactly one parameter converged"))
        fits = [r.slope for r in runs if r.optimizer == opt and r.slope is not None]
        metrics.append(Metric(f"late log-log slopes of L, {opt}", ", ".join(interval_text(f, 3) for f in fits),
                              note="per start, over [T/10, T], 95% regression intervals"))
    digits = min(r.final_L_digits for r in runs)
    metrics.append(Metric("agreed digits of the final population losses (fewest)", str(digits), digits,
                          note=(f"Sobol' mixture rule at 2^{LOSS_QMC - 1} and 2^{LOSS_QMC} base points" if d > 1 else
                                "fixed 1025-node grid against the 20-digit line rule")))
    metrics.append(Metric("settings", f"{settings['seeds']} starts (z seeds {seed}..{seed + settings['seeds'] - 1}), "
                          f"{settings['steps']} steps, batch {settings['batch']}, eta {START['eta']}"))
    metrics.append(Metric("the recovered figure's own budget (20,000 steps, batches of 20,000; hours on one core)",
                          PAPER_COMMAND, note="not run at the quick or full scale"))
    return judged(cid, verdict, verdict.reason, metrics, tables(runs), figures(runs, caption, where))


@claim("opt.adam", "Open question (summary: stochastic optimisers)", OPEN_QUESTION, STATEMENT,
       provenance=secondary(assumed=ASSUMED))
def check_optimisers(scale, seed):
    """GD (population gradient), mini-batch SGD and Adam from the same seeded starts of the recovered Figure 1
    (M = 6) through the dynamics engine.  Measured: per optimiser, P(exactly one parameter ends within 0.25 of
    mu*) and P(more than one) with Wilson intervals, and each run's late log-log slope of the population loss
    over [T/10, T] with its 95% interval; Adam's frequency is called changed when its Wilson interval is
    disjoint from SGD's (GD's).  Judged (see judge_optimisers): enough starts, the engine's first steps against
    the updates written by hand, the SGD control (the recovered outcome), finite slope intervals."""
    settings = SCALES[scale]
    runs = sweep(settings["seeds"], settings["steps"], settings["batch"], base=seed)
    return result(runs, settings, seed)


def check_paper_scale(seeds: int = 10, seed: int = 0):
    """The same claim at the recovered figure's own budget (20,000 steps, batches of 20,000): hours on one core."""
    settings = {"seeds": seeds, **PAPER_SCALE}
    return result(sweep(seeds, PAPER_SCALE["steps"], PAPER_SCALE["batch"], base=seed), settings, seed)


STATEMENT_ALIGNED = ("Open question (the summary names stochastic optimisers as open): the same question at the aligned "
                     "fixed-t start, Figure 1's M = 6 start on a line (n = 5, d = 1, mu* = 0, mu_i(0) = 6 + 1e-7 z_i, "
                     "step 0.01): does Adam's normalisation change which parameters converge, and the late rate?")


@claim("opt.adam.aligned", "Open question (summary: stochastic optimisers)", OPEN_QUESTION, STATEMENT_ALIGNED,
       provenance=secondary(assumed=ASSUMED + "; the aligned start is the recovered one's first coordinates (d = 1, "
                            "z_i ~ N(0, 1)), where GD's population gradient uses the fixed 1025-node grid"))
def check_optimisers_aligned(scale, seed):
    """opt.adam's sweep and judge at the aligned start (d = 1, span dimension 1: GD's population gradient on the
    fixed 1025-node grid); the SGD control reads 'SGD gives the fixed-t outcome, one converges' here."""
    settings = SCALES[scale]
    runs = sweep(settings["seeds"], settings["steps"], settings["batch"], base=seed, d=1)
    return result(runs, settings, seed, "opt.adam.aligned", d=1)
