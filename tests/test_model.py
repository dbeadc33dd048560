from fractions import Fraction

import mpmath
import pytest
from mpmath import mp

from proofs_check.model import Configuration, exact_rank, gram_schmidt, softmax
from proofs_check.numbers import InputError, working


def test_configuration_shapes_and_exactness():
    cfg = Configuration.from_text("[[0.1, 0.2], [3, 4]]", "[0, 1]", "0.5", "2,1")
    assert cfg.params[0] == (Fraction(1, 10), Fraction(1, 5))
    assert (cfg.n, cfg.G, cfg.d) == (3, 2, 2)
    assert cfg.t == Fraction(1, 2)


@pytest.mark.parametrize("params,truth", [
    ("[[1, 2], [3]]", "[0, 0]"),       # ragged
    ("[[1, 2]]", "0"),                 # dimension mismatch
    ("[1, [2]]", "0"),                 # mixed
    ("[]", "0"),                       # n < 1
    ("1,,2", "0"),                     # empty number
    ("[[1, true]]", "[0, 0]"),         # not a number
    ("[1, 2", "0"),                    # bad JSON
])
def test_configuration_rejects_bad_input(params, truth):
    with pytest.raises(InputError):
        Configuration.from_text(params, truth)


def test_scaled_applies_noise_level():
    cfg = Configuration.make(["1", "-2"], "3", t="0.25")
    with working(30):
        A, b = cfg.scaled()
        s = mpmath.exp(-mp.mpf("0.25"))
        assert abs(A[1][0] - (-2) * s) < mp.eps * 4
        assert abs(b[0] - 3 * s) < mp.eps * 8


def test_alignment_is_exact():
    assert Configuration.make([["1", "2"], ["-3", "-6"]], ["0", "0"]).is_aligned()
    assert not Configuration.make([["1", "2"], ["-3", "-6.0000000000000000000000000001"]], ["0", "0"]).is_aligned()
    assert exact_rank([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(4)]]) == 1


def test_exact_rank_edges():
    """exact_rank (now proofs_check.exact.rank): zero rows and an empty list have rank 0; d = 1 is aligned."""
    assert exact_rank([]) == 0
    assert exact_rank([[Fraction(0), Fraction(0)]]) == 0
    assert exact_rank([[Fraction(1), Fraction(0), Fraction(0)], [Fraction(0), Fraction(0), Fraction(1)]]) == 2
    assert Configuration.make(["1", "-2", "3"], "0").is_aligned()
    assert Configuration.make([["0", "0"], ["0", "0"]], ["0", "0"]).is_aligned()


def test_softmax_is_stable_for_huge_logits():
    with working(30):
        w = softmax([mp.mpf("1e6"), mp.mpf("1e6") - 1, mp.mpf("-1e6")])
        assert abs(sum(w) - 1) < mp.eps * 4
        assert abs(w[1] / w[0] - mpmath.exp(-1)) < mp.eps * 16


def test_gram_schmidt_keeps_tiny_but_real_directions():
    with working(40):
        Q, Y = gram_schmidt([[mp.mpf(1), mp.mpf(0)], [mp.mpf(1), mp.mpf("1e-30")]])
        assert len(Q) == 2
        Q, Y = gram_schmidt([[mp.mpf(1), mp.mpf(2)], [mp.mpf(-2), mp.mpf(-4)]])
        assert len(Q) == 1
