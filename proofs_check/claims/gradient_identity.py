"""Lemma B.1 / 2.2 (the gradient) and Lemma A.3 (Stein's lemma)."""
from __future__ import annotations

import gmpy2
import mpmath
from mpmath import mp

from .. import gradient, symbolic
from ..expectation import LineRule
from ..model import Configuration
from ..numbers import agreed_digits, fmt, working
from . import Metric, Result, claim, decide

# Aligned configurations (exact decimal inputs): the example, one
# with a multiple parameter and an exponentially small split, one far apart.
ALIGNED = [
    ("example", ["0.3", "-1.1", "2.0"], "0.7", "0", None),
    ("split 1e-30, multiplicity", ["0.5", "0.5000000000000000000000000000001", "-0.8"], "0", "0", [2, 1, 1]),
    ("far apart, t = 0.5", ["4", "-3", "0.25"], "1.5", "0.5", None),
]
PLANAR = ("planar n = 3, d = 2", [["0.3", "0.1"], ["-1.1", "0.4"], ["0.5", "-0.9"]], ["0.2", "-0.1"])


def _agreement(cfg, dps, fd_directions=None):
    """Digits on which pathwise, Stein and finite differences agree."""
    ev = gradient.measured(cfg, dps, forms=("stein", "pathwise"))
    st = [m.value for row in ev["gradient"]["stein"] for m in row]
    pw = [m.value for row in ev["gradient"]["pathwise"] for m in row]
    fd = gradient.finite_difference(cfg, dps, fd_directions)
    with mp.workdps(2 * dps + 20):
        if fd_directions is not None:
            # project the analytic gradients on the same directions
            flatD = [[x for row in D for x in row] for D in fd_directions]
            st_c = [mpmath.fsum(v * w for v, w in zip(st, D)) for D in flatD]
            pw_c = [mpmath.fsum(v * w for v, w in zip(pw, D)) for D in flatD]
        else:
            st_c, pw_c = st, pw
        two_prec = min(m.digits for row in ev["gradient"]["stein"] for m in row)
        return {
            "stein_vs_pathwise": agreed_digits(st, pw),
            "stein_vs_fd": agreed_digits(st_c, fd),
            "pathwise_vs_fd": agreed_digits(pw_c, fd),
            "two_precisions": two_prec,
            "stein": st, "fd": fd,
        }


@claim("lemB.1", "Lemma B.1 / Lemma 2.2", "EXACT",
       "grad_{a_k} L = 2E[w_k v] - 2E[w_k <a_k - v, v> v] + 2E[w_k C (a_k - 2v)] (Stein form) equals the "
       "pathwise derivative 2E[w_k (v + <a_k - v, v>(x - a_k))] and a finite-difference derivative of L")
def check_lemB1(scale, seed):
    """Symbolic: sympy derives the pathwise gradient by the chain rule, applies Stein's lemma to its
    explicit x, and decides exactly (sympy.cancel) that the result equals MATH.md's hand formulas and
    that pathwise - Stein = x G - grad G.  Numeric: the lambdified derived integrands, integrated at two
    precisions, against a fourth-order central difference of L."""
    metrics, rows, ok = [], [], True
    shapes = [(1, 1), (2, 1), (3, 1), (2, 2)] + ([(3, 2), (2, 3)] if scale == "full" else [])
    for G, k in shapes:
        res = symbolic.verify_derivation(G, k)
        good = all(res.values())
        ok &= good
        rows.append([f"symbolic G={G}, k={k}", "exact" if good else "FAILED: " + ", ".join(n for n, v in res.items() if not v), "", "", ""])
    need_aligned, need_planar = 35, 30
    for name, params, truth, t, mult in ALIGNED:
        cfg = Configuration.make(params, truth, t, mult)
        ag = _agreement(cfg, 40)
        good = min(ag["stein_vs_pathwise"], ag["stein_vs_fd"], ag["pathwise_vs_fd"]) >= need_aligned
        ok &= good
        rows.append([name + " (dps 40)", ag["stein_vs_pathwise"], ag["stein_vs_fd"], ag["pathwise_vs_fd"], ag["two_precisions"]])
        metrics.append(Metric(f"digits pathwise=Stein=FD, {name}",
                              str(min(ag["stein_vs_pathwise"], ag["stein_vs_fd"], ag["pathwise_vs_fd"])),
                              note=f"need >= {need_aligned}"))
    name, params, truth = PLANAR
    cfg = Configuration.make(params, truth)
    # the planar rule is iterated quadrature: 30 digits cost minutes, so the
    # quick scale checks the planar case at 20 digits (same test, fewer digits)
    dps = 30 if scale == "full" else 20
    need_planar = 30 if scale == "full" else 18
    with working(dps):
        D = [[mp.mpf(1), mp.mpf(-2)], [mp.mpf(3), mp.mpf(1)], [mp.mpf(-1), mp.mpf(2)]]
    ag = _agreement(cfg, dps, fd_directions=[D])
    good = min(ag["stein_vs_pathwise"], ag["stein_vs_fd"], ag["pathwise_vs_fd"]) >= need_planar
    ok &= good
    rows.append([name + f" (dps {dps}, FD along one direction)", ag["stein_vs_pathwise"], ag["stein_vs_fd"],
                 ag["pathwise_vs_fd"], ag["two_precisions"]])
    metrics.append(Metric(f"digits pathwise=Stein=FD, {name}",
                          str(min(ag["stein_vs_pathwise"], ag["stein_vs_fd"], ag["pathwise_vs_fd"])),
                          note=f"need >= {need_planar}"))
    return Result("lemB.1", decide(ok),
                  "The derived gradient holds exactly (sympy) and numerically (digits below)." if ok else
                  "Disagreement between the gradient forms: see the table.",
                  metrics,
                  {"agreement (significant digits)": {
                      "columns": ["case", "Stein vs pathwise", "Stein vs FD", "pathwise vs FD", "two precisions"],
                      "rows": rows}})


# Stein's lemma E[x g(x)] = E[g'(x)] for x ~ N(0, 1): test functions (g, g') in MPFR arithmetic.
def _stein_cases():
    a = [gmpy2.mpfr("0.7"), gmpy2.mpfr("-1.3"), gmpy2.mpfr("2.1")]

    def soft(x):
        l = [ai * x - ai * ai / 2 for ai in a]
        top = max(l)
        e = [gmpy2.exp(v - top) for v in l]
        s = sum(e)
        return [v / s for v in e]

    def g_soft(x):  # the g of Lemma B.1 for k = 0, d = 1: w_0 <a_0 - v, v>
        w = soft(x)
        v = sum(wi * ai for wi, ai in zip(w, a))
        return w[0] * (a[0] - v) * v

    def dg_soft(x):  # by the rules dw_k/dx = w_k (a_k - v), dv/dx = C
        w = soft(x)
        v = sum(wi * ai for wi, ai in zip(w, a))
        C = sum(wi * ai * ai for wi, ai in zip(w, a)) - v * v
        return w[0] * (a[0] - v) * (a[0] - v) * v + w[0] * C * (a[0] - 2 * v)

    return [
        ("g = x^3 - 2x", lambda x: x ** 3 - 2 * x, lambda x: 3 * x ** 2 - 2, None),
        ("g = exp(x/2)", lambda x: gmpy2.exp(x / 2), lambda x: gmpy2.exp(x / 2) / 2, None),
        ("g = sin(3x) exp(-x^2/4)", lambda x: gmpy2.sin(3 * x) * gmpy2.exp(-x * x / 4),
         lambda x: (3 * gmpy2.cos(3 * x) - x / 2 * gmpy2.sin(3 * x)) * gmpy2.exp(-x * x / 4), None),
        ("g = w_1 <a_1 - v, v> (softmax, Lemma B.1's g)", g_soft, dg_soft, [v for v in a]),
    ]


@claim("lemA.3", "Lemma A.3 (Stein's lemma)", "EXACT",
       "for x ~ N(0, 1) and smooth g of moderate growth, E[x g(x)] = E[g'(x)]")
def check_lemA3(scale, seed):
    """Both sides integrated with the suite's Gaussian line rule at 40 digits; the softmax case uses
    the derivative rules of MATH.md 3, so this also checks them."""
    dps, need = 40, 35
    rows, ok, worst = [], True, None
    for name, g, dg, slopes in _stein_cases():
        with working(dps):
            p = [mpmath.mpf(str(v)) for v in (slopes or [])]
            q = [-(v * v) / 2 for v in p]
            est = LineRule(p, q, mp.mpf(10) ** (-(dps + 2))).integrate(lambda x: [x * g(x), dg(x)])
            lhs, rhs = est.values
            digits = agreed_digits(lhs, rhs)
        ok &= digits >= need
        worst = digits if worst is None else min(worst, digits)
        rows.append([name, fmt(lhs, 20), fmt(rhs, 20), digits])
    return Result("lemA.3", decide(ok), f"Stein's identity holds to {worst} digits on every test function.",
                  [Metric("worst agreement (digits)", str(worst), note=f"need >= {need}")],
                  {"E[x g(x)] vs E[g'(x)]": {"columns": ["g", "E[x g]", "E[g']", "digits"], "rows": rows}})
