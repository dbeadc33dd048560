"""opt.adam, opt.adam.aligned (OPEN QUESTION): GD, SGD and Adam from Figure 1's M = 6 start (d = 3, and on the line)."""
import math

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, MEASURED, PASS, explain
from proofs_check.claims.optimisers import MIN_SEEDS, OPTIMISERS, STEP_RTOL


@pytest.mark.parametrize("cid", ["opt.adam", "opt.adam.aligned"])
def test_optimisers(run_claim, cid):
    res = run_claim(cid)
    print(explain(res))
    assert res.verdict in (MEASURED, INCONCLUSIVE), explain(res)       # an open question: never PASS, and no FAIL
    assert res.verdict not in (PASS, FAIL)
    runs = res.tables["Runs (start seed = z seed)"]["rows"]
    starts = len(runs) // len(OPTIMISERS)
    assert sorted({r[0] for r in runs}) == sorted(OPTIMISERS) and len(runs) == starts * len(OPTIMISERS)
    if starts < MIN_SEEDS:                     # the quick scale: too few starts to compare frequencies
        assert res.verdict == INCONCLUSIVE and f"fewer than {MIN_SEEDS}" in res.summary, explain(res)
    else:
        assert res.verdict == MEASURED, explain(res)
    # the engine's first steps agree with the updates written by hand
    assert all(float(r[7]) <= STEP_RTOL for r in runs), runs
    # every late slope has a finite interval; every final loss agrees on at least 2 digits between two rules
    for r in runs:
        lo, hi = (float(x) for x in r[6].split("[")[1].rstrip("]").split(","))
        assert math.isfinite(lo) and math.isfinite(hi) and lo < hi, r
    assert int(res.metric("agreed digits of the final population losses (fewest)").value) >= 2
    for opt in OPTIMISERS:
        assert res.metric(f"P(exactly one converges), {opt}").value.startswith(tuple(f"{k}/{starts}"
                                                                                   for k in range(starts + 1)))
    for opt in ("sgd", "adam"):
        res.metric(f"P(same survivor as GD from the same start), {opt}")
    assert len(res.figures["optimisers"]["panels"]) == len(OPTIMISERS)
