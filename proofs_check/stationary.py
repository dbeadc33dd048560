"""Theorem 3.1's stationary point: the maximiser r* of L along the symmetric family.

The family is ``a - b = (0 [x m], r, -r)`` along one direction u (m copies at b,
n = m + 2); :func:`hessian.along_r` gives ``(L, dL/dr, d^2L/dr^2)`` on it from
the sympy-derived integrands.  Used by the claim (``claims.stationary_point``)
and the bench; it lives in the library so that neither imports the other.
"""
from __future__ import annotations

from mpmath import mp

from . import hessian
from .numbers import working


def locate_r_star(m: int, dps: int):
    """The maximiser r* of L(r) (a - b = (0 x m, r, -r)) at ``dps`` digits.

    A sign change of dL/dr on a grid at 20 digits brackets it; Newton steps on
    dL/dr with the derived d^2L/dr^2 (both from :func:`hessian.along_r`), at
    the final precision, converge quadratically.  Returns (r*, iterations).
    """
    with working(20):
        grid = [mp.mpf(k) / 4 for k in range(1, 41)]
        prev = None
        lo = hi = None
        for r in grid:
            dl = hessian.along_r(r, m, mp.mpf(10) ** -20)[1]
            if prev is not None and prev[1] > 0 and dl < 0:
                lo, hi = prev[0], r
                break
            prev = (r, dl)
        if lo is None:
            raise ArithmeticError("no maximiser of L(r) in (0, 10]")
        r = (lo + hi) / 2
    its = 0
    with working(dps):
        r = mp.mpf(r)
        lo, hi = mp.mpf(lo), mp.mpf(hi)
        tol = mp.mpf(10) ** -(dps + 3)
        for its in range(1, 60):
            _, d1, d2 = hessian.along_r(r, m, mp.mpf(10) ** -(dps + 2))
            step = d1 / d2
            new = r - step
            if not (lo < new < hi):         # safeguard: bisect
                if d1 > 0:
                    lo = r
                else:
                    hi = r
                new = (lo + hi) / 2
            r = new
            if abs(step) < tol:
                break
        return +r, its
