"""Paper eq. (1): shift, rotation, permutation: verdict and the digits behind it."""
from proofs_check.claims import PASS, explain


def test_eq1_symmetries(run_claim):
    res = run_claim("eq1")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    rows = res.tables["symmetry checks"]["rows"]
    assert len(rows) == 11
    for check, agreed, resolved, need in rows:
        assert agreed >= need and resolved >= need, explain(res)      # to the working precision
    aligned = [r for r in rows if "planar" not in r[0]]
    assert all(r[3] == 30 and r[1] >= 38 for r in aligned), explain(res)   # measured 40 at dps 30
