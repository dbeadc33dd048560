"""One claim in a report: :class:`ClaimEntry`, its JSON form, and the command that reproduces it.

The keys of a claim in ``results.json`` are spelled out here and only here
(:data:`JSON_KEYS`, in the order the file has always had them).  Run-dependent
values (``seconds``, ``certificate_seconds``) are fields too, but go to the
file's ``"timing"`` section, not to the entry.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .. import claims
from ..claims import reproduce_command   # its one home: a claim's Result carries the same command

# the entry's keys in results.json, in file order ("revision" only when set; "figure_files" added by the writer)
JSON_KEYS = ("id", "paper", "status", "provenance", "statement", "method", "role", "error", "verdict", "summary", "metrics",
             "tables", "figures", "command", "scale", "seed", "certified", "certificate", "revision")
TIMING_KEYS = ("seconds", "certificate_seconds")


@dataclass(frozen=True)
class ClaimEntry:
    """A claim as the report shows it: the registry's description, the run's outcome, the certificate.

    ``metrics`` are plain dicts ``{name, value, digits, note}``, ``tables`` and
    ``figures`` the claim's plain-JSON ``Result.tables``/``Result.figures``,
    ``certificate`` ``{ok, summary[, checks, enclosures]}`` or None,
    ``revision`` the git revision the claim ran at when it differs by design
    from the report's (``--update``).
    """

    id: str
    paper: str = ""
    status: str = ""
    provenance: dict = field(default_factory=dict)   # {kind, where, assumed}: where the statement comes from
    statement: str = ""
    method: str = ""
    role: str = ""
    error: str | None = None
    verdict: str = claims.NOT_CHECKED
    summary: str = ""
    metrics: list = field(default_factory=list)
    tables: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    command: str = ""
    scale: str | None = None
    seed: int | None = None
    certified: str | None = None
    certificate: dict | None = None
    revision: str | None = None
    seconds: float = 0.0
    certificate_seconds: float | None = None

    @classmethod
    def described(cls, c: claims.Claim, **outcome) -> "ClaimEntry":
        """An entry for registered claim ``c`` with the given outcome fields."""
        return cls(id=c.id, paper=c.paper, status=c.status, provenance=c.provenance.to_json(),
                   statement=c.statement, method=c.method, role=c.role, **outcome)

    @classmethod
    def failed(cls, cid: str, scale: str, seed: int, summary: str, seconds: float) -> "ClaimEntry":
        """A registered claim that gave no result (it raised, died or timed out): INCONCLUSIVE."""
        return cls.described(claims.registry()[cid], verdict=claims.INCONCLUSIVE, summary=summary, scale=scale,
                             seed=seed, error=summary, seconds=round(seconds, 2),
                             command=reproduce_command(cid, scale, seed))

    @classmethod
    def not_run(cls, c: claims.Claim, summary: str, scale: str | None = None) -> "ClaimEntry":
        """A registered claim this report did not run (NOT CHECKED)."""
        return cls.described(c, verdict=claims.NOT_CHECKED, summary=summary, scale=scale)

    def replace(self, **changes) -> "ClaimEntry":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    @property
    def certified_ok(self) -> bool:
        """True when a certificate proved the claim (shown as CERTIFIED)."""
        return bool((self.certificate or {}).get("ok"))

    @property
    def checked(self) -> bool:
        """False for LOST statements and claims not run for this report."""
        return self.status != "LOST" and self.verdict != claims.NOT_CHECKED

    def to_json(self) -> dict:
        """The entry as in results.json, without ``figure_files`` and timing (see :func:`timing`)."""
        d = {k: getattr(self, k) for k in JSON_KEYS}
        if d["revision"] is None:
            del d["revision"]
        if not d["provenance"]:   # reports written before provenance existed
            del d["provenance"]
        return d

    def timing(self) -> dict:
        """This entry's run-dependent numbers (results.json ``"timing"`` section)."""
        t = {"seconds": self.seconds}
        if self.certificate_seconds is not None:
            t["certificate_seconds"] = self.certificate_seconds
        return t

    @classmethod
    def from_json(cls, d: dict, timing: dict | None = None) -> "ClaimEntry":
        """An entry back from its results.json form (metrics lose their per-metric ``command``)."""
        known = {f.name for f in dataclasses.fields(cls)} - set(TIMING_KEYS)
        kw = {k: v for k, v in d.items() if k in known}
        kw["metrics"] = [{k: v for k, v in m.items() if k != "command"} for m in d.get("metrics") or []]
        t = timing or {}
        return cls(**kw, seconds=t.get("seconds", 0.0), certificate_seconds=t.get("certificate_seconds"))
