"""General dimension: Theorems 2.1, 3.5, 3.7, Corollary 3.6, Lemmas 3.3, D.3, Figure 1."""
import pytest

from proofs_check.claims import PASS, explain


@pytest.mark.parametrize("cid", ["thm2.1", "thm3.5", "lem3.3", "cor3.6", "lemD.3"])
def test_general_dynamics_claim(run_claim, cid):
    res = run_claim(cid)
    print(explain(res))
    assert res.verdict == PASS, explain(res)
