"""General dimension: Theorems 2.1, 3.5, 3.7, Corollary 3.6, Lemmas 3.3 and D.3, Figure 1.

All RECONSTRUCTED (MATH.md 5): the paper's constants and exact hypotheses
were lost, so each check tests the qualitative statement and *measures* the
constants (best K, exponents, slopes, frequencies).  Float64 throughout
(randomised QMC of the sympy-derived integrands, :mod:`proofs_check.general`)
except where an aligned, arbitrary-precision run is stated.

Sweeps and Monte Carlo run in a process pool (one seeded task per sample;
no files are written, no global state is shared), so they are safe under
pytest-xdist.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from fractions import Fraction

import numpy as np

from .. import general, gradient, model
from ..numbers import agreed_digits, fmt, working
from . import Metric, Result, claim, decide


def _pool_map(fn, tasks):
    """Map ``fn`` over ``tasks`` in a process pool (every core); results in order."""
    tasks = list(tasks)
    workers = min(os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return [fn(t) for t in tasks]
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
        return list(ex.map(fn, tasks))


def _g(x, digits=4):
    return f"{x:.{digits}g}"


# -- Lemma 3.3: gradients of clustered parameters are close ---------------------------
def _lem33_task(task):
    """One clustered configuration: ratios |E[g_i - g_j]| / |a_i - a_j| at each spread."""
    d, n, R, eps_list, seed = task
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(d)
    e /= np.linalg.norm(e)
    c = R * e                       # cluster centre, truth b = 0, so |c - b| = R
    U = rng.standard_normal((n, d))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    out = []
    for eps in eps_list:
        A = c + eps * U
        r = general.qmc_gradient_rows(A, np.zeros(d), pairs, log2_points=12, replicates=6, seed=seed)
        dist = np.array([np.linalg.norm(A[i] - A[j]) for i, j in pairs])
        ratio = np.linalg.norm(r["differences"], axis=1) / dist
        err = r["difference_errors"] / dist
        p = int(np.argmax(ratio))
        out.append((float(ratio[p]), float(err[p])))
    return out


@claim("lem3.3", "Lemma 3.3 / Lemma D.2", "RECONSTRUCTED",
       "if all a_i lie within eps of a common point, |grad_{a_i} L - grad_{a_j} L| <= K |a_i - a_j|; "
       "the best K is measured (as a function of the cluster's distance R to the truth)")
def check_lem33(scale, seed):
    """Clusters a_i = c + eps u_i (u_i random unit vectors, |c - b| = R) in d dimensions; the pairwise
    gradient differences E[stein_i - stein_j] are integrated as their own integrands (randomised QMC
    of the derived Stein form), so their errors are the differences' own.  K(R) is the largest
    ratio |grad_i - grad_j| / |a_i - a_j| over pairs and random clusters at the smallest spread; PASS
    when the ratio has converged as eps -> 0 (the constant exists: it changes by less than 2% + error
    from eps = 1e-3 to 1e-4, or its changes shrink geometrically: at most 0.35 of the previous one) and is
    resolved above its QMC error, for every R.  K is the Richardson extrapolation to eps -> 0."""
    if scale == "quick":
        shapes, Rs, trials = [(2, 3), (3, 3)], [0.5, 1.0, 2.0, 4.0], 2
    else:
        shapes, Rs, trials = [(2, 3), (3, 3), (3, 5), (5, 4)], [0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0], 6
    eps_list = [1e-2, 1e-3, 1e-4]   # eps R^2 must be small for the ratio to reach its limit
    for d, n in shapes:          # warm the compiled integrands before forking
        for k in range(1, min(d, n) + 1):
            general.symbolic.compiled(n, k, "numpy", ("stein",))
    tasks = [(d, n, R, eps_list, seed * 100003 + 1000 * si + 10 * ri + t)
             for si, (d, n) in enumerate(shapes) for ri, R in enumerate(Rs) for t in range(trials)]
    results = _pool_map(_lem33_task, tasks)
    rows, ok, K_of_R = [], True, {}
    for (d, n, R, _, _), res in zip(tasks, results):
        (r1, e1), (r2, e2), (r3, e3) = res
        # the ratio is smooth in eps: its changes must shrink geometrically (Cauchy) as eps -> 0
        converged = (abs(r3 - r2) <= 0.02 * r3 + 3 * (e2 + e3)
                     or abs(r3 - r2) <= 0.35 * abs(r2 - r1) + 3 * (e2 + e3))
        resolved = r3 > 10 * e3
        ok &= converged and resolved
        K0 = r3 + (r3 - r2) / 9          # Richardson: ratio = K0 + O(eps)
        key = (d, n, R)
        K_of_R[key] = max(K_of_R.get(key, 0.0), K0)
        rows.append([d, n, R, _g(r1), _g(r2), _g(r3), _g(K0), _g(e3, 2), "yes" if converged else "NO"])
    table_K = []
    metrics = []
    for d, n in shapes:
        Ks = [K_of_R[(d, n, R)] for R in Rs]
        big = [(R, K) for R, K in zip(Rs, Ks) if R >= 1.0]
        slope, se = general.fit_slope([r for r, _ in big], [k for _, k in big]) if len(big) >= 2 else (float("nan"), 0)
        table_K.append([d, n] + [_g(K) for K in Ks] + [f"{slope:.3f} +- {se:.3f}"])
        metrics.append(Metric(f"best K at R = {Rs[0]}..{Rs[-1]}, d={d}, n={n}", ", ".join(_g(K, 3) for K in Ks),
                              note="max over pairs and random clusters, extrapolated to eps -> 0"))
        metrics.append(Metric(f"growth exponent of K in R (R >= 1), d={d}, n={n}", f"{slope:.3f}",
                              note=f"log-log fit, s.e. {se:.3f}"))
        kappa = [K * n / R ** 2 for R, K in zip(Rs, Ks)]
        metrics.append(Metric(f"K n / R^2 at each R, d={d}, n={n}", ", ".join(_g(v, 4) for v in kappa),
                              note="K ~ kappa R^2 / n; max over the sampled spread directions (a lower bound on the sup)"))
        table_K[-1].append(_g(max(kappa), 4))
    summary = ("A finite Lipschitz-type constant K exists near clustered configurations (the ratio has converged as "
               "eps -> 0 for every R); its measured values and growth with R are below." if ok else
               "The ratio |grad_i - grad_j| / |a_i - a_j| did not settle as the spread shrank (or was not resolved): "
               "see the table.")
    return Result("lem3.3", decide(ok), summary, metrics, {
        "ratio |grad_i L - grad_j L| / |a_i - a_j| (max over pairs) at spreads eps": {
            "columns": ["d", "n", "R = |c - b|", "eps=1e-2", "eps=1e-3", "eps=1e-4", "eps -> 0 (Richardson)", "QMC error",
                        "converged"],
            "rows": rows},
        "best K against R (eps -> 0)": {
            "columns": ["d", "n"] + [f"R={R}" for R in Rs] + ["log-log slope (R >= 1)", "max K n / R^2"],
            "rows": table_K}})


# -- helpers for the gradient-descent claims ------------------------------------------
from .. import dynamics  # noqa: E402  (the engine; float64 objectives registered by general)


def _run(A0, b, eta, steps, objective="forward-grid", qmc_points=12, seed=0, **kw):
    """One gradient-descent run through the dynamics engine (float64)."""
    kw.setdefault("stop_when_decided", False)
    kw.setdefault("escape_radius", 1e6)
    return dynamics.run([[float(v) for v in row] for row in A0], [float(v) for v in b], eta=str(eta),
                        steps=steps, objective=objective, backend="float64", qmc_points=qmc_points,
                        seed=seed, **kw)


def _series(tr):
    s = np.array(tr.steps, dtype=float)
    L = np.array([float(v) for v in tr.losses])
    return s, L


def _window_slope(s, L, lo, hi):
    """log-log slope of L over recorded steps in [lo, hi]."""
    m = (s >= lo) & (s <= hi) & (L > 0)
    if m.sum() < 3:
        return float("nan"), float("nan")
    return general.fit_slope(s[m], L[m])


# -- Theorem 2.1: large noise ---------------------------------------------------------
def _thm21_task(task):
    d, n, s0, eta, steps, qmc, seed = task
    rng = np.random.default_rng(seed)
    b = rng.standard_normal(d)
    b /= np.linalg.norm(b)
    U = rng.standard_normal((n, d))
    U /= np.max(np.linalg.norm(U, axis=1))
    A0 = b + s0 * U                    # every |a_i(0) - b| <= s0
    tr = _run(A0, b, eta, steps, dense_steps=20, per_decade=20, seed=seed, qmc_points=qmc)
    s, L = _series(tr)
    dist0 = max(tr.distances(0))
    distT = max(tr.distances())
    late = _window_slope(s, L, steps / 10, steps)
    dmax = np.array([max(float(x) for x in tr.distances(j)) for j in range(len(s))])
    dslope = _window_slope(s, dmax, steps / 10, steps)
    return {"d": d, "n": n, "L0": L[0], "LT": L[-1], "dist0": dist0, "distT": distT, "dslope": dslope[0],
            "slope": late[0], "slope_se": late[1], "outcome": tr.outcome, "stop": tr.stop,
            "spread_ratio": float(tr.spread() / tr.spread(0))}


def _thm21_remainder(task):
    d, n, seed = task
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((n, d))
    U /= np.max(np.linalg.norm(U, axis=1))
    b = np.zeros(d)
    scales = [0.4, 0.2, 0.1, 0.05, 0.025, 0.0125]
    em, rem, err = [], [], []
    for sc in scales:
        r = general.qmc_split(b + sc * U, b, log2_points=13, replicates=6, seed=seed)
        em.append(np.linalg.norm(r["em"], axis=1).max())
        rem.append(np.linalg.norm(r["remainder"], axis=1).max())
        err.append(r["remainder_error"].max())
    small = slice(2, None)
    p_rem = general.fit_slope(scales[small], rem[small])
    p_em = general.fit_slope(scales[small], em[small])
    return {"d": d, "n": n, "scales": scales, "em": em, "rem": rem, "err": err, "p_rem": p_rem, "p_em": p_em}


@claim("thm2.1", "Theorem 2.1", "RECONSTRUCTED",
       "large noise: if every |a_i(0) - b| is small and eta is small, gradient descent drives L to 0 and every a_i "
       "to b, at the paper's rate O(1/sqrt(T)) (constants lost); near b the gradient is the gradient-EM term "
       "2E[w_k v] = -2E[w_k (x - a_k)] plus a remainder of order max_i |a_i - b|^3")
def check_thm21(scale, seed):
    """(1) Gradient descent (dynamics engine, objective forward-grid: the derived Stein gradient on one fixed
    scrambled Sobol' set, float64) from a_i(0) = b + s0 u_i, max |u_i| = 1, random b with |b| = 1, in
    several (d, n); the decay exponent of L(T) is the log-log slope over the last decade of steps.
    (2) The split: sympy decides exactly that 2 w_k v is the Stein image of -2 w_k (x - a_k) and that
    stein - 2 w_k v is the cubic hand remainder; numerically both parts are integrated as their own
    integrands at scales s = |a - b| from 0.4 to 0.0125 and the remainder's order is the log-log slope
    over s <= 0.1.  PASS: every run's loss falls by >= 1e3 with every a_i moving to b, the decay is at
    least the paper's rate (slope <= -0.5), the remainder order is 3 +- 0.25 and the EM term's 1 +- 0.1."""
    if scale == "quick":
        shapes, steps, s0, qmc = [(2, 2), (3, 3)], 1000, 0.3, 11
        split_shapes = [(2, 3), (3, 3)]
    else:
        shapes = [(2, 2), (2, 5), (3, 3), (3, 8), (4, 4), (5, 2), (5, 5), (5, 8)]
        steps, s0, qmc = 4000, 0.3, 11
        split_shapes = [(2, 3), (3, 3), (3, 5), (5, 8)]
    eta = 0.5
    for d, n in shapes + split_shapes:
        for k in range(1, min(d, n) + 1):
            general.symbolic.compiled(n, k, "numpy", ("loss", "stein"))
    ok = True
    sym = {}
    for G, k in [(2, 1), (2, 2), (3, 2)] if scale == "quick" else [(2, 1), (2, 2), (3, 2), (3, 3)]:
        sym[(G, k)] = general.verify_split(G, k)
        ok &= all(sym[(G, k)].values())
    tasks = [(d, n, s0, eta, steps, qmc, seed * 7919 + 31 * i) for i, (d, n) in enumerate(shapes)]
    split_tasks = [(d, n, seed * 104729 + 17 * i) for i, (d, n) in enumerate(split_shapes)]
    out = _pool_map(_thm21_task, tasks) + _pool_map(_thm21_remainder, split_tasks)
    runs, splits = out[:len(tasks)], out[len(tasks):]
    rows, slopes, dslopes = [], [], []
    for r in runs:
        dslopes.append(r["dslope"])
        good = r["LT"] <= 1e-3 * r["L0"] and r["distT"] < r["dist0"] and r["slope"] <= -0.5
        ok &= good
        slopes.append(r["slope"])
        rows.append([r["d"], r["n"], _g(r["L0"]), _g(r["LT"]), _g(r["dist0"], 3), _g(r["distT"], 3),
                     f"{r['slope']:.3f} +- {r['slope_se']:.3f}", f"{r['dslope']:.3f}", _g(r["spread_ratio"], 3),
                     "yes" if good else "NO"])
    srows, p_rems = [], []
    for sp_ in splits:
        good = abs(sp_["p_rem"][0] - 3) <= 0.25 and abs(sp_["p_em"][0] - 1) <= 0.1
        ok &= good
        p_rems.append(sp_["p_rem"][0])
        srows.append([sp_["d"], sp_["n"], f"{sp_['p_em'][0]:.3f}", f"{sp_['p_rem'][0]:.3f} +- {sp_['p_rem'][1]:.3f}",
                      ", ".join(_g(v, 3) for v in sp_["rem"]), _g(max(sp_["err"]), 2)])
    metrics = [
        Metric("decay exponent of L(T) (late log-log slope), range over runs",
               f"{min(slopes):.3f} .. {max(slopes):.3f}",
               note=f"paper's rate O(1/sqrt(T)) is slope -0.5; steps {steps}, eta {eta}, s0 {s0}"),
        Metric("decay exponent of max_i |a_i(T) - b| (late log-log slope), range over runs",
               f"{min(dslopes):.3f} .. {max(dslopes):.3f}", note="the parameters approach b like T^-1/2 while L ~ s^4"),
        Metric("remainder order in s (fit over s <= 0.1)", ", ".join(f"{p:.3f}" for p in p_rems),
               note="MATH.md expects 3"),
        Metric("symbolic split (em = Stein image of -2 w_k (x - a_k); remainder = cubic hand form)",
               "exact" if all(all(v.values()) for v in sym.values()) else "FAILED",
               note="shapes " + ", ".join(f"G={G},k={k}" for G, k in sym)),
    ]
    summary = (f"L -> 0 and every a_i -> b in every run; L(T) decays with exponent {min(slopes):.2f}..{max(slopes):.2f} "
               f"(faster than the paper's upper rate T^-1/2); the non-EM remainder is of order s^{np.mean(p_rems):.2f}."
               if ok else "A run failed to converge, decayed slower than T^-1/2, or the remainder order is off: see tables.")
    return Result("thm2.1", decide(ok), summary, metrics, {
        "gradient descent from |a_i(0) - b| <= s0": {
            "columns": ["d", "n", "L(0)", "L(T)", "max|a_i(0)-b|", "max|a_i(T)-b|", "late slope of log L",
                        "late slope of log max|a_i-b|", "spread(T)/spread(0)", "ok"], "rows": rows},
        "gradient = EM term + remainder, by scale s = max|a_i - b|": {
            "columns": ["d", "n", "EM order", "remainder order", "|remainder| at s = 0.4 .. 0.0125", "QMC error"],
            "rows": srows}})


# -- Lemma D.3 / Corollary 3.6: random initialisation a_i ~ N(c, I) -------------------
# Theorem 3.5's two conditions, reconstructed (the thresholds were lost; stated here):
#   (1) every |a_i - c|^2 <= d + 2 sqrt(d x) + 2 x with x = log n + 3 (Lemma A.1's radius:
#       by Laurent-Massart and a union bound it fails with probability <= n e^-x = e^-3);
#   (2) a unique closest parameter by a margin: the second-smallest |a_j - b|^2 exceeds the
#       smallest by at least MARGIN (so the closest one's softmax weight near b dominates).
LM_EXTRA, MARGIN = 3.0, 1.0


def conditions(A, c, b, margin=MARGIN):
    """(cond1, cond2, index of the closest parameter) for one initialisation (rows of A)."""
    A = np.asarray(A, float)
    n, d = A.shape
    x = np.log(n) + LM_EXTRA
    r2 = d + 2 * np.sqrt(d * x) + 2 * x
    c1 = bool(np.all(np.sum((A - c) ** 2, axis=1) <= r2))
    q = np.sort(np.sum((A - b) ** 2, axis=1))
    c2 = bool(n == 1 or q[1] - q[0] >= margin)
    return c1, c2, int(np.argmin(np.sum((A - b) ** 2, axis=1)))


def _lemD3_task(task):
    d, n, D, N, seed = task
    rng = np.random.default_rng(seed)
    c = np.zeros(d)
    c[0] = D                      # by rotation invariance any direction will do
    Z = rng.standard_normal((N, n, d))
    A = c + Z
    x = np.log(n) + LM_EXTRA
    r2 = d + 2 * np.sqrt(d * x) + 2 * x
    c1 = np.all(np.sum(Z ** 2, axis=2) <= r2, axis=1)
    q = np.sort(np.sum(A ** 2, axis=2), axis=1)
    c2 = (q[:, 1] - q[:, 0] >= MARGIN) if n > 1 else np.ones(N, bool)
    return int(c1.sum()), int(c2.sum()), int((c1 & c2).sum()), N


def _freq(k, N):
    lo, hi = general.wilson(k, N)
    return f"{k / N:.4f} [{lo:.4f}, {hi:.4f}]"


@claim("lemD.3", "Lemma D.3", "RECONSTRUCTED",
       "for a_i(0) i.i.d. N(c, I) with |c - b| = D, Theorem 3.5's two conditions (all a_i near c; a unique closest "
       "parameter by a margin) hold with probability tending to 1 as D grows; the probability is measured")
def check_lemD3(scale, seed):
    """Monte Carlo (seeded, one task per (d, n, D) cell in a process pool) of the two reconstructed conditions
    (module constants LM_EXTRA, MARGIN: condition (1) is Lemma A.1's radius with x = log n + 3, condition
    (2) a gap >= 1 between the two smallest |a_i - b|^2).  Frequencies with 95% Wilson intervals.  PASS:
    condition (1) holds at least as often as Lemma A.1 guarantees (1 - e^-3, within the interval), the
    failure frequency of condition (2) falls as D grows (the proof's projection argument predicts ~1/D:
    the fitted exponent is reported) and both conditions hold with frequency >= 0.8 at the largest D."""
    if scale == "quick":
        ds, ns, Ds, N = [2], [3, 5], [2.0, 4.0, 8.0, 16.0], 20000
    else:
        ds, ns, Ds, N = [2, 3, 5], [2, 3, 5, 8], [1.0, 2.0, 4.0, 8.0, 16.0, 32.0], 200000
    tasks = [(d, n, D, N, seed * 1000003 + 97 * i) for i, (d, n, D) in
             enumerate((d, n, D) for d in ds for n in ns for D in Ds)]
    res = _pool_map(_lemD3_task, tasks)
    rows, ok, exps = [], True, []
    floor1 = 1 - np.exp(-LM_EXTRA)
    for d in ds:
        for n in ns:
            cell = [(t, r) for t, r in zip(tasks, res) if t[0] == d and t[1] == n]
            fails2 = []
            for (dd, nn, D, NN, _), (k1, k2, k12, _) in cell:
                lo1, hi1 = general.wilson(k1, NN)
                ok &= hi1 >= floor1
                fails2.append((D, 1 - k2 / NN, general.wilson(NN - k2, NN)))
                rows.append([d, n, D, _freq(k1, NN), _freq(k2, NN), _freq(k12, NN)])
            # failure of (2) must fall with D (strictly beyond the intervals between first and last D)
            ok &= fails2[-1][2][1] < fails2[0][2][0]
            lastk12 = cell[-1][1][2] / cell[-1][0][3]
            ok &= lastk12 >= 0.8
            big = [(D, f) for D, f, _ in fails2 if D >= 4 and f > 0]
            if len(big) >= 2:
                p, se = general.fit_slope([D for D, _ in big], [f for _, f in big])
                exps.append((d, n, p, se))
    metrics = [Metric(f"exponent of P(condition 2 fails) in D (D >= 4), d={d}, n={n}", f"{p:.3f}",
                      note=f"log-log fit, s.e. {se:.3f}; the projection argument predicts -1") for d, n, p, se in exps]
    metrics.append(Metric("Lemma A.1 floor for condition (1)", f"{floor1:.4f}", note="1 - e^-3"))
    summary = ("Both conditions become typical as D grows; condition (2)'s failure probability decays like D^p "
               "(exponents below), condition (1) holds as Lemma A.1 guarantees." if ok else
               "The conditions' frequencies do not behave as Lemma D.3 states: see the table.")
    return Result("lemD.3", decide(ok), summary, metrics, {
        f"frequencies over {N} initialisations per cell, 95% Wilson intervals": {
            "columns": ["d", "n", "D", "P(cond 1)", "P(cond 2)", "P(both)"], "rows": rows}})


def _cor36_task(task):
    d, n, D, eta, steps, qmc, seed = task
    rng = np.random.default_rng(seed)
    c = np.zeros(d)
    c[0] = D
    b = np.zeros(d)
    A0 = c + rng.standard_normal((n, d))
    c1, c2, closest = conditions(A0, c, b)
    tr = _run(A0, b, eta, steps, qmc_points=qmc, seed=seed, converge_radius=0.25,
              diverge_distance=max(1.0, D / 2), dense_steps=5, per_decade=5)
    # classification of the finite run: exactly one parameter within 0.25 of b, every other one
    # farther from b than it started (net motion away; far parameters move very slowly, so the
    # engine's last-step "moving away" test is too sensitive to the fixed rule's tail sampling)
    d0, dT = np.array(tr.distances(0), float), np.array(tr.distances(), float)
    near = np.flatnonzero(dT <= 0.25)
    one = len(near) == 1 and all(dT[j] > d0[j] for j in range(n) if j != near[0])
    right = one and int(near[0]) == closest
    return {"d": d, "n": n, "D": D, "c1": c1, "c2": c2, "one": one, "right": right,
            "all": bool(np.all(dT <= 0.25)), "engine": tr.outcome}


@claim("cor3.6", "Corollary 3.6", "RECONSTRUCTED",
       "a_i(0) i.i.d. N(c, I) with |c - b| = D large: with high probability exactly one a_i converges to b (the "
       "initially closest) and the others diverge; the frequency is measured against D and n")
def check_cor36(scale, seed):
    """Monte Carlo over seeded random initialisations: each run is gradient descent (dynamics engine,
    forward-grid objective, float64, eta 0.25) for a fixed budget, classified at the end: exactly one
    parameter within 0.25 of b and every other one farther from b than at the start (the engine's
    classification is kept alongside).  Reports the frequency of the
    Theorem 3.5 outcome (and that the survivor is the initially closest parameter), of the two
    reconstructed conditions (see lemD.3), and of the outcome given both conditions, with 95% Wilson
    intervals.  Judged at the largest D (the corollary is about large D; smaller D are reported): PASS when,
    given both conditions, the outcome (survivor = closest) holds with frequency >= 0.8 and Wilson upper
    bound >= 0.9; FAIL when the upper bound is below 0.8; else INCONCLUSIVE."""
    if scale == "quick":
        cells, runs, steps, qmc = [(2, 3, 3.0), (2, 3, 6.0)], 6, 300, 11
    else:
        cells = [(d, n, D) for d in (2, 3) for n in (3, 5) for D in (2.0, 4.0, 6.0)]
        runs, steps, qmc = 16, 500, 11
    eta = 0.25
    for d, n, _ in cells:
        for k in range(1, min(d, n) + 1):
            general.symbolic.compiled(n, k, "numpy", ("loss", "stein"))
    tasks = [(d, n, D, eta, steps, qmc, seed * 999983 + 1009 * ci + r)
             for ci, (d, n, D) in enumerate(cells) for r in range(runs)]
    res = _pool_map(_cor36_task, tasks)
    rows, pooled_k, pooled_N, per_D = [], 0, 0, {}
    for d, n, D in cells:
        rs = [r for r in res if (r["d"], r["n"], r["D"]) == (d, n, D)]
        N = len(rs)
        k_one = sum(r["one"] for r in rs)
        k_right = sum(r["right"] for r in rs)
        k_all = sum(r["all"] for r in rs)
        cond = [r for r in rs if r["c1"] and r["c2"]]
        k_cond_one = sum(r["right"] for r in cond)
        pooled_k += k_cond_one
        pooled_N += len(cond)
        per_D.setdefault(D, [0, 0])
        per_D[D][0] += k_right
        per_D[D][1] += N
        rows.append([d, n, D, N, _freq(k_one, N), _freq(k_right, N), _freq(k_all, N),
                     _freq(sum(r["c1"] and r["c2"] for r in rs), N),
                     _freq(k_cond_one, len(cond)) if cond else "no runs"])
    lo, hi = general.wilson(pooled_k, pooled_N)
    Dmin, Dmax = min(per_D), max(per_D)
    f_lo, f_hi = per_D[Dmin][0] / per_D[Dmin][1], per_D[Dmax][0] / per_D[Dmax][1]
    # the corollary is about large D: judge the cells at the largest D (pooled over d, n)
    big = [r for r in res if r["D"] == Dmax and r["c1"] and r["c2"]]
    kb, Nb = sum(r["right"] for r in big), len(big)
    lo_b, hi_b = general.wilson(kb, Nb)
    p_hat = kb / Nb if Nb else 0.0
    ok = Nb > 0 and p_hat >= 0.8 and hi_b >= 0.9
    decidable = ok or Nb == 0 or hi_b < 0.8
    metrics = [Metric("P(thm3.5 outcome, survivor = closest | both conditions), pooled",
                      _freq(pooled_k, pooled_N) if pooled_N else "no runs", note="95% Wilson interval"),
               Metric(f"P(outcome | both conditions) at the largest D = {Dmax} (pooled over d, n; judged)",
                      _freq(kb, Nb) if Nb else "no runs", note="95% Wilson interval"),
               Metric(f"P(outcome) at D = {Dmin} vs D = {Dmax} (pooled over d, n)", f"{f_lo:.3f} vs {f_hi:.3f}")]
    summary = ("Random far initialisations end with exactly one parameter (the closest) at b and the rest diverging, "
               "with the frequencies below." if ok else "The Theorem 3.5 outcome is not typical under the conditions: see the table.")
    if not decidable:
        summary = "Too few runs to decide whether the outcome is typical under the conditions: see the table."
    return Result("cor3.6", decide(ok, decidable), summary, metrics, {
        f"outcomes of {runs} seeded runs per cell ({steps} steps, eta {eta})": {
            "columns": ["d", "n", "D", "runs", "P(one converges)", "P(… and it is the closest)", "P(all converge)",
                        "P(both conditions)", "P(outcome | conditions)"], "rows": rows}})


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
    tr = _run(A0, b, eta, steps, qmc_points=qmc, seed=seed, dense_steps=10, per_decade=20)
    s, L = _series(tr)
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
    slope = _window_slope(s, L, lo, T)
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
    lo = _run([[float(str(round(v[0], 12)))] for v in A0], [0.0], 0.5, steps)
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
    res = _pool_map(_far_task, tasks)
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
        sl, se = _window_slope(s, L, lo, hi)
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


# -- Figure 1 (Section 4) ---------------------------------------------------------------
# The paper's d, n, mu*, init scale, step size, iterations and batch size were lost in the
# text; these are the suite's choices (documented in the Result):
FIG1 = {"d": 2, "n": 4, "init_scale": 0.1, "mu_small": 1.0, "mu_large": 4.0, "eta": 0.25,
        "batch_log2": 10, "pop_qmc_log2": 11, "init_seed": 1}


def _fig1_task(task):
    mu, objective, steps, seed = task
    d, n = FIG1["d"], FIG1["n"]
    Z = np.random.default_rng(FIG1["init_seed"]).standard_normal((n, d))
    A0 = FIG1["init_scale"] * Z                     # a_i(0) ~ N(0, init_scale^2 I), t = 0 so a = mu
    b = np.array([mu] + [0.0] * (d - 1))
    qmc = FIG1["batch_log2"] if objective == "forward-minibatch" else FIG1["pop_qmc_log2"]
    tr = _run(A0, b, FIG1["eta"], steps, objective=objective, qmc_points=qmc, seed=seed,
              dense_steps=200, per_decade=30)
    s = np.array(tr.steps, float)
    if objective == "forward-minibatch":            # plot the population loss, not the batch's
        L = np.array([general.grid_evaluate(P, b, qmc_points=12).loss for P in tr.params])
    else:
        L = np.array([float(v) for v in tr.losses])
    dist = np.array([[float(x) for x in tr.distances(j)] for j in range(len(s))])
    return {"mu": mu, "objective": objective, "steps": s.tolist(), "L": L.tolist(), "dist": dist.tolist()}


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
    log-log loss with the fitted late slope (last decade).  PASS: small |mu*| -> every parameter within 0.25
    of mu*; large |mu*| -> exactly one within 0.25 and the others farther than at the start; both for the
    population and the mini-batch runs; at full scale also the large-|mu*| late slope in [-1.5, -0.8]."""
    steps = 600 if scale == "quick" else 10000
    d, n = FIG1["d"], FIG1["n"]
    for k in range(1, min(d, n) + 1):
        general.symbolic.compiled(n, k, "numpy", ("loss", "stein"))
        general.symbolic.compiled(n, k, "numpy", ("loss", "pathwise"))
    tasks = [(mu, obj, steps, seed) for mu in (FIG1["mu_small"], FIG1["mu_large"])
             for obj in ("forward-grid", "forward-minibatch")]
    res = _pool_map(_fig1_task, tasks)
    ok, rows, figures, slopes = True, [], {}, {}
    for r in res:
        dist = np.array(r["dist"])
        d0, dT = dist[0], dist[-1]
        near = np.flatnonzero(dT <= 0.25)
        if r["mu"] == FIG1["mu_small"]:
            good = len(near) == n
            expect = "all converge"
        else:
            good = len(near) == 1 and all(dT[j] > d0[j] for j in range(n) if j != near[0])
            expect = "one converges, rest diverge"
        ok &= good
        s, L = np.array(r["steps"]), np.array(r["L"])
        sl = _window_slope(s, L, s[-1] / 10, s[-1])
        slopes[(r["mu"], r["objective"])] = sl
        rows.append([r["mu"], r["objective"], expect, "yes" if good else "NO",
                     ", ".join(_g(x, 3) for x in dT), _g(L[-1], 3), f"{sl[0]:.3f}"])
    if scale == "full":
        sl = slopes[(FIG1["mu_large"], "forward-grid")][0]
        ok &= -1.5 <= sl <= -0.8
    for panel, mu in (("a", FIG1["mu_small"]), ("b", FIG1["mu_large"])):
        series = []
        for r in res:
            if r["mu"] != mu:
                continue
            tag = "population" if r["objective"] == "forward-grid" else f"mini-batch {2 ** FIG1['batch_log2']}"
            dist = np.array(r["dist"])
            series += [{"label": f"|a_{i + 1} - mu*| ({tag})", "x": r["steps"], "y": dist[:, i].tolist()}
                       for i in range(n)]
        figures[f"fig1{panel}"] = {"kind": "line", "title": f"({panel}) distances to mu*, |mu*| = {mu}",
                                   "xlabel": "iteration", "ylabel": "|a_i - mu*|", "series": series}
    for panel, mu in (("c", FIG1["mu_small"]), ("d", FIG1["mu_large"])):
        series = []
        for r in res:
            if r["mu"] != mu:
                continue
            tag = "population" if r["objective"] == "forward-grid" else f"mini-batch {2 ** FIG1['batch_log2']}"
            s, L = np.array(r["steps"]), np.array(r["L"])
            m = (s >= 1) & (L > 0)
            series.append({"label": f"L ({tag} gradient)", "x": s[m].tolist(), "y": L[m].tolist()})
            sl, _ = slopes[(mu, r["objective"])]
            T = s[-1]
            mm = (s >= T / 10) & (L > 0)
            icpt = float(np.mean(np.log(L[mm]) - sl * np.log(s[mm])))
            xs = [float(T / 10), float(T)]
            series.append({"label": f"fit, slope {sl:.2f} ({tag})", "x": xs,
                           "y": [float(np.exp(icpt) * x ** sl) for x in xs], "style": "dashed"})
        figures[f"fig1{panel}"] = {"kind": "loglog", "title": f"({panel}) loss, |mu*| = {mu}",
                                   "xlabel": "iteration", "ylabel": "population loss L", "series": series}
    sl_large = slopes[(FIG1["mu_large"], "forward-grid")][0]
    figures = {"fig1": {
        "kind": "panels", "ncols": 2, "panels": [figures[f"fig1{p}"] for p in "abcd"],
        "title": "Figure 1 (reconstructed): small vs large |mu*| at the same initialisation scale",
        "caption": (f"d={d}, n={n}, a_i(0) ~ N(0, {FIG1['init_scale']}^2 I), mu* = ({FIG1['mu_small']}, 0) and "
                    f"({FIG1['mu_large']}, 0), eta={FIG1['eta']}, {steps} iterations; population gradient "
                    f"(fixed importance-sampling Sobol' rule) and mini-batch of {2 ** FIG1['batch_log2']}; "
                    "losses are population losses; dashed: fit over the last decade.")}}
    metrics = [Metric("late log-log slope of L, |mu*| large (population, mini-batch)",
                      f"{slopes[(FIG1['mu_large'], 'forward-grid')][0]:.3f}, "
                      f"{slopes[(FIG1['mu_large'], 'forward-minibatch')][0]:.3f}",
                      note="paper: approximately -1 after warm-up; fit over the last decade of iterations"),
               Metric("late log-log slope of L, |mu*| small (population, mini-batch)",
                      f"{slopes[(FIG1['mu_small'], 'forward-grid')][0]:.3f}, "
                      f"{slopes[(FIG1['mu_small'], 'forward-minibatch')][0]:.3f}"),
               Metric("settings (the paper's values were lost)",
                      f"d={d}, n={n}, a_i(0) ~ N(0, {FIG1['init_scale']}^2 I), |mu*| = {FIG1['mu_small']} and "
                      f"{FIG1['mu_large']} along e_1, eta={FIG1['eta']}, iterations={steps}, "
                      f"batch={2 ** FIG1['batch_log2']}, population rule: Sobol' 2^{FIG1['pop_qmc_log2'] - 1} points at 0 and each a_g/2, "
                      f"init seed {FIG1['init_seed']}")]
    summary = ("Panels reproduced: the small |mu*| run converges entirely, the large one keeps one parameter and "
               f"sheds the rest (late slope {sl_large:.2f}), with population and mini-batch gradients alike." if ok else
               "Figure 1's contrast was not reproduced: see the table.")
    return Result("fig1", decide(ok), summary, metrics, {
        "Figure 1 runs": {"columns": ["|mu*|", "gradient", "expected", "as expected", "final |a_i - mu*|",
                                      "final L", "late slope"], "rows": rows}}, figures)
