"""The exact Hessian of L at an aligned configuration, in every direction (MATH.md 4).

Let every ``a_i - b = alpha_i u`` for a unit vector u.  Take coordinates
``x_0`` along u and ``x_1`` along any unit vector orthogonal to u, and let
the parameters move in both: ``y_i = (alpha_i + p_i, q_i)``.  At ``q = 0`` the
weights do not depend on ``x_1``, so

- the parallel block ``d^2 L / dp_i dp_j`` is the d = 1 Hessian;
- the orthogonal block ``d^2 L / dq_i dq_j`` is the same for each of the
  d - 1 directions orthogonal to u (rotation invariance); its integrand is a
  polynomial of degree <= 2 in ``x_1`` (each q-derivative of a weight brings
  a factor ``x_1``), so the ``x_1`` expectation is exact by the moments
  ``E x_1 = 0``, ``E x_1^2 = 1``: a 1-D integral in ``x_0`` remains;
- the mixed block ``d^2 L / dp_i dq_j`` is odd in ``x_1`` and vanishes exactly
  (the mirror ``x_1 -> -x_1``); :func:`derive_blocks` decides this with sympy.

The integrands are derived with sympy from the loss integrand ``|v|^2``
with the weights as symbols and the softmax rule ``dw_i/dy_j = w_i (delta_ij - w_j)(x - y_j)`` (itself decided by :func:`verify_weight_rule`)
(differentiating under the expectation: the pathwise form, valid for the
second derivative as for the first), then integrated by the 1-D
:class:`~proofs_check.expectation.LineRule` at the working precision.

Multiplicities: a group of m identical copies is carried as one "singleton"
copy plus a "rest" of m - 1 copies (two sympy symbols); by permutation
symmetry this gives every per-copy entry: ``H[i,i] = H[s,s]``,
``H[i,j] = H[s,R]/(m-1)`` within a group, ``H[i,j] = H[s_g, s_h]`` across.
The returned matrices are n x n over the individual copies, group-major.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp
from mpmath import mp

from .integrand import GaussianIntegrand
from .symbolic import is_zero, total_derivative


@dataclass(frozen=True)
class _Blocks:
    symbols: tuple      # (group, kind) per symbol: kind "s" singleton or "R" rest
    pairs: tuple        # ((i, j), ...) symbol pairs computed
    func: object        # lambdified: (x0, y0..., w...) -> [par entries..., perp entries...]
    cross_zero: bool    # the mixed block's x_1-expectation is identically zero
    line_func: object = None   # (x0, y0..., w...) -> [loss, dL/dr, d^2L/dr^2] only


def _D(expr, var, x, y, w, j, c):
    """Total derivative along y[j][c] (:func:`proofs_check.symbolic.total_derivative`): explicit
    part plus the softmax rule ``d w_i / d y_{j,c} = w_i (delta_ij - w_j)(x_c - y_{j,c})``
    (checked by :func:`verify_weight_rule`)."""
    return total_derivative(expr, var, [(wi, wi * ((1 if i == j else 0) - w[j]) * (x[c] - y[j][c]))
                                        for i, wi in enumerate(w)])


def verify_weight_rule(G: int = 3) -> bool:
    """Decide with sympy that the softmax rule used here is the derivative of
    ``w_i = E_i / sum E`` with ``E_i = exp(<x, y_i> - |y_i|^2/2)``, in k = 2."""
    x = (sp.Symbol("x0", real=True), sp.Symbol("x1", real=True))
    y = [(sp.Symbol(f"y{g}_0", real=True), sp.Symbol(f"y{g}_1", real=True)) for g in range(G)]
    E = [sp.exp(x[0] * a + x[1] * b - (a * a + b * b) / 2) for a, b in y]
    S = sum(E)
    w = [e / S for e in E]
    ok = True
    for i in range(G):
        for j in range(G):
            for c in range(2):
                rule = w[i] * ((1 if i == j else 0) - w[j]) * (x[c] - y[j][c])
                ok &= sp.simplify(sp.diff(w[i], y[j][c]) - rule) == 0
    return bool(ok)


@lru_cache(maxsize=None)
def derive_blocks(structure: tuple) -> _Blocks:
    """Sympy derivation for a structure ``((group, kind), ...)`` of symbols.

    The weights are kept as symbols w_g with the softmax derivative rule, so
    every integrand is a polynomial in (x, y, w): fast to derive and to decide.
    Returns the lambdified parallel and orthogonal second-derivative
    integrands (x_1 integrated out exactly by its moments), and the first and
    second derivatives of L along the symmetric direction of thm3.1
    (last two entries: d/dr and d^2/dr^2 for y = (.., r, -r) on the two last
    singleton symbols).
    """
    Gs = len(structure)
    x = (sp.Symbol("x0", real=True), sp.Symbol("x1", real=True))
    y = tuple((sp.Symbol(f"y{g}_0", real=True), sp.Symbol(f"y{g}_1", real=True)) for g in range(Gs))
    w = tuple(sp.Symbol(f"w{g}", positive=True) for g in range(Gs))
    v = [sum(w[g] * y[g][c] for g in range(Gs)) for c in range(2)]
    loss = v[0] ** 2 + v[1] ** 2
    at_line = {y[g][1]: 0 for g in range(Gs)}

    def D(expr, j, c):
        return _D(expr, y[j][c], x, y, w, j, c)

    pairs = []
    for i, (gi, ki) in enumerate(structure):
        for j, (gj, kj) in enumerate(structure):
            if j < i:
                continue
            if (ki == "s" and kj == "s") or (ki == "s" and kj == "R" and gi == gj):
                pairs.append((i, j))
    first0 = {i: D(loss, i, 0) for i in range(Gs)}
    first1 = {i: D(loss, i, 1) for i in range(Gs)}

    def coeffs(expr):
        """(c0, c1, c2): the x1-polynomial's coefficients on the line (degree <= 2:
        each q-derivative of a weight brings one factor x1 - y_{g,1} = x1)."""
        e = expr.subs(at_line)
        d1 = sp.diff(e, x[1])
        return e.subs(x[1], 0), d1.subs(x[1], 0), sp.diff(d1, x[1]).subs(x[1], 0) / 2

    def x1_expectation(expr):
        c0, _, c2 = coeffs(expr)
        return c0 + c2

    par, perp = [], []
    cross_zero = True
    for i, j in pairs:
        par.append(x1_expectation(D(first0[i], j, 0)))
        perp.append(x1_expectation(D(first1[i], j, 1)))
        cross_zero &= is_zero(x1_expectation(D(first0[i], j, 1)), polynomial=True)
    # thm3.1's direction: the last two singletons at +r and -r
    p, m = Gs - 2, Gs - 1
    dr = D(loss, p, 0) - D(loss, m, 0)
    d2r = D(dr, p, 0) - D(dr, m, 0)
    line = [x1_expectation(e) for e in (loss, dr, d2r)]
    args = [x[0]] + [y[g][0] for g in range(Gs)] + list(w)
    func = sp.lambdify(args, par + perp + line, modules="mpmath", cse=True)
    line_func = sp.lambdify(args, line, modules="mpmath", cse=True)
    return _Blocks(tuple(structure), tuple(pairs), func, bool(cross_zero), line_func)


def _structure(multiplicity):
    out = []
    for g, m in enumerate(multiplicity):
        out.append((g, "s"))
        if m >= 2:
            out.append((g, "R"))
    return tuple(out)


def aligned(alpha, multiplicity=None, rel_tol=None) -> dict:
    """Hessian blocks of L at ``a_g - b = alpha_g u`` (per copy, group-major), current precision.

    Returns ``{"parallel": mpmath.matrix n x n, "orthogonal": n x n,
    "cross_zero": bool, "errors": (par, perp) largest absolute error estimates}``.
    """
    G = len(alpha)
    mult = list(multiplicity) if multiplicity else [1] * G
    st = _structure(mult)
    blk = derive_blocks(st)
    ys = [mp.mpf(alpha[g]) for g, _ in st]
    ms = [1 if kind == "s" else mult[g] - 1 for g, kind in st]
    est = GaussianIntegrand(blk.func, [[v] for v in ys], [mpmath.log(m) for m in ms]).on_line(rel_tol)
    P = len(blk.pairs)
    out_line = est.values[2 * P:]
    val = {}
    for k, (i, j) in enumerate(blk.pairs):
        val[("par", i, j)] = val[("par", j, i)] = est.values[k]
        val[("perp", i, j)] = val[("perp", j, i)] = est.values[P + k]
    sym_of = {}
    for idx, (g, kind) in enumerate(st):
        sym_of[(g, kind)] = idx
    copies = [(g, c) for g in range(G) for c in range(mult[g])]
    n = len(copies)
    out = {}
    for block in ("par", "perp"):
        H = mpmath.matrix(n, n)
        for a, (g, c) in enumerate(copies):
            for bb, (h, e) in enumerate(copies):
                s_g = sym_of[(g, "s")]
                if g == h and c == e:
                    H[a, bb] = val[(block, s_g, s_g)]
                elif g == h:
                    H[a, bb] = val[(block, s_g, sym_of[(g, "R")])] / (mult[g] - 1)
                else:
                    H[a, bb] = val[(block, s_g, sym_of[(h, "s")])]
        out["parallel" if block == "par" else "orthogonal"] = H
    out["cross_zero"] = blk.cross_zero
    out["errors"] = (max(est.errors[:P]), max(est.errors[P:2 * P]))
    out["loss"], out["dL_dr"], out["d2L_dr2"] = out_line
    return out


def along_r(r, multiplicity_at_b: int = 1, rel_tol=None) -> tuple:
    """``(L, dL/dr, d^2L/dr^2)`` for ``a - b = (0 [x m], r, -r)`` (thm3.1's family), current precision.

    One line-rule pass over the three derived integrands only (cheap).
    """
    mult = [multiplicity_at_b, 1, 1]
    st = _structure(mult)
    blk = derive_blocks(st)
    alpha = [mp.zero, mp.mpf(r), -mp.mpf(r)]
    ys = [alpha[g] for g, _ in st]
    ms = [1 if kind == "s" else mult[g] - 1 for g, kind in st]
    est = GaussianIntegrand(blk.line_func, [[v] for v in ys], [mpmath.log(m) for m in ms]).on_line(rel_tol)
    return tuple(est.values)


def eigenvalues(H) -> list:
    """Eigenvalues of a symmetric mpmath matrix, ascending."""
    E = mpmath.eigsy(H, eigvals_only=True)
    return sorted(E[i] for i in range(H.rows))


def classify(eigs, zero_tol) -> dict:
    """Counts of negative / zero / positive eigenvalues and the name of the point."""
    neg = sum(1 for e in eigs if e < -zero_tol)
    pos = sum(1 for e in eigs if e > zero_tol)
    zero = len(eigs) - neg - pos
    if neg == 0 and pos == 0:
        name = "fully degenerate (all eigenvalues zero)"
    elif neg == 0:
        name = "local minimum" if zero == 0 else "degenerate (no negative eigenvalue)"
    elif pos == 0:
        name = "local maximum" if zero == 0 else "degenerate (no positive eigenvalue)"
    else:
        name = f"saddle of index {neg}"
    return {"negative": neg, "zero": zero, "positive": pos, "name": name}
