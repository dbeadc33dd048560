"""Options and output helpers shared by the subcommands."""
from __future__ import annotations

import json
import sys

from ..model import Configuration
from ..numbers import DEFAULT_DPS, check_dps


def register(sub):  # not a command module
    """Nothing: this module holds helpers, not a subcommand."""
    return None


def add_config_options(p, objectives=("forward",)):
    """--params, --truth, --t, --multiplicity, --dps, --objective, --json."""
    p.add_argument("--params", required=True,
                   help="student parameters mu_i: a JSON list of vectors, or a comma list of numbers when d = 1")
    p.add_argument("--truth", required=True, help="the truth mu*: a JSON vector, or a number when d = 1")
    p.add_argument("--t", default="0", help="noise level t >= 0 (default 0); the suite works in a = e^-t mu")
    p.add_argument("--multiplicity", default=None,
                   help="comma list: copies of each parameter (default one each)")
    p.add_argument("--dps", default=str(DEFAULT_DPS), help=f"decimal digits (default {DEFAULT_DPS}, 10..10000)")
    p.add_argument("--objective", default="forward", choices=objectives,
                   help="which loss: forward (score matching under the teacher)")
    add_json(p)


def add_json(p):
    """--json: print machine-readable JSON instead of text."""
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def config_from(args) -> tuple:
    """(Configuration, dps) from parsed options, validated (the CLI's own messages, naming the options)."""
    dps = check_dps(args.dps)
    cfg = Configuration.from_text(args.params, args.truth, args.t, args.multiplicity)
    return cfg, dps


def emit_json(obj) -> None:
    """Print ``obj`` as indented JSON on stdout."""
    json.dump(obj, sys.stdout, indent=2)
    sys.stdout.write("\n")
