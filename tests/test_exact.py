"""proofs_check.exact: rank, determinant, inverse and solve over the rationals (exact)."""
import doctest
from fractions import Fraction as F

import pytest

from proofs_check import exact


def test_rank_of_aligned_and_general_rows():
    assert exact.rank([[F(1), F(2)], [F(2), F(4)]]) == 1
    assert exact.rank([[1, 0, 0], [0, 1, 0], [1, 1, 0]]) == 2
    assert exact.rank([[F(1, 3), F(1, 7)], [F(1, 7), F(1, 3)]]) == 2


def test_rank_edges():
    assert exact.rank([]) == 0
    assert exact.rank([[0, 0], [0, 0]]) == 0
    assert exact.rank([[]]) == 0
    # a split of 1e-40 is still a second direction: nothing is rounded
    assert exact.rank([[1, 1], [1, 1 + F(1, 10 ** 40)]]) == 2


def test_rank_refuses_ragged_rows_and_floats():
    with pytest.raises(ValueError, match="ragged"):
        exact.rank([[1, 2], [3]])
    with pytest.raises(TypeError, match="float"):
        exact.rank([[0.5, 1]])


def test_determinant_is_exact():
    assert exact.determinant([[F(1, 3), 2], [3, 4]]) == F(-14, 3)
    assert exact.determinant([[1, 2], [2, 4]]) == 0
    assert isinstance(exact.determinant([[2]]), F)
    with pytest.raises(ValueError, match="square"):
        exact.determinant([[1, 2]])


def test_inverse_times_matrix_is_the_identity():
    A = [[F(2), F(1, 3), F(0)], [F(-1), F(5, 7), F(1)], [F(0), F(2), F(3, 2)]]
    inv = exact.inverse(A)
    prod = [[sum(A[i][k] * inv[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    assert prod == [[F(int(i == j)) for j in range(3)] for i in range(3)]
    assert all(isinstance(v, F) for row in inv for v in row)


def test_singular_matrix_has_no_inverse_or_solution():
    with pytest.raises(ZeroDivisionError):
        exact.inverse([[1, 2], [2, 4]])
    with pytest.raises(ZeroDivisionError):
        exact.solve([[1, 2], [2, 4]], [1, 1])


def test_solve():
    A = [[F(3), F(1)], [F(1), F(2)]]
    x = exact.solve(A, [F(9), F(8)])
    assert x == [F(2), F(3)]
    with pytest.raises(ValueError, match="right-hand side"):
        exact.solve(A, [1])


def test_doctests():
    assert doctest.testmod(exact).failed == 0
