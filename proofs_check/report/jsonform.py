"""The results.json form of a report: plain JSON values, the schema, the verdict counts."""
from __future__ import annotations

import math
from dataclasses import asdict
from fractions import Fraction

from .. import claims

SCHEMA = "proofs-check-report/1"
VERDICT_ORDER = (claims.PASS, claims.FAIL, claims.INCONCLUSIVE, claims.MEASURED, claims.NOT_CHECKED)
HEADER_KEYS = ("source", "command", "scale", "seed", "environment", "environment_note", "certify", "updates")


def plain(obj):
    """Anything a claim returned as plain JSON (mpf, Fraction, numpy -> str/float/int)."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else str(obj)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, Fraction):
        return str(obj)
    mod = type(obj).__module__ or ""
    if mod.startswith("numpy"):
        try:
            return plain(obj.tolist())
        except AttributeError:
            pass
    if hasattr(obj, "__dataclass_fields__"):
        return plain(asdict(obj))
    return str(obj)


def counts(data: dict) -> dict:
    """Claims per verdict (every verdict listed, in order) and the number CERTIFIED."""
    c = {v: 0 for v in VERDICT_ORDER}
    for e in data["claims"]:
        c[e.verdict] = c.get(e.verdict, 0) + 1
    c["CERTIFIED"] = sum(1 for e in data["claims"] if e.certified_ok)
    return c


def results_json(data: dict, figure_files: dict | None = None) -> dict:
    """The machine-readable report; run-dependent values only under "timing".

    ``figure_files``: claim id -> {figure name: file} of the figures drawn.
    """
    figure_files = figure_files or {}
    out_claims, timing = [], {}
    for e in data["claims"]:
        d = e.to_json()
        d["metrics"] = [dict(m, command=e.command) for m in e.metrics or []]
        d["figure_files"] = figure_files.get(e.id, {})
        out_claims.append(d)
        timing[e.id] = e.timing()
    head = {k: data.get(k) for k in HEADER_KEYS}
    return {"schema": SCHEMA, **head, "counts": counts(data), "claims": out_claims,
            "timing": {"generated_at": data.get("generated_at"), "total_seconds": data.get("total_seconds"),
                       "claims": timing}}
