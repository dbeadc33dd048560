"""Theorem 2.1: large noise, every parameter starts near b (RECONSTRUCTED; statement: secondary summary).

One pool of runs, two parts: the suite's reconstruction of the late laws (:mod:`.large_noise_descent`: the
derived model, its runs and judges) and the paper's recovered hypothesis (:mod:`.large_noise_boundary`: starts
at e^-2/n, the implied constant).
"""
from __future__ import annotations

from .. import general
from ..executor import pool_map
from . import claim, judged, secondary, worst
from . import descent
from . import large_noise_boundary as boundary
from .large_noise_descent import (ETA, DescentCase, cross_check, figures, judge_cross_check, judge_descent,
                                  judge_negative_control, judge_split, metrics, run_descent, run_split, tables)


def _task(job):
    kind, payload = job
    if kind == "descent":
        return run_descent(payload)[0]
    if kind == "cross-check":
        return cross_check(payload)
    if kind == "boundary":
        return boundary.run_boundary(payload)
    return run_split(payload)


# -- the claim --------------------------------------------------------------------------------
@claim("thm2.1", "Theorem 2.1", "RECONSTRUCTED",
       "hypothesis t > log n + log M + 2, M = max_i |mu_i(0) - mu*|, so every |mu_{i,t}(0) - mu*_t| <= M e^{-t} "
       "<= 1/(3n); conclusion L_t(tau) <= O(n^3 d^2 / sqrt(eta tau)) (step size: a small constant, not recovered)",
       provenance=secondary(
           assumed="step size eta = 0.5 (the suite's reconstruction runs use it; it is a small constant: the centre "
                   "contracts by 1 - 2 eta/n in (0, 1) for n >= 2) and, for one case, eta = 0.25 to show the "
                   "constant's dependence on it; the hypothesis read in the scaled variables as max_i |a_i(0) - b| "
                   "<= e^-2/n (M e^-t < e^-2/n), runs start ON that boundary; the O-constant C is measured as the "
                   "largest L sqrt(eta tau)/(n^3 d^2) over runs and recorded steps; the reconstruction's parts (late "
                   "laws L ~ T^-2, |a_i - b| ~ T^-1/2 from |a_i(0) - b| <= 0.3, EM term + cubic remainder) are the "
                   "suite's own (MATH.md section 5)"))
def check_thm21(scale, seed):
    """(1) Gradient descent (dynamics engine, forward-grid: the derived Stein gradient on a fixed float64 rule)
    from an isotropic cluster, max |a_i(0) - b| <= 0.3, |b| = 1, eta 0.5, in several (d, n), for
    STEPS_FACTOR / (c lambda_0) steps (c = 8 eta / n).  Judged against the derivation in the module docstring: over
    the window [T/4, T] (asymptotic when c lambda T1 >= 0.95 for every eigenvalue of the spread's covariance)
    the log-log slope of L is -2 +- 0.1 and of max |a_i - b| is -0.5 +- 0.025 (95 % intervals inside), and
    L(T) equals the model's prediction from the measured covariance at T/4 within 5 %.  Negative control:
    an EM-only gradient (same rule) must FAIL that judge.  (2) The split: sympy decides exactly that 2 w_k v
    is the Stein image of -2 w_k (x - a_k) and the rest is the cubic hand remainder; numerically (randomised
    QMC of each part) the remainder's order in s is 3 +- 0.25 and the EM term's 1 +- 0.1 (fits over
    s <= 0.1).  (3) The float64 rule against the arbitrary-precision planar rule at the first d = 2 run's
    window-start state T/4: >= 2 agreed digits on L and the gradient (what the 5 % ratio needs).  (4) The paper's
    hypothesis: starts ON the boundary max_i |a_i(0) - b| = e^-2/n (cluster, centred spread, coincident; several
    d, n, seeds), eta 0.5 (one case 0.25), for 6 / (c lambda_0) steps; the implied constant
    C = max L sqrt(eta tau)/(n^3 d^2) is MEASURED (digits: a second float64 rule for spans k >= 2 and the
    arbitrary-precision loss at the maximum's state); judged: over the window [T/2, T] (late when
    c lambda(T1) T1 >= 0.7) the log-log slope of L sqrt(eta tau) is <= -1/2 + 0.1 (derived: <= -0.9) and its
    maximum lies before the window, so the sup over tau, C, is finite."""
    if scale == "quick":
        shapes, split_shapes, sym_shapes = [(2, 3), (3, 3)], [(2, 3), (3, 3)], [(2, 1), (2, 2), (3, 2)]
    else:
        shapes = [(2, 3), (2, 2), (2, 5), (3, 3), (3, 6), (4, 4), (5, 2), (5, 5)]
        split_shapes, sym_shapes = [(2, 3), (3, 3), (3, 5), (5, 8)], [(2, 1), (2, 2), (3, 2), (3, 3)]
    bcases = [boundary.BoundaryCase(d, n, cfg, eta, seed * 6007 + 13 * i) for i, (d, n, cfg, eta) in enumerate(
        boundary.CASES + (boundary.FULL_CASES if scale == "full" else []))]
    descent.warm_compiled(shapes + split_shapes + [(c.d, c.n) for c in bcases])
    for d, n in shapes + split_shapes:
        for k in range(1, min(d, n) + 1):
            general.split_compiled(n, k)
    symbolic_ok = all(all(general.verify_split(G, k).values()) for G, k in sym_shapes)
    cases = [DescentCase(d, n, ETA, seed * 7919 + 31 * i) for i, (d, n) in enumerate(shapes)]
    control = DescentCase(2, 2, ETA, seed * 7919 + 7, engine="em-only")
    planar = next(c for c in cases if c.d == 2 and c.n >= 3)
    jobs = ([("cross-check", planar), ("descent", control)] + [("descent", c) for c in cases]
            + [("split", (d, n, seed * 104729 + 17 * i)) for i, (d, n) in enumerate(split_shapes)]
            + [("boundary", c) for c in bcases])
    out = pool_map(_task, jobs)
    xc, control_run = out[0], out[1]
    runs = out[2:2 + len(cases)]
    splits = out[2 + len(cases):2 + len(cases) + len(split_shapes)]
    bruns = out[2 + len(cases) + len(split_shapes):]
    v_descent = judge_descent(runs)
    v_control = judge_negative_control(judge_descent([control_run]))
    v_split = judge_split(splits, symbolic_ok)
    v_xc = judge_cross_check(xc)
    v_bound = boundary.judge_boundary(bruns)
    verdict = worst(v_descent, v_control, v_split, v_xc, v_bound)
    return judged("thm2.1", verdict, _summary(verdict, runs, bruns),
                  metrics(runs, control_run, splits, xc, symbolic_ok, sym_shapes) + boundary.metrics(bruns),
                  tables(runs + [control_run], splits) | boundary.table(bruns),
                  figures(runs + [control_run]) | boundary.figure(bruns))



def _summary(verdict, runs, bruns):
    if verdict.verdict != "PASS":
        return verdict.reason
    top = max(bruns, key=lambda r: r.C)
    Ls = [r.L_slope.value for r in runs]
    return (f"L -> 0 and every a_i -> b in every run, with the derived late laws: L ~ T^-2 (slopes {min(Ls):.3f}.."
            f"{max(Ls):.3f}), |a_i - b| ~ T^-1/2, and L(T) at the derived constant c = 8 eta/n (faster than the "
            "paper's upper rate T^-1/2); an EM-only engine is rejected; the non-EM remainder is cubic.  From the paper's "
            f"boundary |a_i(0) - b| = e^-2/n, L sqrt(eta tau) decays late in every run and the implied constant of "
            f"L <= C n^3 d^2/sqrt(eta tau) is C = {boundary.c_text(top)} (d={top.d}, n={top.n}, {top.config}).")

