"""Where report data comes from besides a run: a pytest run's JSON, a results.json, and merging two reports."""
from __future__ import annotations

import json

from .. import claims
from ..errors import InputError
from .entry import ClaimEntry
from .environment import environment, revision_of
from .jsonform import HEADER_KEYS, SCHEMA, plain
from .runner import run_one

_DESCRIPTION = ("paper", "status", "statement", "method")


def _read_json(path, missing: str, unreadable: str):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError(missing) from None
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{unreadable} ({e})") from None


def _one_scale(entries) -> str | None:
    scales = sorted({e.scale for e in entries if e.scale})
    return scales[0] if len(scales) == 1 else ("/".join(scales) or None)


def from_pytest(path) -> dict:
    """Report data from ``pytest verify --claims-json PATH`` (no claim is re-run)."""
    raw = _read_json(path, f"--from-pytest: no such file {path}", f"--from-pytest: {path} is not readable JSON")
    if not isinstance(raw, dict) or not isinstance(raw.get("results"), list):
        raise InputError(f"--from-pytest: {path} has no 'results' list (write it with pytest verify --claims-json)")
    reg = claims.registry()
    got = {}
    for r in raw["results"]:
        if not isinstance(r, dict) or "claim_id" not in r or "verdict" not in r:
            raise InputError(f"--from-pytest: {path}: a result without claim_id/verdict")
        cid = r["claim_id"]
        c = reg.get(cid)
        desc = ({k: getattr(c, k) for k in _DESCRIPTION} if c else {k: r.get(k, "") for k in _DESCRIPTION})
        desc.update({k: r[k] for k in _DESCRIPTION if r.get(k)})
        d = plain({k: v for k, v in r.items() if k not in ("claim_id", *_DESCRIPTION)})
        timing = {"seconds": d.pop("seconds", 0.0)}
        d.pop("certificate", None)
        got[cid] = ClaimEntry.from_json({"id": cid, "role": c.role if c else "", **desc, **d}, timing)
    scale = _one_scale(got.values())
    ordered = []
    for cid, c in reg.items():
        if cid in got:
            ordered.append(got.pop(cid))
        else:
            ordered.append(ClaimEntry.not_run(c, f"LOST: {c.role}" if c.check is None
                                              else "not run in this pytest session", scale))
    ordered += list(got.values())   # results of claims no longer registered
    env = raw.get("environment")
    note = None
    if not isinstance(env, dict):
        env = environment(scale, 0)
        note = "environment of the rendering machine; the pytest JSON did not record one"
    return {
        "source": f"pytest verify ({path})",
        "command": f"python -m pytest verify --claim-scale {scale or 'quick'} --claims-json {path}",
        "scale": scale, "seed": 0,
        "environment": env, "environment_note": note,
        "certify": "not run (rendered from a pytest run)",
        "claims": ordered,
        "total_seconds": round(sum(float(e.seconds or 0) for e in ordered), 2),
    }


def load_results(path) -> dict:
    """Report data back from a results.json this package wrote (to re-render or update it)."""
    raw = _read_json(path, f"no report to update: {path} does not exist", f"{path} is not readable JSON")
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA or not isinstance(raw.get("claims"), list):
        raise InputError(f"{path} is not a proofs-check results.json ({SCHEMA})")
    timing = (raw.get("timing") or {}).get("claims") or {}
    entries = [ClaimEntry.from_json(d, timing.get(d.get("id"), {})) for d in raw["claims"]]
    return {k: raw.get(k) for k in HEADER_KEYS} | {
        "claims": entries, "total_seconds": (raw.get("timing") or {}).get("total_seconds")}


def missing_claims(old: dict) -> list[str]:
    """Registered, checkable claims that a report does not have (what --update runs by default)."""
    have = {e.id for e in old["claims"] if e.verdict != claims.NOT_CHECKED}
    return [cid for cid, c in claims.registry().items() if cid not in have and c.check is not None]


def merge(old: dict, new: dict) -> dict:
    """``old`` with the claims of ``new`` replacing or adding theirs; each claim keeps its git revision."""
    by = {e.id: e.replace(revision=e.revision or revision_of(old)) for e in old["claims"]}
    by.update({e.id: e.replace(revision=revision_of(new)) for e in new["claims"]})
    ordered = []
    for cid, c in claims.registry().items():
        if cid in by:
            ordered.append(by[cid])
        elif c.check is None:
            ordered.append(run_one(cid, new.get("scale") or "quick", new.get("seed") or 0, certify=False))
        else:
            ordered.append(ClaimEntry.not_run(c, "not run for this report"))
    scales = {e.scale for e in ordered if e.scale}
    updates = list(old.get("updates") or []) + [{"command": new["command"], "revision": revision_of(new),
                                                  "claims": [e.id for e in new["claims"]]}]
    out = dict(new)
    out.update({"claims": ordered, "updates": updates,
                "source": old.get("source") or new.get("source"),
                "command": old.get("command") or new.get("command"),
                "scale": scales.pop() if len(scales) == 1 else ("/".join(sorted(scales)) or new.get("scale")),
                "total_seconds": round(sum(float(e.seconds or 0) for e in ordered), 2)})
    return out
