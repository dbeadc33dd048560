"""Finite-difference stencils: the one home of the suite's numerical derivatives.

- :func:`central_difference` is the fourth-order central difference
  ``f'(0) ~ [f(-2h) - 8 f(-h) + 8 f(h) - f(2h)] / (12 h)`` (truncation error
  ``h^4 f^(5) / 30``);
- :func:`move_one_copy` displaces one copy of each parameter group along a
  direction, splitting it off its group (a group of m identical parameters is
  one point with multiplicity m; moving one copy makes it m - 1 plus 1);
- :func:`coordinate_directions` lists the coordinate directions of one copy of
  each group, group-major.

The gradient checks of Lemma B.1 / 2.2 (:func:`proofs_check.gradient.finite_difference`)
and of the reverse loss (:func:`proofs_check.reverse.finite_difference`) use them.
"""
from __future__ import annotations

from typing import Callable

from mpmath import mp

STEPS = (-2, -1, 1, 2)   # the stencil's points, in the order they are evaluated


def central_difference(f: Callable, h):
    """``f'(0)`` by the fourth-order central difference with step ``h``.

    ``f`` is called at ``-2h, -h, h, 2h`` in that order.

    >>> central_difference(lambda x: x ** 3 + x, 1)
    1.0
    """
    L = {j: f(j * h) for j in STEPS}
    return (L[-2] - 8 * L[-1] + 8 * L[1] - L[2]) / (12 * h)


def move_one_copy(A, b, mult, D, h):
    """``(A', b, mult')``: one copy of each group g shifted by ``h * D[g]``, split off its group.

    A group that does not move (``D[g]`` all zero) is kept whole; a moved
    group of m > 1 copies becomes the moved copy (multiplicity 1) followed by
    the m - 1 others.
    """
    A2, m2 = [], []
    for g, row in enumerate(A):
        moved = any(v != 0 for v in D[g])
        if moved:
            A2.append([a + h * v for a, v in zip(row, D[g])])
            m2.append(1)
            if mult[g] > 1:
                A2.append(list(row))
                m2.append(mult[g] - 1)
        else:
            A2.append(list(row))
            m2.append(mult[g])
    return A2, list(b), m2


def coordinate_directions(G: int, d: int) -> list:
    """The ``G * d`` unit directions ``D[g][c] = 1`` (one copy of group g, coordinate c), group-major."""
    out = []
    for g in range(G):
        for c in range(d):
            D = [[mp.zero] * d for _ in range(G)]
            D[g][c] = mp.one
            out.append(D)
    return out
