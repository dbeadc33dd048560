"""``proofs-check loss`` and ``proofs-check grad``: L and its gradient at a configuration.

A thin layer over :func:`proofs_check.api.loss` and :func:`proofs_check.api.gradient`:
parse the options, call the API, print.
"""
from __future__ import annotations

from .. import api
from ..numbers import fmt
from .common import add_config_options, config_from, emit_json


def register(sub):
    """Add the ``loss`` and ``grad`` subcommands."""
    p = sub.add_parser("loss", help="the loss L at a configuration, to the digits two precisions agree on")
    add_config_options(p, api.objective_names())
    p.set_defaults(func=run_loss)
    p = sub.add_parser("grad", help="L and the gradient with respect to every a_i = e^-t mu_i")
    add_config_options(p, api.objective_names())
    p.add_argument("--form", choices=tuple(api.FORMS), default="both",
                   help="Lemma B.1's Stein form, the pathwise form, or both (default)")
    p.set_defaults(func=run_grad)


def run_loss(args):
    """Print L with its agreed digits (MATH.md 2), or its JSON."""
    cfg, dps = config_from(args)
    L = api.loss(cfg, dps=dps, objective=args.objective)
    if args.json:
        emit_json({**L.to_json(), "command": args.reproduce})
        return 0
    print(f"L = {L.text()}   ({L.digits} digits agreed at {L.precisions[0]} and {L.precisions[1]} dps)")
    print(f"configuration: {cfg.describe()}; objective: {args.objective}; method: {L.method}")
    print(f"reproduce: {args.reproduce}")
    return 0


def run_grad(args):
    """Print L and the gradient of every parameter group (Lemma B.1), or their JSON."""
    cfg, dps = config_from(args)
    g = api.gradient(cfg, dps=dps, objective=args.objective, form=args.form)
    if args.json:
        emit_json({**g.to_json(), "command": args.reproduce})
        return 0
    print(f"L = {g.loss.text()}   ({g.loss.digits} digits agreed)")
    print("gradient with respect to a_i = e^-t mu_i:")
    for f in g.forms:
        for grp, row in enumerate(g.gradient[f]):
            dg = row[0].digits
            vals = ", ".join(fmt(v.value, max(dg, 1)) for v in row)
            print(f"  [{f:8s}] a_{grp + 1} (x{cfg.multiplicity[grp]}): [{vals}]   ({dg} digits agreed)")
    print(f"configuration: {cfg.describe()}; objective: {args.objective}; method: {g.method}")
    print(f"reproduce: {args.reproduce}")
    return 0
