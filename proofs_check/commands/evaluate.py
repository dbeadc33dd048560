"""``proofs-check loss`` and ``proofs-check grad``: L and its gradient at a configuration."""
from __future__ import annotations

from .. import gradient, objectives
from ..numbers import fmt
from .common import add_config_options, config_from, config_json, emit_json


def register(sub):
    p = sub.add_parser("loss", help="the loss L at a configuration, to the digits two precisions agree on")
    add_config_options(p, objectives.names())
    p.set_defaults(func=run_loss)
    p = sub.add_parser("grad", help="L and the gradient with respect to every a_i = e^-t mu_i")
    add_config_options(p, objectives.names())
    p.add_argument("--form", choices=("stein", "pathwise", "both"), default="both",
                   help="Lemma B.1's Stein form, the pathwise form, or both (default)")
    p.set_defaults(func=run_grad)


def _measure(args, forms):
    cfg, dps = config_from(args)
    return cfg, dps, gradient.measured(cfg, dps, forms=forms, objective=args.objective)


def run_loss(args):
    cfg, dps, m = _measure(args, forms=())
    if args.json:
        emit_json({"objective": args.objective, "config": config_json(cfg), "dps": dps,
                   "loss": m["loss"].to_json(), "method": m["method"], "span_dimension": m["k"],
                   "command": args.reproduce})
    else:
        L = m["loss"]
        print(f"L = {fmt(L.value, max(L.digits, 1))}   ({L.digits} digits agreed at {L.precisions[0]} and {L.precisions[1]} dps)")
        print(f"configuration: {cfg.describe()}; objective: {args.objective}; method: {m['method']}")
        print(f"reproduce: {args.reproduce}")
    return 0


def run_grad(args):
    forms = ("stein", "pathwise") if args.form == "both" else (args.form,)
    cfg, dps, m = _measure(args, forms=forms)
    if args.json:
        out = {"objective": args.objective, "config": config_json(cfg), "dps": dps,
               "loss": m["loss"].to_json(),
               "gradient_with_respect_to": "a_i = exp(-t) mu_i (the paper's variables), one copy of each parameter",
               "gradient": {f: [[v.to_json() for v in row] for row in m["gradient"][f]] for f in forms},
               "method": m["method"], "span_dimension": m["k"], "command": args.reproduce}
        emit_json(out)
        return 0
    L = m["loss"]
    print(f"L = {fmt(L.value, max(L.digits, 1))}   ({L.digits} digits agreed)")
    print("gradient with respect to a_i = e^-t mu_i:")
    for f in forms:
        for g, row in enumerate(m["gradient"][f]):
            dg = row[0].digits
            vals = ", ".join(fmt(v.value, max(dg, 1)) for v in row)
            print(f"  [{f:8s}] a_{g + 1} (x{cfg.multiplicity[g]}): [{vals}]   ({dg} digits agreed)")
    print(f"configuration: {cfg.describe()}; objective: {args.objective}; method: {m['method']}")
    print(f"reproduce: {args.reproduce}")
    return 0
