"""Exact inputs, working precision, and values that carry their precision.

Every user-facing number enters the suite as an exact rational (a
:class:`fractions.Fraction` parsed from a decimal string, or the exact binary
value of an mpf) and is rounded once, at the precision in use, by
:func:`to_mpf`.  Nothing passes through a Python float.

Precision is handled here and only here.  A :class:`Precision` owns the
reported digits, the guard digits, the tolerance and the higher precision of
the pair, and its :meth:`Precision.active` context sets mpmath and gmpy2's MPFR
together.  :func:`measure` is the one way to build a :class:`Measured` (a
computation at two precisions), :func:`digits_between` the one digit counter
(floor(-log10(diff/scale))), and :func:`agreed_digits` applies it to two
results.  Nothing outside this module switches mpmath's, MPFR's or Arb's
precision directly: it uses :func:`working`, :func:`at_digits`,
:func:`at_bits` or :func:`ball_bits`.

>>> p = Precision(30)
>>> p.higher().dps
45
>>> with p.active():
...     mp.dps
40
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

import gmpy2
import mpmath
from mpmath import mp

MIN_DPS = 10
MAX_DPS = 10000
DEFAULT_DPS = 30
GUARD_DPS = 10  # extra digits carried internally beyond what is reported


from .errors import InputError  # noqa: E402  (re-exported: the suite's user-mistake error)


_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: Any, what: str = "number") -> Fraction:
    """Parse a decimal string (or int, Fraction, mpf) into an exact Fraction.

    Floats are refused: a float has already lost the digits the user typed.
    """
    if isinstance(text, bool):
        raise InputError(f"{what}: expected a number, got {text!r}")
    if isinstance(text, Fraction):
        return text
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, mpmath.mpf):
        return mpf_to_fraction(text)
    if isinstance(text, float):
        raise InputError(
            f"{what}: got the Python float {text!r}; give the number as a decimal "
            "string so no digits are lost")
    if isinstance(text, str):
        s = text.strip()
        if not _DECIMAL.match(s):
            raise InputError(f"{what}: {text!r} is not a decimal number")
        mant, _, exp = s.lower().partition("e")
        exp_i = int(exp) if exp else 0
        if abs(exp_i) > 100000:
            raise InputError(f"{what}: exponent of {text!r} is out of range")
        return Fraction(mant) * (Fraction(10) ** exp_i)
    raise InputError(f"{what}: expected a number, got {type(text).__name__}")


def mpf_to_fraction(x: mpmath.mpf) -> Fraction:
    """The exact binary rational value of an mpf."""
    if not mpmath.isfinite(x):
        raise InputError(f"non-finite value {x}")
    man, exp = _signed_man_exp(x)
    if man == 0:
        return Fraction(0)
    return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** (-exp))


def _signed_man_exp(x: mpmath.mpf) -> tuple:
    """(signed mantissa, exponent) of an mpf: x = man * 2**exp exactly."""
    sign, man, exp, _ = x._mpf_
    if not man:
        if exp:  # inf / nan are encoded with man = 0 and a special exp
            raise InputError(f"non-finite value {x}")
        return 0, 0
    return (-int(man) if sign else int(man)), int(exp)


def exact_str(q: Fraction) -> str:
    """An exact rational as a terminating decimal string when it has one, else p/q."""
    if q.denominator == 1:
        return str(q.numerator)
    den, twos, fives = q.denominator, 0, 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{q.numerator}/{q.denominator}"
    k = max(twos, fives)
    scaled = abs(q.numerator) * (10 ** k // q.denominator)
    s = str(scaled).rjust(k + 1, "0")
    body = (s[:-k] + "." + s[-k:]).rstrip("0")
    return ("-" if q < 0 else "") + body


def to_mpf(q: Fraction) -> mpmath.mpf:
    """Round an exact rational once, at the current mpmath precision."""
    if q.denominator == 1:
        return mp.mpf(q.numerator)
    return mp.mpf(q.numerator) / q.denominator


def parse_whole(text: Any, what: str, lo: int = 0) -> int:
    """A whole number from user text, at least ``lo``."""
    try:
        v = int(str(text))
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a whole number") from None
    if v < lo:
        raise InputError(f"{what} must be >= {lo}, got {v}")
    return v


def check_dps(dps: Any) -> int:
    """Validate a requested number of decimal digits."""
    try:
        d = int(str(dps))
    except (TypeError, ValueError):
        raise InputError(f"--dps: {dps!r} is not a whole number") from None
    if d < MIN_DPS:
        raise InputError(f"--dps {d} is too low: the suite needs at least {MIN_DPS} digits")
    if d > MAX_DPS:
        raise InputError(f"--dps {d} is too high: at most {MAX_DPS} digits")
    return d


@dataclass(frozen=True)
class Precision:
    """The digits a result is reported to, with the guard digits carried beyond them.

    ``active()`` runs a block at ``dps + guard`` digits in mpmath and, to the
    same number of bits, in gmpy2's MPFR (the quadrature's inner loops run in
    MPFR).  ``higher()`` is the second precision of the pair a value is
    measured at; ``tolerance()`` the relative error target of a quadrature.
    """

    dps: int
    guard: int = GUARD_DPS

    def __post_init__(self):
        if not isinstance(self.dps, int) or isinstance(self.dps, bool) or self.dps < 1:
            raise InputError(f"precision: dps must be a positive whole number, got {self.dps!r}")

    @property
    def working_dps(self) -> int:
        """Digits mpmath carries inside :meth:`active` (reported + guard)."""
        return self.dps + self.guard

    def higher(self, extra: int | None = None) -> "Precision":
        """The second precision of the pair: ``dps + max(10, dps // 2)`` unless ``extra`` is given."""
        return Precision(second_precision(self.dps, extra), self.guard)

    def plus(self, extra: int) -> "Precision":
        """This precision with ``extra`` more reported digits."""
        return Precision(self.dps + extra, self.guard)

    def tolerance(self):
        """Relative error target of a quadrature at this precision: 10^-(dps + 2), as an mpf."""
        return mp.mpf(10) ** (-(self.dps + 2))

    @contextlib.contextmanager
    def active(self):
        """Set mpmath and MPFR to ``dps + guard`` digits for the block."""
        with mp.workdps(self.working_dps):
            with gmpy2.context(gmpy2.get_context(), precision=mp.prec):
                yield self


def as_precision(p: "Precision | int") -> Precision:
    """A :class:`Precision` from a Precision or a whole number of digits (what evaluators accept)."""
    if isinstance(p, Precision):
        return p
    if isinstance(p, bool) or not isinstance(p, int):
        raise InputError(f"precision: expected a Precision or a whole number of digits, got {p!r}")
    return Precision(p)


def working(dps: int):
    """Run a block at ``dps`` decimal digits plus the guard digits (``Precision(dps).active()``)."""
    return Precision(int(dps)).active()


def at_digits(dps: int):
    """Run a block at exactly ``dps`` digits, no guard digits (mpmath and MPFR together)."""
    return Precision(int(dps), guard=0).active()


@contextlib.contextmanager
def at_bits(bits: int):
    """Run a block at ``bits`` bits of binary precision (mpmath and MPFR together)."""
    with mp.workprec(int(bits)):
        with gmpy2.context(gmpy2.get_context(), precision=mp.prec):
            yield


def ball_bits(bits: int):
    """Arb's (python-flint's) working precision for a block of ball arithmetic."""
    from flint import ctx
    return ctx.workprec(int(bits))


@contextlib.contextmanager
def mpfr_matching():
    """gmpy2's MPFR precision set to mpmath's current precision."""
    with gmpy2.context(gmpy2.get_context(), precision=mp.prec):
        yield


def to_mpfr(x):
    """An mpf (or int) as an MPFR number, exactly."""
    man, exp = _signed_man_exp(mp.mpf(x))
    if not man:
        return gmpy2.mpfr(0)
    return gmpy2.mul_2exp(gmpy2.mpfr(gmpy2.mpz(man), max(mp.prec, man.bit_length())), exp)


def from_mpfr(x) -> mpmath.mpf:
    """An MPFR number as an mpf, exactly (then rounded to mpmath's precision)."""
    if not gmpy2.is_finite(x):
        raise ArithmeticError(f"non-finite intermediate {x}")
    man, exp = x.as_mantissa_exp()
    return mp.mpf((int(man), int(exp)))


def digits_between(diff, scale, cap: int | None = None) -> int:
    """The one digit counter: ``floor(-log10(diff / scale))``, at least 0, at most ``cap``.

    ``diff`` is a difference or an error bound, ``scale`` the size it is judged
    against.  An exact agreement (``diff == 0``) or a zero scale gives ``cap``
    (mpmath's current ``dps`` when no cap is given).

    >>> digits_between(mp.mpf("1e-12"), 1)
    12
    >>> digits_between(0, 5, cap=30)
    30
    """
    top = int(mp.dps) if cap is None else int(cap)
    diff, scale = abs(_exact_mpf(diff)), abs(_exact_mpf(scale))
    if scale == 0 or diff == 0:
        return top
    return min(top, max(0, int(mpmath.floor(-mpmath.log10(diff / scale)))))


def agreed_digits(x, y) -> int:
    """Significant decimal digits on which two numbers (or vectors) agree.

    For vectors the count is taken against the largest component, so a
    component that is zero to working precision does not spoil the count.
    The count never exceeds the current precision's digits (the precision the
    difference was taken at), as :func:`digits_between` caps it.
    """
    xs, ys = _flat(x), _flat(y)
    if len(xs) != len(ys):
        raise ValueError("agreed_digits: shapes differ")
    scale = max([abs(mp.mpf(v)) for v in xs + ys] + [mp.mpf(0)])
    if scale == 0:
        return int(mp.dps)
    diff = max(abs(mp.mpf(a) - mp.mpf(b)) for a, b in zip(xs, ys))
    return digits_between(diff, scale)


def _flat(x) -> list:
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(_flat(item))
        return out
    if isinstance(x, mpmath.matrix):
        return [x[i, j] for i in range(x.rows) for j in range(x.cols)]
    return [x]


@dataclass
class Measured:
    """A number together with the evidence for its digits.

    ``value`` is the higher-precision result, ``digits`` the significant digits
    on which the two precisions (see :func:`second_precision`) agree, ``error`` an
    absolute error estimate, ``method`` how it was obtained.
    """

    value: Any
    digits: int
    error: Any = None
    method: str = ""
    precisions: tuple = ()
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The value to its agreed digits, the digits, the error estimate, the method and the precisions."""
        return {
            "value": to_json_number(self.value, self.digits),
            "agreed_digits": self.digits,
            "error_estimate": None if self.error is None else mpmath.nstr(mp.mpf(self.error), 3),
            "method": self.method,
            "precisions_dps": list(self.precisions),
        }


def second_precision(dps: int, extra: int | None = None) -> int:
    """The higher of the two working precisions a value is computed at."""
    return dps + (extra if extra is not None else max(10, dps // 2))


def measure(compute: Callable, prec: "Precision | int", *, extra: int | None = None,
            method: str = "", cap: int | None = None, error=None) -> Measured:
    """The one way to build a :class:`Measured`: ``compute(p)`` at ``prec`` and at ``prec.higher()``.

    ``compute`` receives the active :class:`Precision` and returns a number or
    a (nested) list of numbers.  The value is the higher-precision result; its
    digits are those on which the two results agree, at most ``cap`` (default
    ``prec.dps``).  ``error`` is a callable ``error(value) -> bound`` or None.

    >>> m = measure(lambda p: mpmath.pi, Precision(20))
    >>> m.digits, m.precisions
    (20, (20, 30))
    """
    prec = prec if isinstance(prec, Precision) else Precision(int(prec))
    hi_prec = prec.higher(extra)
    with prec.active():
        lo = compute(prec)
    with hi_prec.active():
        hi = compute(hi_prec)
        digits = min(agreed_digits(hi, lo), prec.dps if cap is None else cap)
        err = error(hi) if error is not None else None
    return Measured(hi, digits, err, method, (prec.dps, hi_prec.dps))


def to_json_number(x, digits: int | None = None):
    """A number as a decimal string with ``digits`` significant digits.

    An mpf is printed from its own value: it is never re-rounded to the
    current (possibly lower) context precision first.
    """
    if isinstance(x, (list, tuple)):
        return [to_json_number(v, digits) for v in x]
    if isinstance(x, mpmath.matrix):
        return [[to_json_number(x[i, j], digits) for j in range(x.cols)] for i in range(x.rows)]
    if isinstance(x, (int, str)):
        return str(x)
    v = _exact_mpf(x)
    if v == 0:
        return "0"
    return mpmath.nstr(v, max(1, digits or mp.dps), strip_zeros=False, min_fixed=-4, max_fixed=8)


def fmt(x, digits: int = 15) -> str:
    """Human formatting of an mpf (from its own value), MPFR number or float, to ``digits`` digits.

    The formatting runs at a precision that keeps the digits asked for
    (mpmath's default context would round to 15).
    """
    with mp.workdps(max(digits, 15) + 10):
        return mpmath.nstr(_exact_mpf(x), digits)


def _exact_mpf(x) -> mpmath.mpf:
    """x as an mpf without rounding it to the context precision."""
    if isinstance(x, mpmath.mpf):
        return x
    if isinstance(x, gmpy2.mpfr):
        with mp.workprec(max(mp.prec, x.precision)):
            return from_mpfr(x)
    return mp.mpf(x)


__all__ = [
    "Precision", "as_precision", "at_digits", "at_bits", "ball_bits", "digits_between", "measure",
    "InputError", "parse_number", "to_mpf", "check_dps", "working", "agreed_digits",
    "Measured", "second_precision", "to_json_number", "fmt", "mpf_to_fraction",
    "parse_whole", "MIN_DPS", "MAX_DPS", "DEFAULT_DPS", "GUARD_DPS", "to_mpfr", "from_mpfr", "mpfr_matching",
]
