"""The registry of objectives: a name -> evaluator table with explicit registration.

An evaluator has the signature of :func:`proofs_check.gradient.evaluate`
(``evaluator(A, b, multiplicity, forms, loss, rel_tol, backend, qmc_points,
seed)``) and returns a :class:`proofs_check.gradient.Evaluation`.  Nothing is
registered by importing a module: :mod:`proofs_check.objectives` registers the
suite's own objectives by name, and a caller (a claim at run time, a test, a
notebook) adds more with :func:`register`.
"""
from __future__ import annotations

from typing import Callable

from ..errors import InputError

_OBJECTIVES: dict = {}


def register(name: str, evaluator: Callable, *, replace: bool = False) -> Callable:
    """Register ``evaluator`` under ``name`` and return it.

    A name already taken is refused (:class:`~proofs_check.errors.InputError`)
    unless ``replace=True``.

    >>> register("forward", lambda *a, **k: None)
    Traceback (most recent call last):
    ...
    proofs_check.errors.InputError: objective 'forward' is already registered; pass replace=True to replace it
    """
    if not isinstance(name, str) or not name:
        raise InputError(f"objective name must be a non-empty string, got {name!r}")
    if not callable(evaluator):
        raise InputError(f"objective {name!r}: the evaluator must be callable, got {evaluator!r}")
    if name in _OBJECTIVES and not replace and _OBJECTIVES[name] is not evaluator:
        raise InputError(f"objective {name!r} is already registered; pass replace=True to replace it")
    _OBJECTIVES[name] = evaluator
    return evaluator


def unregister(name: str) -> None:
    """Remove ``name`` from the registry (a test's temporary objective); unknown names are ignored."""
    _OBJECTIVES.pop(name, None)


def names() -> tuple:
    """The registered objective names, in registration order."""
    return tuple(_OBJECTIVES)


def get(name: str) -> Callable:
    """The evaluator registered as ``name``; :class:`~proofs_check.errors.InputError` for an unknown name."""
    try:
        return _OBJECTIVES[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown objective {name!r}; choose from {', '.join(names())}") from None
