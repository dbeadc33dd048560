"""Running claims for a report: each claim as a :class:`ClaimEntry`, isolated, with timeouts.

The claims run through :mod:`proofs_check.executor` (local processes by default,
a Dask cluster with ``scheduler``).  A claim that raises, dies or overruns
``timeout`` becomes an INCONCLUSIVE entry that says so; the others go on.
"""
from __future__ import annotations

import functools
import sys
import time
import traceback

from .. import claims, executor
from ..errors import InputError
from . import certificates
from .entry import ClaimEntry, reproduce_command
from .environment import environment
from .jsonform import plain


def select(ids) -> list[str]:
    """Claim ids to run, in registry order (all when ``ids`` is None); InputError for an unknown id."""
    reg = claims.registry()
    if ids is None:
        return list(reg)
    unknown = [i for i in ids if i not in reg]
    if unknown:
        raise InputError(f"unknown claim(s) {', '.join(unknown)}; known: {', '.join(reg)}")
    return [i for i in reg if i in set(ids)]   # registry order


def run_one(cid: str, scale: str, seed: int, certify: bool = True) -> ClaimEntry:
    """One claim as a report entry; an exception in the check becomes INCONCLUSIVE with its traceback."""
    c = claims.registry()[cid]
    certifier = certificates.cached()[0].get(cid) if certify else None
    t0 = time.perf_counter()
    try:
        res = claims.run(cid, scale, seed)
        d = plain(res.to_json())
        error = None
    except Exception as exc:
        tb = traceback.format_exc().strip().splitlines()
        d = {"verdict": claims.INCONCLUSIVE, "summary": f"the check raised {type(exc).__name__}: {exc}",
             "command": reproduce_command(cid, scale, seed), "scale": scale, "seed": seed}
        error = "\n".join(tb[-25:])
        res = None
    seconds = round(time.perf_counter() - t0, 2)
    for k in ("seconds", "claim_id"):
        d.pop(k, None)
    entry = ClaimEntry.described(c, error=error, seconds=seconds, **d)
    if certifier is not None and c.check is not None:
        cert = certificates.run_certifier(certifier, scale, seed, res)
        entry = entry.replace(certificate_seconds=cert.pop("seconds"), certificate=cert)
    return entry


def _claim_task(cid: str, *, scale: str, seed: int) -> ClaimEntry:
    """One claim in a worker process (module level, so that Dask can send it)."""
    return run_one(cid, scale, seed)


def _entry_of(cid: str, scale: str, seed: int, timeout, outcome: executor.Outcome) -> ClaimEntry:
    if outcome.ok:
        return outcome.value
    if outcome.status == executor.TIMED_OUT:
        summary = f"stopped after the {timeout:g} s timeout (--timeout): not decided"
    elif outcome.status == executor.DIED:
        summary = f"the claim's process died ({outcome.message})"
    else:   # run_one catches Exception; this is the last resort (BaseException, or a result that cannot travel)
        summary = f"the claim's process failed: {outcome.message}"
    return ClaimEntry.failed(cid, scale, seed, summary, outcome.seconds)


def collect(ids=None, scale: str = "full", seed: int = 0, progress: bool = True, jobs: int = 1,
            command: str = "proofs-check report", timeout: float | None = None,
            scheduler: str | None = None) -> dict:
    """Run the claims (all, or ``ids``) and return the report data (see :func:`proofs_check.report.write`).

    ``jobs > 1`` or a per-claim ``timeout`` (seconds) runs each claim in its own
    process; a claim over the timeout is stopped and reported INCONCLUSIVE.
    ``scheduler`` (a Dask address) runs the claims on that cluster instead.
    """
    if scale not in claims.SCALES:
        raise InputError(f"unknown scale {scale!r}; choose from {claims.SCALES}")
    order = select(ids)
    certs, cert_error = certificates.cached()
    env = environment(scale, seed)   # the revision the claims run at, not the one at the end
    t0 = time.perf_counter()
    from tqdm import tqdm
    bar = tqdm(total=len(order), file=sys.stderr, disable=not progress, unit="claim",
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]")
    running: list[str] = []

    def started(i):
        running.append(order[i])
        bar.set_description("running " + ", ".join(running))

    def done(i, outcome):
        running.remove(order[i])
        bar.update(1)
        bar.set_description(("running " + ", ".join(running)) if running else f"done {order[i]}")

    try:
        outcomes = executor.run(functools.partial(_claim_task, scale=scale, seed=seed), order, jobs=jobs,
                                timeout=timeout, scheduler=scheduler, on_start=started, on_done=done)
    finally:
        bar.close()
    entries = [_entry_of(cid, scale, seed, timeout, o) for cid, o in zip(order, outcomes)]
    return {
        "source": "proofs-check report",
        "command": command,
        "scale": scale,
        "seed": seed,
        "environment": env,
        "certify": certificates.describe(certs, cert_error),
        "claims": entries,
        "total_seconds": round(time.perf_counter() - t0, 2),
    }

