"""Weightings lambda(t) of the time-averaged score-matching loss (issue 15; the reviews' question).

The paper trains at one fixed noise level t.  The loss trained in practice
averages the fixed-t losses over noise levels,
``L_avg(mu) = integral_{t_min}^{t_max} lambda(t) L_t(e^-t mu; e^-t mu*) dt``,
with a weighting ``lambda`` normalised to integrate to 1 on ``[t_min, t_max]``.
A :class:`Weighting` describes that lambda:

- :meth:`Weighting.uniform`: lambda constant;
- :meth:`Weighting.variance`: lambda proportional to ``1 - e^{-2t}``, the
  variance of the forward process's noise (the denoising score-matching
  weighting);
- :meth:`Weighting.density`: a user-supplied unnormalised density (an
  mpf-valued callable), normalised here by quadrature.

The bounds are exact (decimal strings, parsed by
:func:`proofs_check.numbers.parse_number`).  :meth:`Weighting.nodes` gives
the Gauss-Legendre rule in t (nodes and weights, the weights carrying
lambda) for the exact time average; :meth:`Weighting.sample` draws float64
noise levels from lambda for stochastic training.

>>> w = Weighting.uniform("0.5", "2")
>>> from proofs_check.numbers import working
>>> with working(20):
...     ts, ws = w.nodes(20, 8)
...     abs(sum(ws) - 1) < mp.mpf(10) ** -20
True
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np
from mpmath import mp

from .errors import InputError
from .numbers import exact_str, parse_number, to_mpf, working

KINDS = ("uniform", "variance", "density")
SAMPLE_GRID = 4097   # grid points of the inverse CDF used by :meth:`Weighting.sample`


def _one(t):
    """The uniform weighting's (unnormalised) density."""
    return mp.one


def _variance(t):
    """The variance weighting's (unnormalised) density ``1 - e^{-2t}``."""
    return -mpmath.expm1(-2 * t)


@dataclass(frozen=True)
class Weighting:
    """A weighting lambda(t) on ``[t_min, t_max]`` (exact bounds), normalised to integrate to 1.

    Build one with :meth:`uniform`, :meth:`variance` or :meth:`density`.
    ``fn`` is the unnormalised density (mpf -> mpf); ``name`` labels it in
    tables and reports.
    """

    kind: str
    t_min_exact: Fraction
    t_max_exact: Fraction
    fn: Callable = field(repr=False, compare=False)
    label: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InputError(f"weighting kind: {self.kind!r}; choose from {', '.join(KINDS)}")
        if not (0 <= self.t_min_exact < self.t_max_exact):
            raise InputError(
                f"weighting: need 0 <= t_min < t_max, got t_min = {exact_str(self.t_min_exact)}, "
                f"t_max = {exact_str(self.t_max_exact)}")

    # ----- constructors -------------------------------------------------
    @classmethod
    def uniform(cls, t_min, t_max) -> "Weighting":
        """lambda(t) = 1 / (t_max - t_min) on ``[t_min, t_max]``."""
        return cls("uniform", parse_number(t_min, "t_min"), parse_number(t_max, "t_max"), _one, "uniform")

    @classmethod
    def variance(cls, t_min, t_max) -> "Weighting":
        """lambda(t) proportional to ``1 - e^{-2t}`` (denoising score matching's weighting)."""
        return cls("variance", parse_number(t_min, "t_min"), parse_number(t_max, "t_max"), _variance,
                   "variance")

    @classmethod
    def density(cls, fn: Callable, t_min, t_max, name: str) -> "Weighting":
        """A user-supplied unnormalised density ``fn`` (mpf -> mpf, nonnegative) on ``[t_min, t_max]``."""
        if not callable(fn):
            raise InputError(f"weighting density: fn must be callable, got {fn!r}")
        if not isinstance(name, str) or not name:
            raise InputError(f"weighting density: name must be a non-empty string, got {name!r}")
        return cls("density", parse_number(t_min, "t_min"), parse_number(t_max, "t_max"), fn, name)

    # ----- description --------------------------------------------------
    @property
    def name(self) -> str:
        """The weighting's label, e.g. ``uniform`` or a user density's name."""
        return self.label or self.kind

    @property
    def t_min(self):
        """The lower bound as an mpf at the current precision (exact value: ``t_min_exact``)."""
        return to_mpf(self.t_min_exact)

    @property
    def t_max(self):
        """The upper bound as an mpf at the current precision (exact value: ``t_max_exact``)."""
        return to_mpf(self.t_max_exact)

    def describe(self) -> str:
        """``name on [t_min, t_max]`` with the exact bounds."""
        return f"{self.name} on [{exact_str(self.t_min_exact)}, {exact_str(self.t_max_exact)}]"

    # ----- values -------------------------------------------------------
    def normaliser(self):
        """``integral fn dt`` over ``[t_min, t_max]`` at the current precision (closed form when known)."""
        lo, hi = self.t_min, self.t_max
        if self.kind == "uniform":
            return hi - lo
        if self.kind == "variance":
            return (hi - lo) + (mp.exp(-2 * hi) - mp.exp(-2 * lo)) / 2
        z = mp.quad(self.fn, [lo, (lo + hi) / 2, hi])
        if not z > 0:
            raise InputError(f"weighting {self.name!r}: the density integrates to {z}, not a positive number")
        return z

    def weight(self, t):
        """lambda(t), normalised to integrate to 1 on ``[t_min, t_max]`` (0 outside), as an mpf."""
        t = mp.mpf(t)
        if t < self.t_min or t > self.t_max:
            return mp.zero
        return self.fn(t) / self.normaliser()

    def nodes(self, dps: int, count: int) -> tuple:
        """``(ts, ws)``: the ``count``-point Gauss-Legendre rule in t with the weights carrying lambda.

        ``sum_j ws[j] f(ts[j])`` approximates ``integral lambda(t) f(t) dt``;
        ``sum ws`` is 1 up to the rule's error on lambda alone (exactly 1 for
        the uniform weighting).  Computed at ``dps`` digits plus guard digits.
        """
        if not isinstance(count, int) or count < 1:
            raise InputError(f"weighting nodes: count must be a positive whole number, got {count!r}")
        with working(int(dps)):
            lo, hi = self.t_min, self.t_max
            half, mid = (hi - lo) / 2, (hi + lo) / 2
            z = self.normaliser()
            ts, ws = [], []
            for x, w in _legendre_rule(count, int(dps)):
                t = mid + half * mp.mpf(x)
                ts.append(t)
                ws.append(half * mp.mpf(w) * self.fn(t) / z)
        return ts, ws

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` float64 noise levels drawn from lambda (inverse CDF on a grid of SAMPLE_GRID points)."""
        grid, cdf = self._cdf_grid()
        return np.interp(rng.random(int(size)), cdf, grid)

    def _cdf_grid(self) -> tuple:
        return _cdf_table(self.kind, self.t_min_exact, self.t_max_exact, self.fn)


@functools.lru_cache(maxsize=64)
def _cdf_table(kind, t_min_exact, t_max_exact, fn) -> tuple:
    """The float64 grid and the normalised CDF (trapezoid rule in float64) of a weighting."""
    lo, hi = float(t_min_exact), float(t_max_exact)
    grid = np.linspace(lo, hi, SAMPLE_GRID)
    with working(15):
        dens = np.array([float(fn(mp.mpf(x))) for x in grid])  # float64 grid: exact as mpf
    if np.any(dens < 0):
        raise InputError(f"weighting {kind}: the density is negative somewhere on [{lo}, {hi}]")
    cdf = np.concatenate([[0.0], np.cumsum((dens[1:] + dens[:-1]) / 2 * np.diff(grid))])
    if not cdf[-1] > 0:
        raise InputError(f"weighting {kind}: the density integrates to zero")
    return grid, cdf / cdf[-1]


@functools.lru_cache(maxsize=128)
def _legendre_rule(count: int, dps: int) -> tuple:
    """The ``count``-point Gauss-Legendre nodes and weights on [-1, 1] at ``dps`` digits (Newton on P_n)."""
    out = []
    with working(dps):
        eps = mp.mpf(10) ** (-(dps + 5))
        for i in range(1, count + 1):
            x = mp.cos(mp.pi * (i - mp.mpf(1) / 4) / (count + mp.mpf(1) / 2))
            for _ in range(200):
                p, dp = _legendre_and_derivative(count, x)
                dx = p / dp
                x -= dx
                if abs(dx) < eps:
                    break
            p, dp = _legendre_and_derivative(count, x)
            out.append((x, 2 / ((1 - x * x) * dp * dp)))
    return tuple(reversed(out))


def _legendre_and_derivative(n: int, x) -> tuple:
    """``(P_n(x), P_n'(x))`` by the three-term recurrence."""
    p0, p1 = mp.one, x
    if n == 0:
        return p0, mp.zero
    for k in range(2, n + 1):
        p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
    return p1, n * (x * p1 - p0) / (x * x - 1)


__all__ = ["KINDS", "SAMPLE_GRID", "Weighting"]
