"""Stress-testing the paper's inequalities and identities with hypothesis.

In the spirit of scipy's ``_mptestutils``: a :class:`Probe` evaluates a
statement at one input and returns :class:`Check` s (an inequality
``lhs <= rhs``, an identity ``lhs = rhs`` to a relative tolerance, or a
measured constant); :func:`run` draws inputs with a hypothesis strategy
(seeded, so ``--seed`` reproduces a run), tracks the worst ratio and the
input that gave it for every check, and stops at the first counterexample,
which hypothesis shrinks to a minimal one.

Decisions respect precision: an inequality whose two sides agree to within
the working precision is *undecided* at that precision and is re-evaluated at
higher precision; if it stays undecided it is reported as such, never as a
pass or a counterexample.  The worst inputs are re-evaluated at a second
precision so every reported worst value carries its agreed digits.

Every check carries its ``limit``: 1 for an inequality's ratio, the relative
tolerance for an identity, the bound of a measurement when it has one.  A
measurement without a bound can never be a counterexample: it is reported as
a measurement (the claims' judge says MEASURED, never PASS, for a probe that
has nothing else).  Probes of EXACT statements look for counterexamples.  The
lemC.2 probe checks a derived inequality (a Chernoff bound that follows from
Lemma D.1, exponent 1/8) and measures c-hat beside it; the lem3.3 probe only
measures its K (no bound on K has been derived).  :data:`CONTROLS` holds
deliberately wrong variants of every bounded statement (a constant too small,
a flipped sign, a missing term): the same harness must catch each of them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import gmpy2
import mpmath
from hypothesis import given, note, seed as hseed
from hypothesis import strategies as st
from hypothesis.internal.conjecture import engine as _engine
from mpmath import mp

from . import strategies as S
from .expectation import LineRule
from .model import Configuration, logits, softmax
from .numbers import InputError, agreed_digits, exact_str, fmt, mpfr_matching, parse_number, to_mpf, to_mpfr, working

LE, EQ, MEASURE = "<=", "=", "measure"
ESCALATE = (3, 10)         # undecided checks are redone at dps * these factors


# -- checks ---------------------------------------------------------------------------
@dataclass
class Check:
    """One decided (or undecided) statement at one input.

    ``value`` is what the harness tracks: ``lhs/rhs`` for an inequality,
    the relative error for an identity, the quantity itself for a measurement.
    ``worse`` says which direction of ``value`` is worse ("max" or "min").
    """

    name: str
    kind: str
    value: object
    bad: bool = False
    undecided: bool = False
    lhs: object = None
    rhs: object = None
    worse: str = "max"
    limit: object = None       # the value may not pass this (None: a measurement without a bound)

    def describe(self) -> str:
        if self.kind == LE:
            return f"{self.name}: lhs = {fmt(self.lhs, 12)}, rhs = {fmt(self.rhs, 12)}, ratio = {fmt(self.value, 12)}"
        if self.kind == EQ:
            return (f"{self.name}: lhs = {fmt(self.lhs, 12)}, rhs = {fmt(self.rhs, 12)}, "
                    f"relative error = {fmt(self.value, 3)}")
        return f"{self.name}: {fmt(self.value, 12)}"


def _tol(dps: int, slack: int = 5):
    return mp.mpf(10) ** (-(dps - slack))


def le(name: str, lhs, rhs, dps: int, slack: int = 5) -> Check:
    """``lhs <= rhs`` (rhs > 0), decided at ``dps`` digits; within ``10^-(dps-slack)`` it is undecided."""
    lhs, rhs = mp.mpf(lhs), mp.mpf(rhs)
    if rhs <= 0:
        raise ValueError(f"{name}: right-hand side {rhs} is not positive")
    tol = _tol(dps, slack) * rhs
    diff = lhs - rhs
    return Check(name, LE, lhs / rhs, bad=diff > tol, undecided=abs(diff) <= tol, lhs=lhs, rhs=rhs,
                 limit=mp.one)


def eq(name: str, lhs, rhs, dps: int, slack: int = 5, scale=None) -> Check:
    """``lhs = rhs`` to ``10^-(dps-slack)`` relative to ``scale`` (default the larger side)."""
    lhs, rhs = mp.mpf(lhs), mp.mpf(rhs)
    sc = mp.mpf(scale) if scale is not None else max(abs(lhs), abs(rhs))
    rel = abs(lhs - rhs) / sc if sc else mp.zero
    return Check(name, EQ, rel, bad=rel > _tol(dps, slack), lhs=lhs, rhs=rhs, limit=_tol(dps, slack))


def measure(name: str, value, worse: str = "max", bound=None) -> Check:
    """A measured constant; with ``bound`` (a negative control) a value beyond it is a counterexample."""
    value = mp.mpf(value)
    bad = False
    if bound is not None:
        bound = to_mpf(Fraction(bound))
        bad = value > bound if worse == "max" else value < bound
    return Check(name, MEASURE, value, bad=bad, worse=worse, limit=bound)


# -- probes -----------------------------------------------------------------------------
@dataclass
class Probe:
    """A statement, the inputs to stress it with, and how to check it at one input."""

    id: str
    status: str
    statement: str
    strategy: object                       # a hypothesis strategy drawing a JSON-able dict
    evaluate: Callable                     # (input dict, dps) -> [Check]
    dps: int = 30
    weight: float = 1.0                    # fraction of a profile's examples (expensive probes < 1)
    fields: str = ""                       # the input's fields, for --input
    control_of: str | None = None          # for negative controls: the probe they corrupt
    wrong: str = ""                        # for negative controls: what is wrong

    def checks(self, inp: dict) -> list:
        """Evaluate, escalating precision while some check is undecided."""
        out = self.evaluate(inp, self.dps)
        for f in ESCALATE:
            if not any(c.undecided for c in out):
                break
            out = self.evaluate(inp, self.dps * f)
        return out


class Counterexample(AssertionError):
    def __init__(self, inp: dict, checks: list):
        self.inp, self.checks = inp, checks
        super().__init__("counterexample " + json.dumps(inp) + ": " + "; ".join(c.describe() for c in checks))


@dataclass
class Worst:
    name: str
    kind: str
    worse: str
    value: object = None
    input: dict | None = None
    check: Check | None = None
    digits: int | None = None
    count: int = 0
    limit: object = None       # the check's limit (the loosest seen; None: a measurement)


@dataclass
class Report:
    """The outcome of stressing one probe."""

    probe: Probe
    examples: int
    seed: int
    tried: int = 0
    worst: dict = field(default_factory=dict)          # check name -> Worst
    counterexample: dict | None = None
    counter_checks: list = field(default_factory=list)
    undecided: list = field(default_factory=list)      # inputs left undecided after escalation
    shrink_truncated: bool = False

    @property
    def command(self) -> str:
        return f"proofs-check stress {self.probe.id} --examples {self.examples} --seed {self.seed}"

    def input_command(self, inp) -> str:
        return f"proofs-check stress {self.probe.id} --input '{json.dumps(inp)}'"

    def headline(self) -> Worst | None:
        """The first inequality (else the first tracked check): the probe's 'worst ratio'."""
        for kind in (LE, MEASURE, EQ):
            for w in self.worst.values():
                if w.kind == kind:
                    return w
        return None

    def explain(self) -> str:
        p = self.probe
        lines = [f"stress {p.id} [{p.status}]{' (negative control: ' + p.wrong + ')' if p.control_of else ''}: "
                 f"{p.statement}",
                 f"  examples tried: {self.tried} (asked {self.examples}, seed {self.seed})",
                 f"  counterexamples: {1 if self.counterexample is not None else 0}"]
        for w in self.worst.values():
            what = {LE: "worst ratio lhs/rhs", EQ: "worst relative error",
                    MEASURE: f"{w.worse} value" + (" (a measurement: no bound)" if w.limit is None else
                                                   f" (bound {fmt(w.limit, 6)})")}[w.kind]
            dg = f" ({w.digits} digits agreed)" if w.digits is not None else ""
            gap = f" (1 - ratio = {fmt(1 - w.value, 4)})" if w.kind == LE and w.value is not None and w.value > 0.999 else ""
            lines.append(f"  {w.name}: {what} = {fmt(w.value, 10)}{gap}{dg} at {json.dumps(w.input)}")
        if self.undecided:
            lines.append(f"  undecided at every precision tried: {len(self.undecided)} inputs, e.g. "
                         f"{json.dumps(self.undecided[0])}")
        if self.counterexample is not None:
            lines.append(f"  COUNTEREXAMPLE (shrunk{', shrinking cut short' if self.shrink_truncated else ''}): "
                         f"{json.dumps(self.counterexample)}")
            lines += ["    " + c.describe() for c in self.counter_checks]
            lines.append(f"  reproduce: {self.command}")
            lines.append(f"  evaluate the input alone: {self.input_command(self.counterexample)}")
        else:
            lines.append(f"  reproduce: {self.command}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        def w_json(w: Worst):
            return {"check": w.name, "kind": w.kind, "worse": w.worse,
                    "value": mpmath.nstr(w.value, max(w.digits or 15, 1)) if w.value is not None else None,
                    "agreed_digits": w.digits, "input": w.input, "evaluations": w.count,
                    "limit": mpmath.nstr(w.limit, 6) if w.limit is not None else None}
        return {"probe": self.probe.id, "status": self.probe.status, "statement": self.probe.statement,
                "negative_control": self.probe.wrong or None,
                "examples_asked": self.examples, "examples_tried": self.tried, "seed": self.seed,
                "worst": [w_json(w) for w in self.worst.values()],
                "counterexamples": 0 if self.counterexample is None else 1,
                "counterexample": self.counterexample,
                "counterexample_checks": [c.describe() for c in self.counter_checks],
                "shrink_truncated": self.shrink_truncated,
                "undecided": self.undecided, "command": self.command}


def _key(inp) -> str:
    return json.dumps(inp, sort_keys=True)


def _worse(w: Worst, c: Check) -> bool:
    if w.value is None:
        return True
    return c.value > w.value if w.worse == "max" else c.value < w.value


def run(probe: Probe | str, examples: int, seed: int = 0, progress=None, max_shrinks: int = 150,
        confirm: bool = True, shrink_seconds: float = 20) -> Report:
    """Stress ``probe`` with ``examples`` random inputs drawn under ``seed``.

    The first counterexample is shrunk by hypothesis (at most ``max_shrinks``
    further evaluations; every input evaluated is cached, so the final replay
    is exact) and at most ``shrink_seconds`` of hypothesis's shrinking (its
    engine's own limit, 300 s, is lowered for the run).  ``progress``: a
    tqdm-like object updated once per new input.
    """
    if isinstance(probe, str):
        probe = get(probe)
    if examples < 1:
        raise InputError("--examples must be >= 1")
    rep = Report(probe, examples, seed)
    cache: dict = {}
    state = {"after_failure": 0, "failed": False}

    def record(inp, checks):
        rep.tried += 1
        for c in checks:
            w = rep.worst.get(c.name)
            if w is None:
                w = rep.worst[c.name] = Worst(c.name, c.kind, c.worse)
            w.count += 1
            if c.limit is not None and (w.limit is None or c.limit > w.limit):
                w.limit = c.limit
            if not c.undecided and _worse(w, c):
                w.value, w.input, w.check = c.value, inp, c
        if any(c.undecided for c in checks) and not any(c.bad for c in checks):
            rep.undecided.append(inp)

    @hseed(seed)
    @S.harness_settings(examples)
    @given(probe.strategy)
    def body(inp):
        note(f"input: {json.dumps(inp)}")
        k = _key(inp)
        if k not in cache:
            if state["failed"] and state["after_failure"] >= max_shrinks:
                rep.shrink_truncated = True
                return                      # shrink budget spent: unseen inputs are not evaluated
            checks = probe.checks(inp)
            cache[k] = checks
            if state["failed"]:
                state["after_failure"] += 1
            else:
                record(inp, checks)
                if progress is not None:
                    progress.update(1)
        bad = [c for c in cache[k] if c.bad]
        if bad:
            if not state["failed"]:
                state["failed"] = True
                if progress is not None:
                    progress.set_postfix_str("counterexample found: shrinking")
            raise Counterexample(inp, bad)

    saved = getattr(_engine, "MAX_SHRINKING_SECONDS", None)
    try:
        if saved is not None:
            _engine.MAX_SHRINKING_SECONDS = shrink_seconds
        body()
    except Counterexample as e:
        rep.counterexample, rep.counter_checks = e.inp, e.checks
    finally:
        if saved is not None:
            _engine.MAX_SHRINKING_SECONDS = saved
    if confirm:
        confirm_worst(rep)
    return rep


def confirm_worst(rep: Report) -> None:
    """Re-evaluate each worst input at a higher precision: the agreed digits of the worst values."""
    p = rep.probe
    hi_dps = p.dps + max(10, p.dps // 2)
    cache = {}
    for w in rep.worst.values():
        if w.input is None:
            continue
        k = _key(w.input)
        if k not in cache:
            cache[k] = {c.name: c for c in p.evaluate(w.input, hi_dps)}
        hi = cache[k].get(w.name)
        if hi is None:
            continue
        with mp.workdps(hi_dps):
            if w.kind == EQ:
                # a relative error is noise by construction: report how far below tolerance it is
                w.digits = None
            else:
                w.digits = min(agreed_digits(hi.value, w.value), p.dps)
            w.value = hi.value if w.kind != EQ else w.value


def evaluate_input(probe: Probe | str, text: str) -> list:
    """Evaluate one input given as JSON text (``proofs-check stress ID --input``)."""
    if isinstance(probe, str):
        probe = get(probe)
    try:
        inp = json.loads(text, parse_float=str)
    except json.JSONDecodeError as e:
        raise InputError(f"--input: not valid JSON ({e.msg})") from None
    if not isinstance(inp, dict):
        raise InputError(f"--input: expected a JSON object with fields {probe.fields}")
    try:
        return inp, probe.checks(inp)
    except InputError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError) as e:
        raise InputError(f"--input for {probe.id}: bad or missing field ({type(e).__name__}: {e}); "
                         f"fields: {probe.fields}") from None


# ====================================================================================
# The statements
# ====================================================================================
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
                est = LineRule([], [], mp.mpf(10) ** (-(dps + 2))).integrate(F)
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
                           mp.mpf(10) ** (-(dps + 2))).integrate(F, controlled=2)
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
    from .claims.symmetry import uncentred_loss_1d
    from . import gradient

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
            raw = uncentred_loss_1d([exact_str(p[0]) for p in cfg.params], exact_str(cfg.truth[0]), dps)
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
    from . import gradient

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
            est = LineRule(al, q, mp.mpf(10) ** (-(dps + 2))).integrate(F)
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
    if pid in PROBES:
        return PROBES[pid]
    if pid in CONTROLS:
        return CONTROLS[pid]
    raise InputError(f"no stress probe {pid!r}; probes: {', '.join(PROBES)} "
                     f"(negative controls: {', '.join(CONTROLS)})")


def examples_for(probe: Probe, base: int) -> int:
    """The number of examples a profile's ``max_examples`` gives this probe."""
    return max(5, int(base * probe.weight))
