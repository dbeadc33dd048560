"""The Jinja2 environment of the report's templates (``templates/*.j2``, package resources).

Both templates walk the same list of section records (:mod:`.sections`); the
tests ``header``, ``summary``, ``claim``, ``beyond``, ``lost`` and ``environment`` tell the
record kinds apart, ``numeric`` a table cell holding a number; the filters are
``x`` (HTML escape), ``cell`` (a Markdown table cell), ``pad`` (a table row to
the number of columns) and ``b64`` (PNG bytes for a data URI).
"""
from __future__ import annotations

import base64
import functools
import html
import re

import jinja2

from .sections import BeyondHeading, ClaimSection, EnvironmentSection, Header, LostSection, Summary


def escape(s) -> str:
    """Text for HTML (None as empty)."""
    return html.escape("" if s is None else str(s))


def md_cell(v) -> str:
    """Text for a Markdown table cell: line breaks folded, pipes escaped (None as empty)."""
    s = " ".join(str("" if v is None else v).split())
    return s.replace("|", "\\|")


def looks_numeric(v) -> bool:
    """True for a table cell that holds a number (drawn monospace, without wrapping)."""
    return isinstance(v, (int, float)) or bool(re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?%?", str(v).strip(), re.I))


@functools.lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    """The templates' environment: trim_blocks and lstrip_blocks, strict about undefined names."""
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(x=escape, cell=md_cell, b64=lambda b: base64.b64encode(b).decode("ascii"),
                       pad=lambda row, n: list(row) + [""] * (n - len(row)))
    env.tests.update(numeric=looks_numeric, header=lambda r: isinstance(r, Header),
                     summary=lambda r: isinstance(r, Summary), claim=lambda r: isinstance(r, ClaimSection),
                     lost=lambda r: isinstance(r, LostSection),
                     beyond=lambda r: isinstance(r, BeyondHeading), environment=lambda r: isinstance(r, EnvironmentSection))
    return env


def render(name: str, records, **context) -> str:
    """Template ``name`` rendered over the section records."""
    return environment().get_template(name).render(records=records, **context)
