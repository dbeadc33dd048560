"""Theorem 2.1 (large noise): verdict and the derived numbers beside it, at the claim's scale."""
import math
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
    # the paper's hypothesis: starts ON max|a_i(0) - b| = e^-2/n; L sqrt(eta tau) falls late in every run
    bslopes = numbers(res.metric("late slope of L sqrt(eta tau), per boundary run").value)[0::3]
    assert bslopes and all(s <= -0.4 for s in bslopes), bslopes
    C = res.metric("implied constant C = max L sqrt(eta tau)/(n^3 d^2) from the boundary e^-2/n")
    assert C.digits >= 1 and 0 < float(C.value), C
    table = res.tables["the paper's hypothesis: starts at max|a_i(0) - b| = e^-2/n, K = L sqrt(eta tau)/(n^3 d^2)"]
    rows = [dict(zip(table["columns"], r)) for r in table["rows"]]
    assert float(C.value) == max(float(r["C = max K"]) for r in rows)
    # a coincident start stays coincident, v = a - b for every x, so L(tau) = r^2 (1 - 2 eta/n)^(2 tau) exactly:
    # its constant is max_tau r^2 (1 - 2 eta/n)^(2 tau) sqrt(eta tau)/(n^3 d^2), here at tau = 1
    for r in (r for r in rows if r["start"] == "coincident"):
        n, d, eta = r["n"], r["d"], float(r["eta"])
        radius = math.exp(-2) / n
        exact = max(radius ** 2 * (1 - 2 * eta / n) ** (2 * t) * math.sqrt(eta * t) / (n ** 3 * d ** 2)
                    for t in range(1, 50))
        assert abs(float(r["C = max K"]) / exact - 1) < 10.0 ** -(r["digits"] - 1), (r, exact)
