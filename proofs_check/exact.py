"""Exact linear algebra over the rationals: the one home for it.

Rank, determinant, linear solve and inverse of small rational matrices,
Fractions (or ints) in and Fractions out.  The work is done by python-flint's
``fmpq_mat`` (FLINT's exact rational matrices); nothing is rounded, so the
results are the same whichever algorithm computes them.  Used by
:meth:`proofs_check.model.Configuration.is_aligned` (alignment: the centred
parameters have rank <= 1, MATH.md 4), by the certificates
(:mod:`proofs_check.certify`: the exact congruence ``V`` of Sylvester's law of
inertia must be invertible) and by the stress strategies (exact Cayley
rotations ``(I - S)(I + S)^{-1}``, paper eq. (1)).

>>> from fractions import Fraction
>>> rank([[1, 2], [2, 4]])
1
>>> determinant([[Fraction(1, 3), 2], [3, 4]])
Fraction(-14, 3)
>>> inverse([[2, 0], [0, 4]])
[[Fraction(1, 2), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 4)]]
>>> solve([[2, 0], [0, 4]], [1, 1])
[Fraction(1, 2), Fraction(1, 4)]
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from flint import fmpq, fmpq_mat


def _rational(v) -> fmpq:
    """An exact rational entry as an fmpq (Python floats refused: they are not exact input)."""
    if isinstance(v, float):
        raise TypeError(f"exact linear algebra takes Fractions or ints, not the float {v!r}")
    q = Fraction(v)
    return fmpq(q.numerator, q.denominator)


def _fraction(v: fmpq) -> Fraction:
    return Fraction(int(v.p), int(v.q))


def _matrix(rows: Sequence[Sequence]) -> fmpq_mat:
    """The rows (a list of equal-length rational vectors) as an ``fmpq_mat``."""
    rows = [list(r) for r in rows]
    cols = {len(r) for r in rows}
    if len(cols) > 1:
        raise ValueError(f"ragged matrix: row lengths {sorted(cols)}")
    n = cols.pop() if cols else 0
    return fmpq_mat(len(rows), n, [_rational(v) for r in rows for v in r])


def _square(rows: Sequence[Sequence], what: str) -> fmpq_mat:
    M = _matrix(rows)
    if M.nrows() != M.ncols():
        raise ValueError(f"{what} needs a square matrix, got {M.nrows()} x {M.ncols()}")
    return M


def _rows(M: fmpq_mat) -> list:
    return [[_fraction(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())]


def rank(rows: Sequence[Sequence]) -> int:
    """Rank of a list of rational vectors (exact; no rows, or only zero rows, give 0)."""
    M = _matrix(rows)
    if M.nrows() == 0 or M.ncols() == 0:
        return 0
    return int(M.rank())


def determinant(rows: Sequence[Sequence]) -> Fraction:
    """Determinant of a square rational matrix, exactly."""
    return _fraction(_square(rows, "determinant").det())


def inverse(rows: Sequence[Sequence]) -> list:
    """The inverse of a square rational matrix as a list of Fraction rows.

    Raises ZeroDivisionError when the matrix is singular.
    """
    return _rows(_square(rows, "inverse").inv())


def solve(rows: Sequence[Sequence], rhs: Sequence) -> list:
    """The x with ``A x = rhs`` for a square invertible rational A (rhs a vector): Fractions.

    Raises ZeroDivisionError when A is singular.
    """
    A = _square(rows, "solve")
    if len(rhs) != A.nrows():
        raise ValueError(f"solve: right-hand side has {len(rhs)} entries, the matrix {A.nrows()} rows")
    x = A.solve(fmpq_mat(A.nrows(), 1, [_rational(v) for v in rhs]))
    return [_fraction(x[i, 0]) for i in range(A.nrows())]


__all__ = ["rank", "determinant", "inverse", "solve"]
