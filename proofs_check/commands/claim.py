"""``proofs-check claim <id>`` and ``proofs-check claims``: run one claim's check; list the registry.

A thin layer over :func:`proofs_check.api.run_claim`, :func:`~proofs_check.api.get_claim`
and :func:`~proofs_check.api.list_claims`: parse the options, call the API, print.
"""
from __future__ import annotations

from .. import api
from ..claims import FAIL
from .common import add_json, emit_json


def register(sub):
    """Add the ``claim`` and ``claims`` subcommands."""
    p = sub.add_parser("claim", help="run one claim's check: verdict PASS / FAIL / INCONCLUSIVE / MEASURED and its metrics")
    p.add_argument("id", help="claim id, e.g. thm3.1 (see 'proofs-check claims')")
    p.add_argument("--full", action="store_true", help="the full scale (default: the quick scale used by pytest)")
    p.add_argument("--quick", action="store_true", help="the quick scale (the default)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    add_json(p)
    p.set_defaults(func=run_claim)
    p = sub.add_parser("claims", help="list the claims with their paper reference and status")
    add_json(p)
    p.set_defaults(func=list_claims)


def run_claim(args):
    """Print one claim's verdict, summary, metrics (with agreed digits) and tables, or its JSON."""
    c = api.get_claim(args.id)
    res = api.run_claim(c.id, scale="full" if args.full else "quick", seed=args.seed)
    if args.json:
        out = res.to_json()
        out.update({"paper": c.paper, "status": c.status, "statement": c.statement})
        emit_json(out)
    else:
        print(f"{c.id} ({c.paper}) [{c.status}]: {res.verdict}")
        print(f"  {res.summary}")
        for m in res.metrics:
            dg = f" ({m.digits} digits)" if m.digits is not None else ""
            nt = f"   [{m.note}]" if m.note else ""
            print(f"  {m.name} = {m.value}{dg}{nt}")
        for title, tb in res.tables.items():
            print(f"  {title}:")
            print("    " + " | ".join(str(col) for col in tb["columns"]))
            for row in tb["rows"]:
                print("    " + " | ".join(str(cell) for cell in row))
        print(f"  time {res.seconds}s; reproduce: {res.command}")
    return 1 if res.verdict == FAIL else 0


def list_claims(args):
    """Print the registry: id, status, paper reference and statement (or JSON)."""
    reg = api.list_claims()
    if args.json:
        emit_json([{"id": c.id, "paper": c.paper, "status": c.status, "statement": c.statement,
                    "checked": c.check is not None} for c in reg])
    else:
        for c in reg:
            print(f"{c.id:12s} {c.status:14s} {c.paper:28s} {c.statement[:70]}")
    return 0
