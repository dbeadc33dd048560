"""The reverse Fisher divergence's derivation (MATH.md 6), in sympy: the source of truth.

Single-Gaussian teacher ``N(b, I)``, student ``p_a = sum_g (m_g/n) N(a_g, I)``,
centred form ``c_g = a_g - b``: ``L_rev = sum_g (m_g/n) E_{N(c_g, I)} f`` with
``f = |sum_g w_g(y) c_g|^2`` (:func:`proofs_check.symbolic.derive`'s ``loss``).
The gradient of one copy of parameter k has an integrand term (``d f / d y_k``)
and a measure term (``(y - c_k) f``, the component's score derived as
``d/dz log phi(y - z)``); their Stein forms under ``N(z, I)`` are derived here
too (:func:`derive_reverse`).  The teacher-mixture variant (rev.mixture) has
its own derivation (:func:`derive_mixture`): the integrand is
``|s_student(x) - grad log q(x)|^2``.  :func:`verify_reverse_derivation`
decides every step exactly; :func:`compiled_reverse` and
:func:`compiled_mixture` lambdify the derived expressions for
:mod:`proofs_check.reverse`'s quadrature.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .gradient import FORMS
from .symbolic import derive, is_zero, normalised, total_derivative


# -- the derivation ------------------------------------------------------------------
@dataclass(frozen=True)
class ReverseDerivation:
    """Integrands of the reverse loss for G groups in R^k, centred form.

    ``z``: the centre of the component the expectation is taken under.
    ``loss`` = f; ``param[g][c]`` = d f / d y_{g,c} (group derivative, explicit x);
    ``param_stein[g][c]`` its Stein form under N(z, I); ``measure[c]`` =
    ``(x_c - z_c) f`` (derived as ``d log phi(x - z) / d z_c * f``);
    ``measure_stein[c]`` = ``D(f, x_c)``.
    """

    G: int
    k: int
    x: tuple
    z: tuple
    y: tuple
    E: tuple
    loss: sp.Expr
    param: tuple
    param_stein: tuple
    measure: tuple
    measure_stein: tuple
    base: object      # the Derivation (forward module's or the mixture's)


def _component_score(x, z):
    """``d/dz_c log phi(x - z)`` for the standard normal density phi, derived."""
    logphi = -sum((xc - zc) ** 2 for xc, zc in zip(x, z)) / 2 - len(x) * sp.log(2 * sp.pi) / 2
    return tuple(sp.diff(logphi, zc) for zc in z)


def _reverse_from(base, loss, param, stein_split):
    """Build the reverse-loss integrands from a base derivation's D and integrand."""
    k = len(base.x)
    z = tuple(sp.Symbol(f"z{c}", real=True) for c in range(k))
    score = _component_score(base.x, z)
    measure = tuple(score[c] * loss for c in range(k))
    measure_stein = tuple(base.D(loss, base.x[c]) for c in range(k))
    pst = []
    for g, row in enumerate(param):
        srow = []
        for c, P in enumerate(row):
            Gc, H = stein_split(P, c)
            # E_{N(z)}[x_c Gc] = E[z_c Gc + D(Gc, x_c)]
            srow.append(H + z[c] * Gc + base.D(Gc, base.x[c]))
        pst.append(tuple(srow))
    return z, measure, measure_stein, tuple(pst)


@lru_cache(maxsize=None)
def derive_reverse(G: int, k: int) -> ReverseDerivation:
    """The reverse loss's integrands, reusing the forward derivation's symbols and D."""
    base = derive(G, k)

    def split(P, c):
        Gc = sp.diff(P, base.x[c])
        return Gc, P.subs(base.x[c], 0)

    z, measure, measure_stein, pst = _reverse_from(base, base.loss, base.pathwise, split)
    return ReverseDerivation(G, k, base.x, z, base.y, base.E, base.loss, base.pathwise,
                             pst, measure, measure_stein, base)


@dataclass(frozen=True)
class MixtureDerivation:
    """Symbols of the teacher-mixture integrand: student (y, E), teacher (t, T).

    ``T_j = pi_j exp(<x, t_j> - |t_j|^2/2)`` are the teacher's exponentials;
    they depend on x, not on the student parameters.
    """

    G: int
    K: int
    k: int
    x: tuple
    y: tuple
    E: tuple
    t: tuple
    T: tuple

    def D(self, expr, var):
        """Total derivative of ``expr`` with respect to one x or y symbol, through E and T."""
        return total_derivative(expr, var, self._dependents(var))

    def _dependents(self, var):
        """``(symbol, d symbol / d var)`` for the exponentials E (student) and T (teacher)."""
        if var in self.x:
            c = self.x.index(var)
            return ([(self.E[h], self.E[h] * self.y[h][c]) for h in range(self.G)]
                    + [(self.T[j], self.T[j] * self.t[j][c]) for j in range(self.K)])
        for h in range(self.G):
            for c in range(self.k):
                if var == self.y[h][c]:
                    return [(self.E[h], self.E[h] * (self.x[c] - self.y[h][c]))]
        return []


@lru_cache(maxsize=None)
def derive_mixture(G: int, K: int, k: int):
    """(MixtureDerivation, ReverseDerivation) for G student groups, K teacher components."""
    x = tuple(sp.Symbol(f"x{c}", real=True) for c in range(k))
    y = tuple(tuple(sp.Symbol(f"y{g}_{c}", real=True) for c in range(k)) for g in range(G))
    E = tuple(sp.Symbol(f"E{g}", positive=True) for g in range(G))
    t = tuple(tuple(sp.Symbol(f"t{j}_{c}", real=True) for c in range(k)) for j in range(K))
    T = tuple(sp.Symbol(f"T{j}", positive=True) for j in range(K))
    md = MixtureDerivation(G, K, k, x, y, E, t, T)
    SE, ST = sum(E), sum(T)
    diff = [sum(E[g] * y[g][c] for g in range(G)) / SE - sum(T[j] * t[j][c] for j in range(K)) / ST
            for c in range(k)]
    loss = sum(dc ** 2 for dc in diff)
    param = tuple(tuple(md.D(loss, y[g][c]) for c in range(k)) for g in range(G))

    def split(P, c):
        # explicit x_c enters only through dE/dy; freeze E, T: affine in x_c
        Gc = sp.diff(P, x[c])
        return Gc, P.subs(x[c], 0)

    z, measure, measure_stein, pst = _reverse_from(md, loss, param, split)
    rd = ReverseDerivation(G, k, x, z, y, E, loss, param, pst, measure, measure_stein, md)
    return md, rd


def verify_reverse_derivation(G: int, k: int) -> dict:
    """Exact checks of the reverse derivation.

    - ``measure_factor``: the derived component score is ``x - z``;
    - ``param_affine``: each integrand derivative is affine in its explicit x_c;
    - ``stein_residuals``: pathwise - stein equals ``(x_c - z_c) g - D(g, x_c)``
      for an explicit g, for both terms (so the two forms have equal
      expectations under N(z, I));
    - ``mixture_reduces``: the mixture integrand with one teacher at the
      origin is the single-Gaussian one, and so are its derivatives.
    """
    rd = derive_reverse(G, k)
    base = rd.base
    zero = is_zero
    out = {"measure_factor": True, "param_affine": True, "stein_residuals": True, "mixture_reduces": True}
    for c in range(k):
        out["measure_factor"] &= zero(rd.measure[c] - (rd.x[c] - rd.z[c]) * rd.loss)
        out["stein_residuals"] &= zero(rd.measure[c] - rd.measure_stein[c]
                                       - ((rd.x[c] - rd.z[c]) * rd.loss - base.D(rd.loss, rd.x[c])))
    for g in range(G):
        for c in range(k):
            P = rd.param[g][c]
            out["param_affine"] &= zero(sp.diff(P, rd.x[c], 2))
            Gc = sp.diff(P, rd.x[c])
            out["stein_residuals"] &= zero(P - rd.param_stein[g][c]
                                           - ((rd.x[c] - rd.z[c]) * Gc - base.D(Gc, rd.x[c])))
    md, mr = derive_mixture(G, 1, k)
    sub = {md.t[0][c]: 0 for c in range(k)}
    ren = {}
    for g in range(G):
        ren[md.E[g]] = rd.E[g]
        for c in range(k):
            ren[md.y[g][c]] = rd.y[g][c]
    for c in range(k):
        ren[md.x[c]] = rd.x[c]
        ren[mr.z[c]] = rd.z[c]

    def same(a, b):
        return zero(a.subs(sub).subs(ren, simultaneous=True) - b)

    out["mixture_reduces"] &= same(mr.loss, rd.loss)
    for g in range(G):
        for c in range(k):
            out["mixture_reduces"] &= same(mr.param[g][c], rd.param[g][c])
            out["mixture_reduces"] &= same(mr.param_stein[g][c], rd.param_stein[g][c])
    for c in range(k):
        out["mixture_reduces"] &= same(mr.measure_stein[c], rd.measure_stein[c])
    return out


# -- compiled integrands ---------------------------------------------------------------
@dataclass(frozen=True)
class CompiledReverse:
    """``func(x..., z..., y..., [t...,] w..., [u...])`` -> flat list:
    loss (1), then for each requested form: param (G*k), measure (k)."""

    G: int
    k: int
    loss: bool
    forms: tuple
    func: object

    def split(self, flat):
        """The flat output as ``{"loss": value, form: (param rows G x k, measure k-vector)}``."""
        i, out = 0, {}
        if self.loss:
            out["loss"] = flat[0]
            i = 1
        for f in self.forms:
            n = self.G * self.k
            block = list(flat[i:i + n])
            out[f] = ([block[g * self.k:(g + 1) * self.k] for g in range(self.G)],
                      list(flat[i + n:i + n + self.k]))
            i += n + self.k
        return out


def _normalise_sums(expr, sums):
    for S in sums:
        tmp = sp.Symbol("_S_")
        expr = expr.subs(S, tmp).subs(tmp, 1)
    return expr


def _exprs(rd, loss, forms):
    out = [rd.loss] if loss else []
    for f in forms:
        if f == "pathwise":
            out += [p for row in rd.param for p in row] + list(rd.measure)
        else:
            out += [p for row in rd.param_stein for p in row] + list(rd.measure_stein)
    return out


@lru_cache(maxsize=None)
def compiled_reverse(G: int, k: int, backend: str = "mpmath", loss: bool = True,
                     forms: tuple = FORMS) -> CompiledReverse:
    """The reverse loss's derived integrands lambdified for ``backend`` ('mpmath' or 'numpy').

    Arguments ``(x..., z..., y..., w...)``: the point, the centre of the
    student component the expectation is under, the span coordinates and the
    normalised weights.
    """
    rd = derive_reverse(G, k)
    args = list(rd.x) + list(rd.z) + [v for row in rd.y for v in row] + list(rd.E)
    exprs = [normalised(rd.base, e) for e in _exprs(rd, loss, forms)]
    func = sp.lambdify(args, exprs, modules=backend, cse=True)
    return CompiledReverse(G, k, loss, tuple(forms), func)


@lru_cache(maxsize=None)
def compiled_mixture(G: int, K: int, k: int, backend: str = "mpmath", loss: bool = True,
                     forms: tuple = FORMS) -> CompiledReverse:
    """The teacher-mixture integrands lambdified for ``backend``: arguments
    ``(x..., z..., y..., t..., w..., u...)`` (teacher means t and teacher weights u added)."""
    md, rd = derive_mixture(G, K, k)
    args = (list(rd.x) + list(rd.z) + [v for row in md.y for v in row] + [v for row in md.t for v in row]
            + list(md.E) + list(md.T))
    exprs = [_normalise_sums(e, (sum(md.E), sum(md.T))) for e in _exprs(rd, loss, forms)]
    func = sp.lambdify(args, exprs, modules=backend, cse=True)
    return CompiledReverse(G, k, loss, tuple(forms), func)
