"""The report's figures: every ``Result.figures`` spec drawn to ``figures/*.png`` (see :mod:`proofs_check.figures`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DrawnFigure:
    """One figure of a claim: its PNG (and file under the report directory), or why it was not drawn."""

    name: str
    title: str
    caption: str = ""
    file: str | None = None        # "figures/<claim>--<name>.png"
    png: bytes | None = None
    error: str | None = None


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", s).strip("-") or "fig"


def draw_figures(data: dict, out) -> dict[str, list[DrawnFigure]]:
    """Render every figure to out/figures/*.png; claim id -> its figures (drawn, or the error)."""
    from ..figures import render_png
    figdir = Path(out) / "figures"
    drawn = {}
    for e in data["claims"]:
        figs = drawn[e.id] = []
        for name, spec in (e.figures or {}).items():
            fname = f"{_slug(e.id)}--{_slug(name)}.png"
            if isinstance(spec, dict) and not spec.get("title"):
                spec = dict(spec, title=name)   # an untitled figure shows its name
            try:
                png = render_png(spec)
                figdir.mkdir(parents=True, exist_ok=True)
                (figdir / fname).write_bytes(png)
                figs.append(DrawnFigure(name, (spec or {}).get("title", name) if isinstance(spec, dict) else name,
                                        (spec or {}).get("caption", "") if isinstance(spec, dict) else "",
                                        f"figures/{fname}", png))
            except Exception as exc:
                figs.append(DrawnFigure(name, name, error=f"{type(exc).__name__}: {exc}"))
    return drawn


def figure_files(drawn: dict[str, list[DrawnFigure]]) -> dict[str, dict[str, str]]:
    """Claim id -> {figure name: file} of the figures that were drawn (results.json ``figure_files``)."""
    return {cid: {f.name: f.file for f in figs if f.file} for cid, figs in drawn.items()}
