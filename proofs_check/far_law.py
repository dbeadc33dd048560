"""The asymptotic law of L(tau) in the far regime (Theorems 3.5 and 3.7; issue 14): derived with sympy.

Aligned, d = 1, b = 0, tau = the number of gradient-descent steps.  One parameter converges
(a_1 -> b, slaved to the rest: :mod:`proofs_check.far_regime`), the others form groups of m_g
copies at distance R_g.  For one group, with eps = 1/R and lam = log m:

    L(R) = C_m R e^{-R^2/8} (1 + k_1 eps^2 + k_2 eps^4 + ...),   C_m = sqrt(m) (pi/2) / sqrt(2 pi)

(:func:`loss_series`).  Derivation: at a_1 = 0, L = R^2 E[W^2] with W the group's weight; the
substitution s = x* + u/R, x* = R/2 - lam/R, makes W = sigma(u) exactly and
phi(s) = phi(x*) exp(-u/2 + (lam u - u^2/2) eps^2), so every coefficient is a moment
M_j = int u^j e^{3u/2} / (1 + e^u)^2 du = (d/da)^j [(1 - a) pi / sin(pi a)] at a = 3/2 (a Beta
integral).  The slaved a_1 changes L by a relative O(R^3 e^{-R^2/8}) = O(1/tau): beyond every
power of eps.

The group moves by dR/dtau = eta f (1 - eta f'/2), f = -L'/m (Euler's modified equation; the
correction is O(1/tau) relative, again beyond every power of eps).  So

    tau(R) = (m/eta) int^R dR'/(-L'(R')) = (m / (eta C_m)) e^{R^2/8} h(R),   h' + (R/4) h = 1/Q,

with -L' = C_m e^{-R^2/8} Q(R), solved as a series in eps (:func:`tau_series`), giving

    tau L = (16 m / (eta R^2)) (1 + c_1 eps^2 + c_2 eps^4 + ...)                 (c_1 = 16, c_2 = 336 - 16 k_1)
    R^2/8 = log(tau / tau_m) + (3/2) log R^2 + d_1 eps^2 + d_2 eps^4 + ...,       tau_m = 16 m / (eta C_m)

up to an additive O(1) in tau (the start), relative O(1/tau).  Leading order:
L ~ 2m / (eta tau log tau); several groups add (the constant 2 (n - 1) / eta when all n - 1
diverging parameters take part).  :func:`limits` derives with sympy what the law implies for
Theorem 3.7 (tau^(1+eps) L -> oo) and Theorem 3.5 (tau L -> 0).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp
from mpmath import mp

EPS, LAM, A = sp.symbols("epsilon lambda a", positive=True)


@lru_cache(maxsize=None)
def beta_moments(J: int) -> tuple:
    """M_0..M_J: M_j = int u^j e^{3u/2} / (1 + e^u)^2 du, from the Beta integral (1 - a) pi / sin(pi a) at a = 3/2."""
    base = (1 - A) * sp.pi / sp.sin(sp.pi * A)
    return tuple(sp.simplify(sp.diff(base, A, j).subs(A, sp.Rational(3, 2))) for j in range(J + 1))


@lru_cache(maxsize=None)
def loss_series(order: int) -> tuple:
    """(C_m, (k_1..k_order)) of L = C_m R e^{-R^2/8} (1 + sum k_j R^{-2j}), as sympy expressions in lambda = log m.

    C_m carries the factor sqrt(m) as sp.exp(LAM / 2)."""
    u = sp.Symbol("u")
    body = sp.series(sp.exp((LAM * u - u ** 2 / 2) * EPS ** 2), EPS, 0, 2 * order + 1).removeO()
    body = sp.expand(body)
    M = beta_moments(4 * order)
    poly = sp.Poly(body, u)
    integral = sum(c * M[mon[0]] for mon, c in zip(poly.monoms(), poly.coeffs()))
    pref = sp.series(sp.exp(-LAM ** 2 * EPS ** 2 / 2), EPS, 0, 2 * order + 1).removeO()
    ratio = sp.expand(sp.series(sp.expand(pref * integral / M[0]), EPS, 0, 2 * order + 1).removeO())
    ks = tuple(sp.simplify(ratio.coeff(EPS, 2 * j)) for j in range(1, order + 1))
    C = sp.exp(LAM / 2) * M[0] / sp.sqrt(2 * sp.pi)
    return sp.simplify(C), ks


@lru_cache(maxsize=None)
def tau_series(order: int) -> tuple:
    """((c_1..c_order), (d_1..d_order)) in terms of symbols k1..k_order (see the module docstring)."""
    ks = sp.symbols(f"k1:{order + 1}")
    R = 1 / EPS
    P = 1 + sum(k * EPS ** (2 * j) for j, k in enumerate(ks, 1))
    N = 2 * order + 4
    # -L' / (C e^{-R^2/8}) = Q(R): d/dR = -eps^2 d/deps
    Q = sp.expand(-(-EPS ** 2 * sp.diff(R * P, EPS)) + (R / 4) * R * P)
    g = sp.series(1 / Q, EPS, 0, N + 3).removeO()
    hs = sp.symbols(f"h0:{N + 3}")
    h = sum(hs[j] * EPS ** j for j in range(N + 3))
    eq = sp.expand(sp.series(-EPS ** 2 * sp.diff(h, EPS) + h / (4 * EPS) - g, EPS, 0, N + 1).removeO())
    sol = sp.solve([eq.coeff(EPS, j) for j in range(-1, N + 1)], hs[:N + 2], dict=True)[0]
    hser = sp.expand(h.subs(sol).subs({x: 0 for x in hs}))
    ratio = sp.expand(sp.series(hser * R * P * R ** 2 / 16, EPS, 0, 2 * order + 1).removeO())
    cs = tuple(sp.simplify(ratio.coeff(EPS, 2 * j)) for j in range(1, order + 1))
    # tau = (m/(eta C)) e^{R^2/8} h,  h = 16 eps^3 (1 + ...):  R^2/8 = log(tau/tau_m) + 3 log R - log(h/(16 eps^3))
    rest = sp.expand(sp.series(-sp.log(sp.expand(hser / (16 * EPS ** 3))), EPS, 0, 2 * order + 1).removeO())
    ds = tuple(sp.simplify(rest.coeff(EPS, 2 * j)) for j in range(1, order + 1))
    return cs, ds


@lru_cache(maxsize=None)
def limits() -> dict:
    """What the leading law L = 16 m / (eta tau R^2), R^2 = 8 log tau + 12 log log tau, implies (sympy limits):
    tau^(1+eps) L for a symbolic eps > 0 (Theorem 3.7), tau L (Theorem 3.5), tau L log tau (the constant)."""
    t, e, m, eta = sp.symbols("tau e m eta", positive=True)
    L = 16 * m / (eta * t * (8 * sp.log(t) + 12 * sp.log(sp.log(t))))
    return {"tau^(1+eps) L": sp.limit(t ** (1 + e) * L, t, sp.oo),
            "tau L": sp.limit(t * L, t, sp.oo),
            "tau L log tau": sp.limit(t * L * sp.log(t), t, sp.oo)}


@dataclass(frozen=True)
class Law:
    """The numeric law of one group of m copies at step size eta (exact inputs: ints or decimal strings)."""

    m: int
    eta: str
    order: int = 2

    def constants(self) -> dict:
        """C_m, k_j, c_j, d_j, tau_m at the active mpmath precision (sympy -> mpf, no Python floats)."""
        C, ks = loss_series(self.order)
        cs, ds = tau_series(self.order)
        lam = sp.log(self.m)
        kv = [k.subs(LAM, lam) for k in ks]
        sub = {sp.Symbol(f"k{j}"): v for j, v in enumerate(kv, 1)}
        ev = lambda x: mpmath.mpf(sp.N(sp.sympify(x).subs(LAM, lam).subs(sub), mp.dps + 5))
        Cm = ev(C)
        eta = mpmath.mpf(self.eta)
        return {"C_m": Cm, "k": [ev(k) for k in kv], "c": [ev(c) for c in cs], "d": [ev(d) for d in ds],
                "tau_m": 16 * self.m / (eta * Cm), "eta": eta}

    def tauL_of_R(self, R, terms: int, K=None) -> mpmath.mpf:
        """tau L = 16 m/(eta R^2) (1 + sum_{j <= terms} c_j R^{-2j})."""
        K = K or self.constants()
        R = mpmath.mpf(R)
        return 16 * self.m / (K["eta"] * R ** 2) * (1 + mpmath.fsum(K["c"][j] / R ** (2 * j + 2) for j in range(terms)))

    def R2_of_tau(self, tau, terms: int, K=None) -> mpmath.mpf:
        """R^2 from R^2/8 = log(tau/tau_m) + (3/2) log R^2 + sum_{j <= terms} d_j R^{-2j} (fixed point)."""
        K = K or self.constants()
        lt = mpmath.log(mpmath.mpf(tau) / K["tau_m"])
        x = 8 * max(lt, mpmath.mpf(1))
        for _ in range(200):
            nx = 8 * (lt + mpmath.log(x) * 3 / 2 + mpmath.fsum(K["d"][j] / x ** (j + 1) for j in range(terms)))
            if abs(nx - x) <= abs(x) * mpmath.mpf(10) ** (-mp.dps):
                return nx
            x = nx
        return x

    def tauL_of_tau(self, tau, terms: int, K=None) -> mpmath.mpf:
        """The law as a function of tau alone: R^2 from :meth:`R2_of_tau`, then :meth:`tauL_of_R`."""
        K = K or self.constants()
        return self.tauL_of_R(mpmath.sqrt(self.R2_of_tau(tau, terms, K)), terms, K)

    def leading(self, tau) -> mpmath.mpf:
        """The leading form tau L ~ 2 m / (eta log tau)."""
        return 2 * self.m / (mpmath.mpf(self.eta) * mpmath.log(mpmath.mpf(tau)))


def summed_tauL(Rs, ms, eta, terms: int = 2) -> mpmath.mpf:
    """Several diverging groups (distances Rs, sizes ms): tau L = sum of the one-group laws at each R_g."""
    return mpmath.fsum(Law(int(m), str(eta), max(terms, 1)).tauL_of_R(R, terms) for R, m in zip(Rs, ms))
