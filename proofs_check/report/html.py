"""report.html: the section records of :mod:`.sections` as one self-contained page.

The stylesheet is the package resource ``style.css`` (inlined); figures are
inlined as base64 PNG, so the page has no external reference.
"""
from __future__ import annotations

import base64
import functools
import html
import re
from importlib import resources

from .. import claims
from .sections import ClaimSection, EnvironmentSection, Header, LostSection, Summary, Table, LOST_NOTE

LEGEND = ("EXACT: the statement is fully known. RECONSTRUCTED: the qualitative statement is "
          "known; its lost constants are measured, not invented. LOST: only the statement's role is known. "
          "INCONCLUSIVE: precision or time did not decide (never counted as PASS). MEASURED: nothing could have "
          "made the check FAIL, so it reports numbers, not a confirmation (never counted as PASS).")


@functools.lru_cache(maxsize=None)
def stylesheet() -> str:
    """The page's CSS (the package resource style.css, without its comment line)."""
    text = resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")
    return text.split("\n", 1)[1] if text.startswith("/*") else text


def _e(s) -> str:
    return html.escape("" if s is None else str(s))


def _badge(text: str, cls: str | None = None) -> str:
    return f'<span class="badge {_e(cls or text.replace(" ", "-"))}">{_e(text)}</span>'


def _verdict(verdict: str, certified_ok: bool) -> str:
    return _badge(verdict) + (" " + _badge("CERTIFIED") if certified_ok else "")


def _looks_numeric(v) -> bool:
    return isinstance(v, (int, float)) or bool(re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?%?", str(v).strip(), re.I))


def table(columns, rows, cls="") -> str:
    """An HTML table (numbers in a monospace, non-wrapping cell) in a horizontally scrolling box."""
    h = [f'<div class="scroll"><table class="{cls}"><thead><tr>']
    h += [f"<th>{_e(c)}</th>" for c in columns]
    h.append("</tr></thead><tbody>")
    for r in rows:
        r = list(r) + [""] * (len(columns) - len(r))
        h.append("<tr>" + "".join(
            f'<td class="num">{_e(c)}</td>' if _looks_numeric(c) else f"<td>{_e(c)}</td>" for c in r) + "</tr>")
    h.append("</tbody></table></div>")
    return "".join(h)


def _header(h: Header) -> list[str]:
    H = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         "<title>proofs-check verification report</title>", f"<style>\n{stylesheet()}</style></head><body><main>",
         "<h1>Verification report</h1>",
         "<p>Convergence Dynamics of Over-Parameterized Score Matching for a Single Gaussian (ICLR 2026): "
         "every claim of the paper, checked numerically at high precision.</p>",
         '<ul class="meta">',
         f"<li><b>Source</b>: {_e(h.source)}</li>",
         f"<li><b>Reproduce</b>: <code>{_e(h.command)}</code></li>",
         f"<li><b>Scale</b>: {_e(h.scale_text).replace('`', '')}</li>",
         f"<li><b>Seed</b>: {_e(h.seed)} &nbsp; <b>Git</b>: <code>{_e(h.revision)}</code>"
         + (" (working tree dirty)" if h.dirty else "") + "</li>",
         f"<li><b>Certificates</b>: {_e(h.certify)}</li>"]
    for u in h.updates:
        H.append(f"<li><b>Updated</b>: {_e(', '.join(u['claims']) or '(no claim)')} by <code>{_e(u['command'])}</code>"
                 f" at <code>{_e(u['revision'])}</code></li>")
    if h.generated_at:
        H.append(f"<li><b>Generated</b>: {_e(h.generated_at)} in {_e(h.total_seconds)} s</li>")
    H.append("</ul>")
    H.append('<p class="counts">' + "".join(_badge(f"{k} {v}", k.replace(" ", "-")) for k, v in h.counts.items()
                                            if v or k in (claims.PASS, claims.FAIL)) + "</p>")
    H.append(f'<p class="meta">{LEGEND}</p>')
    return H


def _summary(s: Summary) -> list[str]:
    H = ["<h2>Summary</h2>",
         '<div class="scroll"><table class="summary"><thead><tr><th>claim</th><th>paper</th><th>status</th>'
         "<th>verdict</th><th>key numbers (agreed digits)</th><th>time</th></tr></thead><tbody>"]
    for r in s.rows:
        kn = "<br>".join(_e(k) for k in r.key_numbers)
        H.append(f'<tr><td><a href="#{r.anchor}"><b>{_e(r.id)}</b></a></td><td>{_e(r.paper)}</td>'
                 f"<td>{_badge(r.status)}</td><td>{_verdict(r.verdict, r.certified_ok)}</td><td>{kn}</td>"
                 f'<td class="num">{r.time}</td></tr>')
    H.append("</tbody></table></div>")
    return H


def _figure(f) -> str:
    if f.png:
        b64 = base64.b64encode(f.png).decode("ascii")
        cap = f"<figcaption>{_e(f.caption)}</figcaption>" if f.caption else ""
        return f'<figure><img alt="{_e(f.title)}" src="data:image/png;base64,{b64}">{cap}</figure>'
    return f'<p class="error">Figure {_e(f.name)} not drawn: {_e(f.error)} (its data is in results.json).</p>'


def _claim(c: ClaimSection) -> list[str]:
    e = c.entry
    runat = f" · run at <code>{_e(c.run_at)}</code>" if c.run_at else ""
    H = [f'<section class="claim" id="{c.anchor}"><header><h2>{_e(e.id)}</h2>'
         f'<span class="paper">{_e(e.paper)}</span>{_badge(e.status)}{_verdict(e.verdict, e.certified_ok)}',
         f'<span class="right">scale {_e(e.scale)} · seed {_e(e.seed)} · {_e(e.seconds)} s{runat}</span>',
         "</header>",
         f"<h3>Statement (reconstructed)</h3><blockquote>{_e(c.statement)}</blockquote>"]
    if c.method:
        H.append("<h3>Method</h3>" + "".join(f"<p>{_e(p)}</p>" for p in c.method))
    H.append(f'<h3>Result</h3><p class="result">{_e(e.summary)}</p>')
    if e.error:
        H.append(f'<p class="error">The check raised; verdict INCONCLUSIVE.</p><pre>{_e(e.error)}</pre>')
    if e.certificate:
        cert = e.certificate
        H.append(f"<p><b>Certificate</b>: {'CERTIFIED' if cert['ok'] else 'not certified'}: {_e(cert['summary'])}</p>")
        if c.certificate:
            H.append(table(c.certificate.columns, c.certificate.rows))
    if e.certified:
        H.append(f"<p><b>Certified (by the check)</b>: {_e(e.certified)}</p>")
    if c.metrics:
        H.append("<h3>Numbers</h3>" + table(c.metrics.columns, c.metrics.rows))
    for t in c.tables:
        H.append(f"<h3>{_e(t.title)}</h3>" + table(t.columns, t.rows))
    if c.figures:
        H.append("<h3>Figures</h3>")
    H += [_figure(f) for f in c.figures]
    if e.command:
        H.append(f"<p class=\"meta\">Reproduce: <code>{_e(e.command)}</code></p>")
    H.append("</section>")
    return H


def _lost(s: LostSection) -> list[str]:
    H = ['<section class="claim" id="lost"><header><h2>LOST statements</h2>' + _badge("LOST") + "</header>"
         f'<p>{LOST_NOTE}</p><dl class="lost">']
    H += [f'<dt id="{a}">{_e(cid)} <span class="paper">({_e(paper)})</span></dt><dd>{_e(role)}</dd>'
          for cid, a, paper, role in s.items]
    H.append("</dl></section>")
    return H


def _environment(s: EnvironmentSection) -> list[str]:
    H = ["<h2>Environment</h2>"]
    if s.note:
        H.append(f"<p class=\"meta\">{_e(s.note)}</p>")
    return H + [table(["item", "value"], s.rows), "</main></body></html>"]


_RENDER = {Header: _header, Summary: _summary, ClaimSection: _claim, LostSection: _lost,
           EnvironmentSection: _environment}


def render(records) -> str:
    """report.html from the section records."""
    return "\n".join(line for rec in records for line in _RENDER[type(rec)](rec))
