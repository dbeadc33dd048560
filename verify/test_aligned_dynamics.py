"""Theorems 3.1, 3.2, 3.4: the verdicts and the key numbers beside them (quick scale unless --claim-scale full)."""
from proofs_check.claims import FAIL, PASS, explain
from proofs_check.claims import threshold as th

# r* for n = 3 from the 40/55-digit run of reports/full (50 agreed digits), cut to 30 digits
R_STAR_3 = "2.550550988641223901198534664225"
L_STAR_3 = "0.943800273243274012588905718591"


def table(res, title_start):
    for title, tb in res.tables.items():
        if title.startswith(title_start):
            return tb
    raise KeyError(title_start)


def test_thm31_stationary_point_with_positive_loss(run_claim):
    res = run_claim("thm3.1")
    assert res.verdict == PASS, explain(res)
    r, L = res.metric("r* (n = 3)"), res.metric("L(r*) (n = 3)")
    assert r.digits >= 30 and r.value.startswith(R_STAR_3), explain(res)
    assert L.digits >= 30 and L.value.startswith(L_STAR_3), explain(res)
    assert res.metric("Hessian at r* (n = 3)").value.startswith("SADDLE: d = 1 index 2; d = 2 index 3"), explain(res)
    assert "SADDLE" in res.summary and "local maximum" in res.summary
    grad = float(res.metric("max |grad| at r* (n = 3)").value[2:])
    assert grad < -50, explain(res)
    L0 = float(res.metric("L(0), L(6), L(12) (n = 3)").value.split(",")[0])
    assert abs(L0) < 1e-15, explain(res)
    for row in table(res, "stationary point by n")["rows"]:
        assert row[6] == "saddle of index 2", row


def test_thm32_small_initialisation_converges(run_claim):
    res = run_claim("thm3.2")
    assert res.verdict == PASS, explain(res)
    rows = table(res, "runs")["rows"]
    small, control = rows[:-1], rows[-1]
    assert all(r[2] == "all converge" for r in small) and len(small) >= 4, explain(res)
    assert control[0].startswith("control") and control[2] == "one converges, the rest diverge", explain(res)
    assert res.metric("negative control (eps = 0.5, D = 5)").value == control[2]


def test_thm34_threshold_and_its_law(run_claim):
    res = run_claim("thm3.4")
    # the phenomenon holds at every D and n; "exponentially small" does not: a sub-exponential law is selected
    assert res.verdict == FAIL, explain(res)
    assert res.summary.startswith("thm3.4 law: delta* is not exponentially small"), explain(res)
    rows = table(res, "delta*(D), n = 3")["rows"]
    assert all(r[-1] == "bracket closed" for r in rows) and len(rows) >= th.MIN_D, explain(res)
    assert all(r[-1] == "bracket closed" for r in table(res, "delta* against n")["rows"]), explain(res)
    # delta*(8): the bracket contains the full-scale bracket [1e-6.772, 1e-6.768] of reports/full
    at8 = next(r for r in rows if r[0] == 8)
    lo, hi = float(at8[1][2:]), float(at8[2][2:])
    assert lo <= -6.768 and hi >= -6.772 and hi - lo < 0.25, explain(res)
    assert res.metric("selected law for log(1/delta*)").value == th.DERIVED_LAW, explain(res)
    laws = {r[0]: r for r in table(res, "candidate laws")["rows"]}
    assert float(laws[th.LINEAR_LAW][4]) >= th.DELTA_AIC, explain(res)      # exp(-cD) decisively behind
    assert float(laws[th.POLY_LAW][4]) >= th.DELTA_AIC, explain(res)        # so is delta* = D^-k
    # the derived law (one free constant) meets every bracket: residual within its half-width + 0.1
    residuals = [float(v) for v in laws[th.DERIVED_LAW][6].split(", ")]
    halves = [float(r[3].split("+-")[1]) for r in rows]
    assert all(abs(e) <= h + 0.1 for e, h in zip(residuals, halves)), explain(res)
    c0 = float(laws[th.DERIVED_LAW][2])
    assert -3.4 < c0 < -3.0, explain(res)          # full scale: -3.22 (offsets -3.233 .. -3.211)
