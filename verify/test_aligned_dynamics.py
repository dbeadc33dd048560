"""Theorems 3.1, 3.2, 3.4: the aligned stationary point and the small-noise dynamics."""
from proofs_check.claims import PASS, explain


def test_thm31_stationary_point_with_positive_loss(run_claim):
    res = run_claim("thm3.1")
    assert res.verdict == PASS, explain(res)


def test_thm32_small_initialisation_converges(run_claim):
    res = run_claim("thm3.2")
    assert res.verdict == PASS, explain(res)


def test_thm34_critical_delta(run_claim):
    res = run_claim("thm3.4")
    assert res.verdict == PASS, explain(res)
