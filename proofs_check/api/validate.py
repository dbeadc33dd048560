"""Validation at the API's entry: each mistake named with its argument, its value and the fix.

In the manner of hypothesis's strategy factories (STYLE.md 4): every check
raises :class:`proofs_check.errors.InputError` with a message of the form
``where(argument=value): what is wrong; what to give instead``.
"""
from __future__ import annotations

from ..errors import InputError
from ..numbers import MAX_DPS, MIN_DPS


def configuration(where, params, truth, t, multiplicity):
    """A :class:`~proofs_check.model.Configuration` from the API's arguments (or the one given as ``params``)."""
    from ..model import Configuration
    if isinstance(params, Configuration):
        if truth is not None or multiplicity is not None or str(t) != "0":
            raise InputError(f"{where}(params=Configuration(...), ...): the configuration already holds "
                             "truth, t and multiplicity; do not pass them beside it")
        return params
    if truth is None:
        raise InputError(f"{where}(truth=None): the truth mu* is required, e.g. truth='0.7' or truth=['0', '0']")
    if isinstance(multiplicity, (str, bytes)) or (multiplicity is not None and not isinstance(multiplicity, (list, tuple))):
        raise InputError(f"{where}(multiplicity={multiplicity!r}): give a list of whole numbers >= 1, "
                         "one per parameter")
    if multiplicity is not None and any(isinstance(m, bool) or not isinstance(m, int) for m in multiplicity):
        raise InputError(f"{where}(multiplicity={multiplicity!r}): give whole numbers >= 1 (ints), one per parameter")
    return Configuration.make(params, truth, t, multiplicity)


def dps(where, dps) -> int:
    """A number of decimal digits, an int in MIN_DPS..MAX_DPS."""
    if isinstance(dps, bool) or not isinstance(dps, int):
        raise InputError(f"{where}(dps={dps!r}): give a whole number of decimal digits, {MIN_DPS}..{MAX_DPS}")
    if dps < MIN_DPS:
        raise InputError(f"{where}(dps={dps}): too low; the suite needs at least {MIN_DPS} digits")
    if dps > MAX_DPS:
        raise InputError(f"{where}(dps={dps}): too high; at most {MAX_DPS} digits")
    return dps


def whole(where, name, value, lo) -> int:
    """A whole number (an int, not a bool) at least ``lo``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}({name}={value!r}): give a whole number >= {lo}")
    if value < lo:
        raise InputError(f"{where}({name}={value}): must be >= {lo}")
    return value


def objective(where, name, names) -> str:
    """An objective's name, one of ``names``."""
    if name not in names:
        raise InputError(f"{where}(objective={name!r}): unknown objective; choose from {', '.join(names)}")
    return name


def no_floats(value, path=""):
    """Refuse a Python float anywhere in a JSON-like value (a stress input)."""
    if isinstance(value, float):
        raise InputError(f"stress_input(input=...): field {path!r} is the Python float {value!r}; "
                         "give numbers as decimal strings so no digits are lost")
    if isinstance(value, dict):
        for k, v in value.items():
            no_floats(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            no_floats(v, f"{path}[{i}]")


__all__ = ["configuration", "dps", "whole", "objective", "no_floats"]
