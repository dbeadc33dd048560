"""Theorems 3.5 and 3.7 (claims/far_initialisation.py): verdicts and the numbers beside them."""
from proofs_check.claims import FAIL, INCONCLUSIVE, PASS, explain


def metric(res, prefix):
    return next(m for m in res.metrics if m.name.startswith(prefix))


def interval(text):
    """'v [lo, hi]' -> (v, lo, hi)."""
    v, rest = text.split(" [")
    lo, hi = rest.rstrip("]").split(", ")
    return float(v), float(lo), float(hi)


def test_thm35_one_survivor_from_the_measured_threshold(run_claim):
    res = run_claim("thm3.5")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    d0 = metric(res, "measured threshold D_0(n)").value
    assert "n=3: 3.0" in d0                       # D = 2 (two converge) is below it, D = 3 above
    if res.scale == "full":
        assert "n=5: 3.5" in d0                   # the D = 3, n = 5 run (two converge) is below D_0(5)
    assert float(metric(res, "forward-grid vs mpmath engine").value) >= 10
    assert interval(metric(res, "largest upper end of a judged late slope").value)[2] < -1.0
    rows = next(iter(res.tables.values()))["rows"]
    tests = [r for r in rows if r[0] == "test"]
    assert tests and all(r[5] == "yes" and r[6] == "yes" and r[8] == "yes" and r[14] == "PASS" for r in tests)
    below = [r for r in rows if r[6] == "no"]
    assert below and all(r[8] == "NO" for r in below)


def test_thm37_asymptotic_lower_bound_undecided_not_refuted(run_claim):
    res = run_claim("thm3.7")
    print(explain(res))
    assert res.verdict == INCONCLUSIVE, explain(res)          # growth of tau^1.05 L is out of reach
    assert "only the initially closest" in metric(res, "Theorem 3.5's outcome (precondition)").note
    assert int(metric(res, "L at the final state").value) >= 6
    s_inf, lo, hi = interval(metric(res, "limit slope s_inf").value)
    assert lo <= -1 + 0.05 and hi >= -1 - 0.05 and -1.1 < s_inf < -0.9
    last = [float(v) for v in metric(res, "late log-log slopes").value.split(", ")]
    assert -1.3 < last[-1] < -1.0 and last[-1] > last[0]       # rising towards -1 from below
    assert res.verdict != FAIL
