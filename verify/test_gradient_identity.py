"""Lemma B.1 / 2.2 (the gradient) and Lemma A.3 (Stein's lemma)."""
from proofs_check.claims import PASS, explain


def test_lemB1_gradient_forms_agree(run_claim):
    res = run_claim("lemB.1")
    assert res.verdict == PASS, explain(res)


def test_lemA3_stein_identity(run_claim):
    res = run_claim("lemA.3")
    assert res.verdict == PASS, explain(res)
