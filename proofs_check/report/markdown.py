"""report.md: the section records of :mod:`.sections` in Markdown (figures linked from ``figures/``)."""
from __future__ import annotations

from .sections import LOST_NOTE, ClaimSection, EnvironmentSection, Header, LostSection, Summary, Table

TITLE = "# Verification report: Convergence Dynamics of Over-Parameterized Score Matching for a Single Gaussian"
LEGEND = ("Statuses (MATH.md 5): EXACT = the statement is fully known; RECONSTRUCTED = the qualitative "
          "statement is known, its constants were lost and are measured, not invented; LOST = only the "
          "role of the statement is known. Verdicts: PASS, FAIL, INCONCLUSIVE (precision or time not "
          "enough to decide; never PASS), MEASURED (nothing could have made the check FAIL: numbers, not a "
          "confirmation; never counted as PASS), NOT CHECKED (LOST statements).")


def _cell(v) -> str:
    s = " ".join(str("" if v is None else v).split())
    return s.replace("|", "\\|")


def table(columns, rows) -> list[str]:
    """A Markdown table as lines (pipes in cells escaped, line breaks folded)."""
    out = ["| " + " | ".join(_cell(c) for c in columns) + " |",
           "|" + "|".join("---" for _ in columns) + "|"]
    for r in rows:
        r = list(r) + [""] * (len(columns) - len(r))
        out.append("| " + " | ".join(_cell(c) for c in r) + " |")
    return out


def _header(h: Header) -> list[str]:
    L = [TITLE, "", f"- **Source**: {h.source}", f"- **Reproduce**: `{h.command}`", f"- **Scale**: {h.scale_text}",
         f"- **Seed**: {h.seed}", f"- **Git revision**: `{h.revision}`" + (" (working tree dirty)" if h.dirty else ""),
         f"- **Certificates**: {h.certify}"]
    if h.generated_at:
        L.append(f"- **Generated**: {h.generated_at} in {h.total_seconds} s")
    for u in h.updates:
        L.append(f"- **Updated**: {', '.join(u['claims']) or '(no claim)'} by `{u['command']}` at `{u['revision']}`")
    L.append("- **Verdicts**: " + ", ".join(f"{k} {v}" for k, v in h.counts.items()))
    return L + ["", LEGEND, ""]


def _summary(s: Summary) -> list[str]:
    rows = [[f"[{r.id}](#{r.anchor})", r.paper, r.status, r.verdict_label, "; ".join(r.key_numbers), r.time]
            for r in s.rows]
    return ["## Summary", ""] + table(["claim", "paper", "status", "verdict", "key numbers", "time"], rows)


def _tabled(t: Table | None) -> list[str]:
    return table(t.columns, t.rows) + [""] if t else []


def _claim(c: ClaimSection) -> list[str]:
    e = c.entry
    meta = (f"**Status** {e.status} · **Verdict** {c.verdict_label} · scale {e.scale} · seed {e.seed} · "
            f"{e.seconds} s" + (f" · run at `{c.run_at}`" if c.run_at else ""))
    L = ["", f"<a id=\"{c.anchor}\"></a>", f"## {e.id}: {e.paper}", "", meta, "",
         "**Statement (reconstructed).** " + c.statement, ""]
    for i, p in enumerate(c.method):
        L += [("**Method.** " if i == 0 else "") + p, ""]
    L += [f"**Result.** {e.summary}", ""]
    if e.error:
        L += ["**Error** (the check raised; verdict INCONCLUSIVE):", "", "```", e.error, "```", ""]
    if e.certificate:
        cert = e.certificate
        L += [f"**Certificate.** {'CERTIFIED' if cert['ok'] else 'not certified'}: {cert['summary']}", ""]
        L += _tabled(c.certificate)
    if e.certified:
        L += [f"**Certified (by the check).** {e.certified}", ""]
    if c.metrics:
        L += ["**Numbers**", ""] + _tabled(c.metrics)
    for t in c.tables:
        L += [f"**{t.title}**", ""] + _tabled(t)
    for f in c.figures:
        if f.file:
            L += [f"![{f.title}]({f.file})", ""]
            if f.caption:
                L += [f"_{f.caption}_", ""]
        else:
            L += [f"_Figure {f.name} not drawn: {f.error} (its data is in results.json)._", ""]
    if e.command:
        L += [f"Reproduce: `{e.command}`"]
    return L


def _lost(s: LostSection) -> list[str]:
    return ["", "## LOST statements", "", LOST_NOTE, ""] + [
        f"- <a id=\"{a}\"></a>**{cid}** ({paper}): {role}" for cid, a, paper, role in s.items]


def _environment(s: EnvironmentSection) -> list[str]:
    return ["", "## Environment", ""] + ([f"_{s.note}_", ""] if s.note else []) + table(["item", "value"], s.rows) + [""]


_RENDER = {Header: _header, Summary: _summary, ClaimSection: _claim, LostSection: _lost,
           EnvironmentSection: _environment}


def render(records) -> str:
    """report.md from the section records."""
    return "\n".join(line for rec in records for line in _RENDER[type(rec)](rec))
