"""The linearised spread of nearly coincident parameters (Theorems 3.2 and 3.4, d = 1).

Derivation (the loss without factor 1/2, truth b, step eta).  Put a_i = a + s_i with sum_i s_i = 0 and
A = a - b.  To second order in s the softmax weights are w_i = (1 + s_i (x - a)) / n + O(s^2), so
sum_i w_i a_i = a + (|s|^2 / n)(x - a) + O(s^3) and, with E[x - a] = -A,

    L = A^2 (1 - 2 |s|^2 / n) + O(|s|^3).

One gradient step therefore multiplies A by q = 1 - 2 eta / n (the identical-parameter gradient is 2A/n
per copy; exact, up to O(|s|^2)) and every zero-sum spread direction by 1 + 4 eta A^2 / n (up to a
relative O(|s|^2)).  From a_1(0) = delta, a_i(0) = 0 (i >= 2), truth D, the spread grows by

    G(D) = sum_{k >= 0} log(1 + (4 eta / n) D^2 q^(2k))           (:func:`split_growth`)

while the centre comes in; the outcome is decided in an O(1) end stage near b, so
log(1/delta*) = G(D) + c0.  For large D (Euler-Maclaurin, the integral via the dilogarithm)
G = y^2 / (4 lam) + y / 2 + pi^2 / (12 lam) + lam / 6 + O(D^-2), y = log(4 eta D^2 / n),
lam = -log q (:func:`split_growth_asymptotic`): quasi-polynomial, ~ (n / (2 eta)) (log D)^2.

:func:`journey` carries this recursion from the start until |A| <= ``handoff`` (where A |s| is still
tiny), and :func:`hybrid_run` hands the state to the arbitrary-precision engine (:mod:`dynamics`) for
the end stage: the engine decides the outcome, the recursion only carries the exponentially small
spread across the long, linear part of the journey.  :func:`mean_spread_run` is the same recursion
for any zero-sum start (Theorem 3.2 at its bound, where the spread stays linear to the end).
All arithmetic is mpmath at the caller's working precision (see :mod:`numbers`).
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
from mpmath import mp

from . import dynamics
from .numbers import to_mpf, parse_number


def _mpf(x):
    """An exact input (decimal string, int, Fraction, mpf) as mpf at the working precision."""
    return x if isinstance(x, mpmath.mpf) else to_mpf(parse_number(x))


def contraction(n: int, eta) -> mpmath.mpf:
    """q = 1 - 2 eta / n: the centre's factor per step (Theorem 3.2's reference point A)."""
    return 1 - 2 * _mpf(eta) / n


def split_growth(D, n: int, eta) -> mpmath.mpf:
    """G(D) = sum_k log(1 + (4 eta / n) D^2 q^(2k)) (Theorem 3.4's split growth; see the module docstring)."""
    D, eta = _mpf(D), _mpf(eta)
    q, c = contraction(n, eta), 4 * eta / n * D * D
    total, term, k = mp.zero, mp.one, 0
    eps = mpmath.eps * 16
    while term > eps * (1 + total):
        term = mpmath.log1p(c * q ** (2 * k))
        total += term
        k += 1
    return total


def split_growth_asymptotic(D, n: int, eta) -> mpmath.mpf:
    """The large-D form y^2/(4 lam) + y/2 + pi^2/(12 lam) + lam/6 of G(D), y = log(4 eta D^2/n), lam = -log q."""
    D, eta = _mpf(D), _mpf(eta)
    lam = -mpmath.log(contraction(n, eta))
    y = mpmath.log(4 * eta * D * D / n)
    return y * y / (4 * lam) + y / 2 + mp.pi ** 2 / (12 * lam) + lam / 6


def crossing(n: int, eta_of_D, c0, slope=mpmath.mpf(1) / 100, lo=10, hi=mpmath.mpf(10) ** 14):
    """The D where G(D, eta(D)) + c0 = slope * D first turns negative after lo (Theorem 3.4's example
    delta = exp(-D/100) meets the derived threshold), by bisection on log D; None if G + c0 > slope D
    all the way to hi.  ``eta_of_D(D) -> mpf``."""
    def gap(logD):
        D = mpmath.exp(logD)
        return split_growth_asymptotic(D, n, eta_of_D(D)) + c0 - slope * D

    a, b = mpmath.log(lo), mpmath.log(hi)
    if gap(a) <= 0:
        return mpmath.mpf(lo)
    if gap(b) > 0:
        return None
    for _ in range(200):
        m = (a + b) / 2
        a, b = (m, b) if gap(m) > 0 else (a, m)
    return mpmath.exp((a + b) / 2)


@dataclass(frozen=True)
class HandOff:
    """The state after the linear journey: centre offset A = abar - b, split s = a_1 - a_group, log growth."""

    steps: int
    A: mpmath.mpf
    split: mpmath.mpf
    log_growth: mpmath.mpf      # log(split / delta) = sum of log(1 + 4 eta A_k^2 / n) over the journey


LINEAR_LIMIT = mpmath.mpf(10) ** -3   # the journey stops once |A| * split reaches this (the O(A s) terms)


def journey(D, log_delta, n: int, eta, handoff) -> HandOff:
    """The linear recursion from a_1(0) = exp(log_delta), a_i(0) = 0 (i >= 2), truth D, until |A| <= handoff
    or |A| * split >= LINEAR_LIMIT (a large delta: the split leaves the linear regime on the way in).

    Theorem 3.4's set-up: the centre abar = delta / n, the split a_1 - a_i = delta."""
    D, eta, handoff, log_delta = _mpf(D), _mpf(eta), _mpf(handoff), _mpf(log_delta)
    q = contraction(n, eta)
    A = mpmath.exp(log_delta) / n - D
    growth, k = mp.zero, 0
    log_limit = mpmath.log(LINEAR_LIMIT)
    while abs(A) > handoff and log_delta + growth + mpmath.log(abs(A)) < log_limit:
        growth += mpmath.log1p(4 * eta * A * A / n)
        A *= q
        k += 1
    return HandOff(k, A, mpmath.exp(log_delta + growth), growth)


def hybrid_run(D, log_delta, n: int, eta, handoff, keep_digits: int = 20, steps: int = 3000,
               diverge_distance=None):
    """Theorem 3.4's run: :func:`journey` to |A| <= handoff, then the engine (dynamics.run) from
    a_1 = b + A + s (n-1)/n, a_group = b + A - s/n (the same centre and split).  Returns (Trajectory, HandOff).

    The engine's starting precision is chosen from the split (log10(handoff/s) + keep_digits + 10)."""
    h = journey(D, log_delta, n, eta, handoff)
    D = _mpf(D)
    need = int(mpmath.ceil(mpmath.log10(_mpf(handoff) / abs(h.split)))) + keep_digits + 10
    dps = max(mp.dps, need)
    a1 = D + h.A + h.split * (n - 1) / n
    ag = D + h.A - h.split / n
    tr = dynamics.run([a1, ag], D, multiplicity=[1, n - 1], eta=eta, steps=steps, dps=dps,
                      keep_digits=keep_digits, diverge_distance=diverge_distance, progress=False)
    return tr, h


@dataclass(frozen=True)
class MeanSpread:
    """Theorem 3.2 in the mean + linearised-spread representation: per recorded step, |abar - b| and the
    spread max_i |a_i - abar| (mpf), and the largest relative size of the neglected terms (|s|^2)."""

    steps: tuple
    centre_distance: tuple
    spread: tuple
    neglected: mpmath.mpf


def mean_spread_run(init, b, eta, steps: int) -> MeanSpread:
    """Gradient descent from ``init`` (d = 1, n = len(init), exact inputs) with the centre exact for
    coincident parameters (A <- q A) and the spread vector multiplied by 1 + 4 eta A^2 / n per step."""
    a = [_mpf(x) for x in init]
    n = len(a)
    b, eta = _mpf(b), _mpf(eta)
    q = contraction(n, eta)
    centre = sum(a) / n
    s = [x - centre for x in a]
    A = centre - b
    cs, ss, ks = [abs(A)], [max(abs(x) for x in s)], [0]
    worst = mp.zero
    for k in range(1, steps + 1):
        g = 1 + 4 * eta * A * A / n
        s = [x * g for x in s]
        A *= q
        norm2 = sum(x * x for x in s)
        worst = max(worst, norm2)
        cs.append(abs(A))
        ss.append(max(abs(x) for x in s))
        ks.append(k)
    return MeanSpread(tuple(ks), tuple(cs), tuple(ss), worst)
