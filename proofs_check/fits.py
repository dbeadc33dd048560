"""Fits and intervals for the claims' measurements: the one place for them.

Log-log slopes with their standard errors and confidence intervals (scipy's
``linregress`` and Student t), slopes over a window of steps, least squares on
a named basis, candidate-law comparison by AIC, and binomial frequencies with
Wilson intervals (scipy's ``binomtest``).  Float64 throughout: these describe
measured series, never high-precision values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy import optimize, stats

LEVEL = 0.95
Z_LEVEL = float(stats.norm.ppf(0.5 + LEVEL / 2))   # the two-sided normal quantile of LEVEL (1.95996...)


def short(x, digits: int = 4) -> str:
    """A float (or anything float() takes) with ``digits`` significant digits."""
    return f"{float(x):.{digits}g}"


@dataclass(frozen=True)
class Slope:
    """A fitted slope with its standard error and a two-sided ``LEVEL`` confidence interval."""

    value: float
    stderr: float
    points: int
    lo: float
    hi: float

    @property
    def half_width(self) -> float:
        """Half the width of the confidence interval."""
        return (self.hi - self.lo) / 2

    def __str__(self):
        return f"{self.value:.4f} +- {self.stderr:.2g}"


def interval_text(fit: Slope | None, decimals: int = 4) -> str:
    """'value [lo, hi]' of a fitted slope; 'too few points' when there was no fit."""
    if fit is None:
        return "too few points"
    return f"{fit.value:.{decimals}f} [{fit.lo:.{decimals}f}, {fit.hi:.{decimals}f}]"


def slope(x: Sequence[float], y: Sequence[float], level: float = LEVEL) -> Slope:
    """Least-squares slope of y against x (at least 3 points; the interval uses Student t)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3:
        raise ValueError(f"a slope with an error needs at least 3 points, got {len(x)}")
    r = stats.linregress(x, y)
    t = stats.t.ppf(0.5 + level / 2, len(x) - 2)
    return Slope(float(r.slope), float(r.stderr), len(x), float(r.slope - t * r.stderr),
                 float(r.slope + t * r.stderr))


def loglog_slope(x: Sequence[float], y: Sequence[float], level: float = LEVEL) -> Slope:
    """The slope of log y against log x (a power law's exponent)."""
    return slope(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), level)


def weighted_slope(x: Sequence[float], y: Sequence[float], weights: Sequence[float]) -> Slope:
    """Slope of y against x by least squares with known weights 1/var(y_i) (no residual scale).

    The standard error is sqrt(1 / sum w (x - xbar)^2); the interval is +- Z_LEVEL of it (normal,
    since the variances are known, e.g. binomial counts).
    """
    x, y, w = (np.asarray(v, float) for v in (x, y, weights))
    if len(x) < 3:
        raise ValueError(f"a slope with an error needs at least 3 points, got {len(x)}")
    xm, ym = (w @ x) / w.sum(), (w @ y) / w.sum()
    sxx = float(w @ (x - xm) ** 2)
    value = float(w @ ((x - xm) * (y - ym)) / sxx)
    se = 1 / math.sqrt(sxx)
    return Slope(value, se, len(x), value - Z_LEVEL * se, value + Z_LEVEL * se)


def window_slope(steps: Sequence[float], values: Sequence[float], lo: float, hi: float) -> Slope | None:
    """The log-log slope of positive ``values`` over recorded ``steps`` in [lo, hi]; None below 3 points."""
    s, v = np.asarray(steps, float), np.asarray(values, float)
    m = (s >= lo) & (s <= hi) & (v > 0) & (s > 0)
    if m.sum() < 3:
        return None
    return loglog_slope(s[m], v[m])


@dataclass(frozen=True)
class LinearFit:
    """A least-squares fit on a named basis: the coefficients and the residuals."""

    coefficients: tuple
    residuals: tuple

    @property
    def rss(self) -> float:
        """The residual sum of squares."""
        return float(sum(r * r for r in self.residuals))


def least_squares(xs: Sequence[float], ys: Sequence[float], basis: Sequence[Callable[[float], float]]) -> LinearFit:
    """ys ~ sum_k c_k basis_k(xs) by least squares."""
    X = np.array([[f(x) for f in basis] for x in xs], dtype=float)
    y = np.asarray(ys, float)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    return LinearFit(tuple(float(c) for c in coef), tuple(float(r) for r in y - X @ coef))


@dataclass(frozen=True)
class Law:
    """A candidate law y = f(x, *params) and the starting point of its fit."""

    name: str
    f: Callable
    p0: tuple


@dataclass(frozen=True)
class LawFit:
    """One candidate law fitted by nonlinear least squares: its parameters, residuals and AIC."""

    name: str
    params: tuple
    residuals: tuple
    aic: float           # Akaike's criterion of the Gaussian-residual fit (smaller is better)

    @property
    def rss(self) -> float:
        """The residual sum of squares."""
        return float(sum(r * r for r in self.residuals))


def fit_laws(xs: Sequence[float], ys: Sequence[float], laws: Sequence[Law]) -> list[LawFit]:
    """Fit each candidate law by nonlinear least squares; sorted by AIC, best first.

    A law whose fit does not converge is left out.  AIC = N log(RSS/N) + 2k
    (k parameters); with N points it is comparable across laws on the same data.
    """
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    out = []
    for law in laws:
        try:
            p, _ = optimize.curve_fit(law.f, x, y, p0=law.p0, maxfev=20000)
        except (RuntimeError, ValueError, optimize.OptimizeWarning):
            continue
        res = y - law.f(x, *p)
        rss = float(res @ res)
        aic = len(x) * math.log(max(rss, 1e-300) / len(x)) + 2 * len(p)
        out.append(LawFit(law.name, tuple(float(v) for v in p), tuple(float(r) for r in res), aic))
    return sorted(out, key=lambda f: f.aic)


@dataclass(frozen=True)
class Frequency:
    """k successes in N trials with the Wilson interval [lo, hi] at ``LEVEL``."""

    k: int
    N: int
    lo: float
    hi: float

    @property
    def value(self) -> float:
        """The observed frequency k/N (nan without trials)."""
        return self.k / self.N if self.N else float("nan")

    def __str__(self):
        if not self.N:
            return "no trials"
        return f"{self.k}/{self.N} = {self.value:.4f} [{self.lo:.4f}, {self.hi:.4f}]"


def fewest_trials(p: float) -> int:
    """The fewest trials N whose Wilson lower bound can reach ``p`` (all successes: N/(N + z^2) >= p)."""
    if not 0 < p < 1:
        raise ValueError(f"fewest_trials needs 0 < p < 1, got {p}")
    return math.ceil(Z_LEVEL ** 2 * p / (1 - p))


def frequency(k: int, N: int, level: float = LEVEL) -> Frequency:
    """A binomial frequency with its Wilson score interval (no trials: [0, 1])."""
    if not 0 <= k <= N:
        raise ValueError(f"frequency needs 0 <= k <= N, got k={k}, N={N}")
    if N == 0:
        return Frequency(0, 0, 0.0, 1.0)
    ci = stats.binomtest(int(k), int(N)).proportion_ci(confidence_level=level, method="wilson")
    return Frequency(int(k), int(N), float(ci.low), float(ci.high))
