"""The suite's typed errors: what a caller of the Python API or the CLI can catch.

- :class:`ProofsCheckError`: the base of every error the suite raises on purpose.
- :class:`InputError`: a user's mistake (a bad number, an unknown name); the CLI
  prints it as one line and exits with code 2, never with a traceback.
- :class:`PrecisionError`: the working precision cannot resolve what was asked
  (raise the precision or the budget).
- :class:`UnknownClaim`: a claim id that is not in the registry (an InputError).
"""
from __future__ import annotations


class ProofsCheckError(Exception):
    """Base of the errors the suite raises on purpose."""


class InputError(ProofsCheckError, ValueError):
    """A user's mistake: reported as one line, exit code 2, no traceback."""


class PrecisionError(ProofsCheckError, ArithmeticError):
    """The working precision cannot resolve the quantity asked for."""


class UnknownClaim(InputError, KeyError):
    """A claim id that is not in the registry."""

    def __str__(self):
        return str(self.args[0]) if self.args else "unknown claim"


__all__ = ["ProofsCheckError", "InputError", "PrecisionError", "UnknownClaim"]
