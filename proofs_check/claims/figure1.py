"""Section 4, Figure 1: small vs large |mu*| at one initialisation scale (RECONSTRUCTED)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import general
from ..dynamics import FinalOutcome, final_outcome
from ..fits import Slope, interval_text, short, window_slope
from ..executor import pool_map
from . import Metric, Verdict, claim, judged, worst
from . import descent
from .rules import CONVERGE_RADIUS, judge_exponent


# -- Figure 1 (Section 4) ---------------------------------------------------------------
# The paper's d, n, mu*, init scale, step size, iterations and batch size were lost in the
# text; these are the suite's choices (documented in the Result):
FIG1 = {"d": 2, "n": 4, "init_scale": 0.1, "mu_small": 1.0, "mu_large": 4.0, "eta": 0.25,
        "batch_log2": 10, "pop_qmc_log2": 11, "init_seed": 1}


# -- the constants of the judge -------------------------------------------------------------------
# The late slope.  Theorems 3.5/3.7: one parameter at b, the others receding to R(tau) -> infinity, and
# L ~ C (log tau)^p / tau.  One receding group with share A(R) = C R^m exp(-R^2/kappa) of the loss moves
# out at dR/dtau = -eta A'(R), so d(1/A)/dtau = eta (A'/A)^2 = eta (2R/kappa)^2, i.e. A = kappa^2/(4 eta R^2 tau),
# and A = C R^m exp(-R^2/kappa) gives R^2 = kappa log tau (1 + o(1)): L ~ kappa/(4 eta tau log tau), p = -1,
# whatever m and kappa.  The log-log slope over [T/10, T] is then -1 - 1/log(tau_c) (tau_c = T/sqrt(10), the
# window's geometric centre), approaching -1 from below.  The next terms, O(log log tau / log^2 tau) with
# the unknown constants m and kappa, are as large as the correction itself at log tau ~ 5-8, so the
# tolerance is the whole correction: SLOPE_TOL_FACTOR / log(tau_c), symmetric about the prediction.
SLOPE_TOL_FACTOR = 1.0
# Only the population run's slope is judged: it is deterministic, so the regression interval is its
# uncertainty.  The mini-batch trajectory is a heavy-tailed random walk (at R ~ 9 a batch of 1024 meets the
# far weights' region about once in 20 steps), its residuals are correlated and the regression interval
# understates the spread between runs (two full runs with the same settings gave -1.129 and -1.293, 8x the
# interval's half-width): its slope is reported, not judged.  Its outcome is judged.
JUDGED_SLOPE = "forward-grid"
RADIUS = CONVERGE_RADIUS     # "converged": within 0.25 of mu* (dynamics.final_outcome's radius)


@dataclass(frozen=True)
class Fig1Case:
    """One panel of Section 4's Figure 1: the truth's first coordinate mu*, the objective, its budget and seed."""

    mu: float
    objective: str           # "forward-grid" (population) or "forward-minibatch"
    steps: int
    seed: int


@dataclass(frozen=True)
class Fig1Run:
    """One panel run: the series for the figures and the numbers the judge compares."""

    mu: float
    objective: str
    steps: tuple
    L: tuple                 # population loss at the recorded steps
    dist: tuple              # |a_i - mu*| per recorded step
    final: FinalOutcome      # start -> end
    warm: FinalOutcome       # start -> the window start T/10 (has the warm-up ended?)
    slope: Slope | None      # log-log slope of L over [T/10, T]
    predicted_slope: float   # -1 - 1/log(tau_c)
    slope_tol: float         # SLOPE_TOL_FACTOR / log(tau_c)


# -- the judge (pure) -------------------------------------------------------------------------
def judge_fig1(runs) -> Verdict:
    """Small |mu*|: every parameter converges; large |mu*|: one converges, the rest diverge; the population run's
    late slope against the derived -1 - 1/log(tau_c) +- 1/log(tau_c), judged once the outcome is decided at the
    window start (else the window holds the warm-up: INCONCLUSIVE)."""
    if not runs:
        return Verdict.inconclusive("no run")
    parts = []
    for r in runs:
        tag = f"|mu*| = {r.mu} ({r.objective})"
        ends = ", ".join(short(x, 3) for x in r.final.end)
        if r.mu == FIG1["mu_small"]:
            if not r.final.all_converge:
                parts.append(Verdict.failed(f"{tag}: not every parameter within {RADIUS} of mu* (final {ends})"))
            continue
        if not r.final.one_converges:
            parts.append(Verdict.failed(f"{tag}: not 'one converges, the rest diverge' (final {ends})"))
            continue
        if r.objective != JUDGED_SLOPE:
            continue
        if not r.warm.one_converges:
            parts.append(Verdict.inconclusive(f"{tag}: the outcome was not yet decided at the window start "
                                              f"T/10 = {r.steps[-1] / 10:g} (the window holds the warm-up)"))
            continue
        parts.append(judge_exponent(r.slope, r.predicted_slope, r.slope_tol, f"{tag} late slope of L"))
    return worst(*parts) if parts else Verdict.passed("every run as expected")


# -- runs ---------------------------------------------------------------------------------------
def run_fig1(case: Fig1Case) -> Fig1Run:
    """One Figure 1 panel: gradient descent from the figure's seeded start (float64, dynamics engine)."""
    d, n = FIG1["d"], FIG1["n"]
    Z = np.random.default_rng(FIG1["init_seed"]).standard_normal((n, d))
    A0 = FIG1["init_scale"] * Z                     # a_i(0) ~ N(0, init_scale^2 I), t = 0 so a = mu
    b = np.array([case.mu] + [0.0] * (d - 1))
    qmc = FIG1["batch_log2"] if case.objective == "forward-minibatch" else FIG1["pop_qmc_log2"]
    tr = descent.run(A0, b, FIG1["eta"], case.steps, objective=case.objective, qmc_points=qmc, seed=case.seed,
                     dense_steps=200, per_decade=30)
    s = np.array(tr.steps, float)
    if case.objective == "forward-minibatch":       # plot the population loss, not the batch's
        L = np.array([general.grid_evaluate(P, b, qmc_points=12).loss for P in tr.params])
    else:
        L = np.array([float(v) for v in tr.losses])
    dist = np.array([[float(x) for x in tr.distances(j)] for j in range(len(s))])
    T = s[-1]
    j = int(np.argmin(np.abs(s - T / 10)))
    return Fig1Run(case.mu, case.objective, tuple(s.tolist()), tuple(L.tolist()), tuple(map(tuple, dist.tolist())),
                   final_outcome(dist[0], dist[-1], RADIUS), final_outcome(dist[0], dist[j], RADIUS),
                   window_slope(s, L, T / 10, T), *slope_prediction(T))


def slope_prediction(T: float) -> tuple:
    """(predicted slope, tolerance) over [T/10, T]: -1 - 1/log(tau_c) and SLOPE_TOL_FACTOR/log(tau_c), tau_c = T/sqrt(10)."""
    log_centre = math.log(T / math.sqrt(10))
    return round(-1 - 1 / log_centre, 4), round(SLOPE_TOL_FACTOR / log_centre, 4)


@claim("fig1", "Section 4, Figure 1", "RECONSTRUCTED",
       "same small initialisation scale: a small |mu*| gives every parameter converging to mu* (panels a, c); a "
       "larger |mu*| gives one converging and the rest diverging, with the log-log loss slope near -1 after "
       "warm-up (panels b, d); with the population gradient and with mini-batch samples")
def check_fig1(scale, seed):
    """Four gradient-descent runs through the dynamics engine: {small, large |mu*|} x {population gradient
    (forward-grid: derived Stein gradient on a fixed importance-sampling mixture of scrambled Sobol' points), mini-batch
    (forward-minibatch: 2^10 fresh samples x ~ N(mu*, I) per step, the derivative of the batch loss, i.e.
    the derived pathwise integrand averaged)}.  Settings in FIG1 (d = 2, n = 4, a_i(0) ~ N(0, 0.1^2 I),
    mu* = (1, 0) and (4, 0), eta = 0.25).  Figures: distances |a_i - mu*| against iterations, population
    log-log loss with the fitted late slope (last decade).  Judged (dynamics.final_outcome, radius 0.25):
    small |mu*| -> every parameter converges; large |mu*| -> exactly one converges and the others end farther
    than they started; and, at both scales, the large-|mu*| population run's late slope over [T/10, T] against the derived
    -1 - 1/log(tau_c) +- 1/log(tau_c) (tau_c = T/sqrt(10); see SLOPE_TOL_FACTOR), its 95 % interval inside
    (PASS), outside (FAIL) or straddling (INCONCLUSIVE); INCONCLUSIVE too while the outcome is undecided at T/10.
    The mini-batch run's slope is reported, not judged (see JUDGED_SLOPE)."""
    steps = 600 if scale == "quick" else 10000
    d, n = FIG1["d"], FIG1["n"]
    for k in range(1, min(d, n) + 1):
        general.symbolic.compiled(n, k, "numpy", ("loss", "stein"))
        general.symbolic.compiled(n, k, "numpy", ("loss", "pathwise"))
    cases = [Fig1Case(mu, obj, steps, seed) for mu in (FIG1["mu_small"], FIG1["mu_large"])
             for obj in ("forward-grid", "forward-minibatch")]
    res = pool_map(run_fig1, cases)
    verdict = judge_fig1(res)
    figures = {}
    rows = [[r.mu, r.objective, "all converge" if r.mu == FIG1["mu_small"] else "one converges, rest diverge",
             "yes" if (r.final.all_converge if r.mu == FIG1["mu_small"] else r.final.one_converges) else "NO",
             ", ".join(short(x, 3) for x in r.final.end), short(r.L[-1], 3), interval_text(r.slope),
             f"{r.predicted_slope:.3f} +- {r.slope_tol:.3f}" if r.mu == FIG1["mu_large"] else "-"] for r in res]
    slopes = {(r.mu, r.objective): r.slope for r in res}
    for panel, mu in (("a", FIG1["mu_small"]), ("b", FIG1["mu_large"])):
        series = []
        for r in res:
            if r.mu != mu:
                continue
            tag = "population" if r.objective == "forward-grid" else f"mini-batch {2 ** FIG1['batch_log2']}"
            dist = np.array(r.dist)
            series += [{"label": f"|a_{i + 1} - mu*| ({tag})", "x": list(r.steps), "y": dist[:, i].tolist()}
                       for i in range(n)]
        figures[f"fig1{panel}"] = {"kind": "line", "title": f"({panel}) distances to mu*, |mu*| = {mu}",
                                   "xlabel": "iteration", "ylabel": "|a_i - mu*|", "series": series}
    for panel, mu in (("c", FIG1["mu_small"]), ("d", FIG1["mu_large"])):
        series = []
        for r in res:
            if r.mu != mu:
                continue
            tag = "population" if r.objective == "forward-grid" else f"mini-batch {2 ** FIG1['batch_log2']}"
            s, L = np.array(r.steps), np.array(r.L)
            m = (s >= 1) & (L > 0)
            series.append({"label": f"L ({tag} gradient)", "x": s[m].tolist(), "y": L[m].tolist()})
            if slopes[(mu, r.objective)] is None:
                continue
            sl = slopes[(mu, r.objective)].value
            T = s[-1]
            mm = (s >= T / 10) & (L > 0)
            icpt = float(np.mean(np.log(L[mm]) - sl * np.log(s[mm])))
            xs = [float(T / 10), float(T)]
            series.append({"label": f"fit, slope {sl:.2f} ({tag})", "x": xs,
                           "y": [float(np.exp(icpt) * x ** sl) for x in xs], "style": "dashed"})
        figures[f"fig1{panel}"] = {"kind": "loglog", "title": f"({panel}) loss, |mu*| = {mu}",
                                   "xlabel": "iteration", "ylabel": "population loss L", "series": series}
    figures = {"fig1": {
        "kind": "panels", "ncols": 2, "panels": [figures[f"fig1{p}"] for p in "abcd"],
        "title": "Figure 1 (reconstructed): small vs large |mu*| at the same initialisation scale",
        "caption": (f"d={d}, n={n}, a_i(0) ~ N(0, {FIG1['init_scale']}^2 I), mu* = ({FIG1['mu_small']}, 0) and "
                    f"({FIG1['mu_large']}, 0), eta={FIG1['eta']}, {steps} iterations; population gradient "
                    f"(fixed importance-sampling Sobol' rule) and mini-batch of {2 ** FIG1['batch_log2']}; "
                    "losses are population losses; dashed: fit over the last decade.")}}
    large = [r for r in res if r.mu == FIG1["mu_large"]]
    metrics = [Metric("late log-log slope of L, |mu*| large (population, mini-batch)",
                      ", ".join(interval_text(r.slope) for r in large),
                      note=f"derived {large[0].predicted_slope} +- {large[0].slope_tol} (-1 - 1/log tau_c, tau_c = "
                           f"T/sqrt(10)); fit over [T/10, T], 95% intervals; the population slope is judged, the "
                           "mini-batch one reported (its regression interval understates its run-to-run spread)"),
               Metric("late log-log slope of L, |mu*| small (population, mini-batch)",
                      ", ".join(interval_text(r.slope) for r in res if r.mu == FIG1["mu_small"]),
                      note="reported, not judged"),
               Metric("outcome decided at the window start T/10, |mu*| large (population, mini-batch)",
                      ", ".join("yes" if r.warm.one_converges else "no" for r in large)),
               Metric("settings (the paper's values were lost)",
                      f"d={d}, n={n}, a_i(0) ~ N(0, {FIG1['init_scale']}^2 I), |mu*| = {FIG1['mu_small']} and "
                      f"{FIG1['mu_large']} along e_1, eta={FIG1['eta']}, iterations={steps}, "
                      f"batch={2 ** FIG1['batch_log2']}, population rule: Sobol' 2^{FIG1['pop_qmc_log2'] - 1} points at 0 and each a_g/2, "
                      f"init seed {FIG1['init_seed']}, run seed {seed}")]
    summary = verdict.reason if verdict.verdict != "PASS" else (
        "Panels reproduced: the small |mu*| run converges entirely, the large one keeps one parameter and sheds the "
        "rest, with population and mini-batch gradients alike; the population run's late slope is at the derived "
        "value. " + verdict.reason)
    return judged("fig1", verdict, summary, metrics, {
        "Figure 1 runs": {"columns": ["|mu*|", "gradient", "expected", "as expected", "final |a_i - mu*|",
                                      "final L", "late slope [95%]", "derived slope"], "rows": rows}}, figures)

