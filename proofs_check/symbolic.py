"""The sympy derivation of the gradient (Lemma B.1 / Lemma 2.2): the source of truth.

Centred form (MATH.md 2): truth at the origin, ``x ~ N(0, I_k)``, parameters
``y_1..y_G`` in R^k.  The exponentials ``E_g = m_g exp(<x, y_g> - |y_g|^2/2)``
are kept as free symbols; their derivatives are supplied by the chain rule

    dE_h/dy_{g,c} = delta_{hg} E_h (x_c - y_{g,c}),     dE_h/dx_c = E_h y_{h,c},

so every expression is a rational function of (x, y, E) and identities can be
decided exactly by ``sympy.cancel``.  The integrands are homogeneous of degree
0 in E, so the numerics evaluate them with the normalised, log-sum-exp-stable
weights ``w_g = E_g / sum E`` in place of E.

Derivation, for every parameter g and coordinate c:

1. ``loss = |v|^2`` with ``v = sum_g w_g y_g``;
2. ``pathwise[g][c] = D(loss, y_{g,c})`` (total derivative, differentiating
   under the expectation);
3. the pathwise integrand is affine in the explicit ``x_c``:
   ``pathwise = x_c * G + H`` with ``G = d pathwise / d x_c`` (E held fixed);
4. Stein's lemma (Lemma A.3) ``E[x_c G] = E[D(G, x_c)]`` gives
   ``stein[g][c] = H + D(G, x_c)``, free of explicit x.

So ``pathwise - stein = x_c G - D(G, x_c)``, whose Gaussian expectation
vanishes.  :func:`verify_derivation` checks these steps and that the results
equal MATH.md's hand formulas.  :func:`compiled` lambdifies the derived
expressions (not the hand formulas) for mpmath and numpy.

One more integrand is *entered*, not derived: ``expanded``, the fully
expanded gradient recovered from a secondary summary of the paper (MATH.md
section 7, Lemma B.1 row; :func:`recovered_expanded`).  It is an independent
route: :func:`verify_expanded` decides exactly that it equals the derived
Stein form, and :func:`compiled` lambdifies it beside the derived parts.

A group of m identical parameters is one symbol with ``E_g`` carrying the
factor m; the derived derivative is then the sum over the copies, i.e. m times
each copy's gradient.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp


def total_derivative(expr, var, dependents):
    """The chain rule: ``d expr / d var = partial_var expr + sum_s (partial_s expr) (d s / d var)``.

    ``dependents`` lists ``(s, ds)`` pairs: a symbol ``s`` that stands for a
    function of ``var`` (an exponential E_h, a weight w_h) and its derivative
    ``ds = d s / d var``; pairs with ``ds == 0`` are skipped.  The one home of
    the total derivative through the softmax weights (Lemma B.1's derivation,
    the reverse loss's, the Hessian's).

    >>> x, E = sp.symbols("x E")
    >>> total_derivative(x * E, x, [(E, 2 * E)])
    2*E*x + E
    """
    out = sp.diff(expr, var)
    for s, ds in dependents:
        if ds != 0:
            out += sp.diff(expr, s) * ds
    return out


def is_zero(expr, *, polynomial: bool = False) -> bool:
    """Decide exactly whether ``expr`` is identically zero: the one exact zero test.

    A rational function is zero iff ``cancel(together(expr))`` is.  With
    ``polynomial=True`` (a polynomial in its symbols) exact rational
    evaluation at three seeded random points comes first (a nonzero
    polynomial vanishes at a random point with probability ~0,
    Schwartz-Zippel) and the full expansion decides only if every value is
    zero, so the answer is still exact, and fast when it is "no".

    >>> x = sp.Symbol("x")
    >>> is_zero((x ** 2 - 1) / (x - 1) - x - 1), is_zero(x ** 2 - x, polynomial=True)
    (True, False)
    """
    if not polynomial:
        return sp.cancel(sp.together(expr)) == 0
    rng = random.Random(1)
    syms = sorted(expr.free_symbols, key=str)
    for _ in range(3):
        pt = {s: sp.Rational(rng.randint(-97, 97), rng.randint(1, 89)) for s in syms}
        if expr.subs(pt) != 0:
            return False
    return sp.expand(expr) == 0


@dataclass(frozen=True)
class Derivation:
    """Symbols and derived integrands for G parameter groups in R^k."""

    G: int
    k: int
    x: tuple          # x_1..x_k
    y: tuple          # y[g][c]
    E: tuple          # E_1..E_G
    loss: sp.Expr
    pathwise: tuple   # pathwise[g][c]
    stein: tuple      # stein[g][c]
    stein_g: tuple    # the scalar G_g with pathwise - stein = x_c G_g - D(G_g, x_c)

    @property
    def weights(self):
        """The softmax weights ``w_g = E_g / sum E`` as expressions."""
        S = sum(self.E)
        return [e / S for e in self.E]

    @property
    def v(self):
        """``v = sum_g w_g y_g`` (the student's score plus x, in the centred form)."""
        w = self.weights
        return [sum(w[g] * self.y[g][c] for g in range(self.G)) for c in range(self.k)]

    def D(self, expr, var):
        """Total derivative of ``expr`` with respect to one x or y symbol (through every E_h)."""
        return total_derivative(expr, var, [(Eh, self._dE(h, var)) for h, Eh in enumerate(self.E)])

    def _dE(self, h, var):
        if var in self.x:
            c = self.x.index(var)
            return self.E[h] * self.y[h][c]
        for c in range(self.k):
            if var == self.y[h][c]:
                return self.E[h] * (self.x[c] - self.y[h][c])
        return 0


@lru_cache(maxsize=None)
def derive(G: int, k: int) -> Derivation:
    """Derive loss, pathwise and Stein integrands for G groups in R^k."""
    if G < 1 or k < 1:
        raise ValueError("derive needs G >= 1 and k >= 1")
    x = tuple(sp.Symbol(f"x{c}", real=True) for c in range(k))
    y = tuple(tuple(sp.Symbol(f"y{g}_{c}", real=True) for c in range(k)) for g in range(G))
    E = tuple(sp.Symbol(f"E{g}", positive=True) for g in range(G))
    skeleton = Derivation(G, k, x, y, E, sp.S(0), (), (), ())
    v = skeleton.v
    loss = sum(vc ** 2 for vc in v)
    pathwise, stein, gs = [], [], []
    for g in range(G):
        prow, srow = [], []
        g_scalar = None
        for c in range(k):
            P = skeleton.D(loss, y[g][c])
            Gc = sp.diff(P, x[c])          # coefficient of the explicit x_c
            H = P.subs(x[c], 0)
            prow.append(P)
            srow.append(H + skeleton.D(Gc, x[c]))
            if g_scalar is None:
                g_scalar = Gc
        pathwise.append(tuple(prow))
        stein.append(tuple(srow))
        gs.append(g_scalar)
    return Derivation(G, k, x, y, E, loss, tuple(pathwise), tuple(stein), tuple(gs))


def hand_formulas(der: Derivation):
    """MATH.md section 3's hand-derived integrands, in the same symbols.

    pathwise_k = 2 w_k (v + <y_k - v, v> (x - y_k)),
    stein_k    = 2 w_k v - 2 w_k <y_k - v, v> v + 2 w_k C (y_k - 2 v),
    C = sum_j w_j y_j y_j^T - v v^T.
    """
    w, v, y, x = der.weights, der.v, der.y, der.x
    k, G = der.k, der.G
    C = [[sum(w[j] * y[j][a] * y[j][b] for j in range(G)) - v[a] * v[b] for b in range(k)]
         for a in range(k)]
    pw, st = [], []
    for g in range(G):
        ip = sum((y[g][c] - v[c]) * v[c] for c in range(k))
        pw.append(tuple(2 * w[g] * (v[c] + ip * (x[c] - y[g][c])) for c in range(k)))
        u = [y[g][c] - 2 * v[c] for c in range(k)]
        st.append(tuple(2 * w[g] * v[c] - 2 * w[g] * ip * v[c]
                        + 2 * w[g] * sum(C[c][b] * u[b] for b in range(k)) for c in range(k)))
    return tuple(pw), tuple(st)


def verify_derivation(G: int, k: int) -> dict:
    """Decide every step of the derivation exactly; return named booleans.

    - ``affine_in_x``: each pathwise integrand is affine in its explicit x_c;
    - ``stein_residual``: pathwise - stein == x_c G - D(G, x_c), G explicit;
    - ``pathwise_matches_hand`` / ``stein_matches_hand``: equal to MATH.md 3;
    - ``stein_free_of_x``: the Stein form has no explicit x;
    - ``homogeneous``: every integrand is invariant under E -> lambda E;
    - ``normalised_form``: the compiled form (sum E replaced by 1) equals the
      derived one wherever sum E = 1.
    """
    der = derive(G, k)
    hp, hs = hand_formulas(der)
    lam = sp.Symbol("lam", positive=True)
    scale = {e: lam * e for e in der.E}
    out = {"affine_in_x": True, "stein_residual": True, "pathwise_matches_hand": True,
           "stein_matches_hand": True, "stein_free_of_x": True, "homogeneous": True,
           "normalised_form": True}
    on_simplex = {der.E[-1]: 1 - sum(der.E[:-1])}
    zero = is_zero
    out["homogeneous"] &= zero(der.loss.subs(scale, simultaneous=True) - der.loss)
    for g in range(G):
        for c in range(k):
            P, S, Gs = der.pathwise[g][c], der.stein[g][c], der.stein_g[g]
            out["affine_in_x"] &= zero(sp.diff(P, der.x[c], 2))
            out["stein_residual"] &= zero(P - S - (der.x[c] * Gs - der.D(Gs, der.x[c])))
            out["pathwise_matches_hand"] &= zero(P - hp[g][c])
            out["stein_matches_hand"] &= zero(S - hs[g][c])
            # explicit x may appear only inside E: check with E frozen
            out["stein_free_of_x"] &= all(zero(sp.diff(S, xc)) for xc in der.x)
            out["homogeneous"] &= zero(S.subs(scale, simultaneous=True) - S)
            out["homogeneous"] &= zero(P.subs(scale, simultaneous=True) - P)
            for e in (P, S):
                out["normalised_form"] &= zero((normalised(der, e) - e).subs(on_simplex))
    return out


def recovered_expanded(der: Derivation):
    """Lemma B.1's fully expanded gradient as the secondary summary gives it (MATH.md section 7).

    Recovered, with ``mu* = 0`` and ``v = sum_j w_j mu_j``::

        grad_{mu_i} L = 2 E[ w_i v + w_i sum_j w_j mu_j (mu_j . mu_i) - 2 w_i v (v . mu_i)
                             - 2 w_i sum_j w_j (v . mu_j) mu_j + 3 w_i |v|^2 v ].

    Conventions: the summary's ``mu_j`` (unscaled, truth at 0) are this module's centred
    coordinates ``y_j = a_j - b`` in the paper's scaled variables ``a = e^{-t} mu``, ``b = e^{-t} mu*``
    (at t = 0 they coincide; the shift symmetry eq. (1) gives grad_{a_i} L(a; b) = grad_{y_i} L(y; 0)),
    and ``w_j`` are the softmax weights of ``<x, y_j> - |y_j|^2/2`` at x ~ N(0, I_k), so the
    result is the gradient with respect to a_i.  Entered term by term from the formula above, NOT
    derived from the Stein form; with E_g carrying a multiplicity m it is, like the derived forms,
    the derivative with respect to the group (m times one copy's).  Returns ``expanded[g][c]``.
    """
    w, v, y = der.weights, der.v, der.y
    k, G = der.k, der.G

    def dot(p, q):
        return sum(p[c] * q[c] for c in range(k))

    vv = dot(v, v)
    rows = []
    for i in range(G):
        row = []
        for c in range(k):
            term = (v[c]
                    + sum(w[j] * y[j][c] * dot(y[j], y[i]) for j in range(G))
                    - 2 * v[c] * dot(v, y[i])
                    - 2 * sum(w[j] * dot(v, y[j]) * y[j][c] for j in range(G))
                    + 3 * vv * v[c])
            row.append(2 * w[i] * term)
        rows.append(tuple(row))
    return tuple(rows)


def verify_expanded(G: int, k: int) -> dict:
    """Decide exactly that the recovered expanded form (Lemma B.1, MATH.md 7) is the derived Stein form.

    - ``expanded_equals_stein``: ``expanded - stein`` is identically zero (:func:`is_zero`);
    - ``expanded_free_of_x``: no explicit x (with E frozen), as the summary's formula says;
    - ``expanded_homogeneous``: invariant under E -> lambda E (so normalised weights may be used);
    - ``expanded_normalised_form``: the compiled form equals it wherever sum E = 1.
    """
    der = derive(G, k)
    ex = recovered_expanded(der)
    lam = sp.Symbol("lam", positive=True)
    scale = {e: lam * e for e in der.E}
    on_simplex = {der.E[-1]: 1 - sum(der.E[:-1])}
    out = {"expanded_equals_stein": True, "expanded_free_of_x": True, "expanded_homogeneous": True,
           "expanded_normalised_form": True}
    for g in range(G):
        for c in range(k):
            X = ex[g][c]
            out["expanded_equals_stein"] &= is_zero(X - der.stein[g][c])
            out["expanded_free_of_x"] &= all(is_zero(sp.diff(X, xc)) for xc in der.x)
            out["expanded_homogeneous"] &= is_zero(X.subs(scale, simultaneous=True) - X)
            out["expanded_normalised_form"] &= is_zero((normalised(der, X) - X).subs(on_simplex))
    return out


PARTS = ("loss", "pathwise", "stein")
# every part compiled() accepts: the derived ones (PARTS, the default) and the recovered expanded form
ALL_PARTS = PARTS + ("expanded",)


@dataclass(frozen=True)
class Compiled:
    """Lambdified integrands: ``f(x, y, w) -> flat list of the requested parts``.

    Arguments are flat: x (k values), y (G*k values, group-major), w (G
    normalised weights, summing to 1).  The output lists the requested parts
    in order: ``loss`` is one value, ``pathwise``, ``stein`` and ``expanded``
    G*k values each (group-major).
    """

    G: int
    k: int
    parts: tuple
    func: object

    def __call__(self, x, y, w):
        return self.func(*x, *y, *w)

    def split(self, flat):
        """The flat output as a dict part -> value (loss) or G x k rows."""
        out, i = {}, 0
        for part in self.parts:
            if part == "loss":
                out[part] = flat[i]
                i += 1
            else:
                n = self.G * self.k
                block = list(flat[i:i + n])
                out[part] = [block[g * self.k:(g + 1) * self.k] for g in range(self.G)]
                i += n
        return out


def normalised(der: Derivation, expr):
    """``expr`` with ``sum(E)`` replaced by 1.

    Exact at normalised weights because every integrand is homogeneous of
    degree 0 in E (checked by :func:`verify_derivation`); the numerics always
    pass normalised weights, and the shorter expression is several times
    cheaper to evaluate.
    """
    S = sp.Symbol("_S_")
    return expr.subs(sum(der.E), S).subs(S, 1)


@lru_cache(maxsize=None)
def compiled(G: int, k: int, backend: str = "mpmath", parts: tuple = PARTS) -> Compiled:
    """The derived integrands as a function for ``backend`` ('mpmath' or 'numpy').

    ``parts`` from :data:`ALL_PARTS`: the derived ``loss``, ``pathwise``, ``stein`` (the default) and
    the recovered ``expanded`` form of Lemma B.1 (:func:`recovered_expanded`)."""
    bad = [p for p in parts if p not in ALL_PARTS]
    if bad:
        raise ValueError(f"unknown integrand parts {bad}; choose from {ALL_PARTS}")
    der = derive(G, k)
    args = list(der.x) + [yc for row in der.y for yc in row] + list(der.E)
    exprs = []
    for part in parts:
        if part == "loss":
            exprs.append(der.loss)
        elif part == "expanded":
            exprs.extend(p for row in recovered_expanded(der) for p in row)
        else:
            exprs.extend(p for row in getattr(der, part) for p in row)
    exprs = [normalised(der, e) for e in exprs]
    func = sp.lambdify(args, exprs, modules=backend, cse=True)
    return Compiled(G, k, tuple(parts), func)
