"""Figure 1: the four panels' outcomes and the late slope against the derived -1 - 1/log tau_c."""
import re

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS, explain


def test_fig1(run_claim):
    res = run_claim("fig1")
    print(explain(res))
    # the outcomes must be right at every scale; only the late slope may stay undecided (its interval straddling)
    assert res.verdict in (PASS, INCONCLUSIVE), explain(res)
    if res.verdict == INCONCLUSIVE:
        assert "straddles" in res.summary, explain(res)
    rows = res.tables["Figure 1 runs"]["rows"]
    assert [r[3] for r in rows] == ["yes"] * 4, rows
    m = res.metric("late log-log slope of L, |mu*| large (population, mini-batch)")
    pred, tol = (float(x) for x in re.search(r"derived (-\d+\.\d+) \+- (\d+\.\d+)", m.note).groups())
    slopes = [float(x) for x in re.findall(r"-?\d+\.\d+", m.value)][0::3]
    # population (judged): inside the band unless INCONCLUSIVE; mini-batch (reported): steeper than -1, same regime
    assert res.verdict == INCONCLUSIVE or pred - tol <= slopes[0] <= pred + tol, (slopes, pred, tol)
    assert all(-1 > s >= pred - 2 * tol for s in slopes), (slopes, pred, tol)
    assert res.metric("outcome decided at the window start T/10, |mu*| large (population, mini-batch)").value == "yes, yes"
    assert res.verdict != FAIL
    assert len(res.figures["fig1"]["panels"]) == 4
