"""report.html: the section records of :mod:`.sections` as one self-contained page.

The page is the Jinja2 template ``templates/report.html.j2`` and the stylesheet
``style.css`` (both package resources; the CSS is inlined and figures are
inlined as base64 PNG, so the page has no external reference).
"""
from __future__ import annotations

import functools
from importlib import resources

from .. import claims
from . import templating
from .sections import LOST_NOTE

LEGEND = ("EXACT: the statement is fully known. RECONSTRUCTED: the qualitative statement is "
          "known; its lost constants are measured, not invented. LOST: only the statement's role is known. "
          "INCONCLUSIVE: precision or time did not decide (never counted as PASS). MEASURED: nothing could have "
          "made the check FAIL, so it reports numbers, not a confirmation (never counted as PASS).")


@functools.lru_cache(maxsize=None)
def stylesheet() -> str:
    """The page's CSS (the package resource style.css, without its comment line)."""
    text = resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")
    return text.split("\n", 1)[1] if text.startswith("/*") else text


def render(records) -> str:
    """report.html from the section records."""
    page = templating.render("report.html.j2", records, css=stylesheet(), legend=LEGEND, lost_note=LOST_NOTE,
                             always_counted=(claims.PASS, claims.FAIL))
    return page.rstrip("\n")
