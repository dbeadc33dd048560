"""Gaussian expectations of vector-valued integrands (MATH.md 4).

One class per rule, precision handled in one place (mpmath's current
precision, set by the caller through :func:`proofs_check.numbers.working`):

- :class:`LineRule`: ``E_{s ~ N(0,1)} F(s)`` at arbitrary precision, for
  integrands whose only non-smooth-looking features are softmax transitions
  of affine logits ``l_g(s) = p_g s + q_g``.  Piecewise Gauss-Legendre, split
  at the logit crossings and graded around them, adaptive bisection, one pass
  over the nodes for every component of F.
- :class:`PlaneRule`: ``E_{z ~ N(0, I_2)} F(z)`` at arbitrary precision, as a
  LineRule over z_1 of LineRules over z_2.
- :class:`QMCRule`: ``E_{z ~ N(0, I_k)} F(z)`` in float64 for any k by
  randomised (scrambled Sobol') quasi-Monte Carlo, error from the spread of
  independent replicates.

All three are :class:`Rule` s (``name``, ``integrate(F) -> Estimate``);
each returns an :class:`Estimate` with the values, an absolute error
estimate per component and the name of the method.  The integrand they
meet, and the choice of rule by span dimension, live in
:mod:`proofs_check.integrand`.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

import gmpy2
import mpmath
import numpy as np
from mpmath import mp
from mpmath.calculus.quadrature import GaussLegendre

from .numbers import at_bits, from_mpfr, mpfr_matching, to_mpfr


@dataclass
class Estimate:
    """Values of an expectation, absolute error estimates, and the method."""

    values: list
    errors: list
    method: str
    evaluations: int = 0
    info: dict = field(default_factory=dict)

    @property
    def max_error(self):
        """The largest absolute error estimate over the components (0 when there are none)."""
        return max(self.errors) if self.errors else 0


class Rule(abc.ABC):
    """The interface every Gaussian rule shares: ``integrate(F) -> Estimate``.

    A rule is built for one Gaussian (its dimension, centre and the features
    of the integrand it will meet) and integrates a vector integrand F
    against it; ``name`` is the method reported with the result.  What F
    receives depends on the rule's arithmetic: one MPFR number
    (:class:`LineRule`), two (:class:`PlaneRule`), or an (N, k) float64 array
    of points (:class:`QMCRule`).
    """

    name: str = ""

    @abc.abstractmethod
    def integrate(self, F: Callable) -> Estimate:
        """``E[F]`` against the rule's Gaussian: values, absolute error estimates, method."""


@dataclass(frozen=True)
class Piece:
    """One piece ``[a, b]`` of a :class:`LineRule` with its sums (MPFR numbers).

    ``values``: the integral of each component of F times the density on the
    piece; ``abs_values``: the integral of its absolute value; ``errors``:
    the estimated quadrature error per component; ``depth``: how many
    bisections made the piece.
    """

    a: object
    b: object
    depth: int
    values: list
    abs_values: list
    errors: list


@lru_cache(maxsize=64)
def _gl_nodes(degree: int, prec: int):
    """Gauss-Legendre nodes and weights on [-1, 1] as MPFR numbers.

    ``3 * 2**(degree-1)`` of them, computed by mpmath at ``prec`` bits.
    """
    with at_bits(prec):
        return tuple((to_mpfr(x), to_mpfr(w)) for x, w in GaussLegendre(mp).calc_nodes(degree, prec))


class LineRule(Rule):
    """``E_{s ~ N(center, scale^2)}[F(s)]`` for a vector integrand F, at the current precision.

    ``slopes``/``intercepts`` describe the affine logits whose softmax F is
    built from; the pieces are split where two leading logits cross (the
    transition has width ``1/|p_g - p_h|``) and graded geometrically around
    each crossing, so every piece sees its nearest complex singularity at a
    distance comparable to its own length.

    F is called with an MPFR number (gmpy2, at mpmath's current precision)
    and must return a list of MPFR numbers; the node loop runs in MPFR for
    speed, everything else in mpmath.  Results are mpf.

    ``rel_tol``: each component's error target, relative to the integral of
    its absolute value (so a component that cancels to zero is still judged
    on the scale of its terms).  ``families``: further ``(slopes,
    intercepts)`` logit families whose softmax F is also built from (the
    reverse loss's teacher mixture); their crossings split the line too.
    """

    name = "piecewise Gauss-Legendre on the real line, split at logit crossings"
    BASE_DEGREE = 5          # 48-point rule, checked against the 24-point rule
    MAX_DEPTH = 40
    # Refinement stops here even if the target is not met (an integrand that
    # is pure rounding noise can never meet a relative target); the error
    # estimate returned is then the honest, large one and info says so.
    MAX_EVALUATIONS = 200_000

    def __init__(self, slopes, intercepts, rel_tol=None, center=0, scale=1, families: Sequence = ()):
        self.p = [mp.mpf(v) for v in slopes]
        self.q = [mp.mpf(v) for v in intercepts]
        self.rel_tol = mp.mpf(rel_tol) if rel_tol is not None else mp.eps * 2 ** 8
        self.center = mp.mpf(center)
        self.scale = mp.mpf(scale)
        self.families = tuple(([mp.mpf(v) for v in p], [mp.mpf(v) for v in q]) for p, q in families)
        self.evaluations = 0

    # -- geometry -----------------------------------------------------------
    def _cutoff(self):
        """Half-width R (in units of scale) beyond which the Gaussian tail is negligible."""
        target = -mpmath.log(self.rel_tol) + 10
        return mpmath.sqrt(2 * target) + 1

    MAX_REACH = 10 ** 6      # never integrate further than this many scales from the centre

    def crossings(self):
        """(position, sharpness) of the crossings that shape the integrand.

        A crossing counts where both logits lead (within the precision's
        slack).  One far outside the Gaussian's bulk counts only if its
        transition is sharp on the scale of the bulk (``|dp| R >= 1``): then
        the weights really switch there and some component lives beyond it.
        A crossing far away with a tiny slope difference (an exponentially
        small split next to a multiplicity, say) is no feature at all: over
        the bulk the two weights keep a constant ratio.
        """
        out = self._crossings_of(self.p, self.q)
        for p, q in self.families:
            out += self._crossings_of(p, q)
        return out

    def _crossings_of(self, P, Q):
        """The crossings of one logit family ``P s + Q`` (see :meth:`crossings`)."""
        out = []
        G = len(P)
        slack = -mpmath.log(self.rel_tol) + 10
        R = self._cutoff() * self.scale
        for g in range(G):
            for h in range(g + 1, G):
                dp = P[g] - P[h]
                if dp == 0:
                    continue
                s0 = -(Q[g] - Q[h]) / dp
                dist = abs(s0 - self.center)
                if dist > R and (abs(dp) * R < 1 or dist > self.MAX_REACH * self.scale):
                    continue
                lead = max(P[j] * s0 + Q[j] for j in range(G))
                if lead - (P[g] * s0 + Q[g]) <= slack:
                    out.append((s0, abs(dp)))
        return out

    def breakpoints(self):
        """The initial pieces' ends: the cut-off interval, the crossings graded geometrically, the bulk."""
        R = self._cutoff() * self.scale
        cr = self.crossings()
        xs = [self.center] + [c for c, _ in cr]
        lo, hi = min(xs) - R, max(xs) + R
        pts = {lo, hi, self.center}
        for c, sharp in cr:
            if not (lo < c < hi):
                continue
            pts.add(c)
            h = 2 / sharp
            # geometric grading on both sides, up to the Gaussian's scale
            while h < self.scale:
                for sgn in (-1, 1):
                    x = c + sgn * h
                    if lo < x < hi:
                        pts.add(x)
                h *= 4
        # coarse pieces around the bulk of the Gaussian; adaptivity refines
        for r in (2, 5):
            for sgn in (-1, 1):
                x = self.center + sgn * r * self.scale
                if lo < x < hi:
                    pts.add(x)
        return sorted(pts)

    # -- integration --------------------------------------------------------
    def _piece(self, F, a, b, degree):
        """(integral, integral of |.|) of F * density on [a, b], in MPFR."""
        half, mid = (b - a) / 2, (b + a) / 2
        c, inv = self._c, self._inv_scale
        acc = absacc = None
        for x, w in _gl_nodes(degree, mp.prec):
            s = mid + half * x
            z = (s - c) * inv
            wt = w * half * gmpy2.exp(-z * z / 2)
            vals = F(s)
            self.evaluations += 1
            if acc is None:
                acc = [wt * v for v in vals]
                absacc = [abs(t) for t in acc]
            else:
                for i, v in enumerate(vals):
                    t = wt * v
                    acc[i] += t
                    absacc[i] += abs(t)
        return acc, absacc

    def _estimate(self, F, a, b, depth=0) -> Piece:
        """The piece [a, b]: the higher-degree rule's sums and the error from the lower one."""
        hi, absint = self._piece(F, a, b, self.BASE_DEGREE)
        lo, _ = self._piece(F, a, b, self.BASE_DEGREE - 1)
        # Gauss-Legendre converges geometrically for analytic integrands:
        # if the n-point rule is off by D, the 2n-point rule is off by about
        # D^2 / scale (the estimate mpmath's quadrature uses too), but never
        # claim more than the working precision.
        eps4 = self._eps * 4
        err = []
        for x, y, s in zip(hi, lo, absint):
            d = abs(x - y)
            err.append(max(d * d / s * 16 if s else d, s * eps4))
        return Piece(a, b, depth, hi, absint, err)

    def integrate(self, F, controlled: int | None = None) -> Estimate:
        """Integrate the vector function F against the Gaussian density.

        Global adaptive: while some component's summed error estimate exceeds
        its budget ``rel_tol * integral of |F| * density``, bisect the piece
        contributing most to that component's error.  Only the first
        ``controlled`` components (default all) steer the refinement; later
        ones are carried along.  When exactly as many are carried as
        controlled, they are taken to be an inner rule's error estimates
        (PlaneRule) and no component is asked to beat its inner error.
        """
        with mpfr_matching():
            self._c = to_mpfr(self.center)
            self._inv_scale = 1 / to_mpfr(self.scale)
            self._eps = to_mpfr(mp.eps)
            norm = to_mpfr(1 / (self.scale * mpmath.sqrt(2 * mpmath.pi)))
            tol = to_mpfr(self.rel_tol)
            pts = [to_mpfr(x) for x in self.breakpoints()]
            pieces = [self._estimate(F, a, b) for a, b in zip(pts[:-1], pts[1:])]
            m = len(pieces[0].values)
            mc = m if controlled is None else controlled
            exhausted = False
            while True:
                total_abs = [sum(pc.abs_values[i] for pc in pieces) for i in range(m)]
                floor = max(total_abs[:mc]) * self._eps
                budget = [tol * max(t, floor) for t in total_abs]
                if m == 2 * mc:
                    # the carried components are an inner rule's error estimates:
                    # never demand more of this rule than the inner ones deliver
                    inner = [sum(pc.values[mc + i] for pc in pieces) for i in range(mc)]
                    budget = [max(bu, 2 * abs(e)) for bu, e in zip(budget, inner)]
                total_err = [sum(pc.errors[i] for pc in pieces) for i in range(m)]
                ratios = [e / b if b else 0 for e, b in zip(total_err[:mc], budget)]
                worst = max(range(mc), key=lambda i: ratios[i])
                if ratios[worst] <= 1:
                    break
                cand = [j for j, pc in enumerate(pieces) if pc.depth < self.MAX_DEPTH]
                if not cand or self.evaluations >= self.MAX_EVALUATIONS:
                    exhausted = True
                    break
                j = max(cand, key=lambda j: pieces[j].errors[worst])
                a, b, depth = pieces[j].a, pieces[j].b, pieces[j].depth
                mid = (a + b) / 2
                pieces[j:j + 1] = [self._estimate(F, a, mid, depth + 1), self._estimate(F, mid, b, depth + 1)]
            values = [from_mpfr(norm * sum(pc.values[i] for pc in pieces)) for i in range(m)]
            abs_int = [from_mpfr(norm * t) for t in total_abs]
            quad_err = [from_mpfr(norm * e) for e in total_err]
        tail = self._tail_bound(abs_int, from_mpfr(pts[0]), from_mpfr(pts[-1]))
        errors = [q + t for q, t in zip(quad_err, tail)]
        return Estimate(values, errors, self.name, self.evaluations,
                        {"pieces": len(pieces), "interval": (from_mpfr(pts[0]), from_mpfr(pts[-1])),
                         "target_met": not exhausted})

    def _tail_bound(self, total_abs, lo, hi):
        """Heuristic bound on the neglected Gaussian tails beyond the cut-off.

        The integrands grow at most polynomially while the density beyond
        the cut-off R is below ``exp(-R^2/2)``; each component is charged its
        absolute integral times the Gaussian tail mass (Mill's inequality)
        times a quartic growth allowance.
        """
        R = min(self.center - lo, hi - self.center) / self.scale
        mass = mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(-R * R / 2) / R
        return [t * mass * (1 + R) ** 4 for t in total_abs]


class PlaneRule(Rule):
    """``E_{z ~ N(0, I_2)}[F(z1, z2)]``: a LineRule in z1 of LineRules in z2.

    ``y``: the G parameter points in R^2 whose logits ``<z, y_g> - |y_g|^2/2
    + log m_g`` drive F.  The inner rule splits at the crossings in z2 for
    the current z1; the outer rule splits at the crossings of the logits
    restricted to the z1 axis (the features of the marginal).
    """

    name = "iterated piecewise Gauss-Legendre in the plane"

    def __init__(self, y, logm, rel_tol=None):
        self.y = [[mp.mpf(c) for c in row] for row in y]
        self.logm = [mp.mpf(v) for v in logm]
        self.rel_tol = rel_tol
        self.evaluations = 0

    def integrate(self, F) -> Estimate:
        """``E[F(z1, z2)]``: F gets two MPFR numbers and returns a list of MPFR numbers."""
        y, logm = self.y, self.logm

        def outer(z1):
            z1m = from_mpfr(z1)
            slopes = [row[1] for row in y]
            icpt = [z1m * row[0] - (row[0] ** 2 + row[1] ** 2) / 2 + lm for row, lm in zip(y, logm)]
            rule = LineRule(slopes, icpt, self.rel_tol)
            est = rule.integrate(lambda z2: F(z1, z2))
            self.evaluations += rule.evaluations
            return [to_mpfr(v) for v in est.values + est.errors]

        slopes = [row[0] for row in y]
        icpt = [-(row[0] ** 2) / 2 + lm for row, lm in zip(y, logm)]
        out_rule = LineRule(slopes, icpt, self.rel_tol)
        with mpfr_matching():
            m = len(F(gmpy2.mpfr(0), gmpy2.mpfr(0)))   # number of components
        est = out_rule.integrate(outer, controlled=m)
        values = est.values[:m]
        # outer quadrature error plus the (integrated) inner error estimates
        errors = [est.errors[i] + abs(est.values[m + i]) for i in range(m)]
        return Estimate(values, errors, self.name, self.evaluations,
                        {"outer_pieces": est.info.get("pieces")})


class QMCRule(Rule):
    """``E_{z ~ N(0, I_k)}[F(z)]`` in float64 by randomised quasi-Monte Carlo.

    ``F`` takes an array of shape (N, k) and returns an array (N, m).
    ``replicates`` independent scramblings of a Sobol' sequence of
    ``2**log2_points`` points; the estimate is their mean and the error a
    99.9% Student-t bound on that mean.  Seeded: the same seed gives the same
    numbers.
    """

    name = "randomised quasi-Monte Carlo (scrambled Sobol', float64)"

    def __init__(self, k, log2_points=14, replicates=8, seed=0):
        self.k, self.log2_points, self.replicates, self.seed = k, log2_points, replicates, seed

    def integrate(self, F) -> Estimate:
        """``E[F(z)]``: F gets an (N, k) float64 array of points and returns an (N, m) array."""
        from scipy.stats import norm, qmc
        from scipy.stats import t as student_t

        reps = []
        for r in range(self.replicates):
            sob = qmc.Sobol(self.k, scramble=True, rng=np.random.default_rng(np.random.SeedSequence([self.seed, r])))
            u = sob.random_base2(self.log2_points)
            z = norm.ppf(np.clip(u, 1e-300, 1 - 1e-16))
            reps.append(np.mean(F(z), axis=0))
        reps = np.array(reps)
        mean = reps.mean(axis=0)
        # a 99.9% bound: the spread of R replicates is itself uncertain, so
        # the multiplier is Student's t with R - 1 degrees of freedom (5.4 for
        # R = 8), not the normal 3, which covers only ~98% with 7 dof
        t = student_t.ppf(0.9995, self.replicates - 1)
        err = t * reps.std(axis=0, ddof=1) / np.sqrt(self.replicates) + 1e-16 * np.abs(mean)
        n = self.replicates * 2 ** self.log2_points
        return Estimate(list(mean), list(err), self.name, n,
                        {"points": n, "seed": self.seed})
