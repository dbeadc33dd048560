"""``proofs-check simulate``: gradient descent from a user's initialisation, with its outcome.

A thin layer over :func:`proofs_check.api.simulate`: parse the options, call the API, print.
"""
from __future__ import annotations

from .. import api
from ..numbers import fmt, parse_number, parse_whole
from .common import add_config_options, config_from, emit_json


def register(sub):
    """Add the ``simulate`` subcommand."""
    p = sub.add_parser("simulate", help="gradient descent on the loss from --params; prints the outcome "
                                        "(all converge / one converges, the rest diverge / undecided)")
    add_config_options(p, api.objective_names())
    p.add_argument("--eta", required=True, help="step size (decimal; the loss has no factor 1/2)")
    p.add_argument("--steps", default="1000", help="step budget (default 1000)")
    p.add_argument("--backend", choices=api.BACKENDS, default="mpmath",
                   help="mpmath: arbitrary precision, rising automatically (default); float64: quasi-Monte Carlo")
    p.add_argument("--tol", default=None, help="stop once every |a_i - b| <= tol")
    p.add_argument("--escape-radius", default=None, help="stop once some |a_i - b| exceeds this (default 10 (r0 + 1))")
    p.add_argument("--converge-radius", default="0.25", help="classifier: 'near b' means within this distance (default 0.25)")
    p.add_argument("--diverge-distance", default=None, help="classifier: 'diverging' needs at least this distance to b "
                                                              "(default r0 + 1, r0 the largest initial distance)")
    p.add_argument("--run-out", action="store_true", help="do not stop when the outcome is decided; spend the budget")
    p.add_argument("--max-dps", default="2000", help="cap on the automatic precision (default 2000)")
    p.add_argument("--qmc-points", default="14", help="float64 backend: log2 of the points per replicate (default 14)")
    p.add_argument("--seed", default="0", help="float64 backend: QMC seed (default 0)")
    p.add_argument("--optimizer", choices=api.OPTIMIZERS, default="gd",
                   help="gd: gradient descent (default); sgd: on a fresh mini-batch of --batch samples per step; "
                        "adam: Adam (beta1 0.9, beta2 0.999, eps 1e-8, learning rate --eta), on mini-batches "
                        "when --batch is given (float64 backend; samples seeded by --seed)")
    p.add_argument("--batch", default=None, help="samples per mini-batch (sgd, adam; needs --backend float64)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on stderr even when it is not a terminal")
    p.set_defaults(func=run_simulate)


def run_simulate(args):
    """Run gradient descent and print its outcome, final state and a log-spaced trajectory (or JSON)."""
    cfg, dps = config_from(args)
    steps = parse_whole(args.steps, "--steps")
    eta = parse_number(args.eta, "--eta")
    run = api.simulate(cfg, eta=eta, steps=steps, objective=args.objective, dps=dps, backend=args.backend,
                       escape_radius=args.escape_radius, tol=args.tol, converge_radius=args.converge_radius,
                       diverge_distance=args.diverge_distance, run_out=args.run_out,
                       max_dps=parse_whole(args.max_dps, "--max-dps", 10),
                       qmc_points=parse_whole(args.qmc_points, "--qmc-points", 4),
                       seed=parse_whole(args.seed, "--seed"), progress=True if args.progress else None,
                       optimizer=args.optimizer,
                       batch=None if args.batch is None else parse_whole(args.batch, "--batch", 1))
    tr, shown = run.trajectory, run.shown_digits
    if args.json:
        emit_json(run.to_json(command=args.reproduce))
        return 0
    print(f"outcome: {tr.outcome}  ({tr.reason})")
    print(f"stopped: {tr.stop} after {tr.steps_taken} steps ({tr.seconds:.2f}s); objective {args.objective}, "
          f"eta {tr.eta}, backend {tr.backend}, optimizer {args.optimizer}"
          + (f" (batch {args.batch}, seed {args.seed})" if args.batch is not None else "") + (f", dps {tr.dps_history[0][1]} -> {tr.dps}"
                                                   if args.backend == "mpmath" else ""))
    print(f"final loss: {fmt(tr.final_loss, shown)}")
    print("final parameters a_i = e^-t mu_i:")
    for g, row in enumerate(tr.final):
        print(f"  a_{g + 1} (x{cfg.multiplicity[g]}): [{', '.join(fmt(v, shown) for v in row)}]")
    print("trajectory (log-spaced):")
    print("  step | loss | max_i |a_i - b| | parameters")
    for step, loss, dist, P in tr.summary_rows():
        ps = "; ".join(",".join(fmt(v, 8) for v in row) for row in P)
        print(f"  {step} | {fmt(loss, 8)} | {fmt(dist, 8)} | {ps}")
    print(f"configuration: {cfg.describe()}")
    print(f"reproduce: {args.reproduce}")
    return 0
