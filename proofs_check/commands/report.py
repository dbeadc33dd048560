"""``proofs-check report``: run every claim and write report.md, report.html, results.json."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import claims
from ..errors import InputError


def register(sub):
    """Add ``proofs-check report`` to the CLI's subparsers."""
    p = sub.add_parser("report", help="run every claim and write the verification report "
                                      "(report.md, report.html, results.json, figures/)")
    p.add_argument("--out", default="reports/latest", help="output directory (default reports/latest)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="each claim's quick scale (minutes); default: the full scale")
    g.add_argument("--full", action="store_true", help="the full scale (the default)")
    p.add_argument("--claims", default=None, help="comma list of claim ids to run (default: all registered claims)")
    p.add_argument("--seed", type=int, default=0, help="random seed passed to every claim (default 0)")
    p.add_argument("--jobs", type=int, default=1, help="claims run in parallel processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run the claims (and their sweeps) on the Dask cluster at ADDRESS, e.g. "
                        "tcp://127.0.0.1:8786, instead of local processes (needs the 'dask' extra); "
                        "--jobs does not apply, and a claim over --timeout is reported and abandoned "
                        "(Dask cannot stop a running task)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per claim; a claim still running then is stopped and reported INCONCLUSIVE")
    p.add_argument("--update", action="store_true",
                   help="keep the claims already in OUT/results.json and run only --claims (default: the "
                        "registered claims it lacks); each claim records the git revision it ran at")
    p.add_argument("--from-pytest", metavar="PATH", default=None,
                   help="render the results that 'pytest verify --claims-json PATH' wrote, without re-running")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run_report)


def run_report(args):
    """Run the claims (or read a pytest run / an old report), write the report, print the counts; exit 1 on a FAIL."""
    from .. import report
    if args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: need at least 1")
    if args.timeout is not None and not args.timeout > 0:
        raise InputError(f"--timeout {args.timeout}: need a positive number of seconds")
    if args.from_pytest:
        if args.claims or args.quick or args.full or args.update or args.scheduler:
            raise InputError("--from-pytest renders an existing run: "
                             "--claims/--quick/--full/--update/--scheduler do not apply")
        data = report.from_pytest(args.from_pytest)
    else:
        ids = None
        if args.claims is not None:
            ids = [s.strip() for s in args.claims.split(",") if s.strip()]
            if not ids:
                raise InputError("--claims: give at least one claim id (see 'proofs-check claims')")
        scale = "quick" if args.quick else "full"
        report.select(ids)   # unknown ids: exit 2 before anything runs
        old = None
        if args.update:
            old = report.load_results(Path(args.out) / "results.json")
            if ids is None:
                ids = report.missing_claims(old)
            print(f"updating {args.out}: running {', '.join(ids) or 'no claim'}", file=sys.stderr)
        data = report.collect(ids, scale, args.seed, progress=not args.no_progress, jobs=args.jobs,
                              timeout=args.timeout, scheduler=args.scheduler,
                              command=getattr(args, "reproduce", "proofs-check report"))
        if old is not None:
            data = report.merge(old, data)
    paths = report.write(data, args.out)
    c = report.counts(data)
    print(", ".join(f"{k} {v}" for k, v in c.items()))
    for name, path in paths.items():
        print(f"wrote {path}")
    return 1 if c.get(claims.FAIL) else 0
