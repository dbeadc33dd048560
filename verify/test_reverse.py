"""arXiv 2606.19876 (reverse Fisher divergence): rev.single, rev.mixture: verdicts and their key numbers."""
import re

from proofs_check.claims import INCONCLUSIVE, PASS, explain


def counts(text):
    """(k, N, lo, hi) from a Frequency's text 'k/N = p [lo, hi]'."""
    m = re.match(r"(\d+)/(\d+) = [\d.]+ \[([\d.]+), ([\d.]+)\]", text)
    return int(m[1]), int(m[2]), float(m[3]), float(m[4])


def test_rev_single_converges_from_forward_splitting_starts(run_claim):
    res = run_claim("rev.single")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    assert float(res.metric("largest final max|a_i - b| over the reverse runs").value) <= 0.25
    assert float(res.metric("forward gradient norm at the thm3.1 start").value) < 1e-8
    assert res.metric("r* (thm3.1 maximiser of forward L(r), b = 0)").value.startswith("2.5505509886412")
    # the rates are measured (MEASURED in the summary), beside the derived -1/2 and -2
    assert "rates MEASURED" in res.summary
    d31 = float(res.metric("distance exponent, thm3.1 stationary point").value)
    l31 = float(res.metric("loss exponent, thm3.1 stationary point").value)
    assert abs(d31 + 0.5) < 0.02 and abs(l31 + 2) < 0.1, (d31, l31)
    assert all(float(m.value) < 0 for m in res.metrics if "exponent" in m.name)
    # the forward loss splits from the thm3.4 and thm3.5 starts: the contrast is in the table
    rows = res.tables["forward vs reverse from the same starts (d = 1, eta = 1, arbitrary precision)"]["rows"]
    assert all(row[3].startswith("converged") for row in rows)
    assert "rev_single_trajectories" in res.figures and "rev_single_rates" in res.figures


def test_rev_mixture_frequency_and_coverage(run_claim):
    res = run_claim("rev.mixture")
    print(explain(res))
    k, N, lo, hi = counts(res.metric("P(success), pooled").value)
    kc, Nc, _, _ = counts(res.metric("P(every teacher mean covered)").value)
    ko, _, _, _ = counts(res.metric("P(each component near its initially closest teacher mean)").value)
    ki, _, _, _ = counts(res.metric("P(the start already has a component on each side)").value)
    assert N == Nc >= 35
    # the verdict follows the Wilson interval: PASS only when its lower bound reaches 0.9
    assert res.verdict == (PASS if lo >= 0.9 else INCONCLUSIVE), explain(res)
    assert lo <= k / N <= hi
    # mode collapses count against: a success needs both coverage and every component at its own teacher
    assert k <= kc and k <= ko and kc <= N and ki <= N
    assert int(res.metric("components ending at the other teacher mean").value) >= N - ko
    assert (k < N) == ("not successes" in res.summary)     # every run that is not a success is listed
    assert int(res.metric("float64 rule vs 30-digit line rule").digits) >= 10
