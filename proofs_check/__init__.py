"""proofs-check: numerical verification of "Convergence Dynamics of Over-Parameterized
Score Matching for a Single Gaussian" (ICLR 2026), as a Python API.

>>> import proofs_check as pc
>>> pc.loss(["0.3", "-1.1", "2.0"], "0.7", dps=20)
LossResult(0.58535142548553790161, digits=20)
>>> pc.run_claim("lemD.1").verdict
'PASS'

The functions (:mod:`proofs_check.api`): :func:`loss`, :func:`gradient`,
:func:`simulate`, :func:`run_claim`, :func:`certify`, :func:`stress`, and
beside them :func:`stress_input`, :func:`get_claim`, :func:`list_claims`,
:func:`certificates`, :func:`get_probe`, :func:`list_probes`,
:func:`objective_names`.  Inputs are exact (decimal strings, ints, Fractions,
mpf; never floats); results carry their agreed digits; mistakes raise
:class:`InputError` (a subclass of ValueError), :class:`UnknownClaim` or
:class:`PrecisionError`, all :class:`ProofsCheckError`.

Three of the API's names are also the names of library modules:
``proofs_check.gradient``, ``proofs_check.certify`` and ``proofs_check.stress``.
``pc.gradient`` therefore IS the module :mod:`proofs_check.gradient` (so
``from proofs_check import gradient`` keeps meaning the module, everywhere),
made callable: ``pc.gradient(...)`` calls :func:`proofs_check.api.gradient`.
The same holds for ``certify`` and ``stress``.  The docstrings of the three
functions are those of :func:`proofs_check.api.gradient`,
:func:`proofs_check.api.certify` and :func:`proofs_check.api.stress`.

``import proofs_check`` loads only the API and :mod:`proofs_check.numbers`
(about 0.2 s); each function imports the library it needs (sympy, the
quadrature, the claims: about 1 s) on its first call, and reading
``pc.gradient``, ``pc.certify`` or ``pc.stress`` imports that module.
"""
from __future__ import annotations

import importlib
import sys
import types

from .api import (GradientResult, LossResult, Simulation, StressInput, certificates, get_claim, get_probe,
                  list_claims, list_probes, loss, objective_names, run_claim, simulate, stress_input)
from .errors import InputError, PrecisionError, ProofsCheckError, UnknownClaim

_CALLABLE_MODULES = ("gradient", "certify", "stress")   # API names that are also library modules


class _CallableModule(types.ModuleType):
    """A library module whose name is also an API function: calling the module calls the function."""

    def __call__(self, *args, **kwargs):
        """Call :mod:`proofs_check.api`'s function of this module's name."""
        from . import api
        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)

    def __reduce__(self):
        """Pickled by name, like a plain module reference (pools, Dask)."""
        return importlib.import_module, (self.__name__,)


class _Package(types.ModuleType):
    """This package: binding ``gradient``, ``certify`` or ``stress`` (the import system does) makes the module callable."""

    def __setattr__(self, name, value):
        if name in _CALLABLE_MODULES and type(value) is types.ModuleType:
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


def __getattr__(name):
    """``pc.gradient`` (and ``certify``, ``stress``) before anything imported it: import the module now."""
    if name in _CALLABLE_MODULES:
        return importlib.import_module(f"{__name__}.{name}")   # bound through _Package.__setattr__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


sys.modules[__name__].__class__ = _Package
for _name in _CALLABLE_MODULES:      # bound before the swap (never, today): make them callable too
    if type(globals().get(_name)) is types.ModuleType:
        globals()[_name].__class__ = _CallableModule

__all__ = ["loss", "gradient", "simulate", "run_claim", "certify", "stress", "stress_input",
           "get_claim", "list_claims", "certificates", "get_probe", "list_probes", "objective_names",
           "LossResult", "GradientResult", "Simulation", "StressInput",
           "ProofsCheckError", "InputError", "PrecisionError", "UnknownClaim"]
