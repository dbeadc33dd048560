"""The finite-difference stencils (proofs_check.stencils)."""
from mpmath import mp

from proofs_check import stencils
from proofs_check.numbers import working


def test_central_difference_is_exact_on_quartics_and_fourth_order():
    with working(30):
        f = lambda x: 3 * x ** 4 - x ** 3 + 2 * x + 5
        assert abs(stencils.central_difference(f, mp.mpf("0.1")) - 2) < mp.mpf(10) ** -35
        # on exp the error is h^4 / 30 to leading order
        err = stencils.central_difference(mp.exp, mp.mpf("0.01")) - 1
        assert abs(err / (mp.mpf("0.01") ** 4 / 30) + 1) < mp.mpf("0.01")


def test_stencil_points_in_order():
    seen = []
    stencils.central_difference(lambda x: seen.append(x) or 0, 1)
    assert seen == [-2, -1, 1, 2]


def test_move_one_copy_splits_the_group():
    A, b, m = stencils.move_one_copy([[1, 2], [3, 4]], [0, 0], [3, 1], [[0, 1], [0, 0]], 5)
    assert A == [[1, 7], [1, 2], [3, 4]] and m == [1, 2, 1] and b == [0, 0]
    A, b, m = stencils.move_one_copy([[1], [3]], [0], [1, 2], [[0], [1]], 2)
    assert A == [[1], [5], [3]] and m == [1, 1, 1]


def test_coordinate_directions_are_group_major():
    D = stencils.coordinate_directions(2, 3)
    assert len(D) == 6 and D[4][1][1] == 1 and sum(v for M in D for row in M for v in row) == 6
