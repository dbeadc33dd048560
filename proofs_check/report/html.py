"""report.html: the section records of :mod:`.sections` as one self-contained page.

The page is the Jinja2 template ``templates/report.html.j2`` and the stylesheet
``style.css`` (both package resources; the CSS is inlined and figures are
inlined as base64 PNG, so the page has no external reference).
"""
from __future__ import annotations

import base64
import functools
import html
import re
from importlib import resources

import jinja2

from .. import claims
from .sections import LOST_NOTE, ClaimSection, EnvironmentSection, Header, LostSection, Summary

LEGEND = ("EXACT: the statement is fully known. RECONSTRUCTED: the qualitative statement is "
          "known; its lost constants are measured, not invented. LOST: only the statement's role is known. "
          "INCONCLUSIVE: precision or time did not decide (never counted as PASS). MEASURED: nothing could have "
          "made the check FAIL, so it reports numbers, not a confirmation (never counted as PASS).")


@functools.lru_cache(maxsize=None)
def stylesheet() -> str:
    """The page's CSS (the package resource style.css, without its comment line)."""
    text = resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")
    return text.split("\n", 1)[1] if text.startswith("/*") else text


def escape(s) -> str:
    """Text for HTML (None as empty)."""
    return html.escape("" if s is None else str(s))


def looks_numeric(v) -> bool:
    """True for a table cell that holds a number (drawn monospace, without wrapping)."""
    return isinstance(v, (int, float)) or bool(re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?%?", str(v).strip(), re.I))


@functools.lru_cache(maxsize=None)
def template() -> jinja2.Template:
    """The page template, with the report's filters (x, pad, b64) and tests (numeric, header, ...)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(x=escape, b64=lambda b: base64.b64encode(b).decode("ascii"),
                       pad=lambda row, n: list(row) + [""] * (n - len(row)))
    env.tests.update(numeric=looks_numeric, header=lambda r: isinstance(r, Header),
                     summary=lambda r: isinstance(r, Summary), claim=lambda r: isinstance(r, ClaimSection),
                     lost=lambda r: isinstance(r, LostSection), environment=lambda r: isinstance(r, EnvironmentSection))
    return env.get_template("report.html.j2")


def render(records) -> str:
    """report.html from the section records."""
    return template().render(records=records, css=stylesheet(), legend=LEGEND, lost_note=LOST_NOTE,
                             always_counted=(claims.PASS, claims.FAIL))
