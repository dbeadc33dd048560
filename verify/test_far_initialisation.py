"""Theorems 3.5 and 3.7 (claims/far_initialisation.py, claims/far_law.py): verdicts and the numbers beside them."""
import math

from proofs_check.claims import PASS, explain


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
    rows = next(t for k, t in res.tables.items() if k.startswith("far initialisations"))["rows"]
    tests = [r for r in rows if r[0] == "test"]
    assert tests and all(r[7] == "yes" and r[8] == "yes" and r[10] == "yes" and r[16] == "PASS" for r in tests)
    below = [r for r in rows if r[8] == "no"]
    assert below and all(r[10] == "NO" for r in below)
    # the paper's hypothesis M_0 > 1e9 sqrt(d) n^10 holds for no run, and its bound is vacuous at every D <= 6
    assert all(r[5].startswith("no (needs > ") and r[6].endswith("(vacuous)") for r in rows)
    law_checks(res)


def law_checks(res):
    """The law's constants against their closed forms (m = 2, eta = 1/2) and the overlap with GD."""
    k1 = -math.pi ** 2 / 2 + 2 * math.log(2) - math.log(2) ** 2 / 2
    C = metric(res, "law constant C_m")
    assert C.digits >= 15 and abs(float(C.value) - math.sqrt(math.pi) / 2) < 1e-15
    assert abs(float(metric(res, "law constant kappa_L").value) - k1) < 1e-14
    assert abs(float(metric(res, "law constant c_2").value) - (336 - 16 * k1)) < 1e-12
    assert abs(float(metric(res, "law constant tau_m").value) - 32 * math.sqrt(4 / math.pi) / 0.5) < 1e-12
    assert "tau L -> 0" in metric(res, "limits of the leading law").value
    o = metric(res, "(a) reduced model vs GD from tau0 = 100")
    lo, hi = (float(x) for x in o.value.split(" .. "))
    assert 4.0 < lo < hi                       # ~4.4 digits at 3 tau0, one more per decade
    offsets = o.note.split(" steps")[0].split("= ")[1].split(" .. ")
    assert all(abs(float(x)) < 0.05 for x in offsets)       # ~0.018 steps: the neglected terms are O(1/tau)
    assert "without the modified-equation term +" in o.note or "without the modified-equation term -" in o.note


def test_thm37_decided_by_the_law(run_claim):
    res = run_claim("thm3.7")
    print(explain(res))
    assert res.verdict == PASS, explain(res)
    law_checks(res)
    assert "tau^(1+eps) L -> oo" in metric(res, "limits of the leading law").value
    far = metric(res, "(b) tau L of the reduced model")
    assert far.digits >= 10
    onset = metric(res, "onset of growth").value.split(", ")
    assert 5e4 < float(onset[0]) < 2e5                         # eps = 0.1: ~8.2e4 (issue 14 notes)
    if res.scale == "full":
        assert far.name.startswith("(b) tau L of the reduced model at tau = 1e+32")
        assert 1e8 < float(onset[1]) <= 1.1e9 and 1e20 < float(onset[2]) < 1e22
        o = metric(res, "(a) reduced model vs GD from tau0 = 1000")
        assert float(o.value.split(" .. ")[1]) > 8.5          # ~9.7 digits at 1e6



