"""``proofs-check stress <probe>``: stress one inequality or identity with random inputs.

Runs a :mod:`proofs_check.stress` probe outside pytest (seeded, so the same
``--examples`` and ``--seed`` give the same inputs), with a progress bar on
stderr, and prints the examples tried, the worst ratio and its input, and any
counterexample (shrunk).  ``--input JSON`` evaluates one input instead.
Exit 1 when a counterexample is found.
"""
from __future__ import annotations

import json
import sys

from .. import stress
from ..numbers import fmt, parse_whole
from .common import add_json, emit_json


def register(sub):
    p = sub.add_parser("stress", help="stress an inequality/identity with random (hypothesis) inputs: "
                                      "worst ratio, worst input, counterexamples")
    p.add_argument("probe", help="probe id: " + ", ".join(stress.PROBES) +
                   "; negative controls: ID~variant ('proofs-check stress list')")
    p.add_argument("--examples", default="100", help="random inputs to try (default 100)")
    p.add_argument("--seed", default="0", help="seed of the input generator (default 0)")
    p.add_argument("--input", default=None, help="evaluate this one input (a JSON object, numbers as strings)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_json(p)
    p.set_defaults(func=run_stress)


def run_stress(args):
    if args.probe == "list":
        rows = [(p.id, p.status, p.wrong or p.statement) for p in list(stress.PROBES.values()) +
                list(stress.CONTROLS.values())]
        if args.json:
            emit_json([{"id": a, "status": b, "statement": c} for a, b, c in rows])
        else:
            for a, b, c in rows:
                print(f"{a:18s} {b:14s} {c[:90]}")
        return 0
    probe = stress.get(args.probe)
    if args.input is not None:
        inp, checks = stress.evaluate_input(probe, args.input)
        bad = any(c.bad for c in checks)
        if args.json:
            emit_json({"probe": probe.id, "input": inp, "checks": [
                {"check": c.name, "kind": c.kind, "value": fmt(c.value, 15), "bad": c.bad,
                 "undecided": c.undecided} for c in checks], "counterexample": bad})
        else:
            print(f"stress {probe.id} at {json.dumps(inp)}:")
            for c in checks:
                flag = "COUNTEREXAMPLE" if c.bad else ("undecided" if c.undecided else "ok")
                print(f"  [{flag}] {c.describe()}")
        return 1 if bad else 0
    examples = parse_whole(args.examples, "--examples", 1)
    seed = parse_whole(args.seed, "--seed", 0)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=examples, desc=f"stress {probe.id}", unit="input", file=sys.stderr, leave=False)
    try:
        rep = stress.run(probe, examples, seed, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        emit_json(rep.to_json())
    else:
        print(rep.explain())
    return 1 if rep.counterexample is not None else 0
