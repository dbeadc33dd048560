"""Lemma B.1 / 2.2 (the gradient) and Lemma A.3 (Stein's lemma): identities judged by agreed digits.

Lemma B.1 has four routes to the same gradient: the derived Stein and pathwise forms, the fully
expanded form recovered from the secondary summary (MATH.md section 7, entered as it is written:
:func:`proofs_check.symbolic.recovered_expanded`) and central finite differences of L.

Each case's run returns an :class:`Agreement` (the digits on which the routes
to the same number agree, and the digits the computation itself resolves);
the pure :func:`judge_agreement` holds the one rule, shared with eq1
(:mod:`.symmetry`): the routes must agree to the working precision
(``dps - guard`` digits, guard 0 here); a shortfall where the computation
resolves that many digits is a FAIL, one where it does not is INCONCLUSIVE.
"""
from __future__ import annotations

from dataclasses import dataclass

import gmpy2
import mpmath
from mpmath import mp

from .. import gradient, symbolic
from ..expectation import LineRule
from ..model import Configuration
from ..numbers import Precision, agreed_digits, at_digits, digits_between, fmt, working
from . import Metric, Verdict, claim, judged, reconstruction, secondary, worst


# -- the outcome and the rule -------------------------------------------------------------------
@dataclass(frozen=True)
class Agreement:
    """One case of an identity: how far its routes agree and how far the computation resolves them."""

    case: str
    dps: int              # working precision; the requirement is dps - guard
    agreed: int           # the smallest number of digits on which any two routes agree
    resolved: int         # digits the computation resolves (two precisions / quadrature error estimate)
    pairs: tuple = ()     # (label, digits) of each pair of routes, for the table


def judge_agreement(rows, guard: int, what: str) -> Verdict:
    """Every case's routes must agree to dps - guard digits.  Short of it while the computation resolves
    that many digits: FAIL; short of it but unresolved: INCONCLUSIVE; no case: INCONCLUSIVE."""
    if not rows:
        return Verdict.inconclusive(f"{what}: no case was run")
    short = [r for r in rows if r.agreed < r.dps - guard]
    wrong = [r for r in short if r.resolved >= r.dps - guard]
    if wrong:
        return Verdict.failed(f"{what}: {len(wrong)} out of {len(rows)} cases disagree: " + "; ".join(
            f"{r.case}: {r.agreed} digits agreed, need {r.dps - guard} (resolved to {r.resolved})" for r in wrong))
    if short:
        return Verdict.inconclusive(f"{what}: {len(short)} out of {len(rows)} cases not resolved: " + "; ".join(
            f"{r.case}: {r.agreed} digits agreed, need {r.dps - guard}, computation resolves only {r.resolved}"
            for r in short))
    low = min(rows, key=lambda r: r.agreed - r.dps)
    return Verdict.passed(f"{what}: all {len(rows)} cases agree to their working precision; closest: "
                          f"{low.case}: {low.agreed} digits (need {low.dps - guard})")


@dataclass(frozen=True)
class SymbolicOutcome:
    """sympy's exact check of the derivation for G groups in k dimensions: the identities it could not prove."""

    G: int
    k: int
    failed: tuple


# lemB.1's routes (Stein form, pathwise form, recovered expanded form, fourth-order central difference) must
# agree to the working
# precision: the three analytic forms are measured at two precisions (agreed digits capped at dps) and the
# central difference's truncation and cancellation errors are ~10^-(dps+5) of L
# (gradient.finite_difference), so every route resolves dps digits; no guard digits are given away.
LEMB1_GUARD = 0


def judge_lemB1(symbolic_checks, agreements) -> Verdict:
    """sympy must prove every identity (else FAIL; none run: INCONCLUSIVE); the numeric routes by
    :func:`judge_agreement` with LEMB1_GUARD."""
    if not symbolic_checks:
        sym = Verdict.inconclusive("lemB.1: no symbolic check was run")
    else:
        bad = [s for s in symbolic_checks if s.failed]
        sym = (Verdict.failed(f"lemB.1: sympy could not prove {len(bad)} out of {len(symbolic_checks)} shapes: "
                              + "; ".join(f"G={s.G}, k={s.k}: {', '.join(s.failed)}" for s in bad)) if bad else
               Verdict.passed(f"lemB.1: sympy proves the derivation exactly for {len(symbolic_checks)} shapes"))
    return worst(sym, judge_agreement(agreements, LEMB1_GUARD,
                                      "lemB.1 pathwise = Stein = expanded (recovered) = finite differences"))


LEMB1_FORMS = ("stein", "pathwise", "expanded")
LEMB1_PAIRS = ("Stein vs pathwise", "Stein vs FD", "pathwise vs FD", "expanded vs Stein", "expanded vs pathwise",
               "expanded vs FD")


def _agreement(cfg, dps, fd_directions=None):
    """Digits on which pathwise, Stein, the recovered expanded form and finite differences agree."""
    ev = gradient.measured(cfg, dps, forms=LEMB1_FORMS)
    st = [m.value for row in ev["gradient"]["stein"] for m in row]
    pw = [m.value for row in ev["gradient"]["pathwise"] for m in row]
    ex = [m.value for row in ev["gradient"]["expanded"] for m in row]
    fd = gradient.finite_difference(cfg, dps, fd_directions)
    with at_digits(2 * dps + 20):
        if fd_directions is not None:
            # project the analytic gradients on the same directions
            flatD = [[x for row in D for x in row] for D in fd_directions]
            st_c = [mpmath.fsum(v * w for v, w in zip(st, D)) for D in flatD]
            pw_c = [mpmath.fsum(v * w for v, w in zip(pw, D)) for D in flatD]
            ex_c = [mpmath.fsum(v * w for v, w in zip(ex, D)) for D in flatD]
        else:
            st_c, pw_c, ex_c = st, pw, ex
        two_prec = min(m.digits for f in LEMB1_FORMS for row in ev["gradient"][f] for m in row)
        return {
            "stein_vs_pathwise": agreed_digits(st, pw),
            "stein_vs_fd": agreed_digits(st_c, fd),
            "pathwise_vs_fd": agreed_digits(pw_c, fd),
            "expanded_vs_stein": agreed_digits(ex, st),
            "expanded_vs_pathwise": agreed_digits(ex, pw),
            "expanded_vs_fd": agreed_digits(ex_c, fd),
            "two_precisions": two_prec,
            "stein": st, "fd": fd,
        }


# Aligned configurations (exact decimal inputs): the example, one
# with a multiple parameter and an exponentially small split, one far apart.
ALIGNED = [
    ("example", ["0.3", "-1.1", "2.0"], "0.7", "0", None),
    ("split 1e-30, multiplicity", ["0.5", "0.5000000000000000000000000000001", "-0.8"], "0", "0", [2, 1, 1]),
    ("far apart, t = 0.5", ["4", "-3", "0.25"], "1.5", "0.5", None),
]
PLANAR = ("planar n = 3, d = 2", [["0.3", "0.1"], ["-1.1", "0.4"], ["0.5", "-0.9"]], ["0.2", "-0.1"])


@dataclass(frozen=True)
class GradientCase:
    """One configuration of Lemma B.1's check (exact decimal inputs) and its working precision."""

    name: str
    params: tuple
    truth: object
    t: str
    multiplicity: tuple | None
    dps: int
    planar: bool = False     # finite differences along one fixed direction (iterated planar rule)


def _gradient_cases(scale):
    out = [GradientCase(name, tuple(params), truth, t, None if mult is None else tuple(mult), 40)
           for name, params, truth, t, mult in ALIGNED]
    name, params, truth = PLANAR
    # the planar rule is iterated quadrature: 30 digits cost minutes, so the quick scale checks the planar
    # case at 20 digits (same rule: agreement to the working precision)
    out.append(GradientCase(name, tuple(tuple(p) for p in params), tuple(truth), "0", None,
                            30 if scale == "full" else 20, planar=True))
    return out


def run_gradient_case(case: GradientCase) -> Agreement:
    """Lemma B.1's four routes (Stein, pathwise, recovered expanded form, central differences) on one case."""
    cfg = Configuration.make([list(p) if isinstance(p, tuple) else p for p in case.params],
                             list(case.truth) if isinstance(case.truth, tuple) else case.truth,
                             case.t, list(case.multiplicity) if case.multiplicity else None)
    directions = None
    if case.planar:
        with working(case.dps):
            directions = [[[mp.mpf(1), mp.mpf(-2)], [mp.mpf(3), mp.mpf(1)], [mp.mpf(-1), mp.mpf(2)]]]
    ag = _agreement(cfg, case.dps, directions)
    pairs = (("Stein vs pathwise", ag["stein_vs_pathwise"]), ("Stein vs FD", ag["stein_vs_fd"]),
             ("pathwise vs FD", ag["pathwise_vs_fd"]), ("expanded vs Stein", ag["expanded_vs_stein"]),
             ("expanded vs pathwise", ag["expanded_vs_pathwise"]), ("expanded vs FD", ag["expanded_vs_fd"]))
    label = f"{case.name} (dps {case.dps}{', FD along one direction' if case.planar else ''})"
    return Agreement(label, case.dps, min(d for _, d in pairs), ag["two_precisions"], pairs)


@claim("lemB.1", "Lemma B.1 / Lemma 2.2", "EXACT",
       "with mu* = 0, v = sum_j w_j mu_j: grad_{mu_i} L = 2 E[ w_i v + w_i sum_j w_j mu_j (mu_j . mu_i) "
       "- 2 w_i v (v . mu_i) - 2 w_i sum_j w_j (v . mu_j) mu_j + 3 w_i |v|^2 v ] (recovered fully expanded "
       "form); equal to the Stein form 2E[w_i v] - 2E[w_i <mu_i - v, v> v] + 2E[w_i C (mu_i - 2v)], "
       "C = sum_j w_j mu_j mu_j^T - v v^T, to the pathwise form 2E[w_i (v + <mu_i - v, v>(x - mu_i))], "
       "and to a finite-difference derivative of L",
       provenance=secondary(
           assumed="the summary's mu_j (unscaled, truth at 0) read as the suite's centred scaled coordinates "
                   "a_j - b, a = e^-t mu, b = e^-t mu* (equal at t = 0; the shift symmetry eq. (1) moves the "
                   "truth to 0), so the gradient is with respect to the paper's variables a_i; the Stein and "
                   "pathwise forms are the suite's own derivation (MATH.md section 3)"))
def check_lemB1(scale, seed):
    """Symbolic: sympy derives the pathwise gradient by the chain rule, applies Stein's lemma to its
    explicit x, and decides exactly (sympy.cancel) that the result equals MATH.md's hand formulas and
    that pathwise - Stein = x G - grad G; it also decides exactly that the recovered fully expanded form
    (MATH.md section 7, entered term by term, not derived) equals the derived Stein form.  Numeric: the
    lambdified integrands of the three forms, integrated at two precisions, against a fourth-order
    central difference of L; the four routes must agree pairwise to the working precision (40 digits
    aligned; planar 30 digits full, 20 quick)."""
    shapes = [(1, 1), (2, 1), (3, 1), (2, 2)] + ([(3, 2), (2, 3)] if scale == "full" else [])
    sym = []
    for G, k in shapes:
        res = symbolic.verify_derivation(G, k) | symbolic.verify_expanded(G, k)
        sym.append(SymbolicOutcome(G, k, tuple(n for n, v in res.items() if not v)))
    rows_out = [run_gradient_case(c) for c in _gradient_cases(scale)]
    verdict = judge_lemB1(sym, rows_out)
    rows = [[f"symbolic G={s.G}, k={s.k}", "FAILED: " + ", ".join(s.failed) if s.failed else "exact"]
            + [""] * (len(LEMB1_PAIRS) + 1) for s in sym]
    rows += [[r.case, *[d for _, d in r.pairs], r.resolved, r.dps - LEMB1_GUARD] for r in rows_out]
    metrics = [Metric(f"digits pathwise=Stein=expanded=FD, {r.case}", str(r.agreed),
                      note=f"need >= {r.dps - LEMB1_GUARD} (the working precision); resolved {r.resolved}")
               for r in rows_out]
    return judged("lemB.1", verdict, None, metrics,
                  {"agreement (significant digits)": {
                      "columns": ["case", *LEMB1_PAIRS, "two precisions", "needed"], "rows": rows}})


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


# Stein's identity is computed by one quadrature of both sides at 40 digits (error target 10^-(dps+2)
# each); the two sides must agree to the working precision, no guard digits given away.
LEMA3_GUARD = 0
LEMA3_DPS = 40


def judge_lemA3(agreements) -> Verdict:
    """E[x g] and E[g'] must agree to dps - LEMA3_GUARD digits on every test function (judge_agreement)."""
    return judge_agreement(agreements, LEMA3_GUARD, "lemA.3 E[x g(x)] = E[g'(x)]")


def resolved_digits(errors_and_scales, cap: int) -> int:
    """Digits a computation resolves: the smallest ``floor(-log10(error / scale))`` over its
    (error estimate, value scale) pairs (:func:`~proofs_check.numbers.digits_between`), at most ``cap``.

    A pair with a zero error or a zero scale resolves ``cap`` digits; no pair at all gives ``cap``.
    Shared by lemA.3 (one pair, cap 2 dps) and eq1 (one pair per evaluation, cap 10^6).
    """
    return min([digits_between(err, scale, cap) for err, scale in errors_and_scales], default=int(cap))


@dataclass(frozen=True)
class SteinCase:
    """A test function g with its derivative (MPFR in, MPFR out) and the softmax slopes it contains."""

    name: str
    g: object
    dg: object
    slopes: tuple = ()       # the logit slopes where g has steep softmax transitions (the line rule splits there)
    dps: int = LEMA3_DPS


def run_stein_case(case: SteinCase):
    """Both sides of Stein's identity by the line rule: (Agreement, E[x g], E[g'])."""
    dps = case.dps
    with working(dps):
        p = [mpmath.mpf(str(v)) for v in case.slopes]
        q = [-(v * v) / 2 for v in p]
        est = LineRule(p, q, Precision(dps).tolerance()).integrate(lambda x: [x * case.g(x), case.dg(x)])
        lhs, rhs = est.values
        resolved = resolved_digits([(max(abs(e) for e in est.errors), max(abs(v) for v in est.values))], 2 * dps)
        out = Agreement(case.name, dps, agreed_digits(lhs, rhs), resolved,
                        (("E[x g] vs E[g']", agreed_digits(lhs, rhs)),))
    return out, lhs, rhs


@claim("lemA.3", "Lemma A.3 (Stein's lemma)", "EXACT",
       "for x ~ N(0, 1) and smooth g of moderate growth, E[x g(x)] = E[g'(x)]",
       provenance=reconstruction(where="MATH.md section 5: a cited classic in its textbook form; the paper's text "
                                       "names it ('Lemma A.3 (Stein's Lemma, see stein1981estimation)', "
                                       "paper/overparam-score-matching-fulltext.txt line 134) but its formula was "
                                       "lost, and section 7 says A.1-A.3 are the textbook statements"))
def check_lemA3(scale, seed):
    """Both sides integrated with the suite's Gaussian line rule at 40 digits; the softmax case uses
    the derivative rules of MATH.md 3, so this also checks them.  The two sides must agree to the
    working precision (40 digits) wherever the quadrature resolves that many."""
    outs, rows = [], []
    for name, g, dg, slopes in _stein_cases():
        o, lhs, rhs = run_stein_case(SteinCase(name, g, dg, tuple(slopes or ())))
        outs.append(o)
        rows.append([name, fmt(lhs, 20), fmt(rhs, 20), o.agreed, o.resolved])
    verdict = judge_lemA3(outs)
    low = min(outs, key=lambda o: o.agreed)
    return judged("lemA.3", verdict, None,
                  [Metric("worst agreement (digits)", str(low.agreed),
                          note=f"need >= {LEMA3_DPS - LEMA3_GUARD} (the working precision); {low.case}")],
                  {"E[x g(x)] vs E[g'(x)]": {"columns": ["g", "E[x g]", "E[g']", "digits agreed", "resolved"],
                                             "rows": rows}})
