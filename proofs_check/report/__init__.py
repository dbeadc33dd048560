"""The verification report: run every claim, write report.md, report.html, results.json.

``proofs-check report [--out DIR] [--quick] [--claims ids] [--jobs N] [--scheduler ADDR]``
(see :mod:`proofs_check.commands.report`) calls :func:`collect` then :func:`write`.
``--from-pytest PATH`` skips the runs and renders the JSON that
``pytest verify --claims-json PATH`` wrote (:func:`from_pytest`).

The package, one concept per module:

- :mod:`.entry`: :class:`ClaimEntry`, a claim in a report, with its JSON form
  (the claim's command line comes from :func:`proofs_check.claims.reproduce_command`,
  its one home, which ``claims.run`` uses too);
- :mod:`.runner`: running claims (isolated, with timeouts, on
  :mod:`proofs_check.executor`: local processes or a Dask cluster);
- :mod:`.sources`: report data from a pytest run or a results.json, and merging;
- :mod:`.environment`: versions, precision settings, git revision;
- :mod:`.certificates`: the certifiers of :mod:`proofs_check.certify`;
- :mod:`.jsonform`: results.json (schema, plain JSON values, counts);
- :mod:`.drawing`: the figures (the figure-spec convention, what a claim puts in
  ``Result.figures``, is documented at the top of :mod:`proofs_check.figures`);
- :mod:`.sections`: the one walk over a report, as section records that
  :mod:`.markdown` and :mod:`.html` render through the Jinja2 templates
  ``templates/report.md.j2`` and ``templates/report.html.j2``
  (:mod:`.templating`; the page's stylesheet is ``style.css``).

Outputs (in DIR):

- ``results.json``: machine-readable; one entry per claim with its metrics (each
  with the command that reproduces it), tables, figure data, verdict, error
  text, certificate; the environment; run-to-run varying values (seconds, the
  date) only under the top-level ``"timing"`` key, so that the same command
  gives the same file apart from ``"timing"``.
- ``report.md``: the same for people, figures linked from ``figures/``.
- ``report.html``: self-contained (inline CSS, figures as base64 PNG).

Report data is a dict: ``source``, ``command``, ``scale``, ``seed``,
``environment``, ``environment_note``, ``certify``, ``updates``,
``total_seconds``, ``generated_at`` and ``claims`` (a list of :class:`ClaimEntry`).
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from . import certificates, html, markdown  # noqa: F401 (submodules callers reach: report.certificates.cached)
from .certificates import load_certifiers, run_certifier
from .drawing import DrawnFigure, draw_figures, figure_files
from .entry import ClaimEntry, reproduce_command
from .environment import PACKAGES, environment
from .jsonform import SCHEMA, VERDICT_ORDER, counts, plain, results_json
from .runner import collect, run_one, select
from .sections import key_numbers, sections
from .sources import from_pytest, load_results, merge, missing_claims

__all__ = ["ClaimEntry", "DrawnFigure", "PACKAGES", "SCHEMA", "VERDICT_ORDER", "collect", "counts", "draw_figures",
           "environment", "from_pytest", "key_numbers", "load_certifiers", "load_results", "merge", "missing_claims",
           "plain", "render_html", "render_markdown", "reproduce_command", "results_json", "run_certifier", "run_one",
           "sections", "select", "write"]


def render_markdown(data: dict, drawn: dict | None = None) -> str:
    """report.md for report data (``drawn``: the figures of :func:`draw_figures`, if drawn)."""
    return markdown.render(sections(data, drawn))


def render_html(data: dict, drawn: dict | None = None) -> str:
    """report.html for report data (``drawn``: the figures of :func:`draw_figures`, if drawn)."""
    return html.render(sections(data, drawn))


def write(data: dict, out) -> dict:
    """Draw the figures and write report.md, report.html, results.json into ``out``; name -> path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    figdir = out / "figures"
    if figdir.is_dir():   # stale figures of an earlier run would mislead
        for p in figdir.glob("*.png"):
            p.unlink()
    data.setdefault("generated_at", _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    drawn = draw_figures(data, out)
    records = sections(data, drawn)
    (out / "results.json").write_text(json.dumps(results_json(data, figure_files(drawn)), indent=2,
                                                 ensure_ascii=False) + "\n")
    (out / "report.md").write_text(markdown.render(records))
    (out / "report.html").write_text(html.render(records))
    return {"report.md": out / "report.md", "report.html": out / "report.html", "results.json": out / "results.json"}
