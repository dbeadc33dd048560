"""The statements the stress runner checks: the lemmas' inequalities and identities, and their negative controls.

Probes of EXACT statements look for counterexamples: Laurent-Massart (Lemma
A.1), Mill's inequality (Lemma A.2), projections of a Gaussian vector (Lemma
C.7), the softmax ratio identity (Lemma D.1), Stein's identity (Lemma A.3) and
the symmetries of eq. (1).  The lemC.2 probe checks a derived inequality (a
Chernoff bound that follows from Lemma D.1, exponent 1/8) and measures c-hat
beside it; the lem3.3 probe only measures its K (no bound on K has been
derived).  :data:`CONTROLS` holds deliberately wrong variants of every bounded
statement (a constant too small, a flipped sign, a missing term): the same
runner must catch each of them.  :data:`PROBES` and :data:`CONTROLS` are the
registry; :func:`get` finds a probe by id.
"""
from __future__ import annotations

from fractions import Fraction

import gmpy2
import mpmath
from hypothesis import strategies as st
from mpmath import mp

from .. import gradient
from .. import strategies as S
from ..expectation import LineRule
from ..model import Configuration, logits, softmax
from ..numbers import InputError, Precision, exact_str, mpfr_matching, parse_number, to_mpf, to_mpfr, working
from .checks import Probe, eq, le, measure

def _num(v, what="input") -> mpmath.mpf:
    if isinstance(v, float):
        raise InputError(f"{what}: floats are not accepted; give decimal strings")
    return to_mpf(parse_number(v, what))


def _pos(v, what):
    x = _num(v, what)
    if x <= 0:
        raise InputError(f"{what}: must be > 0, got {v}")
    return x


def _int(v, what, lo=1, hi=10 ** 6):
    try:
        i = int(str(v))
    except ValueError:
        raise InputError(f"{what}: {v!r} is not a whole number") from None
    if not lo <= i <= hi:
        raise InputError(f"{what}: {i} is outside [{lo}, {hi}]")
    return i


# -- lemA.1: Laurent-Massart ------------------------------------------------------------
def _lemA1(upper_term=2, lower_coef=2, exp_coef=1):
    def ev(inp, dps):
        d = _int(inp["d"], "d", 1, 10 ** 5)
        with working(dps):
            x = _pos(inp["x"], "x")
            hd = mp.mpf(d) / 2
            rhs = mpmath.exp(-exp_coef * x)
            t_up = d + 2 * mpmath.sqrt(d * x) + upper_term * x
            p_up = mpmath.gammainc(hd, t_up / 2, mpmath.inf, regularized=True)
            out = [le("upper tail P(|z|^2 >= d + 2 sqrt(dx) + 2x) <= e^-x", p_up, rhs, dps)]
            t_lo = d - lower_coef * mpmath.sqrt(d * x)
            p_lo = mpmath.gammainc(hd, 0, t_lo / 2, regularized=True) if t_lo > 0 else mp.zero
            out.append(le("lower tail P(|z|^2 <= d - 2 sqrt(dx)) <= e^-x", p_lo, rhs, dps))
            return out
    return ev


_A1_STRAT = st.fixed_dictionaries({"d": st.integers(1, 400), "x": S.log_uniform(-4, 3, 3)})


# -- lemA.2: Mill -------------------------------------------------------------------------
def _lemA2(const="sqrt(2/pi)", with_s=True):
    def ev(inp, dps):
        with working(dps):
            s = _pos(inp["s"], "s")
            lhs = mpmath.erfc(s / mpmath.sqrt(2))
            c = mpmath.sqrt(2 / mpmath.pi) if const == "sqrt(2/pi)" else _num(const)
            rhs = c * mpmath.exp(-s * s / 2) / (s if with_s else 1)
            return [le("P(|Z| > s) <= sqrt(2/pi) e^{-s^2/2} / s", lhs, rhs, dps)]
    return ev


_A2_STRAT = st.fixed_dictionaries({"s": S.log_uniform(-4, 3, 3)})


# -- lemC.7: projections of a Gaussian vector ---------------------------------------------------
def _lemC7(const="sqrt(2/pi)", use_norm=True):
    """P(|<x, v>| >= |v| s) computed as an integral over x_1 of the exact conditional tail."""
    def ev(inp, dps):
        v_raw = inp["v"]
        if not isinstance(v_raw, list) or not v_raw:
            raise InputError("v: expected a non-empty list of decimal strings")
        with working(dps):
            v = [_num(c, "v") for c in v_raw]
            s = _pos(inp["s"], "s")
            nv = mpmath.norm(v)
            if nv == 0:
                raise InputError("v: must be nonzero")
            thr = (nv if use_norm else mpmath.fsum(abs(c) for c in v)) * s
            v1 = v[0]
            rest = mpmath.norm(v[1:]) if len(v) > 1 else mp.zero
            if rest == 0 or v1 == 0:
                # <x, v> is a single coordinate times a scalar: the tail is exact
                p = mpmath.erfc(thr / (nv * mpmath.sqrt(2)))
                route = mp.zero
            else:
                with mpfr_matching():
                    a, b, c = to_mpfr(v1), to_mpfr(rest), to_mpfr(thr)
                    r2 = to_mpfr(mpmath.sqrt(2))

                def F(x1):
                    # P(|a x1 + b z| >= c | x1) for z ~ N(0, 1)
                    return [(gmpy2.erfc((c - a * x1) / (b * r2)) + gmpy2.erfc((c + a * x1) / (b * r2))) / 2]
                est = LineRule([], [], Precision(dps).tolerance()).integrate(F)
                p = est.values[0]
                route = mp.one
            cst = mpmath.sqrt(2 / mpmath.pi) if const == "sqrt(2/pi)" else _num(const)
            rhs = cst * mpmath.exp(-s * s / 2) / s
            out = [le("P(|<x,v>| >= |v| s) <= sqrt(2/pi) e^{-s^2/2} / s", p, rhs, dps)]
            if route:
                out.append(eq("<x,v> ~ N(0, |v|^2): integral over x_1 = erfc(s / sqrt 2)",
                              p, mpmath.erfc(thr / (nv * mpmath.sqrt(2))), dps, slack=8))
            return out
    return ev


@st.composite
def _c7_strat(draw):
    d = draw(st.integers(1, 5))
    v = draw(st.lists(S.decimal("-3", "3", 2), min_size=d, max_size=d).filter(lambda v: any(Fraction(c) for c in v)))
    return {"v": v, "s": draw(S.log_uniform(-3, 1, 3).filter(lambda s: Fraction(s) <= 8))}


# -- lemD.1: softmax ratio identity -------------------------------------------------------------
def _lemD1(norm_sign=-1, ineq_const=1, ineq_norm=True):
    def ev(inp, dps):
        with working(dps):
            A = [[_num(c, "a") for c in row] for row in inp["a"]]
            x = [_num(c, "x") for c in inp["x"]]
            if len({len(r) for r in A} | {len(x)}) != 1:
                raise InputError("a and x: every vector needs the same dimension")
            w = softmax(logits(x, A))
            l = logits(x, A)
            n = len(A)
            ids, ins = [], []
            for i in range(n):
                for j in range(n):
                    if i == j:
                        continue
                    dot = mpmath.fsum(xc * (p - q) for xc, p, q in zip(x, A[i], A[j]))
                    nrm = (mpmath.fsum(p * p for p in A[i]) - mpmath.fsum(q * q for q in A[j])) / 2
                    ids.append(eq("w_i/w_j = exp(<x, a_i - a_j> - (|a_i|^2 - |a_j|^2)/2)",
                                  w[i] / w[j], mpmath.exp(dot + norm_sign * nrm), dps))
                    bound = to_mpf(Fraction(ineq_const)) * mpmath.exp(l[i] - l[j] if ineq_norm else dot)
                    ins.append(le("w_i <= exp(l_i - l_j)", w[i], bound, dps))
            return [_pick(ins), _pick(ids)]
    return ev


def _pick(checks):
    """Of several checks of one statement: a bad one, else an undecided one, else the worst value."""
    for flag in ("bad", "undecided"):
        hit = [c for c in checks if getattr(c, flag)]
        if hit:
            return hit[0]
    return max(checks, key=lambda c: c.value)


@st.composite
def _d1_strat(draw):
    n = draw(st.integers(2, 5))
    d = draw(st.integers(1, 4))
    vec = st.lists(S.decimal("-5", "5", 2), min_size=d, max_size=d)
    return {"a": draw(st.lists(vec, min_size=n, max_size=n)), "x": draw(vec)}


# -- lemA.3: Stein's identity ---------------------------------------------------------------------
def _lemA3(variant="exact"):
    def ev(inp, dps):
        coef = inp["poly"]
        with working(dps):
            with mpfr_matching():
                P = [to_mpfr(_num(c, "poly")) for c in coef]
                cexp = to_mpfr(_num(inp["c"], "c"))
            alphas = [_num(a, "alphas") for a in inp.get("alphas") or []]
            k = int(inp.get("k", 0)) if alphas else None
            with mpfr_matching():
                ar = [to_mpfr(a) for a in alphas]
                qr = [-(a * a) / 2 for a in ar]

            def F(x):
                p = dp = gmpy2.mpfr(0)
                for c in reversed(P):
                    dp = dp * x + p
                    p = p * x + c
                e = gmpy2.exp(cexp * x)
                g = p * e
                dg = (dp + cexp * p) * e
                if ar:
                    w = softmax([a * x + q for a, q in zip(ar, qr)], gmpy2.exp)
                    v = sum(wi * a for wi, a in zip(w, ar))
                    dw = w[k] * (ar[k] - v)
                    if variant == "missing softmax term":
                        dw = 0
                    dg, g = dg * w[k] + g * dw, g * w[k]
                if variant == "flipped sign":
                    dg = -dg
                return [x * g, dg, abs(x * g), abs(dg)]
            # |x g| and |g'| (kinked) only give the scale: carried along, they do not steer refinement
            est = LineRule(alphas, [-(a * a) / 2 for a in alphas],
                           Precision(dps).tolerance()).integrate(F, controlled=2)
            lhs, rhs, s1, s2 = est.values
            return [eq("E[x g(x)] = E[g'(x)]", lhs, rhs, dps, slack=8, scale=max(s1, s2))]
    return ev


@st.composite
def _a3_strat(draw):
    deg = draw(st.integers(0, 4))
    poly = draw(st.lists(S.decimal("-2", "2", 1), min_size=deg + 1, max_size=deg + 1))
    out = {"poly": poly, "c": draw(S.decimal("-1.5", "1.5", 1))}
    if draw(st.booleans()):
        G = draw(st.integers(2, 3))
        out["alphas"] = draw(st.lists(S.decimal("-3", "3", 1), min_size=G, max_size=G))
        out["k"] = draw(st.integers(0, G - 1))
    return out


# -- eq1: symmetries on aligned configurations ------------------------------------------------------
def _eq1(variant="exact"):
    def ev(inp, dps):
        cfg = Configuration.make(inp["params"], inp["truth"])
        d = cfg.d
        R = S.cayley(d, inp["skew"]) if d > 1 else [[Fraction(1)]]
        # the negative control compares grad(Ra) with R^T grad(a) instead of R grad(a)
        Rg = [list(r) for r in zip(*R)] if variant == "transposed rotation" else R

        def rot(v):
            return tuple(sum(R[i][j] * v[j] for j in range(d)) for i in range(d))
        perm = inp["perm"]
        shift = [parse_number(c, "shift") for c in inp["shift"]]
        out = []
        e0 = gradient.at_precision(cfg, dps)
        rcfg = Configuration(tuple(rot(p) for p in cfg.params), rot(cfg.truth))
        e1 = gradient.at_precision(rcfg, dps)
        pcfg = Configuration(tuple(cfg.params[i] for i in perm), cfg.truth)
        e2 = gradient.at_precision(pcfg, dps)
        tshift = cfg.truth if variant == "truth not shifted" else \
            tuple(a + b for a, b in zip(cfg.truth, shift))
        scfg = Configuration(tuple(tuple(a + b for a, b in zip(p, shift)) for p in cfg.params), tshift)
        e3 = gradient.at_precision(scfg, dps, forms=())
        with working(dps):
            Rm = [[to_mpf(v) for v in row] for row in Rg]
            g0 = e0.gradient["stein"]
            scale = max([abs(v) for row in g0 for v in row] + [mp.mpf(10) ** -dps])
            lsc = max(abs(e0.loss), mp.mpf(10) ** -dps)
            out.append(eq("L(Ra; Rb) = L(a; b)", e1.loss, e0.loss, dps, scale=lsc))
            rg = [[mpmath.fsum(Rm[i][j] * row[j] for j in range(d)) for i in range(d)] for row in g0]
            err = max(abs(p - q) for r1, r2 in zip(rg, e1.gradient["stein"]) for p, q in zip(r1, r2))
            out.append(eq("grad(Ra; Rb) = R grad(a; b)", err, 0, dps, scale=scale))
            err = max(abs(p - q) for gi, r2 in zip(perm, e2.gradient["stein"]) for p, q in zip(g0[gi], r2))
            out.append(eq("permuting the a_i permutes the gradients", err, 0, dps, scale=scale))
            out.append(eq("L(a + c; b + c) = L(a; b)", e3.loss, e0.loss, dps, scale=lsc))
        if d == 1:
            raw = gradient.uncentred_loss_1d([exact_str(p[0]) for p in cfg.params], exact_str(cfg.truth[0]), dps)
            with working(dps):
                out.append(eq("centred L = L from the definition (x ~ N(b, 1), raw logits)",
                              raw, e0.loss, dps, scale=lsc))
        return out
    return ev


@st.composite
def _eq1_strat(draw):
    cfg = draw(S.aligned(G=(2, 3), d=(1, 3)))
    d, G = cfg["d"], len(cfg["params"])
    return {"params": cfg["params"], "truth": cfg["truth"],
            "skew": draw(S.skew(d)),
            "perm": draw(st.permutations(list(range(G)))),
            "shift": draw(st.lists(S.decimal("-2", "2", 1), min_size=d, max_size=d))}


# -- lem3.3: gradients of clustered parameters (RECONSTRUCTED: measure K) ------------------------
def _lem33(bound=None):
    def ev(inp, dps):
        cfg = Configuration.make(inp["params"], inp["truth"])
        e = gradient.at_precision(cfg, dps)
        with working(dps):
            A, _ = cfg.scaled()
            g = e.gradient["stein"]
            K = mp.zero
            for i in range(len(A)):
                for j in range(i + 1, len(A)):
                    da = mpmath.norm([p - q for p, q in zip(A[i], A[j])])
                    if da == 0:
                        continue
                    K = max(K, mpmath.norm([p - q for p, q in zip(g[i], g[j])]) / da)
            return [measure("K = max |grad_i L - grad_j L| / |a_i - a_j|", K, "max", bound)]
    return ev


# -- lemC.2: far parameters carry exponentially small weight ---------------------------------------
def chernoff_weight_bound(a_i, a_1, exponent_scale=1):
    """exp(theta mu + theta^2 s^2 / 2) at the best theta in [0, 1]: an upper bound of E[w_i] (d = 1, b = 0).

    Lemma D.1 gives ``w_i <= min(1, exp(l_i - l_1))`` and ``min(1, e^Z) <= e^{theta Z}`` for theta in
    [0, 1]; ``Z = l_i - l_1 = (a_i - a_1) x - (a_i^2 - a_1^2)/2 ~ N(mu, s^2)`` with
    ``mu = -(a_i^2 - a_1^2)/2``, ``s = |a_i - a_1|``, so ``E[w_i] <= exp(theta mu + theta^2 s^2/2)``.
    The best theta = -mu/s^2 = (a_i + a_1)/(2(a_i - a_1)) lies in [0, 1] when |a_i| >= 3|a_1|, and the
    bound is ``exp(-(a_i + a_1)^2 / 8)``: Lemma C.2's decay with c = 1/8 and C = 1.
    ``exponent_scale`` multiplies the exponent (a negative control claims 2, i.e. c = 1/4).
    """
    s2 = (a_i - a_1) ** 2
    mu = -(a_i * a_i - a_1 * a_1) / 2
    theta = min(mp.one, max(mp.zero, -mu / s2)) if s2 else mp.zero
    return mpmath.exp(exponent_scale * (theta * mu + theta * theta * s2 / 2))


def _lemC2(exponent_scale=1):
    def ev(inp, dps):
        with working(dps):
            al = [_num(a, "alphas") for a in inp["alphas"]]
            if len(al) < 2:
                raise InputError("alphas: need a small parameter and at least one far one")
            q = [-(a * a) / 2 for a in al]
            with mpfr_matching():
                ar = [to_mpfr(a) for a in al]
                qr = [to_mpfr(v) for v in q]

            def F(s):
                return softmax([a * s + b for a, b in zip(ar, qr)], gmpy2.exp)[1:]
            est = LineRule(al, q, Precision(dps).tolerance()).integrate(F)
            c1 = c2 = None
            bounds = []
            for a, Ew in zip(al[1:], est.values):
                if Ew <= 0:
                    raise ArithmeticError("E[w_i] came out non-positive")
                bounds.append(le("E[w_i] <= exp(-(a_i + a_1)^2 / 8) (Chernoff, from Lemma D.1)", Ew,
                                 chernoff_weight_bound(a, al[0], exponent_scale), dps))
                r2 = a * a
                v1 = -mpmath.log(Ew) / r2
                v2 = -mpmath.log(Ew * r2) / r2
                c1 = v1 if c1 is None else min(c1, v1)
                c2 = v2 if c2 is None else min(c2, v2)
            return [_pick(bounds),
                    measure("c = -log E[w_i] / |a_i|^2 (smallest over i >= 2)", c1, "min"),
                    measure("c = -log E[w_i |a_i|^2] / |a_i|^2 (smallest over i >= 2)", c2, "min")]
    return ev


# ====================================================================================
# Registry
# ====================================================================================
SQ = "sqrt(2/pi)"
PROBES: dict = {}
CONTROLS: dict = {}


def _add(p: Probe):
    PROBES[p.id] = p


def _ctrl(p: Probe):
    CONTROLS[p.id] = p


_add(Probe("lemA.1", "EXACT", "Laurent-Massart: for z ~ N(0, I_d), x > 0, P(|z|^2 >= d + 2 sqrt(dx) + 2x) <= e^-x "
           "and P(|z|^2 <= d - 2 sqrt(dx)) <= e^-x (exact chi-square tails, mpmath)",
           _A1_STRAT, _lemA1(), 30, 1.0, '{"d": int, "x": "decimal > 0"}'))
_add(Probe("lemA.2", "EXACT", "Mill's inequality P(|Z| > s) <= sqrt(2/pi) e^{-s^2/2}/s for s > 0",
           _A2_STRAT, _lemA2(), 30, 1.0, '{"s": "decimal > 0"}'))
_add(Probe("lemC.7", "EXACT", "for fixed v: P(|<x, v>| >= |v| s) <= sqrt(2/pi) e^{-s^2/2}/s, the probability "
           "integrated over x_1 with the exact conditional tail",
           _c7_strat(), _lemC7(), 30, 0.5, '{"v": ["decimal", ...], "s": "decimal > 0"}'))
_add(Probe("lemD.1", "EXACT", "w_i/w_j = exp(<x, a_i - a_j> - (|a_i|^2 - |a_j|^2)/2), hence w_i <= exp(l_i - l_j)",
           _d1_strat(), _lemD1(), 30, 1.0, '{"a": [["decimal", ...], ...], "x": ["decimal", ...]}'))
_add(Probe("lemA.3", "EXACT", "Stein: E[x g(x)] = E[g'(x)] for g = polynomial * exp(c x) (* a softmax weight)",
           _a3_strat(), _lemA3(), 30, 0.5, '{"poly": ["decimal", ...], "c": "decimal", "alphas": [...], "k": int}'))
_add(Probe("eq1", "EXACT", "shift, rotation (exact rational Cayley rotations), permutation: L invariant, "
           "gradient equivariant, on random aligned configurations",
           _eq1_strat(), _eq1(), 15, 0.25,
           '{"params": [[..]], "truth": [..], "skew": [..], "perm": [..], "shift": [..]}'))
_add(Probe("lem3.3", "RECONSTRUCTED", "clustered parameters (within eps of a common point): "
           "|grad_i L - grad_j L| <= K |a_i - a_j|; measures the largest K seen (a measurement: no bound "
           "on K is derived, so nothing here can fail)",
           S.clustered(), _lem33(), 20, 0.25, '{"params": [[..]], "truth": [..]} (extra fields ignored)'))
_add(Probe("lemC.2", "RECONSTRUCTED", "b = 0, |a_1| <= 0.1, |a_i| >= R for i >= 2: E[w_i] <= exp(-(a_i + a_1)^2 / 8) "
           "(the Chernoff bound Lemma D.1 gives: c = 1/8, C = 1); measures the smallest "
           "c = -log E[w_i] / |a_i|^2 seen",
           S.far(), _lemC2(), 20, 0.5, '{"alphas": ["decimal", ...]} (first small, others far)'))


def _control(base: str, suffix: str, wrong: str, ev, strategy=None, dps=None):
    b = PROBES[base]
    _ctrl(Probe(f"{base}~{suffix}", b.status, b.statement, b.strategy if strategy is None else strategy, ev, dps or b.dps,
                b.weight, b.fields, base, wrong))


_control("lemA.1", "no2x", "upper tail without its +2x term", _lemA1(upper_term=0))
_control("lemA.1", "lower1", "lower tail with 1 sqrt(dx) instead of 2 sqrt(dx)", _lemA1(lower_coef=1))
_control("lemA.1", "exp2x", "bound e^{-2x} instead of e^{-x}", _lemA1(exp_coef=2))
_control("lemA.2", "half", "constant 1/2 instead of sqrt(2/pi)", _lemA2(const="0.5"))
_control("lemA.2", "no1/s", "missing the 1/s factor", _lemA2(with_s=False))
_control("lemC.7", "half", "constant 1/2 instead of sqrt(2/pi)", _lemC7(const="0.5"))
_control("lemD.1", "flip", "flipped sign of the norm term", _lemD1(norm_sign=1))
_control("lemD.1", "half", "w_i <= exp(l_i - l_j) / 2 (constant too small)", _lemD1(ineq_const=Fraction(1, 2)))
_control("lemD.1", "nonorm", "w_i <= exp(<x, a_i - a_j>) (missing norm term)", _lemD1(ineq_norm=False))
_control("lemA.3", "flip", "E[x g] = -E[g'] (flipped sign)", _lemA3("flipped sign"))
_control("lemA.3", "nosoft", "g' without the softmax derivative term", _lemA3("missing softmax term"),
         strategy=st.builds(lambda d, a, k: {**d, "alphas": a, "k": k},
                            st.fixed_dictionaries({"poly": st.lists(S.decimal("-2", "2", 1), min_size=1, max_size=2),
                                                   "c": S.decimal("-1", "1", 1)}),
                            st.lists(S.decimal("-3", "3", 1), min_size=2, max_size=2), st.integers(0, 1)))
_control("eq1", "transpose", "rotated gradient compared with R^T grad", _eq1("transposed rotation"),
         strategy=st.builds(lambda cfg, sk, sh: {"params": cfg["params"], "truth": cfg["truth"], "skew": sk,
                                                 "perm": list(range(len(cfg["params"]))), "shift": sh},
                            S.aligned(G=(2, 2), d=(2, 2)), S.skew(2), st.just(["0", "0"])))
_control("eq1", "noshift", "shifting the parameters but not the truth", _eq1("truth not shifted"),
         strategy=st.builds(lambda cfg, sh: {"params": cfg["params"], "truth": cfg["truth"], "skew": [],
                                             "perm": list(range(len(cfg["params"]))), "shift": sh},
                            S.aligned(G=(2, 2), d=(1, 1)), st.lists(S.decimal("-2", "2", 1), min_size=1, max_size=1)))
_control("lem3.3", "K1", "claims K <= 1 (a constant too small)", _lem33(bound=1))
_control("lemC.2", "c1/4", "claims E[w_i] <= exp(-(a_i + a_1)^2 / 4) (c = 1/4: the exponent too large)",
         _lemC2(exponent_scale=2))


def get(pid: str) -> Probe:
    """The probe (or negative control, ``ID~variant``) with this id; InputError naming the ids otherwise."""
    if pid in PROBES:
        return PROBES[pid]
    if pid in CONTROLS:
        return CONTROLS[pid]
    raise InputError(f"no stress probe {pid!r}; probes: {', '.join(PROBES)} "
                     f"(negative controls: {', '.join(CONTROLS)})")


def examples_for(probe: Probe, base: int) -> int:
    """The number of examples a profile's ``max_examples`` gives this probe."""
    return max(5, int(base * probe.weight))
