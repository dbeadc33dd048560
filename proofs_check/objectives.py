"""The objectives whose gradient descent the suite studies, by name.

``forward`` is the paper's score-matching loss (:func:`proofs_check.gradient.evaluate`).
Other modules register more (the reverse Fisher divergence) with
:func:`objective`.  Every evaluator has the signature of
:func:`proofs_check.gradient.evaluate` and returns a
:class:`proofs_check.gradient.Evaluation`; the CLI's ``--objective`` and the
dynamics engine look them up here.
"""
from __future__ import annotations

import importlib

from . import gradient
from .numbers import InputError

_OBJECTIVES = {"forward": gradient.evaluate}
_PROVIDERS = ("proofs_check.reverse", "proofs_check.general")   # modules that register further objectives


def objective(name: str):
    """Decorator registering an evaluator under ``name``."""
    def deco(fn):
        _OBJECTIVES[name] = fn
        return fn
    return deco


def names() -> tuple:
    for mod in _PROVIDERS:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise
    return tuple(_OBJECTIVES)


def get(name: str):
    if name not in names():
        raise InputError(f"unknown objective {name!r}; choose from {', '.join(names())}")
    return _OBJECTIVES[name]
