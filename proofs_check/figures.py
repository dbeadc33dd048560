"""Draw ``Result.figures`` entries as PNG images (matplotlib, Agg backend).

This module turns one figure spec into PNG bytes; :mod:`proofs_check.report`
draws every claim's figures with it.  Everything in a spec is plain JSON:
numbers may be ints, floats or decimal strings (``"1.5e-40"``); they are plotted
in float64.  ``None``, ``"nan"`` and, on logarithmic axes, values <= 0 leave a
gap instead of failing.

Figure-spec convention (what a claim puts in ``Result.figures``)
-----------------------------------------------------------------
``Result.figures`` maps a name to a plain-JSON dict that the report draws
without knowing the claim::

    res.figures["loss_vs_r"] = {
        "kind": "line",            # line | loglog | semilogx | semilogy | scatter | bar | panels
        "title": "L(r) on the line a = (b, b + r u, b - r u)",
        "xlabel": "r", "ylabel": "L",
        "series": [                # one curve (or point set) each
            {"label": "d = 1", "x": [0, 0.1, ...], "y": ["0", "1.2e-3", ...]},
            {"label": "fit", "x": [...], "y": [...], "style": "dashed"},
        ],
        "vlines": [{"x": 1.37, "label": "r*"}],   # optional; plain numbers also work
        "hlines": [0.0],                          # optional
        "caption": "One sentence shown under the figure.",   # optional
        "xlim": [0, 5], "ylim": [1e-12, 1],       # optional
    }

- numbers: int, float or decimal string (e.g. ``"1.5e-40"``); plotted in
  float64. ``None``/``"nan"`` (and values <= 0 on a log axis) leave a gap.
- ``series[i]["style"]``: ``"line"`` (default), ``"points"`` (default for
  ``scatter``), ``"both"`` (line with markers), ``"dashed"``. ``"x"`` may be
  omitted (then 0, 1, 2, ...).
- ``kind = "bar"``: ``x`` are category labels (strings), ``y`` the heights.
- ``kind = "panels"``: a grid of sub-figures, e.g. the four panels of Figure 1:
  ``{"kind": "panels", "title": ..., "ncols": 2, "panels": [spec, spec, spec, spec]}``
  where each panel is a spec as above (not itself "panels").
- shorthand: ``{"x": [...], "y": [...], ...}`` without ``"series"`` is one series.
- fallback for bare data such as ``{"r": [...], "L": [...], "r_star": 2.55}``: the first
  list is x, every later list of the same length a y series (axis labels = their keys;
  lists of other lengths are not drawn) and numeric scalars inside the x range become
  labelled vertical lines. Prefer the explicit form above.

A spec the renderer cannot draw does not stop the report: the section says
"figure not drawn" with the reason, and the data is still in results.json.
Tables of numbers (tightness tables, sweeps) belong in ``Result.tables``
(``{title: {"columns": [...], "rows": [[...], ...]}}``), rendered as tables.
"""
from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")  # no display, ever (before anything imports pyplot)

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

KINDS = ("line", "loglog", "semilogx", "semilogy", "scatter", "bar", "panels")
_SCALES = {"line": ("linear", "linear"), "scatter": ("linear", "linear"), "bar": ("linear", "linear"),
           "loglog": ("log", "log"), "semilogx": ("log", "linear"), "semilogy": ("linear", "log")}
DPI = 100


class FigureSpecError(ValueError):
    """A figure spec the renderer cannot draw (the report says so and goes on)."""


def _num(v):
    """A spec number as a float (nan for gaps)."""
    if v is None:
        return math.nan
    if isinstance(v, bool):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        try:
            return float(str(v).strip())
        except ValueError:
            raise FigureSpecError(f"not a number: {v!r}") from None


def _clean(xs, ys, xlog, ylog):
    x = [_num(v) for v in xs]
    y = [_num(v) for v in ys]
    if len(x) != len(y):
        raise FigureSpecError(f"series has {len(x)} x values but {len(y)} y values")
    out_x, out_y = [], []
    for a, b in zip(x, y):
        bad = (not math.isfinite(a) or not math.isfinite(b) or (xlog and a <= 0) or (ylog and b <= 0))
        out_x.append(math.nan if bad else a)
        out_y.append(math.nan if bad else b)
    return out_x, out_y


def _normalise(spec) -> dict:
    """Accept the documented convention and one shorthand: top-level "x"/"y" = one series."""
    if not isinstance(spec, dict):
        raise FigureSpecError(f"a figure spec is a dict, got {type(spec).__name__}")
    spec = dict(spec)
    if "series" not in spec and "panels" not in spec:
        if "x" in spec and "y" in spec:
            spec["series"] = [{"label": spec.get("label", ""), "x": spec["x"], "y": spec["y"]}]
        else:
            spec = _bare(spec)
    kind = spec.get("kind", "panels" if "panels" in spec else "line")
    if kind not in KINDS:
        raise FigureSpecError(f"unknown figure kind {kind!r}; choose from {KINDS}")
    spec["kind"] = kind
    return spec


def _bare(spec: dict) -> dict:
    """Fallback for bare data ``{"r": [...], "L": [...], "r_star": 2.55}``: the first list is x (named
    by its key), every later list of the same length a y series against it (lists of other
    lengths, e.g. fit coefficients, are not drawn); numeric scalars inside the x range become
    labelled vertical lines.  Anything else is refused."""
    lists = [(k, v) for k, v in spec.items() if isinstance(v, list) and k not in ("vlines", "hlines", "xlim", "ylim")]
    if not lists:
        raise FigureSpecError("no 'series' (or 'panels') in the figure spec; see proofs_check.figures")
    kx, xs = lists[0]
    ys = [(k, v) for k, v in lists[1:] if len(v) == len(xs)]
    if not ys:
        raise FigureSpecError("no 'series' (or 'panels') in the figure spec, and no two lists of equal length "
                              "to plot; see proofs_check.figures")
    xf = [v for v in (_num(x) for x in xs) if math.isfinite(v)]
    vlines = list(spec.get("vlines") or [])
    for k, v in spec.items():
        if k in (kx,) or isinstance(v, (list, dict, str, bool)) or v is None:
            continue
        if xf and min(xf) <= _num(v) <= max(xf):
            vlines.append({"x": v, "label": f"{k} = {_num(v):.6g}"})
    out = {k: v for k, v in spec.items() if k in ("kind", "title", "caption", "xlim", "ylim", "hlines")}
    out.update({"xlabel": spec.get("xlabel", kx), "ylabel": spec.get("ylabel", ys[0][0] if len(ys) == 1 else ""),
                "vlines": vlines,
                "series": [{"label": "" if len(ys) == 1 else k, "x": xs, "y": v} for k, v in ys]})
    return out


def _lines(ax, items, vertical: bool):
    for it in items or []:
        if isinstance(it, dict):
            v, label = _num(it.get("x" if vertical else "y")), it.get("label", "")
        else:
            v, label = _num(it), ""
        if not math.isfinite(v):
            continue
        if vertical:
            ax.axvline(v, color="0.35", linestyle="--", linewidth=1, label=label or None)
        else:
            ax.axhline(v, color="0.35", linestyle=":", linewidth=1, label=label or None)


def _draw_axes(ax, spec, outside=False):
    kind = spec["kind"]
    xs, ys = _SCALES[kind]
    series = spec.get("series") or []
    if not isinstance(series, list):
        raise FigureSpecError("'series' must be a list of {label, x, y}")
    labelled = False
    if kind == "bar":
        n = max(len(series), 1)
        width = 0.8 / n
        cats = []
        for s in series:
            for c in s.get("x", []):
                if str(c) not in cats:
                    cats.append(str(c))
        for j, s in enumerate(series):
            pos = {str(c): i for i, c in enumerate(cats)}
            xx = [pos[str(c)] + (j - (n - 1) / 2) * width for c in s.get("x", [])]
            yy = [_num(v) for v in s.get("y", [])]
            if len(xx) != len(yy):
                raise FigureSpecError("bar series: x and y differ in length")
            ax.bar(xx, yy, width=width, label=s.get("label") or None)
            labelled |= bool(s.get("label"))
        ax.set_xticks(range(len(cats)))
        ax.set_xticklabels(cats, rotation=30 if max((len(c) for c in cats), default=0) > 6 else 0, ha="right"
                           if max((len(c) for c in cats), default=0) > 6 else "center")
    else:
        for s in series:
            if not isinstance(s, dict) or "y" not in s:
                raise FigureSpecError("each series is a dict with at least 'y'")
            y = s["y"]
            x = s.get("x", list(range(len(y))))
            x, y = _clean(x, y, xs == "log", ys == "log")
            few = sum(1 for v in y if math.isfinite(v)) <= 25
            style = s.get("style", "points" if kind == "scatter" else ("both" if few else "line"))
            label = s.get("label") or None
            labelled |= bool(label)
            if style == "points":
                ax.plot(x, y, linestyle="none", marker="o", markersize=3.5, label=label)
            elif style == "both":
                ax.plot(x, y, marker="o", markersize=3.5, linewidth=1.4, label=label)
            elif style == "dashed":
                ax.plot(x, y, linestyle="--", linewidth=1.4, label=label)
            else:
                ax.plot(x, y, linewidth=1.4, label=label)
        ax.set_xscale(xs)
        ax.set_yscale(ys)
    _lines(ax, spec.get("vlines"), True)
    _lines(ax, spec.get("hlines"), False)
    labelled |= any(isinstance(v, dict) and v.get("label") for v in (spec.get("vlines") or []) + (spec.get("hlines") or []))
    if spec.get("xlim"):
        ax.set_xlim(*[_num(v) for v in spec["xlim"]])
    if spec.get("ylim"):
        ax.set_ylim(*[_num(v) for v in spec["ylim"]])
    ax.set_title(str(spec.get("title", "")), fontsize=10)
    ax.set_xlabel(str(spec.get("xlabel", "")))
    ax.set_ylabel(str(spec.get("ylabel", "")))
    ax.grid(True, which="major", alpha=0.3)
    if labelled and len(series) <= 16:
        if outside and len(series) > 5:   # many curves: legend beside the plot, not over it
            ax.legend(fontsize=7.5, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        else:
            ax.legend(fontsize=7.5 if len(series) > 5 else 8, frameon=False)


def render_png(spec) -> bytes:
    """One figure spec (the convention at the top of this module) as PNG bytes."""
    spec = _normalise(spec)
    if spec["kind"] == "panels":
        panels = [_normalise(p) for p in spec.get("panels") or []]
        if not panels:
            raise FigureSpecError("kind 'panels' needs a non-empty 'panels' list")
        if any(p["kind"] == "panels" for p in panels):
            raise FigureSpecError("panels cannot nest")
        ncols = int(spec.get("ncols", 2 if len(panels) > 1 else 1))
        nrows = -(-len(panels) // ncols)
        fig = Figure(figsize=(4.8 * ncols, 3.5 * nrows), dpi=DPI)
        for i, p in enumerate(panels):
            _draw_axes(fig.add_subplot(nrows, ncols, i + 1), p)
        if spec.get("title"):
            fig.suptitle(str(spec["title"]), fontsize=12)
    else:
        wide = sum(1 for x in spec.get("series") or [] if isinstance(x, dict) and x.get("label")) > 5
        fig = Figure(figsize=(9.0 if wide else 6.4, 4.2 if wide else 4.0), dpi=DPI)
        _draw_axes(fig.add_subplot(1, 1, 1), spec, outside=wide)
    FigureCanvasAgg(fig)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
