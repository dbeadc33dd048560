"""lem3.3's judge on synthetic pairs: the derived J = -(4/n) c c^T gives PASS; a wrong J FAIL; noise INCONCLUSIVE."""
import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.clustered_gradients import PairRatio, judge_lem33


def pair(measured, predicted=1.0, K=3.0, error=1e-5, R=1.5):
    return PairRatio(2, 3, R, (measured, measured, measured), measured, error, predicted, K)


def test_derived_pairs_pass():
    assert judge_lem33([pair(1.0), pair(2.0, 2.0), pair(3.0, 3.0)]).verdict == PASS


def test_no_pair_is_inconclusive():
    assert judge_lem33([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("measured, want", [
    (1.0 + 0.0299, PASS),          # within 0.01 K = 0.03 (+ 3 errors of 1e-5)
    (1.0 - 0.0299, PASS),
    (1.0 + 0.0301, FAIL),
    (1.0 - 0.0301, FAIL),
    (0.5, FAIL),                   # J = -(2/n) c c^T: half the derived ratio
    (3.0, FAIL),                   # direction-blind: every pair at K
])
def test_tolerance_edges(measured, want):
    v = judge_lem33([pair(1.0), pair(measured)])
    assert v.verdict == want
    if want == FAIL:
        assert "1 out of 2" in v.reason


def test_qmc_error_widens_the_band_by_three_errors():
    assert judge_lem33([pair(1.0 + 0.03 + 2.9e-3, error=1e-3)]).verdict == PASS
    assert judge_lem33([pair(1.0 + 0.03 + 3.1e-3, error=1e-3)]).verdict == FAIL


@pytest.mark.parametrize("error, want", [
    (0.01 * 3.0 / 3 * 0.99, PASS),     # just resolved: error below K/300
    (0.01 * 3.0 / 3 * 1.01, INCONCLUSIVE),
    (0.5, INCONCLUSIVE),
])
def test_unresolved_pair_is_inconclusive(error, want):
    assert judge_lem33([pair(1.0), pair(1.0, error=error)]).verdict == want


def test_a_wrong_pair_fails_even_beside_an_unresolved_one():
    assert judge_lem33([pair(2.0), pair(1.0, error=0.5)]).verdict == FAIL
