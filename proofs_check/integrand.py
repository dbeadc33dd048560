"""The one Gaussian integrand of the suite, and the one expectation entry point.

Every loss and gradient the suite computes (Lemma B.1 / 2.2's forward loss,
the reverse Fisher divergence of MATH.md 6, the Hessian of MATH.md 4, the
float64 objectives) is the Gaussian expectation of a sympy-derived integrand
(:mod:`proofs_check.symbolic`) evaluated at the stable softmax weights of the
parameters' logits.  In the centred span coordinates (MATH.md 2) that is

    E_{x ~ N(c, I_k)} func(x, [c], Y, [T], w(x), [u(x)]),
    w(x) = softmax_g(<x, Y_g> - |Y_g|^2 / 2 + log m_g),

with ``c = 0`` (forward loss) or ``c = Y_centre`` (the reverse loss: the
expectation under one student component, whose centre ``func`` receives after
x), and, for a teacher mixture ``q = sum_j pi_j N(T_j, I)``, the teacher's
means T and weights ``u(x) = softmax_j(<x, T_j> - |T_j|^2/2 + log pi_j)``.

:class:`GaussianIntegrand` holds that integrand and evaluates it on a line
(MPFR, :class:`~proofs_check.expectation.LineRule`), on a plane
(:class:`~proofs_check.expectation.PlaneRule`) or vectorised in float64
(:meth:`GaussianIntegrand.at`, for :class:`~proofs_check.expectation.QMCRule`
and the fixed float64 rules).  :func:`expectation` is the one place that picks
the rule from the span dimension k.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import gmpy2
import mpmath
import numpy as np
from mpmath import mp

from . import model
from .expectation import Estimate, LineRule, PlaneRule, QMCRule
from .numbers import mpfr_matching, to_mpfr


def columns(cols, N: int) -> np.ndarray:
    """A lambdified numpy function's output list as an (N, m) array (constants broadcast)."""
    return np.column_stack([np.broadcast_to(np.asarray(c, dtype=float), (N,)) for c in cols])


@dataclass(frozen=True)
class GaussianIntegrand:
    """A derived integrand against the Gaussian of the span (see the module docstring).

    ``func``: the lambdified integrand (mpmath backend for :meth:`on_line` /
    :meth:`on_plane`, numpy backend for :meth:`at` / :meth:`by_qmc`);
    ``Y``: the G parameters' span coordinates (rows of k numbers; mpf or a
    float64 array); ``logm``: the logits' shifts (log-multiplicities), or
    None for none; ``centre``: None for ``N(0, I_k)``, or the index g of the
    parameter whose ``N(Y_g, I_k)`` the expectation is under; ``teacher``:
    None, or ``(T, log_pi)`` a teacher mixture's means (rows) and log-weights;
    ``compiled``: the compiled object ``func`` came from (its ``split``
    reads the flat output), carried for the caller.
    """

    func: Callable
    Y: Sequence
    logm: Sequence | None = None
    centre: int | None = None
    teacher: tuple | None = None
    compiled: object = None

    @property
    def k(self) -> int:
        """The span dimension."""
        return len(self.Y[0])

    # -- arbitrary precision ---------------------------------------------------------
    def on_line(self, rel_tol=None) -> Estimate:
        """The expectation for k = 1 (aligned, MATH.md 4) by the LineRule, at the current precision.

        The rule is split at the crossings of the parameters' logits (and the
        teacher's); F runs in MPFR.
        """
        y = [row[0] for row in self.Y]
        icpt = [-(v * v) / 2 + lm for v, lm in zip(y, self.logm)]
        families = ()
        with mpfr_matching():
            yr = [to_mpfr(v) for v in y]
            qr = [to_mpfr(v) for v in icpt]
            head = [] if self.centre is None else [to_mpfr(y[self.centre])]
            if self.teacher is not None:
                tvals = [row[0] for row in self.teacher[0]]
                tint = [-(v * v) / 2 + lp for v, lp in zip(tvals, self.teacher[1])]
                families = ((tvals, tint),)
                ex = [to_mpfr(v) for v in tvals]
                tp = [to_mpfr(v) for v in tvals]
                tq = [to_mpfr(v) for v in tint]
        func = self.func
        if self.teacher is None:
            def F(s):
                w = model.softmax([p * s + q for p, q in zip(yr, qr)], gmpy2.exp)
                return func(s, *head, *yr, *w)
        else:
            def F(s):
                w = model.softmax([p * s + q for p, q in zip(yr, qr)], gmpy2.exp)
                u = model.softmax([p * s + q for p, q in zip(tp, tq)], gmpy2.exp)
                return func(s, *head, *yr, *ex, *w, *u)
        center = 0 if self.centre is None else y[self.centre]
        return LineRule(y, icpt, rel_tol, center=center, families=families).integrate(F)

    def on_plane(self, rel_tol=None) -> Estimate:
        """The expectation for k = 2 by the PlaneRule, at the current precision.

        Under ``N(c, I_2)`` (a centre) the rule integrates ``z ~ N(0, I_2)``
        after the shift ``x = z + c``: the logits become ``<z, Y_h> + (<c, Y_h>
        - |Y_h|^2/2 + log m_h)``, the same rule with shifted log-multiplicities.
        """
        if self.teacher is not None:
            raise ValueError("on_plane: a teacher mixture is integrated on a line or by QMC only")
        Y, func = self.Y, self.func
        if self.centre is None:
            shifts = list(self.logm)
        else:
            cg = Y[self.centre]
            shifts = [lm + cg[0] * r[0] + cg[1] * r[1] for lm, r in zip(self.logm, Y)]
        with mpfr_matching():
            Yr = [[to_mpfr(v) for v in row] for row in Y]
            lr = [to_mpfr(s) - (r[0] * r[0] + r[1] * r[1]) / 2 for s, r in zip(shifts, Yr)]
            if self.centre is not None:
                c0, c1 = to_mpfr(cg[0]), to_mpfr(cg[1])
        flatY = [v for row in Yr for v in row]
        if self.centre is None:
            def F(z1, z2):
                w = model.softmax([z1 * r[0] + z2 * r[1] + q for r, q in zip(Yr, lr)], gmpy2.exp)
                return func(z1, z2, *flatY, *w)
        else:
            def F(z1, z2):
                w = model.softmax([z1 * r[0] + z2 * r[1] + q for r, q in zip(Yr, lr)], gmpy2.exp)
                return func(z1 + c0, z2 + c1, c0, c1, *flatY, *w)
        return PlaneRule(Y, shifts, rel_tol).integrate(F)

    # -- float64 ---------------------------------------------------------------------
    def at(self, z: np.ndarray) -> np.ndarray:
        """The integrand at the points ``z`` (N, k) of ``N(0, I_k)`` (shifted to the centre), float64: (N, m)."""
        if self.centre is None:
            return self._at_points(z, [])
        cg = self.Y[self.centre]
        return self._at_points(z + cg, list(cg))

    def at_every_centre(self, z: np.ndarray) -> np.ndarray:
        """The integrand under every parameter's component at once (float64): shape (G, N, m).

        Entry ``[g]`` is :meth:`at` with ``centre=g`` (points ``Y_g + z``), in
        one vectorised call (the fixed rules of long float64 sweeps).
        """
        Y = self.Y
        G, N = Y.shape[0], z.shape[0]
        x = (Y[:, None, :] + z[None, :, :]).reshape(G * N, Y.shape[1])
        return self._at_points(x, list(np.repeat(Y, N, axis=0).T)).reshape(G, N, -1)

    def _at_points(self, x: np.ndarray, head: list) -> np.ndarray:
        """``func`` at the points ``x`` (rows), with the centre's coordinates ``head`` after x (float64)."""
        Y = self.Y
        w = model.softmax_np(model.logits_np(x, Y, self.logm))
        args = [*x.T, *head, *Y.ravel()]
        if self.teacher is not None:
            T, log_pi = self.teacher
            args += list(T.ravel())
        args += list(w.T)
        if self.teacher is not None:
            args += list(model.softmax_np(model.logits_np(x, T, log_pi)).T)
        return columns(self.func(*args), x.shape[0])

    def by_qmc(self, log2_points: int = 14, seed: int = 0, replicates: int = 8) -> Estimate:
        """The expectation by randomised QMC in float64 (any k); values and errors as numpy floats."""
        return QMCRule(self.Y.shape[1], log2_points=log2_points, replicates=replicates, seed=seed).integrate(self.at)


def span_arrays(Y: Sequence, mult: Sequence, logm: Sequence, backend: str) -> tuple:
    """``(Y, logm)`` in the numbers of ``backend``: as given (mpf) for 'mpmath'; float64 arrays
    (``log`` of the float multiplicities) for 'numpy'."""
    if backend == "numpy":
        return np.array([[float(v) for v in row] for row in Y]), np.log(np.array(mult, dtype=float))
    return Y, logm


def expectation(integrand_for: Callable, k: int, *, backend: str = "mpmath", rel_tol=None,
                qmc_points: int = 14, seed: int = 0, exact_up_to: int = 2):
    """The one dispatch on the span dimension k: ``(Estimate, GaussianIntegrand)`` or None.

    ``integrand_for(numeric)`` builds the :class:`GaussianIntegrand` for
    ``numeric`` = 'mpmath' or 'numpy'.  k = 0: None (every integrand vanishes
    exactly: the caller reports exact zeros); k = 1: :meth:`~GaussianIntegrand.on_line`;
    k = 2 (when ``exact_up_to >= 2``): :meth:`~GaussianIntegrand.on_plane`,
    both at the current precision; k > ``exact_up_to`` or ``backend='float64'``:
    randomised QMC in float64 (values and errors returned as mpf).
    """
    if k == 0:
        return None
    if backend == "float64" or k > exact_up_to:
        ig = integrand_for("numpy")
        est = ig.by_qmc(qmc_points, seed)
        est.values = [mp.mpf(float(v)) for v in est.values]
        est.errors = [mp.mpf(float(v)) for v in est.errors]
        return est, ig
    ig = integrand_for("mpmath")
    return (ig.on_line(rel_tol) if k == 1 else ig.on_plane(rel_tol)), ig


def log_multiplicities(mult: Sequence) -> list:
    """``log m_g`` at the current precision (the logits' shifts of a group of m copies)."""
    return [mpmath.log(m) for m in mult]
