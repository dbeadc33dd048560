"""The reverse Fisher divergence (MATH.md 6): the expectation under the student.

Single-Gaussian teacher ``N(b, I)``, student ``p_a = sum_g (m_g/n) N(a_g, I)``
(multiplicities respected, ``n = sum m_g``), whose score is exactly
``s_a(x) = sum_i w_i(x) a_i - x``:

    L_rev(a) = E_{x ~ p_a} | sum_i w_i(x) a_i - b |^2
             = sum_g (m_g/n) E_{y ~ N(c_g, I)} f(y),    f = |sum_g w_g(y) c_g|^2,

in the centred form ``c_g = a_g - b``, ``y = x - b`` (the shift symmetry holds
for the reverse loss too: the measure moves with the parameters).  ``f`` is
exactly :func:`proofs_check.symbolic.derive`'s ``loss``.

Gradient of one copy of parameter k (derived below, in sympy):

    grad_{a_k} L_rev = (1/m_k) sum_g (m_g/n) E_{N(c_g, I)}[ d f / d y_k ]      (the integrand moves)
                     + (1/n) E_{N(c_k, I)}[ (y - c_k) f(y) ]                    (the measure moves)

``d f/d y_k`` is ``derive(G, k).pathwise[k]`` (the derivative for the whole
group, hence the 1/m_k).  The factor ``(y - c_k)`` is derived as
``d/dz log phi(y - z)`` at ``z = c_k`` (the score of the component with
respect to its own mean).  Two forms, both from the same derivation:

- ``pathwise``: exactly the formula above;
- ``stein``: Stein's lemma under ``N(z, I)``, ``E[(x_c - z_c) g] = E[D(g, x_c)]``,
  applied to both terms: the measure term becomes ``(1/n) E_{N(c_k)}[grad_x f]``
  (a total derivative, through the weights) and the explicit x in the
  integrand's derivative becomes ``z_c G + D(G, x_c)``.  No explicit
  ``(x - z)`` factor remains.

Quadrature: each component ``N(c_g, I)`` is centred away from the origin.

- span dimension k = 1 (aligned, MATH.md 4): :class:`LineRule` with
  ``center = c_g`` (arbitrary precision);
- k = 2: :class:`PlaneRule` (which integrates against N(0, I_2)) after the
  shift ``y = z + c_g``: the logits become ``<z, c_h> + (<c_g, c_h> - |c_h|^2/2
  + log m_h)``, i.e. the same rule with ``log m_h`` replaced by
  ``log m_h + <c_g, c_h>`` (arbitrary precision);
- k >= 3 or ``backend='float64'``: quasi-Monte Carlo in float64 with the same shift.

The teacher-mixture variant (rev.mixture) is :func:`evaluate_mixture`, with
its own sympy derivation (:func:`derive_mixture`): the integrand is
``|s_student(x) - grad log q(x)|^2``, ``grad log q(x) = sum_j u_j(x) t_j - x``
with ``u = softmax(<x, t_j> - |t_j|^2/2 + log pi_j)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import gmpy2
import mpmath
import numpy as np
import sympy as sp
from mpmath import mp

from . import model, stencils
from .expectation import Estimate, LineRule, PlaneRule, QMCRule
from .gradient import FORMS, Evaluation, reduce_to_span
from .numbers import InputError, mpfr_matching, to_mpfr
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
    rd = derive_reverse(G, k)
    args = list(rd.x) + list(rd.z) + [v for row in rd.y for v in row] + list(rd.E)
    exprs = [normalised(rd.base, e) for e in _exprs(rd, loss, forms)]
    func = sp.lambdify(args, exprs, modules=backend, cse=True)
    return CompiledReverse(G, k, loss, tuple(forms), func)


@lru_cache(maxsize=None)
def compiled_mixture(G: int, K: int, k: int, backend: str = "mpmath", loss: bool = True,
                     forms: tuple = FORMS) -> CompiledReverse:
    md, rd = derive_mixture(G, K, k)
    args = (list(rd.x) + list(rd.z) + [v for row in md.y for v in row] + [v for row in md.t for v in row]
            + list(md.E) + list(md.T))
    exprs = [_normalise_sums(e, (sum(md.E), sum(md.T))) for e in _exprs(rd, loss, forms)]
    func = sp.lambdify(args, exprs, modules=backend, cse=True)
    return CompiledReverse(G, k, loss, tuple(forms), func)


# -- quadrature under one student component -------------------------------------------
class _TwoFamilyLineRule(LineRule):
    """A LineRule split at the crossings of two logit families (student and teacher)."""

    def __init__(self, fam1, fam2, rel_tol, center):
        super().__init__(fam1[0], fam1[1], rel_tol, center=center)
        self._other = LineRule(fam2[0], fam2[1], rel_tol, center=center)

    def crossings(self):
        return super().crossings() + self._other.crossings()


def _component_line(comp, Y, logm, g, rel_tol, extra=(), teacher=None):
    """E_{s ~ N(Y[g], 1)} of the compiled integrand (k = 1)."""
    y = [row[0] for row in Y]
    icpt = [-(v * v) / 2 + lm for v, lm in zip(y, logm)]
    with mpfr_matching():
        yr = [to_mpfr(v) for v in y]
        qr = [to_mpfr(v) for v in icpt]
        zr = to_mpfr(y[g])
        ex = [to_mpfr(v) for v in extra]
        if teacher is not None:
            tp = [to_mpfr(v) for v in teacher[0]]
            tq = [to_mpfr(v) for v in teacher[1]]

    if teacher is None:
        def F(s):
            w = model.softmax([p * s + q for p, q in zip(yr, qr)], gmpy2.exp)
            return comp.func(s, zr, *yr, *w)
        rule = LineRule(y, icpt, rel_tol, center=y[g])
    else:
        def F(s):
            w = model.softmax([p * s + q for p, q in zip(yr, qr)], gmpy2.exp)
            u = model.softmax([p * s + q for p, q in zip(tp, tq)], gmpy2.exp)
            return comp.func(s, zr, *yr, *ex, *w, *u)
        rule = _TwoFamilyLineRule((y, icpt), teacher, rel_tol, y[g])
    return rule.integrate(F)


def _component_plane(comp, Y, logm, g, rel_tol):
    """E_{y ~ N(Y[g], I_2)} by the shift y = z + Y[g], z ~ N(0, I_2)."""
    cg = Y[g]
    shifted = [lm + cg[0] * r[0] + cg[1] * r[1] for lm, r in zip(logm, Y)]
    with mpfr_matching():
        Yr = [[to_mpfr(v) for v in row] for row in Y]
        lr = [to_mpfr(s) - (r[0] * r[0] + r[1] * r[1]) / 2 for s, r in zip(shifted, Yr)]
        c0, c1 = to_mpfr(cg[0]), to_mpfr(cg[1])
    flatY = [v for row in Yr for v in row]

    def F(z1, z2):
        w = model.softmax([z1 * r[0] + z2 * r[1] + q for r, q in zip(Yr, lr)], gmpy2.exp)
        return comp.func(z1 + c0, z2 + c1, c0, c1, *flatY, *w)

    return PlaneRule(Y, shifted, rel_tol).integrate(F)


def _component_qmc(comp, Yn, logm, g, log2_points, seed, extra=None, teacher=None):
    k = Yn.shape[1]
    cg = Yn[g]

    def F(zz):
        x = zz + cg
        w = model.softmax_np(model.logits_np(x, Yn, logm))
        args = [*x.T, *cg, *Yn.ravel()]
        if teacher is not None:
            args += list(extra)
        args += list(w.T)
        if teacher is not None:
            args += list(model.softmax_np(model.logits_np(x, teacher[0], teacher[1])).T)
        cols = comp.func(*args)
        return np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (zz.shape[0],)) for c in cols])

    est = QMCRule(k, log2_points=log2_points, seed=seed + 7919 * g).integrate(F)
    est.values = [mp.mpf(float(v)) for v in est.values]
    est.errors = [mp.mpf(float(v)) for v in est.errors]
    return est


# -- assembling L_rev and its gradient --------------------------------------------------
def _assemble(comp, ests, mult, Q, d, forms, method, k, drop_measure=False):
    n = sum(mult)
    G = len(mult)
    parts = [comp.split(e.values) for e in ests]
    perrs = [comp.split(e.errors) for e in ests]
    lval = lerr = None
    if comp.loss:
        lval = mpmath.fsum(mp.mpf(m) / n * p["loss"] for m, p in zip(mult, parts))
        lerr = mpmath.fsum(mp.mpf(m) / n * abs(p["loss"]) for m, p in zip(mult, perrs))
    grad, gerr = {}, {}
    for f in forms:
        grad[f], gerr[f] = [], []
        for g in range(G):
            coords, ecoords = [], []
            for c in range(k):
                v = mpmath.fsum(mp.mpf(m) / n * parts[h][f][0][g][c] for h, m in enumerate(mult)) / mult[g]
                if not drop_measure:
                    v += parts[g][f][1][c] / n
                e = mpmath.fsum(mp.mpf(m) / n * abs(perrs[h][f][0][g][c]) for h, m in enumerate(mult)) / mult[g]
                e += abs(perrs[g][f][1][c]) / n
                coords.append(v)
                ecoords.append(e)
            grad[f].append(_lift(Q, coords, d))
            gerr[f].append([mpmath.fsum(ecoords)] * d)
    evals = sum(e.evaluations for e in ests)
    return Evaluation(lval, lerr, grad, gerr, method, k, evals, {"components": len(ests)})


def _lift(Q, coords, d):
    out = [mp.zero] * d
    for qv, c in zip(Q, coords):
        for i in range(d):
            out[i] += mp.mpf(c) * qv[i]
    return out


def _check_forms(forms):
    for f in forms:
        if f not in FORMS:
            raise InputError(f"unknown gradient form {f!r}; choose from {FORMS}")


def evaluate(A: Sequence, b: Sequence, multiplicity: Sequence | None = None,
             forms: Sequence[str] = ("stein",), loss: bool = True,
             rel_tol=None, backend: str = "mpmath", qmc_points: int = 14,
             seed: int = 0, _drop_measure: bool = False) -> Evaluation:
    """L_rev(A; b) and its gradient (one copy of each parameter), at the current precision.

    Same signature and result as :func:`proofs_check.gradient.evaluate`.
    ``_drop_measure`` (tests only: the negative control) leaves out the term
    from differentiating the sampling measure, giving a wrong gradient.
    """
    _check_forms(forms)
    forms = tuple(forms)
    G, d = len(A), len(b)
    mult, logm, Q, Y = reduce_to_span(A, b, multiplicity)
    k = len(Q)
    if k == 0 or not (loss or forms):
        zeros = {f: [[mp.zero] * d for _ in range(G)] for f in forms}
        return Evaluation(mp.zero, mp.zero, zeros, {f: [[mp.zero] * d for _ in range(G)] for f in forms},
                          "exact (every parameter at the truth)", k)
    if backend == "float64" or k >= 3:
        comp = compiled_reverse(G, k, "numpy", loss, forms)
        Yn = np.array([[float(v) for v in row] for row in Y])
        lm = np.log(np.array(mult, dtype=float))
        ests = [_component_qmc(comp, Yn, lm, g, qmc_points, seed) for g in range(G)]
        method = QMCRule.name + ", one rule per student component (shifted)"
    else:
        comp = compiled_reverse(G, k, "mpmath", loss, forms)
        if k == 1:
            ests = [_component_line(comp, Y, logm, g, rel_tol) for g in range(G)]
            method = LineRule.name + ", centred on each student component"
        else:
            ests = [_component_plane(comp, Y, logm, g, rel_tol) for g in range(G)]
            method = PlaneRule.name + ", shifted to each student component"
    return _assemble(comp, ests, mult, Q, d, forms, method, k, _drop_measure)


def evaluate_mixture(A: Sequence, teacher: Sequence, multiplicity: Sequence | None = None,
                     teacher_weights: Sequence | None = None, forms: Sequence[str] = ("stein",),
                     loss: bool = True, rel_tol=None, backend: str = "mpmath",
                     qmc_points: int = 14, seed: int = 0) -> Evaluation:
    """Reverse loss against a teacher mixture ``q = sum_j pi_j N(t_j, I)``.

    ``E_{x ~ p_a} |s_a(x) - grad log q(x)|^2`` and its gradient.  Coordinates
    are taken relative to the first teacher mean and reduced to the span of
    all student and teacher means: k = 1 (everything on one line) is
    arbitrary precision (:class:`LineRule` centred on each student
    component, split at the crossings of both logit families); otherwise
    float64 quasi-Monte Carlo.
    """
    _check_forms(forms)
    forms = tuple(forms)
    G, K, d = len(A), len(teacher), len(teacher[0])
    mult = list(multiplicity) if multiplicity else [1] * G
    pis = [mp.mpf(p) for p in teacher_weights] if teacher_weights else [mp.one / K] * K
    logm = [mpmath.log(m) for m in mult]
    logpi = [mpmath.log(p) for p in pis]
    o = [mp.mpf(v) for v in teacher[0]]
    C = [[mp.mpf(a) - oc for a, oc in zip(row, o)] for row in A]
    Tc = [[mp.mpf(a) - oc for a, oc in zip(row, o)] for row in teacher]
    Q, Yall = model.gram_schmidt(C + Tc)
    k = len(Q)
    if k == 0:   # every mean at the same point: student = teacher
        zeros = {f: [[mp.zero] * d for _ in range(G)] for f in forms}
        return Evaluation(mp.zero, mp.zero, zeros, zeros, "exact (student equals teacher)", 0)
    Y, TY = Yall[:G], Yall[G:]
    if backend == "float64" or k >= 2:
        comp = compiled_mixture(G, K, k, "numpy", loss, forms)
        Yn = np.array([[float(v) for v in row] for row in Y])
        Tn = np.array([[float(v) for v in row] for row in TY])
        lm = np.log(np.array(mult, dtype=float))
        lp = np.array([float(v) for v in logpi])
        ests = [_component_qmc(comp, Yn, lm, g, qmc_points, seed, extra=Tn.ravel(), teacher=(Tn, lp))
                for g in range(G)]
        method = QMCRule.name + ", one rule per student component (shifted)"
    else:
        comp = compiled_mixture(G, K, 1, "mpmath", loss, forms)
        tvals = [row[0] for row in TY]
        tfam = (tvals, [-(v * v) / 2 + lp for v, lp in zip(tvals, logpi)])
        ests = [_component_line(comp, Y, logm, g, rel_tol, extra=tvals, teacher=tfam) for g in range(G)]
        method = LineRule.name + ", centred on each student component, split at student and teacher crossings"
    return _assemble(comp, ests, mult, Q, d, forms, method, k)


# -- finite differences (tests and claims) ---------------------------------------------
def finite_difference(A, b, multiplicity=None, h=None, evaluator=None, **kw) -> list:
    """Fourth-order central differences of the loss along every coordinate of one copy
    of each group (group-major), at the current precision
    (:func:`proofs_check.stencils.central_difference`).  ``evaluator`` defaults to
    :func:`evaluate`; any loss-only callable ``evaluator(A, b, mult) -> loss`` works.
    """
    G, d = len(A), len(b)
    mult = list(multiplicity) if multiplicity else [1] * G
    h = mp.mpf(h) if h is not None else mp.mpf(10) ** (-(mp.dps // 4 + 2))
    if evaluator is None:
        evaluator = lambda A2, b2, m2: evaluate(A2, b2, m2, forms=(), loss=True, **kw).loss
    out = []
    for D in stencils.coordinate_directions(G, d):
        out.append(stencils.central_difference(lambda step, D=D: evaluator(*stencils.move_one_copy(A, b, mult, D, step)), h))
    return out


# -- a fixed float64 rule for aligned (d = 1) mixtures: long seeded sweeps (rev.mixture) --------------------
GRID_H, GRID_Z = 0.05, 9.0   # trapezoid spacing and half-width: softmax poles lie >= pi/12 from the real
#                              axis while every |a_i - a_j| <= 12, so the error is ~exp(-2 pi (pi/12) / H) ~ 1e-14;
#                              the tail beyond 9 standard deviations is ~1e-19
_NODES = np.arange(-GRID_Z, GRID_Z + GRID_H / 2, GRID_H)
_WEIGHTS = np.exp(-_NODES ** 2 / 2) / np.sum(np.exp(-_NODES ** 2 / 2))


def grid_mixture(A, teacher):
    """(L_rev, gradient per component) against the teacher mixture, d = 1, float64 trapezoid.

    ``L_rev = (1/n) sum_g E_{N(a_g, 1)} f`` and ``grad_g = (1/n) sum_h E_{N(a_h)}[param_g]
    + (1/n) E_{N(a_g)}[measure]`` (stein forms), exactly as
    :func:`proofs_check.reverse.evaluate_mixture` assembles them, with every
    expectation by the same fixed rule (nodes ``a_h + z_j``)."""
    y = np.array([float(r[0]) if hasattr(r, "__len__") else float(r) for r in A])
    t = np.asarray(teacher, float)
    G, m = len(y), len(_NODES)
    comp = compiled_mixture(G, len(t), 1, "numpy", True, ("stein",))
    x = (y[:, None] + _NODES[None, :]).ravel()
    w = model.softmax_np(np.outer(x, y) - y * y / 2)
    u = model.softmax_np(np.outer(x, t) - t * t / 2)
    cols = comp.func(x, np.repeat(y, m), *y, *t, *w.T, *u.T)
    V = np.array([np.broadcast_to(np.asarray(c, float), x.shape) for c in cols]).reshape(len(cols), G, m) @ _WEIGHTS
    return float(V[0].sum() / G), V[1:1 + G].sum(axis=1) / G + V[1 + G] / G
