"""The lemmas' inequalities, stress-tested (issue 5): lemA.1, lemA.2, lemC.7, lemD.1, lemC.2.

Each claim runs its :mod:`proofs_check.stress` probe (random inputs drawn by
hypothesis under the claim's seed; a counterexample would be shrunk and
reported) and reports the tightest ratio lhs/rhs it saw with the input that
gave it, re-evaluated at a second precision for its agreed digits.  A small
deterministic grid shows where each bound is tight.  lemC.2 is RECONSTRUCTED:
it measures the decay exponent c, it does not assume one.  (lem3.3 is
registered in :mod:`.general_dynamics`; its stress probe lives in
:mod:`proofs_check.stress` too.)
"""
from __future__ import annotations

import json

import mpmath
from mpmath import mp

from .. import stress
from ..numbers import agreed_digits, fmt, working
from . import FAIL, INCONCLUSIVE, PASS, Metric, Result, claim

EXAMPLES = {"quick": 40, "full": 400}


def _stress_part(pid: str, scale: str, seed: int):
    probe = stress.get(pid)
    n = stress.examples_for(probe, EXAMPLES[scale])
    rep = stress.run(probe, n, seed)
    metrics = [Metric("examples tried", str(rep.tried), note=f"seed {seed}; reproduce: {rep.command}"),
               Metric("counterexamples", "0" if rep.counterexample is None else "1",
                      note="" if rep.counterexample is None else "shrunk: " + json.dumps(rep.counterexample))]
    rows = []
    for w in rep.worst.values():
        label = {stress.LE: "worst ratio lhs/rhs", stress.EQ: "worst relative error",
                 stress.MEASURE: f"{'largest' if w.worse == 'max' else 'smallest'} value"}[w.kind]
        val = fmt(w.value, max(w.digits or 3, 1) if w.kind != stress.EQ else 3)
        metrics.append(Metric(f"{label}: {w.name}", val, w.digits, note="at " + json.dumps(w.input)))
        rows.append([w.name, label, val, w.digits if w.digits is not None else "-", json.dumps(w.input)])
    table = {f"stress probe ({rep.tried} random inputs, seed {seed})": {
        "columns": ["check", "tracked", "value", "agreed digits", "input"], "rows": rows}}
    if rep.counterexample is not None:
        verdict = FAIL
    elif rep.undecided:
        verdict = INCONCLUSIVE
    else:
        verdict = PASS
    return rep, verdict, metrics, table


def _two(f, dps=30):
    """f(dps) at dps and dps + 15: (value, agreed digits)."""
    lo, hi = f(dps), f(dps + 15)
    with mp.workdps(dps + 25):
        return hi, min(agreed_digits(lo, hi), dps)


def _finish(cid, verdict, rep, metrics, tables, what):
    if verdict == PASS:
        summary = f"No counterexample in {rep.tried} random inputs; {what}"
    elif verdict == FAIL:
        summary = f"COUNTEREXAMPLE (shrunk): {json.dumps(rep.counterexample)}; reproduce: {rep.command}"
    else:
        summary = f"{len(rep.undecided)} inputs stayed undecided at every precision tried."
    return Result(cid, verdict, summary, metrics, tables)


@claim("lemA.1", "Lemma A.1 (Laurent-Massart)", "EXACT",
       "for z ~ N(0, I_d), x > 0: P(|z|^2 >= d + 2 sqrt(dx) + 2x) <= e^-x and P(|z|^2 <= d - 2 sqrt(dx)) <= e^-x")
def check_lemA1(scale, seed):
    """Exact chi-square tails (mpmath's regularised incomplete gamma at 30 digits) against e^-x, over
    random d in 1..400 and x log-uniform in [1e-4, 1e3); undecided comparisons are redone at higher
    precision.  A grid of (d, x) shows the ratio stays well below 1."""
    rep, verdict, metrics, tables = _stress_part("lemA.1", scale, seed)
    ev = stress.get("lemA.1").evaluate
    rows = []
    for d in (1, 10, 100, 1000):
        for x in ("0.01", "1", "10", "100"):
            up, dg1 = _two(lambda p: ev({"d": d, "x": x}, p)[0].value)
            lo, dg2 = _two(lambda p: ev({"d": d, "x": x}, p)[1].value)
            rows.append([d, x, fmt(up, 6), fmt(lo, 6), min(dg1, dg2)])
    tables["ratio P / e^-x on a grid"] = {"columns": ["d", "x", "upper tail", "lower tail", "agreed digits"],
                                          "rows": rows}
    return _finish("lemA.1", verdict, rep, metrics, tables,
                   "the bound is loose by a constant factor everywhere seen (worst ratios above).")


def _mill_grid(ev, make):
    rows = []
    for s in ("0.1", "1", "3", "10", "100", "1000"):
        r, dg = _two(lambda p: ev(make(s), p)[0].value)
        rows.append([s, fmt(r, 12), dg, fmt(1 - r, 4)])
    return {"ratio P / bound against s (tight as s -> infinity: 1 - ratio ~ 1/s^2)": {
        "columns": ["s", "ratio", "agreed digits", "1 - ratio"], "rows": rows}}


@claim("lemA.2", "Lemma A.2 (Mill's inequality)", "EXACT",
       "P(|Z| > s) <= sqrt(2/pi) e^{-s^2/2} / s for s > 0")
def check_lemA2(scale, seed):
    """erfc(s/sqrt 2) against the bound at 30 digits over s log-uniform in [1e-4, 1e3); the ratio tends
    to 1 as s grows (the bound is asymptotically sharp), which the grid shows."""
    rep, verdict, metrics, tables = _stress_part("lemA.2", scale, seed)
    tables.update(_mill_grid(stress.get("lemA.2").evaluate, lambda s: {"s": s}))
    return _finish("lemA.2", verdict, rep, metrics, tables,
                   "the ratio approaches 1 from below as s grows (sharp constant).")


@claim("lemC.7", "Lemma C.7", "EXACT",
       "for fixed v and x ~ N(0, I_d): P(|<x, v>| >= |v| s) <= sqrt(2/pi) e^{-s^2/2} / s")
def check_lemC7(scale, seed):
    """The probability is integrated over x_1 with the exact conditional tail of the rest (so the
    reduction <x, v> ~ N(0, |v|^2) is checked too, as an identity), for random v in d <= 5 and
    s in [1e-3, 8]; then compared with Mill's bound."""
    rep, verdict, metrics, tables = _stress_part("lemC.7", scale, seed)
    tables.update(_mill_grid(stress.get("lemC.7").evaluate, lambda s: {"v": ["1", "-2", "0.5"], "s": s}
                             if float(s) <= 8 else {"v": ["1"], "s": s}))
    return _finish("lemC.7", verdict, rep, metrics, tables,
                   "as for Mill's inequality the ratio tends to 1 as s grows.")


@claim("lemD.1", "Lemma D.1 / C.5", "EXACT",
       "w_i/w_j = exp(<x, a_i - a_j> - (|a_i|^2 - |a_j|^2)/2), hence w_i <= exp(l_i - l_j) for every j")
def check_lemD1(scale, seed):
    """The suite's stable softmax (model.softmax of model.logits) against the closed form, every
    ordered pair (i, j), random n <= 5, d <= 4, entries in [-5, 5]; the inequality's ratio is w_j, so its
    supremum 1 is approached (never reached) when one weight dominates."""
    rep, verdict, metrics, tables = _stress_part("lemD.1", scale, seed)
    return _finish("lemD.1", verdict, rep, metrics, tables,
                   "the identity holds to working precision and the bound's ratio (= w_j) approaches 1.")


@claim("lemC.2", "Lemmas C.2-C.4", "RECONSTRUCTED",
       "b = 0, |a_1| small, |a_i| >= R for i >= 2: E[w_i] and E[w_i |a_i|^k] decay like exp(-c R^2); c measured")
def check_lemC2(scale, seed):
    """E[w_i] by the line rule (aligned, d = 1 suffices: x ~ N(0, I) enters through <x, u>) at 20 digits.
    Random inputs give the smallest c-hat = -log E[w_i] / |a_i|^2 seen; a sweep a_1 = 0.05, a_2 = R
    gives the local exponent -d log E[w_2] / d(R^2), whose limit is the decay constant c.  PASS when
    that local exponent is positive and settles (successive changes shrink)."""
    rep, verdict, metrics, tables = _stress_part("lemC.2", scale, seed)
    ev = stress.get("lemC.2").evaluate
    Rs = ["4", "6", "8", "12", "16", "24"] + (["32", "48"] if scale == "full" else [])

    def logE(R, p):
        c = ev({"alphas": ["0.05", R]}, p)[0].value
        return -c * mp.mpf(R) ** 2

    vals = [_two(lambda p: logE(R, p), 20) for R in Rs]
    rows, slopes = [], []
    for k, R in enumerate(Rs):
        (lv, dg) = vals[k]
        slope = None
        if k:
            R0 = mp.mpf(Rs[k - 1])
            slope = -(lv - vals[k - 1][0]) / (mp.mpf(R) ** 2 - R0 ** 2)
            slopes.append(slope)
        rows.append([R, fmt(lv, 10), dg, fmt(-lv / mp.mpf(R) ** 2, 6), fmt(slope, 6) if slope is not None else "-"])
    diffs = [abs(b - a) for a, b in zip(slopes, slopes[1:])]
    settles = all(s > 0 for s in slopes) and all(b <= a for a, b in zip(diffs[1:], diffs[2:])) \
        and diffs[-1] < mp.mpf("0.01")
    tables["a_1 = 0.05, a_2 = R: log E[w_2] and its exponents"] = {
        "columns": ["R", "log E[w_2]", "agreed digits", "-log E[w_2] / R^2", "local exponent c(R)"], "rows": rows}
    metrics.append(Metric("measured decay constant c (local exponent at the largest R)", fmt(slopes[-1], 6),
                          min(v[1] for v in vals[-2:]), note="E[w_2] ~ exp(-c R^2); successive local exponents: "
                          + ", ".join(fmt(s, 4) for s in slopes)))
    if verdict == PASS and not settles:
        verdict = INCONCLUSIVE
    summary = (f"E[w_i] decays like exp(-c R^2): local exponent {fmt(slopes[-1], 4)} at R = {Rs[-1]} and settling; "
               f"smallest c-hat over {rep.tried} random inputs in the table." if verdict == PASS else
               "The decay exponent did not settle over the sweep (or the probe failed): see the tables.")
    return Result("lemC.2", verdict, summary, metrics, tables)
