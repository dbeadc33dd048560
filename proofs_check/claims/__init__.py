"""The claim registry: every checked statement of the paper lives here, once.

A claim module in this package defines a function decorated with
:func:`claim`; ``pytest verify``, ``proofs-check claim`` and the report all
read the same registry (:func:`registry`, :func:`run`).

Statuses follow MATH.md: EXACT, RECONSTRUCTED, LOST.  Verdicts: PASS, FAIL,
INCONCLUSIVE (precision or time not enough to decide: never PASS), MEASURED
(nothing could have made the check FAIL: a measurement, never counted as PASS).

Every claim has one shape: frozen *cases* (its inputs), a *run* per case that
returns a typed *outcome* (numbers only, no decision), and a pure *judge*
``judge(outcomes) -> Verdict`` that does no numerics, so ``tests/judges``
can feed it synthetic outcomes that must give PASS, FAIL and INCONCLUSIVE.
"""
from __future__ import annotations

import importlib
import pkgutil
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

STATUSES = ("EXACT", "RECONSTRUCTED", "LOST", "OPEN QUESTION")
OPEN_QUESTION = "OPEN QUESTION"   # the paper (or its reviewers) names the question and does not answer it

# where a claim's statement comes from (issue 13): the paper's text, the secondary summary, or the suite
PAPER_TEXT, SECONDARY, RECONSTRUCTION, REVIEWS = "paper text", "secondary summary", "suite reconstruction", \
    "reviews"
SOURCES = (PAPER_TEXT, SECONDARY, RECONSTRUCTION, REVIEWS)
SUMMARY_LOCATION = ("github.com/zhaoyang97/Paper-Notes-en, docs/ICLR2026/learning_theory/"
                    "convergence_dynamics_of_over-parameterized_score_matching_for_a_single_gaussian.md "
                    "(MATH.md section 7)")
PASS, FAIL, INCONCLUSIVE, NOT_CHECKED = "PASS", "FAIL", "INCONCLUSIVE", "NOT CHECKED"
MEASURED = "MEASURED"
VERDICTS = (PASS, FAIL, INCONCLUSIVE, MEASURED, NOT_CHECKED)
SCALES = ("quick", "full")


@dataclass(frozen=True)
class Verdict:
    """A judge's decision: one of PASS / FAIL / INCONCLUSIVE / MEASURED and why, in words with numbers."""

    verdict: str
    reason: str

    def __post_init__(self):
        if self.verdict not in (PASS, FAIL, INCONCLUSIVE, MEASURED):
            raise ValueError(f"verdict {self.verdict!r} is not a judge's verdict")

    @classmethod
    def passed(cls, reason: str) -> "Verdict":
        """PASS: the statement held wherever it was checked; ``reason`` gives the numbers."""
        return cls(PASS, reason)

    @classmethod
    def failed(cls, reason: str) -> "Verdict":
        """FAIL: a counterexample or a decisive miss; ``reason`` lists what failed with its numbers."""
        return cls(FAIL, reason)

    @classmethod
    def inconclusive(cls, reason: str) -> "Verdict":
        """INCONCLUSIVE: precision, data or time not enough to decide (never a PASS)."""
        return cls(INCONCLUSIVE, reason)

    @classmethod
    def measured(cls, reason: str) -> "Verdict":
        """MEASURED: a measurement that nothing could have made FAIL (never counted as PASS)."""
        return cls(MEASURED, reason)

    def __bool__(self):   # a Verdict is not a truth value: `if judge(...)` is a bug
        raise TypeError("compare Verdict.verdict with PASS/FAIL/INCONCLUSIVE/MEASURED")


def worst(*verdicts: Verdict) -> Verdict:
    """Combine the verdicts of a claim's parts: FAIL beats INCONCLUSIVE beats MEASURED beats PASS.

    The reason lists every part that is not PASS (or every part, when all pass)."""
    order = (FAIL, INCONCLUSIVE, MEASURED, PASS)
    if not verdicts:
        return Verdict.inconclusive("nothing was judged")
    top = min(verdicts, key=lambda v: order.index(v.verdict))
    shown = [v for v in verdicts if v.verdict != PASS] or list(verdicts)
    return Verdict(top.verdict, "; ".join(v.reason for v in shown))


@dataclass
class Metric:
    """One reported number: its value as a decimal string, agreed digits, meaning."""

    name: str
    value: str
    digits: int | None = None
    note: str = ""


@dataclass
class Result:
    """The outcome of running one claim's check."""

    claim_id: str
    verdict: str
    summary: str
    metrics: list = field(default_factory=list)
    tables: dict = field(default_factory=dict)     # title -> {"columns": [...], "rows": [[...]]}
    figures: dict = field(default_factory=dict)    # name -> data for the report's plots
    command: str = ""
    seconds: float = 0.0
    scale: str = "quick"
    seed: int | None = None
    certified: str | None = None                   # set by certificates (ball arithmetic)

    def metric(self, name: str) -> Metric:
        """The metric called ``name`` (KeyError when there is none)."""
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def to_json(self) -> dict:
        """The result as plain JSON data (metrics, tables and figures included)."""
        return asdict(self)


@dataclass(frozen=True)
class Provenance:
    """Where a claim's statement comes from, and which unrecovered hypotheses the suite had to choose.

    ``kind`` is one of :data:`SOURCES`; ``where`` the public location (a file, a URL, a section of
    MATH.md); ``assumed`` the values the suite used where the source is silent, and why.
    """

    kind: str = RECONSTRUCTION
    where: str = "MATH.md sections 1-6 (the suite's own derivation)"
    assumed: str = ""

    def __post_init__(self):
        if self.kind not in SOURCES:
            raise ValueError(f"provenance {self.kind!r} not in {SOURCES}")

    def to_json(self) -> dict:
        """The provenance as plain JSON data (results.json ``"provenance"``)."""
        return asdict(self)

    def text(self) -> str:
        """One line for the report: kind, location and the assumed values."""
        out = f"{self.kind}: {self.where}" if self.where else self.kind
        return out + (f"; assumed: {self.assumed}" if self.assumed else "")


def secondary(assumed: str = "") -> Provenance:
    """The provenance of a statement recovered from the secondary summary (MATH.md section 7)."""
    return Provenance(SECONDARY, SUMMARY_LOCATION, assumed)


def paper_text(where: str, assumed: str = "") -> Provenance:
    """The provenance of a statement readable in our copy of the paper's text (``where``: its place)."""
    return Provenance(PAPER_TEXT, where, assumed)


def reconstruction(assumed: str = "", where: str = "MATH.md sections 1-6 (the suite's own derivation)") -> Provenance:
    """The provenance of a statement the suite reconstructed itself (MATH.md sections 1-6)."""
    return Provenance(RECONSTRUCTION, where, assumed)


@dataclass
class Claim:
    """A statement of the paper and the function that checks it."""

    id: str
    paper: str
    status: str
    statement: str
    method: str = ""
    check: Callable | None = None   # check(scale: str, seed: int) -> Result
    role: str = ""                  # for LOST claims: what the statement does in the paper
    provenance: Provenance = field(default_factory=Provenance)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"claim {self.id}: status {self.status!r} not in {STATUSES}")


_REGISTRY: dict[str, Claim] = {}


def claim(id: str, paper: str, status: str, statement: str, method: str = "", *,
          provenance: Provenance | None = None):
    """Decorator registering ``check(scale, seed) -> Result`` as claim ``id``.

    ``provenance`` says where ``statement`` comes from (default: the suite's reconstruction)."""
    def deco(fn):
        if id in _REGISTRY:
            raise ValueError(f"claim {id} registered twice")
        _REGISTRY[id] = Claim(id, paper, status, statement, method or (fn.__doc__ or "").strip(), fn,
                              provenance=provenance or Provenance())
        return fn
    return deco


def lost(id: str, paper: str, role: str):
    """Register a LOST claim: listed in the report with its role, not checked."""
    _REGISTRY[id] = Claim(id, paper, "LOST", "statement not recoverable from the text", "", None, role,
                          Provenance(RECONSTRUCTION, "MATH.md section 7: not recovered", ""))


def registry() -> dict[str, Claim]:
    """All claims, importing every module of this package once."""
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")
    return dict(sorted(_REGISTRY.items(), key=lambda kv: _sort_key(kv[0])))


def _sort_key(cid: str):
    order = ["eq", "lemA", "lemB", "thm2", "thm3", "lem3", "cor3", "lemC", "lemD", "fig", "rev"]
    for i, p in enumerate(order):
        if cid.startswith(p):
            return (i, cid)
    return (len(order), cid)


def get(cid: str) -> Claim:
    """The claim ``cid`` (InputError naming the known ids when there is none)."""
    reg = registry()
    if cid not in reg:
        from ..numbers import InputError
        raise InputError(f"unknown claim {cid!r}; known: {', '.join(reg)}")
    return reg[cid]


def reproduce_command(cid: str, scale: str | None, seed) -> str:
    """The one place that builds the command re-running a claim: ``proofs-check claim ID [--full] --seed N``.

    >>> reproduce_command("thm3.1", "full", 0)
    'proofs-check claim thm3.1 --full --seed 0'
    """
    return f"proofs-check claim {cid}" + (" --full" if scale == "full" else "") + f" --seed {seed}"


def run(cid: str, scale: str = "quick", seed: int = 0) -> Result:
    """Run one claim's check and time it.  LOST claims return NOT CHECKED."""
    c = get(cid)
    if scale not in SCALES:
        from ..numbers import InputError
        raise InputError(f"unknown scale {scale!r}; choose from {SCALES}")
    if c.check is None:
        return Result(cid, NOT_CHECKED, f"LOST: {c.role}", scale=scale)
    t0 = time.perf_counter()
    res = c.check(scale, seed)
    res.seconds = round(time.perf_counter() - t0, 2)
    res.scale, res.seed = scale, seed
    if not res.command:
        res.command = reproduce_command(cid, scale, seed)
    if res.verdict not in VERDICTS:
        raise ValueError(f"claim {cid} returned verdict {res.verdict!r}")
    return res


def judged(cid: str, verdict: Verdict, summary: str | None = None, metrics=None, tables=None, figures=None,
           **kw) -> Result:
    """The Result of a claim from its judge's Verdict (the summary defaults to the judge's reason)."""
    return Result(cid, verdict.verdict, summary if summary is not None else verdict.reason,
                  list(metrics or []), dict(tables or {}), dict(figures or {}), **kw)


def explain(res: Result) -> str:
    """A result as text with all its numbers (for failure messages)."""
    lines = [f"{res.claim_id}: {res.verdict}: {res.summary}"]
    lines += [f"  {m.name} = {m.value} {m.note}" for m in res.metrics]
    for title, tb in res.tables.items():
        lines.append(f"  {title}: {tb['columns']}")
        lines += [f"    {row}" for row in tb["rows"]]
    return "\n".join(lines)
