"""Certificates in the report: the certifiers of :mod:`proofs_check.certify`, run without ever raising.

If :mod:`proofs_check.certify` exposes ``certifiers() -> {claim_id: callable}``,
each callable is run for its claim (keyword arguments ``scale``/``seed``/``result``
are passed when the callable accepts them) and must return an object or dict
with ``ok: bool`` and ``summary: str``; ``ok`` shows as CERTIFIED next to the verdict.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import time

from .jsonform import plain

_PACKAGE = __package__.rpartition(".")[0]   # proofs_check


@functools.lru_cache(maxsize=None)
def cached() -> tuple[dict, str | None]:
    """:func:`load_certifiers`, loaded once per process."""
    return load_certifiers()


def load_certifiers() -> tuple[dict, str | None]:
    """(claim id -> certifier, error text) from proofs_check.certify if it exists."""
    name = f"{_PACKAGE}.certify"
    try:
        if importlib.util.find_spec(name) is None:
            return {}, None
        mod = importlib.import_module(name)
        fn = getattr(mod, "certifiers", None)
        if fn is None:
            return {}, "proofs_check.certify has no certifiers()"
        return dict(fn()), None
    except Exception as e:  # a broken certify module must not stop the report
        return {}, f"proofs_check.certify could not be loaded: {type(e).__name__}: {e}"


def describe(certs: dict, error: str | None) -> str:
    """The report's one-line account of the certifiers."""
    return error or (("proofs_check.certify: certifiers for " + ", ".join(sorted(certs)))
                     if certs else "no certifiers available (proofs_check.certify absent or empty)")


def run_certifier(fn, scale, seed, result) -> dict:
    """Run one certifier: ``{ok, summary[, checks, enclosures], seconds}``; never raises."""
    kwargs = {}
    try:
        params = inspect.signature(fn).parameters
        for key, val in (("scale", scale), ("seed", seed), ("result", result)):
            if key in params:
                kwargs[key] = val
    except (TypeError, ValueError):
        pass
    t0 = time.perf_counter()
    try:
        out = fn(**kwargs)
        get = out.get if isinstance(out, dict) else (lambda k, d=None: getattr(out, k, d))
        cert = {"ok": bool(get("ok", False)), "summary": str(get("summary", ""))}
        for extra in ("checks", "enclosures"):   # optional detail (proofs_check.certify.Certificate)
            val = get(extra, None)
            if isinstance(val, dict) and val:
                cert[extra] = plain(val)
    except Exception as e:
        cert = {"ok": False, "summary": f"certifier raised {type(e).__name__}: {e}"}
    cert["seconds"] = round(time.perf_counter() - t0, 2)
    return cert
