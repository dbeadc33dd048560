"""Subcommands of ``proofs-check``: each module defines ``register(subparsers)``."""
