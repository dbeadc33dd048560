"""The reverse Fisher divergence (MATH.md 6; arXiv 2606.19876): rev.single, rev.mixture.

Gradient descent through :func:`proofs_check.dynamics.run` (the one engine)
on the objective ``"reverse"`` (:mod:`proofs_check.reverse`), side by side
with ``"forward"`` from the starts that split the forward dynamics.

Arithmetic: aligned (1-D) runs are arbitrary precision (LineRule centred on
each student component); random starts in d = 2, 3 use the float64 QMC rule
(the planar arbitrary-precision rule costs minutes per evaluation, far too
slow for a trajectory), stated in the Result.

Both claims are RECONSTRUCTED: the qualitative statement is checked and the
rates / distances are measured, never assumed.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
from mpmath import mp

from .. import dynamics, gradient, objectives, reverse
from ..numbers import working
from . import FAIL, INCONCLUSIVE, PASS, Metric, Result, claim

DPS = 15


def _g(x, digits=4):
    return f"{float(x):.{digits}g}"


# -- the thm3.1 stationary point ------------------------------------------------------
def thm31_rstar(dps: int = 20):
    """The maximiser r* of the forward L(r) for a = (0, r, -r), b = 0 (n = 3, d = 1).

    dL/dr = grad_{a_2} - grad_{a_3} = 2 grad_{a_2} (mirror symmetry); its root
    between 1.5 and 3.5 (the sign change is checked) by the secant-type
    solver, at ``dps`` digits.  Returns (r*, dL/dr at r*).
    """
    with working(dps):
        def dLdr(r):
            ev = gradient.evaluate([[mp.zero], [r], [-r]], [mp.zero], None, forms=("stein",),
                                   rel_tol=mp.mpf(10) ** (-(dps + 2)))
            return 2 * ev.gradient["stein"][1][0]
        lo, hi = mp.mpf("1.5"), mp.mpf("3.5")
        if not (dLdr(lo) > 0 > dLdr(hi)):
            raise RuntimeError("dL/dr does not change sign on [1.5, 3.5]")
        r = mpmath.findroot(dLdr, (lo, hi), solver="anderson")
        return r, dLdr(r)


# -- fits -----------------------------------------------------------------------------
def _fit(xs, ys):
    """Least-squares slope, intercept and R^2."""
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    if len(x) < 3:
        return float("nan"), float("nan"), float("nan")
    A = np.vstack([x, np.ones_like(x)]).T
    (s, c), *_ = np.linalg.lstsq(A, y, rcond=None)
    res = y - (s * x + c)
    tot = np.sum((y - y.mean()) ** 2)
    return float(s), float(c), float(1 - np.sum(res ** 2) / tot) if tot > 0 else float("nan")


def _maxdist(tr):
    b = [float(v) for v in tr.b]
    return [max(math.dist([float(v) for v in row], b) for row in P) for P in tr.params]


def _rates(tr, start=10):
    """Power-law and exponential fits of the largest distance and of the loss over the tail."""
    st = np.array(tr.steps, float)
    md = np.array(_maxdist(tr))
    L = np.array([float(v) for v in tr.losses])
    keep = (st >= start) & (md > 0) & (L > 0)
    if keep.sum() < 3:
        return None
    ls, ld, lL = np.log(st[keep]), np.log(md[keep]), np.log(L[keep])
    p_d = _fit(ls, ld)
    p_L = _fit(ls, lL)
    e_d = _fit(st[keep], ld)
    return {"dist_power": p_d, "loss_power": p_L, "dist_exp": e_d,
            "range": (int(st[keep][0]), int(st[keep][-1]))}


def _run(A0, b, mult, objective, steps, eta, backend="mpmath", tol=None, decided=False, seed=0,
         **kw):
    # keep_digits = 8: these starts have O(1) splits, so 15 digits carry them with room to spare
    extra = {"dps": DPS, "keep_digits": 8} if backend == "mpmath" else {"qmc_points": 10, "seed": seed}
    return dynamics.run(A0, b, mult, eta=eta, steps=steps, objective=objective, backend=backend,
                        tol=tol, stop_when_decided=decided, **extra, **kw)


def _final_1d(tr):
    return "(" + ", ".join(_g(r[0], 5) for r in tr.final) + ")"


def _start_1d(A0, mult):
    return "(" + ", ".join(_g(r[0], 5) + (f" x{m}" if m > 1 else "") for r, m in zip(A0, mult)) + ")"


def _traj_series(tr, label):
    """One series per parameter group (d = 1 coordinates)."""
    out = []
    for g in range(len(tr.multiplicity)):
        m = tr.multiplicity[g]
        out.append({"label": f"{label} a_{g + 1}" + (f" (x{m})" if m > 1 else ""),
                    "x": [int(s) for s in tr.steps],
                    "y": [float(P[g][0]) for P in tr.params]})
    return out


SCALES = {
    # steps of the long (rate) reverse runs, forward budget, tolerance of the reverse runs
    "quick": {"rate_steps": 50, "fwd_steps": 40, "tol": "0.2", "tol_steps": 200,
              "random": {1: 1, 2: 1, 3: 1}, "rand_steps": 60},
    "full": {"rate_steps": 1500, "fwd_steps": 600, "tol": "0.03", "tol_steps": 4000,
             "random": {1: 6, 2: 4, 3: 4}, "rand_steps": 400},
}


@claim("rev.single", "arXiv 2606.19876, single-Gaussian teacher", "RECONSTRUCTED",
       "teacher N(b, I), student (1/n) sum N(a_i, I) with fixed equal weights: gradient descent on the "
       "reverse Fisher divergence converges to every a_i = b from arbitrary initialisations, including "
       "the starts that split the forward dynamics (thm3.1, thm3.4, thm3.5)")
def check_single(scale, seed):
    """Reverse-loss GD (dynamics engine, objective 'reverse') from (i) the thm3.1 stationary point
    a = (b, b + r* u, b - r* u) with r* the maximiser of the forward L(r), computed here; (ii) the thm3.4
    split start d = 1, b = D = 4, a_1 = 1/2, a_2 = a_3 = 0; (iii) a thm3.5 far start: three parameters
    near c = 0 (seeded offsets), b = 8; (iv) seeded random starts a_i ~ N(0, 3^2 I), b ~ N(0, 2^2 I) in
    d = 1, 2, 3.  Each split start is also run under the forward loss with the same step size.
    Convergence: every |a_i - b| <= tol (the reverse runs must reach it).  Rates: least-squares fits of
    log max_i |a_i - b| and log L_rev against log(step) (power law) and against step (exponential)."""
    cfg = SCALES[scale]
    rng = np.random.default_rng(seed)
    metrics, rows, figures, problems = [], [], {}, []
    fails = []

    rstar, dldr = thm31_rstar()
    metrics.append(Metric("r* (thm3.1 maximiser of forward L(r), b = 0)", mpmath.nstr(rstar, 15), 15,
                          f"dL/dr(r*) = {mpmath.nstr(dldr, 3)}"))
    with working(DPS + 10):
        rs = +rstar
    off = np.sort(rng.uniform(-1, 1, 3))[::-1]
    starts = [
        ("thm3.1 stationary point", [[0], [rs], [-rs]], [0], [1, 1, 1], "1"),
        ("thm3.4 split start (D = 4, delta = 1/2)", [["0.5"], ["0"]], ["4"], [1, 2], "1"),
        ("thm3.5 far start (c = 0, b = 8)", [[f"{v:.6f}"] for v in off], ["8"], [1, 1, 1], "1"),
    ]
    fig_traj = {"kind": "panels", "title": "forward vs reverse GD from the starts that split the forward "
                "dynamics (d = 1, coordinates a_i)", "panels": []}
    fig_rate = {"kind": "loglog", "title": "reverse GD: largest distance max_i |a_i - b| and L_rev",
                "xlabel": "step", "ylabel": "value", "series": []}
    rate_rows = []
    for name, A0, b, mult, eta in starts:
        fw = _run(A0, b, mult, "forward", cfg["fwd_steps"], eta, decided=True)
        rv = _run(A0, b, mult, "reverse", cfg["rate_steps"], eta)
        md = _maxdist(rv)
        fmd, rmd = _maxdist(fw)[-1], md[-1]
        tol = float(cfg["tol"])
        hit = next((s for s, v in zip(rv.steps, md) if v <= tol), None)
        ok = rv.stop == "budget" and rmd <= tol and md[-1] < md[-2]
        if not ok:
            fails.append(f"{name}: reverse stopped '{rv.stop}' with max |a_i - b| = {_g(rmd)} (tol {cfg['tol']})")
        rows.append([name, f"b = {b[0]}, a(0) = {_start_1d(A0, mult)}",
                     f"{fw.outcome} ({fw.stop} after {fw.steps_taken} steps): a = {_final_1d(fw)}, "
                     f"max|a_i - b| = {_g(fmd)}",
                     f"{'converges' if ok else rv.stop}: max|a_i - b| <= {cfg['tol']} from step {hit}; after "
                     f"{rv.steps_taken} steps a = {_final_1d(rv)}, max|a_i - b| = {_g(rmd)}, L_rev = "
                     f"{_g(rv.final_loss, 3)}"])
        fig_traj["panels"].append({"kind": "line", "title": name, "xlabel": "step", "ylabel": "a_i",
                                   "series": _traj_series(fw, "forward") + _traj_series(rv, "reverse")})
        fig_rate["series"].append({"label": f"{name}: max|a_i - b|", "x": [max(int(s), 1) for s in rv.steps],
                                   "y": [float(v) for v in md]})
        fig_rate["series"].append({"label": f"{name}: L_rev", "x": [max(int(s), 1) for s in rv.steps],
                                   "y": [float(v) for v in rv.losses]})
        r = _rates(rv)
        if r:
            rate_rows.append([name, f"{r['range'][0]}..{r['range'][1]}",
                              f"{r['dist_power'][0]:.3f} (R^2 {r['dist_power'][2]:.4f})",
                              f"{r['loss_power'][0]:.3f} (R^2 {r['loss_power'][2]:.4f})",
                              f"{r['dist_exp'][0]:.3g} (R^2 {r['dist_exp'][2]:.4f})"])
            metrics.append(Metric(f"distance exponent, {name}", f"{r['dist_power'][0]:.3f}", None,
                                  "slope of log max|a_i - b| vs log step"))
            metrics.append(Metric(f"loss exponent, {name}", f"{r['loss_power'][0]:.3f}", None,
                                  "slope of log L_rev vs log step"))
        if name.startswith("thm3.1"):
            gn = float(fw.grad_norms[0])
            metrics.append(Metric("forward gradient norm at the thm3.1 start", _g(gn, 3), None,
                                  "must be ~0: validates r* (the start is stationary for the forward loss)"))
            drift = float(fw.params[-1][0][0])
            metrics.append(Metric("forward drift of a_1 from the thm3.1 start", _g(drift, 3), None,
                                  f"after {fw.steps_taken} steps from a start exact to ~25 digits: the stationary "
                                  "point repels rounding-level perturbations under forward GD (unstable; thm3.1 classifies it)"))
            if gn > 1e-8:
                problems.append(f"the thm3.1 start is not stationary for the forward loss (|grad| = {_g(gn)})")

    # random starts
    rand_rows = []
    for d, count in cfg["random"].items():
        for i in range(count):
            n = int(rng.integers(3, 5)) if d == 1 else 3
            A = rng.normal(0, 3, (n, d))
            bb = rng.normal(0, 2, d)
            backend = "mpmath" if d == 1 else "float64"
            if backend == "mpmath":
                A0 = [[f"{v:.6f}" for v in row] for row in A]
                b0 = [f"{v:.6f}" for v in bb]
            else:
                A0, b0 = [list(map(float, row)) for row in A], [float(v) for v in bb]
            tr = _run(A0, b0, None, "reverse", cfg["rand_steps"] if d > 1 else cfg["tol_steps"], "1",
                      backend=backend, tol=cfg["tol"] if d == 1 else None, decided=d > 1, seed=seed + i)
            md0, md1 = _maxdist(tr)[0], _maxdist(tr)[-1]
            good = (tr.stop == "converged") if d == 1 else (tr.outcome == dynamics.ALL_CONVERGE)
            if not good:
                fails.append(f"random d={d} #{i}: {tr.stop}, {tr.outcome}, max|a_i - b| = {_g(md1)}")
            rand_rows.append([d, n, backend, _g(md0), tr.steps_taken, _g(md1),
                              tr.stop if d == 1 else tr.outcome])

    decided_fail = [f for f in fails if "escaped" in f or "one converges" in f or "nonfinite" in f]
    if problems:
        verdict = INCONCLUSIVE
    elif decided_fail:
        verdict = FAIL
    elif fails:
        verdict = INCONCLUSIVE
    else:
        verdict = PASS
    nrand = sum(cfg["random"].values())
    summary = (f"reverse GD brought every |a_i - b| <= {cfg['tol']} from the 3 forward-splitting starts and "
               f"{nrand} random starts (d = 2, 3: within 0.25 and shrinking, float64 QMC)" if verdict == PASS
               else "; ".join(problems + fails))
    if rate_rows:
        ex = [float(r[2].split()[0]) for r in rate_rows]
        summary += (f"; sublinear rates: max|a_i - b| ~ step^({min(ex):.2f}..{max(ex):.2f}) "
                    "(measured, see the rates table)")
    tables = {
        "forward vs reverse from the same starts (d = 1, eta = 1, arbitrary precision)": {
            "columns": ["start", "initialisation", "forward loss: outcome", "reverse loss: outcome"],
            "rows": rows},
        "reverse-loss rates (fits over the run's tail)": {
            "columns": ["start", "steps fitted", "log dist vs log step", "log L_rev vs log step",
                        "log dist vs step (exponential rate)"], "rows": rate_rows},
        "reverse loss from random starts a_i ~ N(0, 9 I), b ~ N(0, 4 I)": {
            "columns": ["d", "n", "arithmetic", "max|a_i - b| at start", "steps", "max|a_i - b| at end",
                        "outcome"], "rows": rand_rows},
    }
    figures = {"rev_single_trajectories": fig_traj, "rev_single_rates": fig_rate}
    return Result("rev.single", verdict, summary, metrics, tables, figures, seed=seed)


# -- rev.mixture ------------------------------------------------------------------------
def mixture_objective(teacher, weights=None) -> str:
    """Register the reverse loss against a fixed teacher mixture as an objective; return its name.

    The evaluator has :func:`proofs_check.gradient.evaluate`'s signature and
    ignores ``b`` (the dynamics engine's truth only sets its distance
    bookkeeping); the teacher is bound here.
    """
    name = "reverse-mixture" + str([[str(v) for v in t] for t in teacher]) + (str(weights) if weights else "")
    if name in objectives.names():
        return name

    def ev(A, b, multiplicity=None, forms=("stein",), loss=True, rel_tol=None, backend="mpmath",
           qmc_points=14, seed=0):
        T = [[mp.mpf(v) for v in t] for t in teacher]
        return reverse.evaluate_mixture(A, T, multiplicity, weights, forms, loss, rel_tol, backend,
                                        qmc_points, seed)
    objectives.objective(name)(ev)
    return name


MIX = {
    "quick": {"ns": (4,), "runs": 1, "steps": 40},
    "full": {"ns": (4, 5, 6, 7, 8), "runs": 1, "steps": 200},
}


@claim("rev.mixture", "arXiv 2606.19876, teacher mixture", "RECONSTRUCTED",
       "teacher a mixture of well-separated Gaussians, random initialisation: under GD on the reverse Fisher "
       "divergence each student component converges near its closest teacher component")
def check_mixture(scale, seed):
    """Teacher q = (N(-4, 1) + N(4, 1))/2 (d = 1, separation 8), students n = 4..8 (quick: 4) with
    a_i(0) ~ Uniform(-6, 6) (seeded), GD with eta = n/4 on E_{x ~ p_a}|s_a(x) - grad log q(x)|^2, its
    gradient from the sympy derivation in proofs_check.reverse (teacher score a softmax over teacher
    means), 1-D arbitrary precision.  Measured: each component's final distance to its closest teacher
    mean, whether that teacher is the one closest at the start, and whether both teachers are covered.
    PASS if every component ends within 0.5 of a teacher mean and the largest such distance is
    decreasing; FAIL if a component ends farther than 1 from every teacher mean."""
    cfg = MIX[scale]
    rng = np.random.default_rng(seed)
    teacher = [["-4"], ["4"]]
    tv = [-4.0, 4.0]
    name = mixture_objective(teacher)
    rows, fails, unsure, series, metrics = [], [], [], [], []
    worst = 0.0
    same_count = total = 0
    for n in cfg["ns"]:
        for r in range(cfg["runs"]):
            a0 = np.sort(rng.uniform(-6, 6, n))
            A0 = [[f"{v:.6f}"] for v in a0]
            tr = dynamics.run(A0, teacher[0], None, eta=f"{n / 4}", steps=cfg["steps"], objective=name,
                              dps=DPS, keep_digits=8, stop_when_decided=False, escape_radius="1000")
            fin = [float(P[0]) for P in tr.final]
            near = [min(abs(v - t) for t in tv) for v in fin]
            prev_idx = max(0, len(tr.params) - 2)
            prev = [min(abs(float(P[0]) - t) for t in tv) for P in tr.params[prev_idx]]
            nearest0 = [int(np.argmin([abs(v - t) for t in tv])) for v in a0]
            nearest1 = [int(np.argmin([abs(v - t) for t in tv])) for v in fin]
            same = sum(int(x == y) for x, y in zip(nearest0, nearest1))
            same_count += same
            total += n
            covered = len(set(nearest1)) == len(tv)
            worst = max(worst, max(near))
            if max(near) > 1:
                fails.append(f"n={n} run {r}: a component ends {max(near):.3g} from every teacher mean")
            elif max(near) > 0.5 or not max(near) < max(prev):
                unsure.append(f"n={n} run {r}: largest distance {max(near):.3g} (previous {max(prev):.3g})")
            rows.append([n, r, "(" + ", ".join(f"{v:.3f}" for v in a0) + ")",
                         "(" + ", ".join(f"{v:.4f}" for v in fin) + ")",
                         "(" + ", ".join(f"{v:.3g}" for v in near) + ")",
                         f"{same}/{n}", "yes" if covered else "no", tr.steps_taken, f"{float(tr.final_loss):.3g}"])
            for g in range(n):
                series.append({"label": f"n={n} run {r} a_{g + 1}", "x": [int(s) for s in tr.steps],
                               "y": [float(P[g][0]) for P in tr.params]})
    metrics.append(Metric("largest final distance to the closest teacher mean", f"{worst:.4g}", None,
                          f"after {cfg['steps']} steps"))
    metrics.append(Metric("components ending at the teacher closest at initialisation", f"{same_count}/{total}",
                          None, "measured, not part of the verdict"))
    verdict = FAIL if fails else (INCONCLUSIVE if unsure else PASS)
    summary = (f"every student component ended within {worst:.3g} of a teacher mean (separation 8), distances "
               f"still shrinking; {same_count}/{total} at the teacher closest at the start"
               if verdict == PASS else "; ".join(fails + unsure))
    tables = {"reverse GD against the teacher mixture (N(-4,1) + N(4,1))/2, d = 1": {
        "columns": ["n", "run", "a(0)", "a(final)", "distance to closest teacher mean",
                    "same teacher as at the start", "both teachers covered", "steps", "final L_rev"],
        "rows": rows}}
    figures = {"rev_mixture_trajectories": {
        "kind": "line", "title": "reverse GD against a two-component teacher (means -4, 4)",
        "xlabel": "step", "ylabel": "a_i", "series": series}}
    return Result("rev.mixture", verdict, summary, metrics, tables, figures, seed=seed)
