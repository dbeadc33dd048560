"""rev.mixture (MATH.md 6; arXiv 2606.19876): a teacher mixture under the reverse Fisher divergence.

Statement (the abstract): teacher a Gaussian mixture with well-separated means,
random initialisation; "with high probability, each student component converges
near its closest teacher component".

Success, stated before any run: a run SUCCEEDS when, after the step budget,
(i) every student component is within ``R_NEAR`` of the teacher mean that was
closest to it at initialisation, and (ii) every teacher mean has at least one
component within ``R_NEAR`` (no mode collapse).  (ii) is the part of "the student
learns the teacher" that (i) alone misses: a start with every component on one
side ends with the other mode unlearned, and that counts AGAINST the claim.
A component not yet within ``R_NEAR`` of any teacher mean but still approaching
one leaves its run UNDECIDED (too few steps); one that is neither near nor
approaching makes the run a failure.  The judged quantity is the frequency of
success over seeded initialisations, pooled over n, by its Wilson lower bound
(:func:`~proofs_check.claims.rules.judge_frequency_undecided`).

Prediction for this initialisation (a_i ~ U(-6, 6), teacher means -4, 4): if every
component goes to its closest teacher, a run fails only when all n components start
on one side, so P(success) = 1 - 2^(1 - n) (0.875 at n = 4, 0.992 at n = 8).

Arithmetic: d = 1, the library's derived integrands
(:func:`proofs_check.reverse.compiled_mixture`, numpy) under a fixed float64
trapezoid rule (:func:`proofs_check.reverse.grid_mixture`), cross-checked against the
arbitrary-precision line rule (:func:`proofs_check.reverse.evaluate_mixture`) at a
start state; the agreement in digits is reported and judged.  (The library's own
float64 backend is quasi-Monte Carlo: 0.06-0.15 s per step here against ~7 ms, and
noisier; its mpmath line rule costs 3 s per step at n = 8.)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from mpmath import mp

from .. import dynamics, objectives, reverse
from ..gradient import Evaluation
from ..fits import Frequency, fewest_trials, frequency, short
from ..numbers import agreed_digits, working
from ..executor import pool_map
from . import Metric, Verdict, claim, judged, paper_text
from .rules import judge_frequency_undecided

TEACHER = (-4.0, 4.0)        # teacher means (d = 1, unit variances, equal weights): separation 8
TEACHER_TEXT = (["-4"], ["4"])
INIT_HALF_WIDTH = 6.0        # a_i(0) ~ U(-6, 6): a global random start covering both means with margin 2
R_NEAR = 0.5                 # "near": within 1/8 of the half-separation 4 (TV(N(a,1), N(t,1)) < 0.2)
P_CLAIM = 0.9                # "with high probability", read as at least 90 % (the statement gives no number)
MIN_RUNS = fewest_trials(P_CLAIM)   # 35: fewest runs whose perfect record reaches P_CLAIM by the Wilson bound
CROSS_DIGITS = 10            # the float64 rule must agree with the 30-digit line rule to 10 digits (float64
#                              gives ~15; below 10 something in the rule is wrong, not just rounding)
SCALES = {
    # n values, seeded runs per n, GD steps (eta = n/4: the per-copy gradient carries a 1/n)
    "quick": {"ns": (4, 5, 6, 7, 8), "runs": 8, "steps": 60},
    "full": {"ns": (4, 5, 6, 7, 8), "runs": 200, "steps": 60},
}


def grid_mixture_objective() -> str:
    """Register :func:`proofs_check.reverse.grid_mixture` against ``TEACHER`` as a float64 objective of the engine.

    Registered explicitly, at run time (:func:`proofs_check.objectives.register`), once per process: a pool's
    workers call it too.  Returns the objective's name."""
    name = "reverse-mixture-grid" + str(TEACHER)
    if name in objectives.names():
        return name

    def ev(A, b, multiplicity=None, forms=("stein",), loss=True, rel_tol=None, backend="float64",
           qmc_points=0, seed=0):
        if multiplicity and any(int(m) != 1 for m in multiplicity):
            raise ValueError("the grid mixture rule takes single copies only")
        L, g = reverse.grid_mixture(A, TEACHER)
        grad = [[float(v)] for v in g]
        zero = [[0.0] for _ in g]
        return Evaluation(L, 0.0, {"stein": grad}, {"stein": zero},
                          f"float64 trapezoid, h = {reverse.GRID_H}, |z| <= {reverse.GRID_Z}", 1)
    objectives.register(name, ev)
    return name


def cross_check(A) -> tuple[int, float]:
    """Agreed digits (and the largest difference) of the float64 rule's gradient and loss against the
    arbitrary-precision line rule (30 digits) at the state ``A`` (decimal strings)."""
    L, g = reverse.grid_mixture([[float(r[0])] for r in A], TEACHER)
    with working(30):
        ev = reverse.evaluate_mixture(A, TEACHER_TEXT, forms=("stein",), rel_tol=mp.mpf(10) ** -25)
        ref = [ev.loss] + [row[0] for row in ev.gradient["stein"]]
        mine = [mp.mpf(L)] + [mp.mpf(float(v)) for v in g]
        digits = min(16, agreed_digits(mine, ref))
        diff = max(float(abs(a - b)) for a, b in zip(mine, ref))
    return digits, diff


# -- case, outcome, run -------------------------------------------------------------------
@dataclass(frozen=True)
class MixtureCase:
    """One seeded initialisation a_i(0) ~ U(-6, 6), i = 1..n, and its GD budget."""

    n: int
    seed: int        # the claim's seed
    index: int       # run number within this n; the start is drawn from SeedSequence([seed, n, index])
    steps: int

    def start(self) -> np.ndarray:
        """The seeded start a_i(0) ~ U(-6, 6), sorted."""
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, self.n, self.index]))
        return np.sort(rng.uniform(-INIT_HALF_WIDTH, INIT_HALF_WIDTH, self.n))


@dataclass(frozen=True)
class MixtureRun:
    """Where each component started and ended, measured against the teacher means (no decision)."""

    n: int
    index: int
    start: tuple            # a_i(0)
    end: tuple              # a_i after the run
    start_teacher: tuple    # index of the teacher mean closest to a_i(0)
    end_teacher: tuple      # index of the teacher mean closest to the final a_i
    end_distance: tuple     # |a_i - that mean| at the end
    prev_distance: tuple    # |a_i - the same mean| at the previous recorded step
    stop: str
    steps: int
    loss: float
    trace: tuple = ()       # (recorded steps, per-component coordinates) for the figure


def _nearest(v):
    return min(range(len(TEACHER)), key=lambda j: abs(v - TEACHER[j]))


def run_case(case: MixtureCase) -> MixtureRun:
    """Reverse-loss gradient descent (eta = n/4, float64 grid objective) from one seeded start."""
    a0 = case.start()
    tr = dynamics.run([[float(v)] for v in a0], [TEACHER[0]], None, eta=float(case.n) / 4, steps=case.steps,
                      objective=grid_mixture_objective(), backend="float64", stop_when_decided=False,
                      escape_radius=1000.0)
    end = [float(P[0]) for P in tr.final]
    prev = [float(P[0]) for P in tr.params[max(0, len(tr.params) - 2)]]
    jt = [_nearest(v) for v in end]
    return MixtureRun(case.n, case.index, tuple(float(v) for v in a0), tuple(end),
                      tuple(_nearest(v) for v in a0), tuple(jt),
                      tuple(abs(v - TEACHER[j]) for v, j in zip(end, jt)),
                      tuple(abs(v - TEACHER[j]) for v, j in zip(prev, jt)),
                      tr.stop, tr.steps_taken, float(tr.final_loss),
                      (tuple(int(k) for k in tr.steps),
                       tuple(tuple(float(P[g][0]) for P in tr.params) for g in range(case.n))))


# -- the judge ----------------------------------------------------------------------------
def judge_run(r: MixtureRun, r_near: float = R_NEAR) -> str:
    """'success', 'undecided', or the failure: 'mode collapse', 'wrong teacher', 'stalled'.  Comparisons only."""
    if r.stop == "nonfinite":
        return "undecided"
    far = [i for i in range(r.n) if r.end_distance[i] > r_near]
    stalled = [i for i in far if not r.end_distance[i] < r.prev_distance[i]]
    if stalled:
        return "stalled"
    wrong = [i for i in range(r.n) if r.end_distance[i] <= r_near and r.end_teacher[i] != r.start_teacher[i]]
    if wrong:
        return "wrong teacher"
    covered = {r.end_teacher[i] for i in range(r.n) if r.end_distance[i] <= r_near}
    if far:
        return "undecided"
    if len(covered) < len(TEACHER):
        return "mode collapse"
    return "success"


def _describe(r: MixtureRun, kind: str) -> str:
    return (f"n={r.n} #{r.index}: {kind}, a(0) = ({', '.join(short(v, 3) for v in r.start)}) -> "
            f"({', '.join(short(v, 4) for v in r.end)})")


def judge_mixture(runs, cross_digits: int, p_claim: float = P_CLAIM, min_runs: int = MIN_RUNS) -> Verdict:
    """P(success) >= p_claim by the Wilson lower bound over ``runs`` (at least ``min_runs``).

    Undecided runs count as failures for PASS, as successes for FAIL: neither
    verdict rests on them.  A float64 rule that disagrees with the arbitrary-precision
    one (fewer than CROSS_DIGITS digits) leaves the claim INCONCLUSIVE."""
    if cross_digits < CROSS_DIGITS:
        return Verdict.inconclusive(f"the float64 rule agrees with the line rule to only {cross_digits} digits "
                                    f"(need {CROSS_DIGITS})")
    kinds = [judge_run(r) for r in runs]
    k, u, N = kinds.count("success"), kinds.count("undecided"), len(runs)
    bad = [_describe(r, kind) for r, kind in zip(runs, kinds) if kind != "success"]
    listing = f"; {len(bad)} out of {N} not successes: " + "; ".join(bad[:6]) + ("; ..." if len(bad) > 6 else "") \
        if bad else ""
    what = "P(every component ends near its initially closest teacher mean, every mean covered)"
    v = judge_frequency_undecided(frequency(k, N), frequency(k + u, N), p_claim, min_runs, what)
    return Verdict(v.verdict, v.reason + (f"; {u} undecided" if u else "") + listing)


# -- the claim ----------------------------------------------------------------------------
def _freq(runs, test) -> Frequency:
    return frequency(sum(1 for r in runs if test(r)), len(runs))


def _covered(r: MixtureRun) -> bool:
    return len({r.end_teacher[i] for i in range(r.n) if r.end_distance[i] <= R_NEAR}) == len(TEACHER)


def _init_covers(r: MixtureRun) -> bool:
    return len(set(r.start_teacher)) == len(TEACHER)


def _own_teacher(r: MixtureRun) -> bool:
    return all(r.end_distance[i] <= R_NEAR and r.end_teacher[i] == r.start_teacher[i] for i in range(r.n))


@claim("rev.mixture", "arXiv 2606.19876, teacher mixture", "RECONSTRUCTED",
       "teacher a mixture of well-separated Gaussians, random initialisation: under GD on the reverse Fisher "
       "divergence, with high probability each student component converges near its closest teacher component "
       "(and the student covers every teacher mode)",
       provenance=paper_text("../shared/paper/reverse-fisher-abstract.txt (arXiv 2606.19876, the abstract; "
                             "MATH.md section 6)",
                             assumed="separation, initialisation scheme and step size chosen by the suite "
                                     "(the abstract's Omega~(1) separation has no recovered constant)"))
def check_mixture(scale, seed):
    """Teacher q = (N(-4, 1) + N(4, 1))/2 (d = 1, separation 8); students n = 4..8 with a_i(0) ~ U(-6, 6),
    seeded per run (SeedSequence([seed, n, run])); GD with eta = n/4 for a fixed budget of steps on
    E_{x ~ p_a}|s_a(x) - grad log q(x)|^2 (the sympy-derived integrands of proofs_check.reverse, float64
    trapezoid rule cross-checked against the 30-digit line rule).  Success (stated in advance): every component
    ends within 0.5 of the teacher mean closest to it at initialisation AND every teacher mean has a component
    within 0.5 (a mode collapse is a failure).  Judged: the pooled frequency of success by its Wilson lower bound
    >= 0.9 with at least 35 runs.  Measured beside it: per n, the frequency of success, of coverage, of
    'each component at its own teacher', and the prediction 1 - 2^(1-n)."""
    cfg = SCALES[scale]
    cases = [MixtureCase(n, seed, i, cfg["steps"]) for n in cfg["ns"] for i in range(cfg["runs"])]
    for n in cfg["ns"]:   # derive and compile once, here: the pool's forked workers inherit the cache
        reverse.compiled_mixture(n, len(TEACHER), 1, "numpy", True, ("stein",))
    runs = pool_map(run_case, cases)
    probe = cases[-1].start()
    digits, diff = cross_check([[f"{v:.17g}"] for v in probe])
    verdict = judge_mixture(runs, digits)

    total = _freq(runs, lambda r: judge_run(r) == "success")
    cover, own = _freq(runs, _covered), _freq(runs, _own_teacher)
    init_cover = _freq(runs, _init_covers)
    metrics = [
        Metric("P(success), pooled", str(total), None, f"Wilson 95 % interval; judged against {P_CLAIM}"),
        Metric("P(every teacher mean covered)", str(cover), None, "coverage of the teacher modes (measured)"),
        Metric("P(each component near its initially closest teacher mean)", str(own), None,
               "the abstract's sentence without coverage (measured)"),
        Metric("P(the start already has a component on each side)", str(init_cover), None,
               "coverage is at most this if every component goes to its closest teacher"),
        Metric("float64 rule vs 30-digit line rule", f"{digits} digits", digits,
               f"largest |difference| {short(diff, 2)} in L_rev and the gradient at the n = {len(probe)} start"),
    ]
    rows, bars_x, bars_y, per_n = [], [], [], {}
    for n in cfg["ns"]:
        sub = [r for r in runs if r.n == n]
        kinds = [judge_run(r) for r in sub]
        f_n = per_n[n] = frequency(kinds.count("success"), len(sub))
        rows.append([n, len(sub), str(f_n), str(_freq(sub, _covered)), str(_freq(sub, _own_teacher)),
                     short(1 - 2.0 ** (1 - n), 4), kinds.count("mode collapse"), kinds.count("wrong teacher"),
                     kinds.count("stalled"), kinds.count("undecided"),
                     short(max(max(r.end_distance) for r in sub), 3)])
        bars_x.append(f"n = {n}")
        bars_y.append(f_n.value)
    shown = [r for r in runs if r.index == 0]
    for kind in ("mode collapse", "wrong teacher", "stalled", "undecided"):
        shown += [r for r in runs if judge_run(r) == kind][:3]
    switched = [abs(r.start[i]) for r in runs for i in range(r.n)
                if r.end_distance[i] <= R_NEAR and r.end_teacher[i] != r.start_teacher[i]]
    metrics.append(Metric("components ending at the other teacher mean", str(len(switched)), None,
                          f"of {sum(r.n for r in runs)}; their starts lie within "
                          f"{short(max(switched), 3) if switched else '-'} of the midpoint 0 between the means"))
    run_rows = [[r.n, r.index, "(" + ", ".join(f"{v:.3f}" for v in r.start) + ")",
                 "(" + ", ".join(f"{v:.4f}" for v in r.end) + ")", short(max(r.end_distance), 3),
                 judge_run(r), r.steps, short(r.loss, 3)] for r in shown]
    tables = {
        "reverse GD against the teacher (N(-4,1) + N(4,1))/2: frequencies per n (Wilson 95 %)": {
            "columns": ["n", "runs", "success", "every mean covered", "each at its own teacher",
                        "predicted 1 - 2^(1-n)", "mode collapses", "wrong teacher", "stalled", "undecided",
                        "largest final distance"], "rows": rows},
        "runs shown: the first per n and the first three of each kind of non-success": {
            "columns": ["n", "run", "a(0)", "a(final)", "largest distance to the nearest mean", "outcome",
                        "steps", "final L_rev"], "rows": run_rows},
    }
    series = [{"label": f"n={r.n} #{r.index} ({judge_run(r)})" if g == 0 else None, "x": list(r.trace[0]),
               "y": list(r.trace[1][g])} for r in shown for g in range(r.n)]
    figures = {
        "rev_mixture_frequency": {"kind": "bar", "title": "frequency of success per n (line: 0.9)",
                                  "xlabel": "n", "ylabel": "frequency",
                                  "series": [{"label": "measured", "x": bars_x, "y": bars_y},
                                             {"label": "predicted 1 - 2^(1-n)", "x": bars_x,
                                              "y": [1 - 2.0 ** (1 - n) for n in cfg["ns"]]}],
                                  "hlines": [P_CLAIM],
                                  "caption": "success: every component ends within 0.5 of its initially closest "
                                             "teacher mean and both means are covered"},
        "rev_mixture_trajectories": {"kind": "line", "title": "a_i(step) for the runs shown (teacher means -4, 4)",
                                  "xlabel": "step", "ylabel": "a_i", "series": series, "hlines": list(TEACHER)},
    }
    low = min(per_n, key=lambda n: per_n[n].value)
    summary = (f"{verdict.reason}. Coverage of both teacher means {cover}; each component at its own teacher "
               f"{own}; lowest per n: n = {low}, {per_n[low]} (predicted 1 - 2^(1-n) = {short(1 - 2.0 ** (1 - low), 4)}); "
               f"{len(runs)} runs of {cfg['steps']} steps, n = {cfg['ns'][0]}..{cfg['ns'][-1]}")
    return judged("rev.mixture", verdict, summary, metrics, tables, figures, seed=seed)
