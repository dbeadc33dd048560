"""``proofs-check certify <claim>``: certified enclosures by ball arithmetic (Arb, python-flint).

A thin layer over :func:`proofs_check.api.certify`: parse the options, call the API, print.
"""
from __future__ import annotations

from .. import api
from ..errors import InputError
from .common import add_json, emit_json


def register(sub):
    """Add the ``certify`` subcommand."""
    p = sub.add_parser("certify",
                       help="certified results with ball arithmetic: rigorous enclosures for thm3.1, lemB.1, "
                            "and the Arb-vs-mpmath cross-check")
    p.add_argument("claim", help="thm3.1, lemB.1, arb-vs-mpmath, or all")
    add_json(p)
    p.set_defaults(func=run_certify)


def run_certify(args):
    """Print each certificate: CERTIFIED or not, its proved inequalities and enclosures (or JSON)."""
    available = api.certificates()
    if args.claim == "all":
        ids = list(available)
    elif args.claim in available:
        ids = [args.claim]
    else:
        raise InputError(f"no certificate for {args.claim!r}; available: {', '.join(available + ('all',))}")
    certs = [api.certify(cid) for cid in ids]
    if args.json:
        out = [c.to_json() for c in certs]
        emit_json(out[0] if len(out) == 1 else out)
    else:
        for c in certs:
            print(f"{c.claim_id}: {'CERTIFIED' if c.ok else 'NOT CERTIFIED'}")
            print(f"  {c.summary}")
            for name, ok in c.checks.items():
                print(f"  [{'proved' if ok else 'NOT proved'}] {name}")
            for name, (lo, hi) in c.enclosures.items():
                print(f"  {name} in [{lo}, {hi}]")
            for n in c.notes:
                print(f"  note: {n}")
            print(f"  time {c.seconds}s; reproduce: proofs-check certify {c.claim_id}")
    return 0 if all(c.ok for c in certs) else 1
