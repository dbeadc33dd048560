"""The ``proofs-check`` command line: a thin layer over the Python API (:mod:`proofs_check.api`).

Each module of :mod:`proofs_check.commands` adds its subcommands through a
``register(subparsers)`` function, parses its options, calls the API and
prints; this file only dispatches and turns user mistakes
(:class:`~proofs_check.errors.InputError`, including an unknown claim) into
one-line errors with exit code 2.  The suite's other deliberate errors
(:class:`~proofs_check.errors.PrecisionError`: the precision cannot decide)
are one line too, with exit code 3; exit code 1 stays a FAIL or a
counterexample.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import shlex
import sys

from . import commands
from .errors import InputError, ProofsCheckError


class _Parser(argparse.ArgumentParser):
    """argparse with its errors as one line and exit code 2."""

    def error(self, message):  # argparse's own errors: one line, exit 2
        self.print_usage(sys.stderr)
        print(f"proofs-check: error: {message}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    """The ``proofs-check`` parser with every command module's subcommands."""
    parser = _Parser(prog="proofs-check",
                     description="Numerical verification of 'Convergence Dynamics of "
                                 "Over-Parameterized Score Matching for a Single Gaussian'.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{mod.name}").register(sub)
    return parser


def reproduce_command(argv) -> str:
    """The command line that reproduces this run, shell-quoted."""
    return "proofs-check " + " ".join(shlex.quote(a) for a in argv)


def main(argv=None) -> int:
    """Run ``proofs-check`` with ``argv`` (default: the process's arguments); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.reproduce = reproduce_command(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as e:
        print(f"proofs-check: error: {e}", file=sys.stderr)
        return 2
    except ProofsCheckError as e:
        print(f"proofs-check: {type(e).__name__}: {e}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into head & co.
        return 0
    except KeyboardInterrupt:
        print("proofs-check: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
