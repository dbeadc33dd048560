"""Lemma D.3 and Corollary 3.6 (claims/random_initialisation.py): verdicts and the numbers beside them."""
from proofs_check.claims import INCONCLUSIVE, PASS, explain


def metric(res, prefix):
    return next(m for m in res.metrics if m.name.startswith(prefix))


def fraction(text):
    """'k/N = f [lo, hi]' -> (k, N, lo, hi)."""
    kn, rest = text.split(" = ")
    k, N = (int(x) for x in kn.split("/"))
    lo, hi = rest.split(" [")[1].rstrip("]").split(", ")
    return k, N, float(lo), float(hi)


def test_lemD3_conditions(run_claim):
    res = run_claim("lemD.3")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    exps = [m for m in res.metrics if m.name.startswith("exponent of P(condition 2 fails)")]
    assert exps
    for m in exps:
        v = float(m.value.split(" [")[0])
        assert abs(v + 1) < 0.1, m
    assert float(metric(res, "smallest Wilson lower bound of P(condition 1)").value) >= 0.9502


def test_cor36_unconditional_frequency(run_claim):
    res = run_claim("cor3.6")
    print(explain(res))
    k, N, lo, hi = fraction(metric(res, "P(Theorem 3.5 outcome) at the largest D").value)
    k0, N0, lo0, hi0 = fraction(metric(res, "P(Theorem 3.5 outcome) at the smallest D").value)
    assert k / N >= 0.9 and k0 / N0 < 0.6
    assert "vacuous" in metric(res, "paper's bound").note
    if N < 35:
        assert res.verdict == INCONCLUSIVE and "fewer than 35" in res.summary, explain(res)
    else:
        assert res.verdict == PASS, explain(res)
        assert lo >= 0.9 and lo > hi0
