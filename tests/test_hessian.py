"""The exact aligned Hessian (hessian.aligned) and the classification of its eigenvalues."""
import pytest
from mpmath import mp

from proofs_check import gradient, hessian
from proofs_check.numbers import working

TOL = 1e-10


@pytest.mark.parametrize("eigs, counts, name", [
    ([1.0, 2.0], (0, 0, 2), "local minimum"),
    ([-1.0, -2.0], (2, 0, 0), "local maximum"),
    ([-1.0, 0.0, 3.0], (1, 1, 1), "saddle of index 1"),
    ([-1.0, -5.0, 3.0], (2, 0, 1), "saddle of index 2"),
    ([0.0, 1.0], (0, 1, 1), "degenerate (no negative eigenvalue)"),
    ([0.0, -1.0], (1, 1, 0), "degenerate (no positive eigenvalue)"),
    ([0.0, 0.0], (0, 2, 0), "fully degenerate (all eigenvalues zero)"),
    # inside the zero band on either side, and on its edges: zero, never negative or positive
    ([-TOL / 2, TOL / 2, 1.0], (0, 2, 1), "degenerate (no negative eigenvalue)"),
    ([-TOL, TOL, 1.0], (0, 2, 1), "degenerate (no negative eigenvalue)"),
    ([-TOL, TOL, -1.0], (1, 2, 0), "degenerate (no positive eigenvalue)"),
    # just outside the band: counted with their sign
    ([-2 * TOL, 2 * TOL], (1, 0, 1), "saddle of index 1"),
])
def test_classify_counts_and_names(eigs, counts, name):
    """Zero eigenvalues (|e| <= zero_tol) are neither negative nor positive (red on zeros counted as
    negative: a degenerate minimum would be called a saddle)."""
    c = hessian.classify(eigs, TOL)
    assert (c["negative"], c["zero"], c["positive"]) == counts, c
    assert c["name"] == name


def test_classify_mpf_eigenvalues_below_the_tolerance():
    with working(30):
        eigs = [mp.mpf("-3e-37"), mp.mpf("7e-37"), mp.mpf(1)]
        c = hessian.classify(eigs, mp.mpf(10) ** -20)
    assert (c["negative"], c["zero"], c["positive"]) == (0, 2, 1)


def test_hessian_at_the_truth_is_degenerate_not_a_saddle():
    """n = 2, both at b: L = E|w_1 c_1 + w_2 c_2|^2 with w = 1/2 at c = 0, so each block is
    [[1/2, 1/2], [1/2, 1/2]] exactly (eigenvalues 0 and 1): the truth is a degenerate minimum
    along the spread direction, which the classifier must name as such."""
    with working(25):
        H = hessian.aligned([mp.zero, mp.zero], [1, 1], rel_tol=mp.mpf(10) ** -27)
        for block in ("parallel", "orthogonal"):
            for i in range(2):
                for j in range(2):
                    assert abs(H[block][i, j] - mp.mpf(1) / 2) < mp.mpf(10) ** -24, (block, i, j)
            eigs = hessian.eigenvalues(H[block])
            assert abs(eigs[0]) < mp.mpf(10) ** -24 and abs(eigs[1] - 1) < mp.mpf(10) ** -24
            c = hessian.classify(eigs, mp.mpf(10) ** -15)
            assert c["name"] == "degenerate (no negative eigenvalue)", (block, eigs, c)


def test_hessian_of_a_single_parameter_is_twice_the_identity():
    """n = 1: L = |a - b|^2, so both blocks are 2 at any a: a local minimum."""
    with working(25):
        H = hessian.aligned([mp.mpf("0.7")], [1], rel_tol=mp.mpf(10) ** -27)
        assert abs(H["parallel"][0, 0] - 2) < mp.mpf(10) ** -24
        assert abs(H["orthogonal"][0, 0] - 2) < mp.mpf(10) ** -24
        assert hessian.classify(hessian.eigenvalues(H["parallel"]), mp.mpf(10) ** -15)["name"] == "local minimum"


def test_parallel_block_matches_a_difference_of_gradients():
    """The parallel block against central differences of the (independently derived) gradient."""
    alpha, mult = [mp.mpf("0.4"), mp.mpf("-0.9")], [1, 1]
    with working(40):
        H = hessian.aligned(alpha, mult, rel_tol=mp.mpf(10) ** -42)["parallel"]
        h = mp.mpf(10) ** -12

        def grad(a):
            ev = gradient.evaluate([[v] for v in a], [mp.zero], mult, rel_tol=mp.mpf(10) ** -42)
            return [row[0] for row in ev.gradient["stein"]]
        for j in range(2):
            up = list(alpha)
            dn = list(alpha)
            up[j] += h
            dn[j] -= h
            gu, gd = grad(up), grad(dn)
            for i in range(2):
                fd = (gu[i] - gd[i]) / (2 * h)
                assert abs(fd - H[i, j]) < mp.mpf(10) ** -20, (i, j, fd, H[i, j])


def test_hessian_weight_rule_and_rotation_identity():
    """The derived orthogonal Hessian block satisfies H_perp alpha = g_par (rotation invariance)."""
    assert hessian.verify_weight_rule(2)
    with working(25):
        alpha = [mp.mpf("0.4"), mp.mpf("-0.9")]
        H = hessian.aligned(alpha, [1, 1], rel_tol=mp.mpf(10) ** -27)
        ev = gradient.evaluate([[a] for a in alpha], [mp.zero], rel_tol=mp.mpf(10) ** -27)
        for i in range(2):
            lhs = H["orthogonal"][i, 0] * alpha[0] + H["orthogonal"][i, 1] * alpha[1]
            assert abs(lhs - ev.gradient["stein"][i][0]) < mp.mpf(10) ** -20
        assert H["cross_zero"]
