"""The one walk over a report: the list of section records that both renderers draw.

:func:`sections` decides once which sections a report has, in which order, and
what each shows (numbers, rows, paragraphs, figures); :mod:`.markdown` and
:mod:`.html` only format the records, each in its own syntax.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .. import claims
from .drawing import DrawnFigure
from .entry import ClaimEntry
from .jsonform import counts

KEY_METRICS = 2   # metrics shown in the summary table
METRIC_COLUMNS = ("metric", "value", "agreed digits", "note")
CERT_COLUMNS = ("certificate", "proved / enclosure")
BEYOND_NOTE = ("Questions the paper, its reviewers or its summary name and leave open (status OPEN QUESTION). "
               "Each section states the question and the suite's answer with its numbers; a verdict here judges "
               "the answer's own checks, not a statement of the paper.")
LOST_NOTE = ("Their text did not survive extraction (MATH.md 5); only their role in the paper is known, "
             "so nothing is checked.")


@dataclass(frozen=True)
class Header:
    """The report's head: where it came from, how to reproduce it, the verdict counts."""

    source: str
    command: str
    scale_text: str
    seed: object
    revision: object
    dirty: bool
    certify: object
    generated_at: str | None
    total_seconds: object
    updates: tuple          # ({"claims", "command", "revision"}, ...)
    counts: dict


@dataclass(frozen=True)
class SummaryRow:
    """One claim's line in the summary table."""

    id: str
    anchor: str
    paper: str
    status: str
    source: str             # the provenance kind: paper text / secondary summary / suite reconstruction / reviews
    verdict: str
    certified_ok: bool
    verdict_label: str      # "PASS + CERTIFIED"
    key_numbers: tuple
    time: str


@dataclass(frozen=True)
class Summary:
    """The summary table of every claim."""

    rows: tuple


@dataclass(frozen=True)
class Table:
    """A titled table of a claim (``Result.tables``), or the metric/certificate table (no title)."""

    title: str
    columns: tuple
    rows: tuple


@dataclass(frozen=True)
class ClaimSection:
    """One checked claim: statement, method, result, certificate, numbers, tables, figures, command."""

    entry: ClaimEntry
    anchor: str
    verdict_label: str
    run_at: str | None      # the revision (12 characters) the claim ran at, when not the report's
    statement_label: str    # "recovered (secondary summary)", "reconstructed", "open question", ...
    provenance: str         # where the statement comes from, and what the suite assumed
    statement: str
    method: tuple           # paragraphs
    certificate: Table | None
    metrics: Table | None
    tables: tuple
    figures: tuple          # DrawnFigure, ...


@dataclass(frozen=True)
class BeyondHeading:
    """The heading of "Beyond the paper": the OPEN QUESTION claims follow it."""

    note: str
    ids: tuple


@dataclass(frozen=True)
class LostSection:
    """The LOST statements: id, anchor, paper, role each."""

    items: tuple


@dataclass(frozen=True)
class EnvironmentSection:
    """Versions, precision, seed and revision as (item, value) rows."""

    note: str | None
    rows: tuple


def anchor(cid: str) -> str:
    """The HTML/Markdown anchor of a claim's section."""
    return "claim-" + re.sub(r"[^A-Za-z0-9_-]+", "-", cid)


def paragraphs(text: str) -> list[str]:
    """Docstring-ish text as paragraphs with the source line breaks removed."""
    paras = re.split(r"\n\s*\n", (text or "").strip())
    return [" ".join(p.split()) for p in paras if p.strip()]


def _metric_text(m: dict) -> str:
    dg = f" ({m['digits']} digits)" if m.get("digits") is not None else ""
    return f"{m['name']} = {m['value']}{dg}"


def key_numbers(e: ClaimEntry) -> list[str]:
    """The first metrics of a claim (and, unless it passed, why) for the summary table."""
    ms = e.metrics or []
    out = [_metric_text(m) for m in ms[:KEY_METRICS]]
    if e.verdict in (claims.FAIL, claims.INCONCLUSIVE, claims.MEASURED):   # say why, in the summary table
        why = " ".join(str(e.summary or "").split())
        out.insert(0, why if len(why) <= 160 else why[:157] + "...")
    if len(ms) > KEY_METRICS:
        out.append(f"(+{len(ms) - KEY_METRICS} more)")
    return out


def verdict_label(e: ClaimEntry) -> str:
    """The verdict, with " + CERTIFIED" when a certificate proved the claim."""
    return e.verdict + (" + CERTIFIED" if e.certified_ok else "")


def scale_text(scale) -> str:
    """What a scale means, in words."""
    if scale == "quick":
        return "quick (each claim's fast scale, as in the default pytest run; `--full` or no `--quick` runs the full sweeps)"
    if scale == "full":
        return "full (each claim's complete sweeps)"
    return str(scale)


def environment_rows(env: dict) -> list[tuple[str, str]]:
    """The environment as (item, value) rows."""
    rows = [("Python", f"{env.get('python', '?')} ({env.get('implementation', '')}, {env.get('platform', '')})")]
    for k, v in (env.get("packages") or {}).items():
        rows.append((k, str(v)))
    p = env.get("precision") or {}
    if p:
        rows.append(("precision", f"default {p.get('default_dps')} digits + {p.get('guard_dps')} guard digits; "
                                  f"allowed {p.get('dps_range')}; mpmath backend {p.get('mpmath_backend')}"))
    rows.append(("scale / seed", f"{env.get('scale')} / {env.get('seed')}"))
    g = env.get("git") or {}
    dirty = g.get("dirty")
    rows.append(("git revision", f"{g.get('revision')}" + ("" if dirty is None else
                                                           (" (working tree dirty)" if dirty else " (clean)"))))
    return rows


STATEMENT_LABELS = {claims.SECONDARY: "recovered from the secondary summary", claims.PAPER_TEXT: "the paper's text",
                    claims.RECONSTRUCTION: "reconstructed", claims.REVIEWS: "question from the reviews"}


def provenance_text(p: dict | None) -> str:
    """A results.json provenance ``{kind, where, assumed}`` as one line (empty for old reports without one)."""
    if not p:
        return ""
    out = f"{p.get('kind')}: {p.get('where')}" if p.get("where") else str(p.get("kind"))
    return out + (f". Assumed: {p['assumed']}" if p.get("assumed") else "")


def statement_label(e: ClaimEntry) -> str:
    """How the statement heading names its origin."""
    if e.status == claims.OPEN_QUESTION:
        return "open question"
    return STATEMENT_LABELS.get((e.provenance or {}).get("kind"), "reconstructed")


def _certificate_table(cert: dict | None) -> Table | None:
    if not cert or not (cert.get("checks") or cert.get("enclosures")):
        return None
    rows = [[k, "proved" if v is True else ("NOT proved" if v is False else v)]
            for k, v in (cert.get("checks") or {}).items()]
    rows += [[k, v if isinstance(v, str) else json.dumps(v)] for k, v in (cert.get("enclosures") or {}).items()]
    return Table("", CERT_COLUMNS, tuple(rows))


def _claim_section(e: ClaimEntry, revision, figures) -> ClaimSection:
    metrics = None
    if e.metrics:
        metrics = Table("", METRIC_COLUMNS, tuple(
            [m["name"], m["value"], "" if m.get("digits") is None else m["digits"], m.get("note", "")]
            for m in e.metrics))
    tables = tuple(Table(title, tuple(tb.get("columns", [])), tuple(tb.get("rows", [])))
                   for title, tb in (e.tables or {}).items())
    return ClaimSection(e, anchor(e.id), verdict_label(e),
                        e.revision[:12] if e.revision and e.revision != revision else None,
                        statement_label(e), provenance_text(e.provenance),
                        " ".join((e.statement or "").split()), tuple(paragraphs(e.method)),
                        _certificate_table(e.certificate), metrics, tables, tuple(figures))


def sections(data: dict, drawn: dict[str, list[DrawnFigure]] | None = None) -> list:
    """The report as section records: Header, Summary, a ClaimSection per checked claim of the paper,
    "Beyond the paper" (BeyondHeading and the OPEN QUESTION claims), LOST, environment."""
    drawn = drawn or {}
    env = data["environment"]
    g = env.get("git") or {}
    out = [Header(data["source"], data["command"], scale_text(data.get("scale")), data.get("seed"),
                  g.get("revision"), bool(g.get("dirty")), data.get("certify"), data.get("generated_at"),
                  data.get("total_seconds"), tuple(data.get("updates") or ()), counts(data))]
    out.append(Summary(tuple(
        SummaryRow(e.id, anchor(e.id), e.paper, e.status, (e.provenance or {}).get("kind", ""), e.verdict,
                   e.certified_ok, verdict_label(e), tuple(key_numbers(e)), "—" if not e.checked else f"{e.seconds} s")
        for e in data["claims"])))
    paper = [e for e in data["claims"] if e.status not in ("LOST", claims.OPEN_QUESTION)]
    beyond = [e for e in data["claims"] if e.status == claims.OPEN_QUESTION]
    out += [_claim_section(e, g.get("revision"), drawn.get(e.id, ())) for e in paper]
    if beyond:
        out.append(BeyondHeading(BEYOND_NOTE, tuple(e.id for e in beyond)))
        out += [_claim_section(e, g.get("revision"), drawn.get(e.id, ())) for e in beyond]
    lost = [e for e in data["claims"] if e.status == "LOST"]
    if lost:
        out.append(LostSection(tuple((e.id, anchor(e.id), e.paper, e.role or "(role unknown)") for e in lost)))
    out.append(EnvironmentSection(data.get("environment_note"), tuple(environment_rows(env))))
    return out
