"""The stress runner: random inputs from a probe's hypothesis strategy, the worst values, a shrunk counterexample.

In the spirit of scipy's ``_mptestutils``: :func:`run` draws inputs with the
probe's strategy (seeded, so ``--seed`` reproduces a run), tracks the worst
value of every check and the input that gave it, and stops at the first
counterexample, which hypothesis shrinks to a minimal one.  Inputs left
undecided at every precision are reported as such, never as a pass or a
counterexample.  :func:`confirm_worst` re-evaluates the worst inputs at the
second precision of the pair (:meth:`proofs_check.numbers.Precision.higher`)
so every reported worst value carries its agreed digits.
"""
from __future__ import annotations

import contextlib

import json
from dataclasses import dataclass, field

import mpmath
from hypothesis import given, note, seed as hseed
from hypothesis.internal.conjecture import engine as _engine

from .. import strategies as S
from ..numbers import InputError, Precision, agreed_digits, at_digits, fmt
from .checks import EQ, LE, MEASURE, Check, Probe
from .probes import get

class Counterexample(AssertionError):
    """The first input at which some check is bad (raised inside hypothesis so that it shrinks the input)."""

    def __init__(self, inp: dict, checks: list):
        self.inp, self.checks = inp, checks
        super().__init__("counterexample " + json.dumps(inp) + ": " + "; ".join(c.describe() for c in checks))


@dataclass
class Worst:
    """The worst value one check took over a run, the input that gave it, and its agreed digits."""

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
        """The CLI command that reproduces this run."""
        return f"proofs-check stress {self.probe.id} --examples {self.examples} --seed {self.seed}"

    def input_command(self, inp) -> str:
        """The CLI command that evaluates ``inp`` alone."""
        return f"proofs-check stress {self.probe.id} --input '{json.dumps(inp)}'"

    def headline(self) -> Worst | None:
        """The first inequality (else the first tracked check): the probe's 'worst ratio'."""
        for kind in (LE, MEASURE, EQ):
            for w in self.worst.values():
                if w.kind == kind:
                    return w
        return None

    def explain(self) -> str:
        """A readable account: the worst value of every check, undecided inputs, the counterexample."""
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
        """The run as plain JSON data (numbers as strings with their agreed digits)."""
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
        with without_source_constants():
            body()
    except Counterexample as e:
        rep.counterexample, rep.counter_checks = e.inp, e.checks
    finally:
        if saved is not None:
            _engine.MAX_SHRINKING_SECONDS = saved
    if confirm:
        confirm_worst(rep)
    return rep


@contextlib.contextmanager
def without_source_constants():
    """Hypothesis draws no literals from the source of loaded modules inside this block.

    Hypothesis (>= 6.131) draws, with probability 0.05 per choice, constants it
    finds in the source of every *local* module loaded so far (this package is
    local).  A seed would then give other inputs whenever the code is edited,
    or when another module happens to be loaded (a report process, pytest): the
    stress numbers of the committed reports changed under a refactor that
    changed no mathematics.  Inside this block the local pool is empty, so a
    seed means the same inputs in any process.  Uses hypothesis' provider
    internals (as the shrink budget above uses its engine's); on a hypothesis
    without them the block does nothing.
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
        saved = providers._get_local_constants
        cache = providers.CONSTANTS_CACHE.cache      # the LRU cache's dict (hypothesis clears it so too)
    except (ImportError, AttributeError):      # an older hypothesis: no source constants to hide
        yield
        return
    cache.clear()                    # pools computed before (with local constants) are not reused
    providers._get_local_constants = Constants
    try:
        yield
    finally:
        providers._get_local_constants = saved
        cache.clear()


def confirm_worst(rep: Report) -> None:
    """Re-evaluate each worst input at a higher precision: the agreed digits of the worst values."""
    p = rep.probe
    hi_dps = Precision(p.dps).higher().dps
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
        with at_digits(hi_dps):
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

