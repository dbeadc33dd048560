"""Lemma B.1 / 2.2 (the gradient) and Lemma A.3 (Stein's lemma): verdicts and the digits behind them."""
from proofs_check.claims import PASS, explain


def test_lemB1_gradient_forms_agree(run_claim):
    res = run_claim("lemB.1")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    table = res.tables["agreement (significant digits)"]
    assert table["columns"][1:7] == ["Stein vs pathwise", "Stein vs FD", "pathwise vs FD", "expanded vs Stein",
                                     "expanded vs pathwise", "expanded vs FD"]
    rows = table["rows"]
    # sympy proves the derivation AND that the recovered expanded form (MATH.md 7) is the Stein form
    assert all(r[1] == "exact" for r in rows if r[0].startswith("symbolic")), explain(res)
    numeric = [r for r in rows if not r[0].startswith("symbolic")]
    assert len(numeric) == 4
    for case, *pairs, two, need in numeric:
        dps = int(case.split("dps ")[1].split(",")[0].rstrip(")"))
        assert need == dps, explain(res)                  # agreement to the working precision
        assert min(pairs) >= dps and two >= dps, explain(res)
    aligned = [r for r in numeric if "dps 40" in r[0]]
    # measured: 52-53 digits against finite differences, 70 (the higher precision's cap) between the forms
    assert len(aligned) == 3 and all(min(r[1:7]) >= 45 for r in aligned), explain(res)
    assert all(r[4] >= 60 and r[5] >= 60 for r in aligned), explain(res)   # expanded vs Stein / pathwise


def test_lemA3_stein_identity(run_claim):
    res = run_claim("lemA.3")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    assert int(res.metric("worst agreement (digits)").value) >= 45, explain(res)      # measured 49 at dps 40
    rows = res.tables["E[x g(x)] vs E[g'(x)]"]["rows"]
    assert len(rows) == 4 and all(r[3] >= 40 and r[4] >= 40 for r in rows), explain(res)
