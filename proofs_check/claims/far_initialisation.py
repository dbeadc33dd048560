"""Theorems 3.5 and 3.7: far initialisation, one survivor, L ~ 1/tau (RECONSTRUCTED)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .. import dynamics, general, gradient, model
from ..numbers import agreed_digits, fmt, working
from ..fits import short as _g
from ..parallel import pool_map
from . import Metric, Result, claim, decide
from . import descent
from .random_initialisation import conditions


# -- Theorems 3.5 and 3.7: far initialisation, one survivor, L ~ 1/tau ------------------
def _aligned_offsets(n):
    return list(np.linspace(0.4, -0.5, n)) if n > 1 else [0.0]


def _far_task(task):
    """One far-initialisation run: aligned (d = 1, exact offsets) or random in d dimensions."""
    kind, d, n, D, eta, steps, qmc, seed = task
    b = np.zeros(d)
    if kind == "aligned":
        A0 = np.array([[D + o] + [0.0] * (d - 1) for o in _aligned_offsets(n)])
    else:
        rng = np.random.default_rng(seed)
        e = rng.standard_normal(d)
        c = D * e / np.linalg.norm(e)
        for _ in range(1000):      # the first draw meeting both conditions (thm3.5's hypotheses)
            A0 = c + 0.5 * rng.standard_normal((n, d))
            c1, c2, _ = conditions(A0, c, b)
            if c1 and c2:
                break
    closest = int(np.argmin(np.linalg.norm(A0 - b, axis=1)))
    tr = descent.run(A0, b, eta, steps, qmc_points=qmc, seed=seed, dense_steps=10, per_decade=20)
    s, L = descent.series(tr)
    dist = np.array([[float(x) for x in tr.distances(j)] for j in range(len(s))])
    d0, dT = dist[0], dist[-1]
    near = np.flatnonzero(dT <= 0.25)
    one = len(near) == 1 and int(near[0]) == closest and all(dT[j] > d0[j] for j in range(n) if j != closest)
    return {"kind": kind, "d": d, "n": n, "D": D, "eta": eta, "steps": s.tolist(), "L": L.tolist(),
            "dist": dist.tolist(), "closest": closest, "one": one, "final": dT.tolist(), "seed": seed,
            "final_params": [[float(v) for v in row] for row in tr.params[-1]]}


def _late_stats(r, eps_list=(0.05, 0.1)):
    s, L = np.array(r["steps"]), np.array(r["L"])
    T = s[-1]
    tl = s * L
    lo = T / 10
    m = s >= lo
    slope = descent.window_slope(s, L, lo, T)
    others = [j for j in range(r["n"]) if j != r["closest"]]
    dist = np.array(r["dist"])
    mm = m & (s > 0)
    # growth of the diverging parameters: fit |a_j - b|^2 against log tau over the last decade
    alpha = [float(np.polyfit(np.log(s[mm]), dist[mm, j] ** 2, 1)[0]) for j in others] if mm.sum() > 2 else []
    j0 = int(np.argmin(np.abs(s - lo)))
    grow = {e: float((T ** (1 + e) * L[-1]) / (s[j0] ** (1 + e) * L[j0])) for e in eps_list}
    return {"slope": slope, "tauL_end": float(tl[-1]), "tauL_max_late": float(tl[m].max()),
            "tauL_at_lo": float(tl[j0]), "grow": grow, "alpha": alpha, "T": T, "lo": s[j0]}


PROBE_D = 4.0   # runs with D below this probe how large "D large" must be: reported, not judged


def _far_cases(scale):
    if scale == "quick":
        return [("aligned", 1, 3, 4.0, 0.5, 1500, 11), ("aligned", 1, 3, 6.0, 0.5, 1500, 11),
                ("random", 2, 3, 4.0, 0.5, 500, 11)]
    return [("aligned", 1, n, D, 0.5, 10000, 12) for n in (3, 5) for D in (3.0, 4.0, 6.0)] + \
           [("random", d, n, 4.0, 0.5, 2000, 11) for d in (2, 3) for n in (3, 5)]


def _mpmath_crosscheck(steps):
    """The aligned D = 4 run's first steps at 25 digits (mpmath line rule) against forward-grid."""
    A0 = [[4.0 + o] for o in _aligned_offsets(3)]
    hi = dynamics.run([[str(round(v[0], 12))] for v in A0], "0", eta="0.5", steps=steps, dps=25,
                      stop_when_decided=False, escape_radius=1e6)
    lo = descent.run([[float(str(round(v[0], 12)))] for v in A0], [0.0], 0.5, steps)
    a = np.array([[float(x) for x in row] for row in hi.final]).ravel()
    b = np.array(lo.final).ravel()
    return float(-np.log10(np.max(np.abs(a - b)) / np.max(np.abs(a)) + 1e-300))


@claim("thm3.5", "Theorem 3.5", "RECONSTRUCTED",
       "all a_i(0) near c with |c - b| = D large and a unique closest parameter (by a margin): that parameter "
       "converges to b, the others diverge, and eventually L(tau) <= C/tau")
def check_thm35(scale, seed):
    """Gradient descent (dynamics engine, float64 forward-grid objective: a fixed 1025-node trapezoid rule on
    [-12, 12] for aligned configurations, accurate to double precision against the arbitrary-precision line
    rule; one fixed scrambled Sobol' set for d >= 2) from aligned initialisations a_i = D + offsets and from
    random ones a_i = c + 0.5 z_i meeting the reconstructed conditions (lemD.3).  Outcome: exactly the
    initially closest parameter within 0.25 of b and every other farther from b than at the start.
    tau L(tau) over the last decade of steps, and the growth of the diverging distances (slope of
    |a_j - b|^2 against log tau) are measured; the first steps are cross-checked against the mpmath engine.
    PASS: the outcome in every run with D >= 4 and, in every such run past its warm-up (tau L already
    falling at the start of the last decade), tau L at the end no larger than at the start of the last
    decade.  Runs with D < 4 (full scale) probe how large D must be and are reported, not judged.
    In d >= 2 the rule is a defensive importance-sampling mixture (general.py) so the far tail where a
    diverging parameter's weight lives is sampled; the late rates are still best measured on the aligned
    runs (exact to double precision)."""
    cases = _far_cases(scale)
    for kind, d, n, *_ in cases:
        for k in range(1, min(d, n) + 1):
            general.symbolic.compiled(n, k, "numpy", ("loss", "stein"))
    tasks = [c + (seed * 65537 + 101 * i,) for i, c in enumerate(cases)]
    res = pool_map(_far_task, tasks)
    ok, rows, probe_misses = True, [], []
    for r in res:
        st = _late_stats(r)
        warm = st["tauL_at_lo"] < st["tauL_max_late"] * 0.999 and st["tauL_end"] > st["tauL_at_lo"]
        bounded = st["tauL_end"] <= st["tauL_at_lo"] * 1.05 or warm
        judged = r["D"] >= PROBE_D
        if judged:
            ok &= r["one"] and bounded
        elif not r["one"]:
            probe_misses.append(f"n={r['n']}, D={r['D']}: final distances " + ", ".join(_g(x, 3) for x in r["final"]))
        rows.append([r["kind"] + ("" if judged else " (probe)"), r["d"], r["n"], r["D"], int(st["T"]),
                     "yes" if r["one"] else "NO",
                     ", ".join(_g(x, 3) for x in r["final"]), _g(st["tauL_at_lo"], 4), _g(st["tauL_end"], 4),
                     "warm-up" if warm else ("bounded" if bounded else "GROWING"),
                     f"{st['slope'][0]:.3f}", ", ".join(f"{a:.2f}" for a in st["alpha"])])
    xdig = _mpmath_crosscheck(20 if scale == "quick" else 60)
    ok &= xdig >= 10
    metrics = [Metric("forward-grid vs mpmath engine (25 digits), aligned D=4, digits of the parameters after "
                      f"{20 if scale == 'quick' else 60} steps", f"{xdig:.1f}", note="need >= 10")]
    al = [r for r in res if r["kind"] == "aligned" and r["D"] >= PROBE_D]     # the first judged aligned run
    if al:
        st = _late_stats(al[0])
        metrics.append(Metric(f"tau L(tau) at tau = {int(st['lo'])} and {int(st['T'])} "
                              f"(aligned, n={al[0]['n']}, D={al[0]['D']})",
                              f"{st['tauL_at_lo']:.4g}, {st['tauL_end']:.4g}", note="bounded (C/tau) when not increasing"))
        metrics.append(Metric("diverging parameters: d|a_j - b|^2 / d log tau over the last decade",
                              ", ".join(f"{a:.2f}" for a in st["alpha"]),
                              note="so |a_j - b| grows like sqrt(alpha log tau)"))
    if probe_misses:
        metrics.append(Metric("probes below D = 4 (how large D must be; not judged) without the outcome",
                              "; ".join(probe_misses)))
    summary = ("In every run with D >= 4 the initially closest parameter converges to b and the others move away; "
               "tau L(tau) is not increasing once the warm-up is over (consistent with L <= C/tau)." if ok else
               "A run did not end with the Theorem 3.5 outcome, or tau L kept growing after the warm-up: see the table.")
    return Result("thm3.5", decide(ok), summary, metrics, {
        "far initialisations": {
            "columns": ["init", "d", "n", "D", "steps", "closest converges, rest move away", "final |a_i - b|",
                        "tau L at T/10", "tau L at T", "tau L", "late slope", "d|a_j-b|^2/dlog tau"],
            "rows": rows}})


def _grid_vs_line_rule(r, dps=20):
    """Digits on which the forward-grid loss at the run's final state agrees with the
    arbitrary-precision line rule (two working precisions) at the same, exactly converted, state."""
    cfg = model.Configuration(tuple(tuple(Fraction(v) for v in row) for row in r["final_params"]),
                              tuple(Fraction(0) for _ in r["final_params"][0]))
    ref = gradient.measured(cfg, dps)["loss"]
    with working(dps):
        return min(agreed_digits(ref.value, r["L"][-1]), ref.digits), ref


STEPS_37_FULL = 1000000   # ~9 min: tau^1.1 L starts growing near 1e5 (eta 0.5), tau^1.05 L near 1e12


@claim("thm3.7", "Theorem 3.7", "RECONSTRUCTED",
       "under Theorem 3.5's hypotheses, for every eps > 0, L(tau) >= c_eps / tau^(1+eps) for large tau: the "
       "log-log slope of L tends to -1")
def check_thm37(scale, seed):
    """One long aligned far-initialisation run, thm3.5's aligned case (D = 4, n = 3,
    a = D + (0.4, -0.05, -0.5), eta = 0.5; the forward-grid objective, double-precision accurate) through
    the dynamics engine.  Precondition: the run ends in Theorem 3.5's outcome (only the initially closest
    parameter at b, the others moving away); otherwise the theorem says nothing about it and the verdict
    is INCONCLUSIVE.  (At eta = 0.9 the first step overshoots and two parameters converge.)  The loss at
    the final state is cross-checked against the arbitrary-precision line rule.  Measured: local
    log-log slopes of L on log-spaced windows (factor 10^0.4); tau L(tau); the growth of tau^(1+eps) L over
    the last decade for eps = 0.05, 0.1; a fit log(tau L) = log C + p log log tau over the last decade
    (L ~ C (log tau)^p / tau); the limit slope s_inf from slope_k = s_inf + q / log tau_k.
    Verdict: PASS when tau^(1+eps) L is seen growing over the last decade for both eps; FAIL when the
    local slopes move away from -1 or end below -1.3 (a decay clearly faster than tau^-(1+eps)); else
    INCONCLUSIVE: the statement is asymptotic and the run shows the approach (slopes rising to -1) but
    not yet the growth (the onset tau*(eps) = exp(-p/eps) under the fitted law is reported)."""
    D, n, eta = 4.0, 3, 0.5
    steps = 4000 if scale == "quick" else STEPS_37_FULL
    general.symbolic.compiled(n, 1, "numpy", ("loss", "stein"))
    r = _far_task(("aligned", 1, n, D, eta, steps, 12, seed))
    xdig, ref = _grid_vs_line_rule(r)
    s, L = np.array(r["steps"]), np.array(r["L"])
    edges = [100.0]
    while edges[-1] * 10 ** 0.4 <= steps * 1.0001:
        edges.append(edges[-1] * 10 ** 0.4)
    rows, slopes, mids = [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sl, se = descent.window_slope(s, L, lo, hi)
        if np.isfinite(sl):
            slopes.append(sl)
            mids.append(np.sqrt(lo * hi))
            j = int(np.argmin(np.abs(s - hi)))
            rows.append([int(lo), int(hi), f"{sl:.4f}", _g(s[j] * L[j], 4), _g(s[j] ** 1.05 * L[j], 4),
                         _g(s[j] ** 1.1 * L[j], 4)])
    T = s[-1]
    m = s >= T / 10
    j0 = int(np.flatnonzero(m)[0])
    grow = {e: float(T ** (1 + e) * L[-1] / (s[j0] ** (1 + e) * L[j0])) for e in (0.05, 0.1)}
    p, _ = np.polyfit(np.log(np.log(s[m])), np.log(s[m] * L[m]), 1)
    A = np.vstack([np.ones(len(mids)), 1 / np.log(mids)]).T
    late = slice(max(0, len(mids) - 5), None)
    s_inf, q = np.linalg.lstsq(A[late], np.array(slopes)[late], rcond=None)[0]
    onset = {e: float(np.exp(-p / e)) if p < 0 else 1.0 for e in (0.05, 0.1)}
    st = _late_stats(r)
    rising = len(slopes) >= 3 and slopes[-1] >= slopes[-3] - 0.01
    grown = [e for e in (0.05, 0.1) if grow[e] > 1]
    direct = len(grown) == 2
    fail = (not rising) or slopes[-1] < -1.3
    trusted = xdig >= 6
    in_regime = r["one"]
    verdict = decide(direct and trusted and in_regime,
                     decidable=in_regime and trusted and (direct or fail))
    metrics = [
        Metric("Theorem 3.5's outcome (precondition): final |a_i - b|", ", ".join(_g(x, 3) for x in r["final"]),
               note="only the initially closest parameter at b" if in_regime else
               "NOT Theorem 3.5's outcome: the theorem does not apply to this run"),
        Metric("L at the final state: forward-grid vs line rule (20 digits), agreed digits", str(xdig),
               note=f"line rule L = {fmt(ref.value, 12)}; need >= 6"),
        Metric("late log-log slopes of L (successive windows)", ", ".join(f"{v:.3f}" for v in slopes[-5:]),
               note="approaching -1 from below" if rising else "NOT approaching -1"),
        Metric("extrapolated limit slope s_inf (slope_k = s_inf + q / log tau_k)", f"{s_inf:.3f}"),
        Metric(f"tau L(tau) at tau = {int(s[j0])}, {int(T)}", f"{s[j0] * L[j0]:.4g}, {T * L[-1]:.4g}",
               note="bounded: decreasing slowly"),
        Metric("exponent p in L ~ C (log tau)^p / tau (last decade)", f"{p:.3f}"),
        Metric("growth of tau^(1+eps) L over the last decade, eps = 0.05, 0.1",
               f"{grow[0.05]:.4f}, {grow[0.1]:.4f}",
               note="> 1 means growing; seen for eps = " + (", ".join(map(str, grown)) if grown else "none")),
        Metric("onset tau*(eps) = exp(-p/eps) of that growth under the fitted law, eps = 0.05, 0.1",
               f"{onset[0.05]:.3g}, {onset[0.1]:.3g}"),
        Metric("diverging parameters: d|a_j - b|^2 / d log tau (last decade)",
               ", ".join(f"{a:.3f}" for a in st["alpha"])),
    ]
    if not in_regime:
        summary = ("The run did not end in Theorem 3.5's outcome (see the final distances), so Theorem 3.7 does not "
                   "apply to it: nothing is decided.")
    elif not trusted:
        summary = f"The float64 loss at the final state agrees with the line rule to only {xdig} digits: not decided."
    elif verdict == "PASS":
        summary = "tau^(1+eps) L(tau) grows for eps = 0.05 and 0.1, and the late slope approaches -1."
    elif verdict == "FAIL":
        summary = "The late slopes of log L do not approach -1: see the metrics."
    else:
        seen = (f"; tau^1.1 L is already growing over the last decade (x{grow[0.1]:.3f})" if 0.1 in grown else "")
        summary = (f"The late slopes rise towards -1 (last {slopes[-1]:.3f}, extrapolated {s_inf:.3f}) and tau L stays "
                   f"bounded, but within {int(T)} steps L still decays like (log tau)^{p:.2f}/tau, so tau^(1+eps) L "
                   f"grows only beyond tau* ~ {onset[0.1]:.2g} (eps 0.1) and {onset[0.05]:.2g} (eps 0.05){seen}: "
                   "the asymptotic lower bound is consistent but not observed for every eps at this scale.")
    return Result("thm3.7", verdict, summary, metrics, {
        f"aligned run D={D}, n={n}, eta={eta}, {int(T)} steps: local slopes": {
            "columns": ["tau from", "tau to", "slope of log L", "tau L", "tau^1.05 L", "tau^1.1 L"], "rows": rows}})
