"""General dimension: Theorems 2.1, 3.5, 3.7, Corollary 3.6, Lemmas 3.3, D.3, Figure 1."""
import pytest

from proofs_check.claims import FAIL, PASS, explain


@pytest.mark.parametrize("cid", ["thm2.1", "thm3.5", "lem3.3", "cor3.6", "lemD.3", "fig1"])
def test_general_dynamics_claim(run_claim, cid):
    res = run_claim(cid)
    print(explain(res))
    assert res.verdict == PASS, explain(res)


def test_thm37_lower_bound_not_refuted(run_claim):
    """Theorem 3.7 is asymptotic: within the steps a check can afford, L still decays like
    (log tau)^p / tau with p < 0, so tau^(1+eps) L has not started growing yet and the honest
    verdict is INCONCLUSIVE unless the growth is seen.  FAIL (slopes moving away from -1) is a bug."""
    res = run_claim("thm3.7")
    print(explain(res))
    assert res.verdict != FAIL, explain(res)
    # the run must be in Theorem 3.5's regime and its float64 loss trusted, or nothing was tested
    assert "only the initially closest" in res.metric("Theorem 3.5's outcome (precondition): final |a_i - b|").note
    assert int(res.metric("L at the final state: forward-grid vs line rule (20 digits), agreed digits").value) >= 6
