"""arXiv 2606.19876 (reverse Fisher divergence): rev.single, rev.mixture."""
from proofs_check.claims import PASS, explain


def test_rev_single_converges_from_forward_splitting_starts(run_claim):
    res = run_claim("rev.single")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    # the side-by-side table and the figures are part of the result
    assert any("forward vs reverse" in t for t in res.tables)
    assert "rev_single_trajectories" in res.figures and "rev_single_rates" in res.figures


def test_rev_mixture_components_reach_teacher_means(run_claim):
    res = run_claim("rev.mixture")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
