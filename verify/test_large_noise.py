"""Theorem 2.1 (large noise): verdict and the derived numbers beside it, at the claim's scale."""
import re

from proofs_check.claims import PASS, explain


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_thm21(run_claim):
    res = run_claim("thm2.1")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    # the late exponents are the derived -2 (L) and -1/2 (max |a_i - b|); values first in each "v [lo, hi]"
    L_slopes = numbers(res.metric("late log-log slope of L (window [T/4, T]), per run").value)[0::3]
    d_slopes = numbers(res.metric("late log-log slope of max_i |a_i - b|, per run").value)[0::3]
    assert L_slopes and all(abs(s + 2) <= 0.1 for s in L_slopes), L_slopes
    assert d_slopes and all(abs(s + 0.5) <= 0.025 for s in d_slopes), d_slopes
    # the derived constant c = 8 eta / n: L(T) at its prediction
    ratios = numbers(res.metric("L(T) / prediction from M(T/4) with c = 8 eta/n, per run").value)
    assert all(abs(r - 1) <= 0.05 for r in ratios), ratios
    # the EM-only engine: same exponent, constant off by (1 + x)^2 / (1 + x/2)^2 ~ 3
    ctrl = numbers(res.metric("EM-only negative control: L(T)/prediction, slope of L").value)
    assert 2.5 <= ctrl[0] <= 3.5 and abs(ctrl[1] + 2) <= 0.15, ctrl
    # split orders 3 and 1
    rem = numbers(res.metric("remainder order in s (fit over s <= 0.1)").value)[0::3]
    em = numbers(res.metric("EM-term order in s").value)[0::3]
    assert all(abs(p - 3) <= 0.25 for p in rem) and all(abs(p - 1) <= 0.1 for p in em), (rem, em)
    # the float64 rule agrees with the planar rule to at least the 2 digits the judged ratio needs
    assert res.metric("forward-grid (float64) vs planar rule: agreed digits of L, gradient").digits >= 2
    assert res.metric("symbolic split (em = Stein image of -2 w_k (x - a_k); remainder = cubic hand form)").value == "exact"
