"""Paper eq. (1): shift, rotation, permutation."""
from proofs_check.claims import PASS, explain


def test_eq1_symmetries(run_claim):
    res = run_claim("eq1")
    assert res.verdict == PASS, explain(res)
