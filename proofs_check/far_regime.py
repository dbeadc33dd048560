"""The reduced dynamics of the far regime (Theorems 3.5 and 3.7; issue 14): aligned, d = 1, b = 0.

Theorem 3.5's outcome leaves one parameter a_1 at b and the others receding.  Far out the receding
ones form one group of m copies at distance R (the spread inside the group decays like tau^-2,
measured), and a_1 is slaved to it: a_1*(R) is the zero of dL/da_1 (its relaxation is one
gradient-descent step at eta = 1/2; its lag is O(a_1*/tau)).  The reduced model is then

    Lr(R) = L(a_1*(R), R),   f(R) = -(1/m) dLr/dR = -(gradient of one copy at (a_1*, R))   (envelope),
    dR/dtau = eta f (1 - eta f'/2)                                                          (Euler's modified equation),

where the O(eta^2) term is gradient descent's own discreteness (without it the model loses the
GD clock by (1/2) log(tau/tau0) steps).  Every loss and gradient comes from the suite's line rule
(:func:`proofs_check.gradient.evaluate`, k = 1) at the active :class:`~proofs_check.numbers.Precision`.

The model is tabulated on Chebyshev nodes per unit interval of R (log Lr + R^2/8 and log f + R^2/8
are smooth and slowly varying there), and R is the log-time variable:

    tau(R) = tau0 + int_{R0}^R dR' / (eta f (1 - eta f'/2))      (a quadrature, not a stiff ODE).

:func:`run_model` computes R, L, tau L and the local slope d log L / d log tau at given tau, at the
active precision; the claims measure it at two precisions (with two node counts) through
:func:`proofs_check.numbers.measure`.  The asymptotic law lives in :mod:`proofs_check.far_law`.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
from mpmath import mp

from . import gradient


def loss_and_forces(e, R, m):
    """(L, dL/da_1, g_R) at a_1 = e, a group of m copies at R (b = 0, d = 1); g_R = gradient of one copy."""
    ev = gradient.evaluate([[mp.mpf(e)], [mp.mpf(R)]], [mp.zero], [1, int(m)], forms=("pathwise",))
    g = ev.gradient["pathwise"]
    return ev.loss, g[0][0], g[1][0]


def slaved(R, m, max_iter: int = 40):
    """a_1*(R): the zero of dL/da_1 with the group at R (secant from the leading asymptotic form
    a_1* ~ (sqrt(pi/2)/16) sqrt(m) R^2 e^{-R^2/8}); returns (a_1*, L, g_R, |dL/da_1| at a_1*)."""
    R = mp.mpf(R)
    e0 = mpmath.sqrt(mp.pi / 2) / 16 * mpmath.sqrt(m) * R ** 2 * mpmath.exp(-R ** 2 / 8)
    e1 = e0 * (1 + mp.mpf(10) ** -3)
    g0 = loss_and_forces(e0, R, m)[1]
    out = loss_and_forces(e1, R, m)
    tol = mp.mpf(10) ** (-mp.dps + 3)
    for _ in range(max_iter):
        g1 = out[1]
        if g1 == g0 or abs(e1 - e0) <= abs(e1) * tol:
            break
        e0, g0, e1 = e1, g1, e1 - g1 * (e1 - e0) / (g1 - g0)
        out = loss_and_forces(e1, R, m)
    return e1, out[0], out[2], abs(out[1])


def _cheb_nodes(N):
    return [mpmath.cos(mp.pi * (2 * j + 1) / (2 * N)) for j in range(N)]


def _cheb_coeffs(y):
    N = len(y)
    c = [2 * mpmath.fsum(y[j] * mpmath.cos(mp.pi * k * (2 * j + 1) / (2 * N)) for j in range(N)) / N for k in range(N)]
    c[0] /= 2
    return c


def _cheb_eval(c, x):
    """(p(x), p'(x)) of p = sum c_k T_k (three-term recurrences for T_k and T_k' = k U_{k-1})."""
    T0, T1, U0, U1 = mp.one, x, mp.one, 2 * x      # T_0, T_1, U_0, U_1
    p, dp = c[0] + (c[1] * x if len(c) > 1 else 0), (c[1] if len(c) > 1 else 0)
    for k in range(2, len(c)):
        T0, T1 = T1, 2 * x * T1 - T0
        p += c[k] * T1
        dp += c[k] * k * U1
        U0, U1 = U1, 2 * x * U1 - U0
    return p, dp


@dataclass
class Table:
    """The reduced model of one group (m copies) on [lo, hi), ``nodes`` Chebyshev nodes per unit interval.

    ``blocks[k]`` holds the Chebyshev coefficients of log Lr + R^2/8, log f + R^2/8 and a_1* e^{R^2/8}
    on [k, k+1]; ``residual`` the largest |dL/da_1| left by the slaving."""

    m: int
    lo: int
    hi: int
    nodes: int
    blocks: dict
    residual: object

    def _block(self, R):
        k = min(max(int(mpmath.floor(R)), self.lo), self.hi - 1)
        return self.blocks[k], 2 * (R - k) - 1

    def logL(self, R):
        """log Lr(R) (the slaved loss)."""
        R = mp.mpf(R)
        (cL, _, _), x = self._block(R)
        return _cheb_eval(cL, x)[0] - R ** 2 / 8

    def L(self, R):
        """Lr(R)."""
        return mpmath.exp(self.logL(R))

    def a1(self, R):
        """a_1*(R)."""
        R = mp.mpf(R)
        (_, _, cA), x = self._block(R)
        return _cheb_eval(cA, x)[0] * mpmath.exp(-R ** 2 / 8)

    def force(self, R):
        """(f, f'/f) with f = -(1/m) dLr/dR."""
        R = mp.mpf(R)
        (_, cF, _), x = self._block(R)
        p, dp = _cheb_eval(cF, x)
        return mpmath.exp(p - R ** 2 / 8), 2 * dp - R / 4

    def speed(self, R, eta, modified: bool = True):
        """dR/dtau = eta f (1 - eta f'/2) (``modified``) or eta f (the plain gradient flow)."""
        f, dlf = self.force(R)
        return eta * f * (1 - eta * f * dlf / 2) if modified else eta * f


def build_table(m: int, lo: int, hi: int, nodes: int) -> Table:
    """Tabulate the slaved model at the active precision (line-rule losses and gradients at every node)."""
    blocks, res = {}, mp.zero
    for k in range(lo, hi):
        cols = [[], [], []]
        for x in _cheb_nodes(nodes):
            R = k + (1 + x) / 2
            e, L, gR, r = slaved(R, m)
            res = max(res, r)
            cols[0].append(mpmath.log(L) + R ** 2 / 8)
            cols[1].append(mpmath.log(-gR) + R ** 2 / 8)
            cols[2].append(e * mpmath.exp(R ** 2 / 8))
        blocks[k] = tuple(_cheb_coeffs(c) for c in cols)
    return Table(int(m), lo, hi, nodes, blocks, res)


def _dtau(table, a, b, eta, modified):
    """int_a^b dR / speed(R): Gauss-Legendre per unit interval of the table."""
    pts = [a] + [mp.mpf(k) for k in range(int(mpmath.ceil(a)), int(mpmath.floor(b)) + 1) if a < k < b] + [b]
    return mpmath.fsum(mpmath.quad(lambda R: 1 / table.speed(R, eta, modified), [u, v], method="gauss-legendre")
                       for u, v in zip(pts[:-1], pts[1:]))


@dataclass(frozen=True)
class ModelPoint:
    """The reduced model at one tau: R, Lr, tau Lr, the local slope d log L / d log tau, a_1*."""

    tau: object
    R: object
    L: object
    tauL: object
    slope: object
    a1: object


def run_model(table: Table, eta, tau0, R0, taus, modified: bool = True) -> list:
    """The reduced model started at (tau0, R0), evaluated at each tau in ``taus`` (ascending, >= tau0).

    tau(R) is the quadrature of 1/speed; R at a given tau by Newton's method on it."""
    eta, tau0, R0 = mp.mpf(eta), mp.mpf(tau0), mp.mpf(R0)
    edges = [R0] + [mp.mpf(k) for k in range(int(mpmath.floor(R0)) + 1, table.hi + 1)]
    cum = [tau0]
    for a, b in zip(edges[:-1], edges[1:]):
        cum.append(cum[-1] + _dtau(table, a, b, eta, modified))
    out = []
    for t in taus:
        t = mp.mpf(t)
        if t > cum[-1]:
            raise ValueError(f"tau = {mpmath.nstr(t, 5)} lies beyond the table (R < {table.hi}: tau < {mpmath.nstr(cum[-1], 5)})")
        i = max(j for j in range(len(cum)) if cum[j] <= t)
        a, ta = edges[min(i, len(edges) - 1)], cum[i]
        R = a + (t - ta) * table.speed(a, eta, modified)
        R = min(R, edges[min(i + 1, len(edges) - 1)])
        for _ in range(60):
            step = (ta + _dtau(table, a, R, eta, modified) - t) * table.speed(R, eta, modified)
            R -= step
            if abs(step) <= abs(R) * mp.mpf(10) ** (-mp.dps):
                break
        L = table.L(R)
        f, _ = table.force(R)
        slope = -t * table.m * f / L * table.speed(R, eta, modified)
        out.append(ModelPoint(t, R, L, t * L, slope, table.a1(R)))
    return out


def nodes_for(dps: int) -> int:
    """Chebyshev nodes per unit interval at a precision: 8 + dps // 5 (12 at 20 digits, 14 at 30), so the
    two precisions of a measurement also differ in the interpolation (its error enters the agreed digits)."""
    return 8 + dps // 5
