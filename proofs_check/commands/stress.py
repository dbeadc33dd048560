"""``proofs-check stress <probe>``: stress one inequality or identity with random inputs.

A thin layer over :func:`proofs_check.api.stress` and :func:`proofs_check.api.stress_input`:
runs a :mod:`proofs_check.stress` probe outside pytest (seeded, so the same
``--examples`` and ``--seed`` give the same inputs), with a progress bar on
stderr, and prints the examples tried, the worst ratio and its input, and any
counterexample (shrunk).  ``--input JSON`` evaluates one input instead.
Exit 1 when a counterexample is found.
"""
from __future__ import annotations

import json

from .. import api
from ..numbers import parse_whole
from .common import add_json, emit_json


def register(sub):
    """Add the ``stress`` subcommand."""
    p = sub.add_parser("stress", help="stress an inequality/identity with random (hypothesis) inputs: "
                                      "worst ratio, worst input, counterexamples")
    probes = [pr for pr in api.list_probes() if pr.control_of is None]
    p.add_argument("probe", help="probe id: " + ", ".join(pr.id for pr in probes) +
                   "; negative controls: ID~variant ('proofs-check stress list')")
    p.add_argument("--examples", default="100", help="random inputs to try (default 100)")
    p.add_argument("--seed", default="0", help="seed of the input generator (default 0)")
    p.add_argument("--input", default=None, help="evaluate this one input (a JSON object, numbers as strings)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_json(p)
    p.set_defaults(func=run_stress)


def run_stress(args):
    """List the probes, evaluate one input, or stress a probe with random inputs; print the report."""
    if args.probe == "list":
        rows = [(p.id, p.status, p.wrong or p.statement) for p in api.list_probes()]
        if args.json:
            emit_json([{"id": a, "status": b, "statement": c} for a, b, c in rows])
        else:
            for a, b, c in rows:
                print(f"{a:18s} {b:14s} {c[:90]}")
        return 0
    probe = api.get_probe(args.probe)
    if args.input is not None:
        one = api.stress_input(probe, args.input)
        if args.json:
            emit_json(one.to_json())
        else:
            print(f"stress {probe.id} at {json.dumps(one.input)}:")
            for line in one.lines():
                print(f"  {line}")
        return 1 if one.counterexample else 0
    examples = parse_whole(args.examples, "--examples", 1)
    seed = parse_whole(args.seed, "--seed", 0)
    rep = api.stress(probe, examples, seed, progress=not args.no_progress)
    if args.json:
        emit_json(rep.to_json())
    else:
        print(rep.explain())
    return 1 if rep.counterexample is not None else 0
