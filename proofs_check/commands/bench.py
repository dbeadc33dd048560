"""``proofs-check bench``: engine against baseline, side by side, with ratios."""
from __future__ import annotations

from .. import bench
from ..errors import InputError
from .common import add_json, emit_json


def register(sub):
    """Add the ``bench`` subcommand."""
    p = sub.add_parser("bench", help="time the engines against naive baselines and print the ratios")
    p.add_argument("--case", action="append", default=None,
                   help="run only the cases whose name contains this text (repeatable)")
    p.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    add_json(p)
    p.set_defaults(func=run_bench)


def run_bench(args):
    """Run the chosen bench cases and print engine and baseline times, ratios and digits (or JSON)."""
    if args.repeat < 1:
        raise InputError("--repeat must be >= 1")
    all_cases = bench.cases()
    chosen = {n: f for n, f in all_cases.items()
              if not args.case or any(c.lower() in n.lower() for c in args.case)}
    if not chosen:
        raise InputError(f"no bench case matches {args.case}; cases: {', '.join(all_cases)}")
    rows = []
    for name, fn in chosen.items():
        if not args.json:
            print(f"running: {name} ...", flush=True)
        rows.extend(fn(repeat=args.repeat))
    if args.json:
        emit_json([{"case": r.case, "engine_seconds": r.engine_seconds, "baseline_seconds": r.baseline_seconds,
                    "ratio": r.ratio, "engine_digits": r.engine_digits, "baseline_digits": r.baseline_digits,
                    "baseline": r.baseline, "note": r.note, **r.extra} for r in rows])
        return 0
    print(f"{'case':48s} {'engine s':>10s} {'baseline s':>11s} {'ratio':>8s} {'digits e/b':>11s}  baseline")
    for r in rows:
        ratio = f"{r.ratio:8.1f}" if r.ratio is not None else "       -"
        bs = f"{r.baseline_seconds:11.4f}" if r.baseline_seconds is not None else "          -"
        dg = f"{r.engine_digits}/{r.baseline_digits if r.baseline_digits is not None else '-'}"
        print(f"{r.case:48s} {r.engine_seconds:10.4f} {bs} {ratio} {dg:>11s}  {r.baseline}")
        if r.note:
            print(f"{'':48s} note: {r.note}")
    return 0
