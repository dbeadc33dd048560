"""Lemma 3.3: every clustered pair at the derived J = -(4/n) c c^T, so K = 4 R^2 / n."""
import re

from proofs_check.claims import PASS, explain


def test_lem33(run_claim):
    res = run_claim("lem3.3")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    assert float(res.metric("largest |measured - derived| / K over all pairs").value) <= 0.01
    # the best sampled K n / R^2 never exceeds the derived supremum 4 (beyond the 1 % tolerance)
    for m in res.metrics:
        if m.name.startswith("best measured K n / R^2"):
            vals = [float(x) for x in re.findall(r"\d+\.\d+", m.value)]
            assert vals and max(vals) <= 4 * 1.01 and max(vals) >= 3.0, (m.name, vals)
