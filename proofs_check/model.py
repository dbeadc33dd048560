"""The student, the teacher and the loss integrand (MATH.md 1-2).

Paper variables: ``a_i = e^{-t} mu_i`` (the student's parameters at noise
level t) and ``b = e^{-t} mu*`` (the truth).  The loss is

    L(a; b) = E_{x ~ N(b, I)} | sum_i w_i(x) a_i - b |^2,
    w_i(x) = softmax_i( <x, a_i> - |a_i|^2 / 2 ),

with no factor 1/2 (a convention that only rescales step sizes).  By the
shift symmetry (paper eq. (1)) everything is computed in the centred form
``c_i = a_i - b``, ``x ~ N(0, I)``.

:class:`Configuration` holds a user's exact inputs (Fractions); the
functions below work on mpmath numbers at the current precision, or on
numpy float64 arrays.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy as np
from mpmath import mp

from . import exact
from .numbers import InputError, parse_number, to_mpf


@dataclass(frozen=True)
class Configuration:
    """Student parameters mu_1..mu_G (with multiplicities), truth mu*, noise t.

    Values are exact rationals.  ``multiplicity[g]`` copies of parameter g
    are present (identical parameters stay identical under gradient descent,
    MATH.md 4), so the student has ``n = sum(multiplicity)`` parameters.
    """

    params: tuple
    truth: tuple
    t: Fraction = Fraction(0)
    multiplicity: tuple = ()

    def __post_init__(self):
        if len(self.params) < 1:
            raise InputError("the student needs at least one parameter (n >= 1)")
        d = len(self.truth)
        if d < 1:
            raise InputError("the truth must have at least one coordinate")
        for i, p in enumerate(self.params):
            if len(p) != d:
                raise InputError(
                    f"parameter {i + 1} has {len(p)} coordinates but the truth has {d}")
        if not self.multiplicity:
            object.__setattr__(self, "multiplicity", (1,) * len(self.params))
        if len(self.multiplicity) != len(self.params):
            raise InputError("one multiplicity per parameter is needed")
        if any((not isinstance(m, int)) or m < 1 for m in self.multiplicity):
            raise InputError("multiplicities must be whole numbers >= 1")
        if self.t < 0:
            raise InputError("the noise level t must be >= 0")

    # -- construction ---------------------------------------------------------
    @classmethod
    def make(cls, params, truth, t=0, multiplicity=None) -> "Configuration":
        """From Python values: numbers as decimal strings, ints, Fractions or mpfs.

        ``params`` is a list of vectors, or a flat list of numbers meaning d = 1;
        ``truth`` a vector or a single number.
        """
        truth_v = _vector(truth, "truth")
        rows = []
        for i, p in enumerate(_as_list(params, "params")):
            if isinstance(p, (list, tuple)):
                rows.append(_vector(p, f"parameter {i + 1}"))
            else:
                rows.append((parse_number(p, f"parameter {i + 1}"),))
        return cls(tuple(rows), truth_v, parse_number(t, "t"),
                   tuple(multiplicity) if multiplicity else ())

    @classmethod
    def from_text(cls, params: str, truth: str, t: str = "0", multiplicity: str | None = None):
        """From the CLI's text: a JSON list of vectors, or a comma list (d = 1)."""
        mult = None
        if multiplicity:
            try:
                mult = [int(m) for m in multiplicity.split(",")]
            except ValueError:
                raise InputError(f"--multiplicity: {multiplicity!r} is not a comma list of whole numbers") from None
        return cls.make(parse_vectors(params, "--params"), parse_vector(truth, "--truth"), t, mult)

    # -- shape ----------------------------------------------------------------
    @property
    def G(self) -> int:
        """Number of distinct parameter groups."""
        return len(self.params)

    @property
    def n(self) -> int:
        """Number of student parameters, counting multiplicity."""
        return sum(self.multiplicity)

    @property
    def d(self) -> int:
        """Dimension of the data space (coordinates of the truth mu*)."""
        return len(self.truth)

    def centred_exact(self) -> list:
        """``mu_i - mu*`` as exact rationals (alignment does not depend on t)."""
        return [[p - q for p, q in zip(row, self.truth)] for row in self.params]

    def is_aligned(self) -> bool:
        """True when every ``mu_i - mu*`` lies on one line through the origin (exact)."""
        return exact_rank(self.centred_exact()) <= 1

    # -- numbers at the current precision -------------------------------------
    def scaled(self):
        """``(A, b)``: the paper's variables ``a_i = e^{-t} mu_i``, ``b = e^{-t} mu*`` as mpf."""
        s = mpmath.exp(-to_mpf(self.t)) if self.t else mp.mpf(1)
        A = [[s * to_mpf(v) for v in row] for row in self.params]
        b = [s * to_mpf(v) for v in self.truth]
        return A, b

    def log_multiplicity(self):
        """``log m_g`` for every group, at the current precision (the logits' offsets)."""
        return [mpmath.log(m) for m in self.multiplicity]

    def describe(self) -> str:
        """A one-line summary: n, G, d and t."""
        return (f"n={self.n} (G={self.G} distinct), d={self.d}, t={float(self.t):g}")


def exact_rank(rows) -> int:
    """Rank of a list of rational vectors, exactly (:func:`proofs_check.exact.rank`)."""
    return exact.rank(rows)


# -- parsing helpers ------------------------------------------------------------
def _as_list(x, what):
    if isinstance(x, (list, tuple)):
        if not x:
            raise InputError(f"{what}: empty list")
        return list(x)
    return [x]


def _vector(v, what) -> tuple:
    if isinstance(v, (list, tuple)):
        if not v:
            raise InputError(f"{what}: empty vector")
        if any(isinstance(c, (list, tuple)) for c in v):
            raise InputError(f"{what}: expected a vector of numbers, got nested lists")
        return tuple(parse_number(c, what) for c in v)
    return (parse_number(v, what),)


def _json_exact(text: str, what: str):
    """Parse JSON keeping every number as its decimal string."""
    try:
        return json.loads(text, parse_float=str, parse_int=str,
                          parse_constant=lambda c: (_ for _ in ()).throw(
                              InputError(f"{what}: {c} is not a number")))
    except json.JSONDecodeError as e:
        raise InputError(f"{what}: not valid JSON ({e.msg})") from None


def parse_vectors(text: str, what: str):
    """A JSON list of vectors, a JSON list of numbers, or a comma list (d = 1)."""
    text = text.strip()
    if not text:
        raise InputError(f"{what}: empty")
    if text.startswith("["):
        val = _json_exact(text, what)
        if not isinstance(val, list) or not val:
            raise InputError(f"{what}: expected a non-empty list")
        if all(isinstance(r, list) for r in val):
            lens = {len(r) for r in val}
            if len(lens) != 1:
                raise InputError(f"{what}: ragged vectors (lengths {sorted(lens)})")
            return val
        if any(isinstance(r, list) for r in val):
            raise InputError(f"{what}: mixes vectors and numbers")
        return val
    return [s for s in text.split(",")]


def parse_vector(text: str, what: str):
    """One vector from the CLI's text: a JSON list, a comma list, or a single number (d = 1)."""
    text = text.strip()
    if text.startswith("["):
        val = _json_exact(text, what)
        if isinstance(val, list) and any(isinstance(c, list) for c in val):
            raise InputError(f"{what}: expected one vector")
        return val
    parts = text.split(",")
    return parts if len(parts) > 1 else parts[0]


# -- the integrand's ingredients --------------------------------------------------
def logits(x: Sequence, Y: Sequence, logm: Sequence | None = None) -> list:
    """``l_g(x) = <x, y_g> - |y_g|^2/2 + log m_g`` at the current precision."""
    out = []
    for g, y in enumerate(Y):
        l = mpmath.fsum(xi * yi for xi, yi in zip(x, y)) - mpmath.fsum(yi * yi for yi in y) / 2
        if logm is not None:
            l += logm[g]
        out.append(l)
    return out


def softmax(l: Sequence, exp=mpmath.exp) -> list:
    """Stable softmax: shift by the largest logit before exponentiating.

    ``exp`` selects the arithmetic (mpmath.exp, or gmpy2.exp for MPFR inputs).
    """
    top = max(l)
    e = [exp(v - top) for v in l]
    s = sum(e)
    return [v / s for v in e]


def softmax_np(l: np.ndarray) -> np.ndarray:
    """Stable softmax along the last axis, float64."""
    z = l - l.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def logits_np(x: np.ndarray, Y: np.ndarray, logm: np.ndarray | None = None) -> np.ndarray:
    """Logits for points x (N, k) and parameters Y (G, k): shape (N, G)."""
    l = x @ Y.T - 0.5 * np.sum(Y * Y, axis=1)
    if logm is not None:
        l = l + logm
    return l


def student_score(x, A, logm=None) -> list:
    """``s(x) = sum_i w_i(x) a_i - x`` (mpmath)."""
    w = softmax(logits(x, A, logm))
    d = len(x)
    return [mpmath.fsum(w[g] * A[g][c] for g in range(len(A))) - x[c] for c in range(d)]


def gram_schmidt(C: Sequence) -> tuple:
    """Orthonormal basis Q (list of unit vectors) of span(C) and coordinates.

    A direction is kept unless its residual is zero to the working
    precision relative to the largest vector.  Returns ``(Q, Y)`` with
    ``Y[g] = [<c_g, q> for q in Q]``.
    """
    scale = max([mpmath.norm(c) for c in C] + [mp.mpf(0)])
    Q = []
    if scale == 0:
        return Q, [[] for _ in C]
    for c in C:
        r = [mp.mpf(v) for v in c]
        for _ in range(2):  # re-orthogonalise once for stability
            for q in Q:
                p = mpmath.fsum(a * b for a, b in zip(r, q))
                r = [a - p * b for a, b in zip(r, q)]
        nr = mpmath.norm(r)
        if nr > scale * mp.eps * 2 ** 10:
            Q.append([v / nr for v in r])
    Y = [[mpmath.fsum(a * b for a, b in zip(c, q)) for q in Q] for c in C]
    return Q, Y
