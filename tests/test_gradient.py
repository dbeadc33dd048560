from mpmath import mp

from proofs_check import gradient
from proofs_check.model import Configuration
from proofs_check.numbers import agreed_digits, working


def test_gradient_matches_finite_difference_aligned():
    cfg = Configuration.make(["0.3", "-1.1", "2.0"], "0.7")
    ev = gradient.at_precision(cfg, 20, forms=("stein", "pathwise"))
    fd = gradient.finite_difference(cfg, 20)
    with working(30):
        assert agreed_digits(ev.flat_gradient("stein"), fd) >= 18
        assert agreed_digits(ev.flat_gradient("pathwise"), fd) >= 18


def test_multiplicity_equals_repeated_parameters():
    """A group of two copies must act exactly like two equal parameters."""
    grouped = Configuration.make(["0.4", "-1"], "0.2", multiplicity=[2, 1])
    spelled = Configuration.make(["0.4", "0.4", "-1"], "0.2")
    a = gradient.at_precision(grouped, 25)
    b = gradient.at_precision(spelled, 25)
    with working(25):
        assert agreed_digits(a.loss, b.loss) >= 24
        assert agreed_digits(a.gradient["stein"][0], b.gradient["stein"][0]) >= 24
        assert agreed_digits(a.gradient["stein"][1], b.gradient["stein"][2]) >= 24


def test_all_at_truth_is_exactly_zero():
    ev = gradient.at_precision(Configuration.make(["1", "1"], "1"), 20)
    assert ev.loss == 0 and ev.k == 0


def test_single_parameter_closed_form():
    """n = 1: v = a - b everywhere, so L = |a - b|^2 and grad = 2 (a - b)."""
    cfg = Configuration.make([["0.3", "-0.4"]], ["1", "1"])
    ev = gradient.at_precision(cfg, 30, forms=("stein", "pathwise"))
    with working(30):
        c = [mp.mpf("0.3") - 1, mp.mpf("-0.4") - 1]
        assert agreed_digits(ev.loss, c[0] ** 2 + c[1] ** 2) >= 29
        assert agreed_digits(ev.gradient["stein"][0], [2 * v for v in c]) >= 29
        assert agreed_digits(ev.gradient["pathwise"][0], [2 * v for v in c]) >= 29


def test_measured_reports_two_precisions():
    m = gradient.measured(Configuration.make(["0.3", "-1.1"], "0.7"), 20, forms=("stein",))
    assert m["loss"].precisions == (20, 30)
    assert 18 <= m["loss"].digits <= 20


def _hermite_rule(n):
    """Gauss-Hermite nodes and weights for E_{z ~ N(0, 1)} (Golub-Welsch with mpmath.eigsy)."""
    J = mp.matrix(n, n)
    for k in range(1, n):
        J[k, k - 1] = J[k - 1, k] = mp.sqrt(k)
    E, Q = mp.eigsy(J)
    return [(E[i], Q[0, i] ** 2) for i in range(n)]


def _reference_by_definition(A, b, n):
    """L and grad_{a_k} L from the definition, by an n^3 tensor Gauss-Hermite rule in mpmath.

    L = E_{x ~ N(b, I)} |sum_i w_i(x) a_i - b|^2 with w = softmax(-|x - a_i|^2 / 2) (MATH.md 1); the
    gradient by differentiating under the expectation (MATH.md 3, pathwise form, written out here by
    hand): grad_{a_k} L = 2 E[w_k (v + <a_k - v, v> (x - a_k))] with v = sum_i w_i (a_i - b), x - b
    standard normal.  Shares no code with the library's sympy derivation or its quadrature rules."""
    C = [[a - c for a, c in zip(row, b)] for row in A]
    G, d = len(C), len(b)
    loss, grad = mp.zero, [[mp.zero] * d for _ in range(G)]
    rule = _hermite_rule(n)
    for z0, w0 in rule:
        for z1, w1 in rule:
            for z2, w2 in rule:
                x, wt = (z0, z1, z2), w0 * w1 * w2
                lg = [-sum((x[c] - r[c]) ** 2 for c in range(d)) / 2 for r in C]
                top = max(lg)
                e = [mp.exp(t - top) for t in lg]
                S = sum(e)
                w = [t / S for t in e]
                v = [sum(w[i] * C[i][c] for i in range(G)) for c in range(d)]
                loss += wt * sum(t * t for t in v)
                for k in range(G):
                    ip = sum((C[k][c] - v[c]) * v[c] for c in range(d))
                    for c in range(d):
                        grad[k][c] += wt * 2 * w[k] * (v[c] + ip * (x[c] - C[k][c]))
    return loss, grad


def test_float64_backend_agrees_with_mpmath_within_its_error():
    """Span dimension 3 goes to float64 quasi-Monte Carlo; its loss and gradient must agree with an
    independent mpmath value of the definition within the QMC error bars (plus the reference's own
    error, the change from 12 to 16 Hermite nodes per axis).  The parameters are within ~1 of each
    other, so the softmax's poles stay ~pi from the real axis and the Hermite rule converges fast."""
    A = [["0.15", "0.05", "0"], ["-0.55", "0.2", "0.1"], ["0.25", "-0.45", "0.05"]]
    b = ["0.1", "-0.05", "0"]
    ev = gradient.at_precision(Configuration.make(A, b), 15)
    assert ev.k == 3 and "quasi-Monte Carlo" in ev.method
    with working(20):
        Am = [[mp.mpf(v) for v in row] for row in A]
        bm = [mp.mpf(v) for v in b]
        ref_loss, ref_grad = _reference_by_definition(Am, bm, 16)
        chk_loss, chk_grad = _reference_by_definition(Am, bm, 12)
        ref_err = max([abs(ref_loss - chk_loss)] + [abs(x - y) for r, q in zip(ref_grad, chk_grad)
                                                    for x, y in zip(r, q)])
        bars = [ev.loss_error] + [e for row in ev.errors["stein"] for e in row]
        assert ref_err < min(bars) / 100                       # the reference is far sharper than the bars
        assert max(bars) < mp.mpf("1e-4")                      # and the bars are a few-digit bar
        assert abs(ev.loss - ref_loss) <= ev.loss_error + ref_err, (ev.loss, ref_loss, ev.loss_error)
        assert agreed_digits(ev.loss, ref_loss) >= 4
        for g in range(3):
            for c in range(3):
                diff = abs(ev.gradient["stein"][g][c] - ref_grad[g][c])
                assert diff <= ev.errors["stein"][g][c] + ref_err, (g, c, diff, ev.errors["stein"][g][c])


def test_evaluators_take_a_precision_value():
    """gradient.at_precision / measured and objectives.measured accept a Precision or its digits, identically."""
    from proofs_check import objectives
    from proofs_check.numbers import Precision
    cfg = Configuration.make(["0.3", "-1.1", "2.0"], "0.7")
    a, b = gradient.at_precision(cfg, 20), gradient.at_precision(cfg, Precision(20))
    assert a.loss == b.loss and a.gradient == b.gradient
    m1, m2 = gradient.measured(cfg, 20), objectives.measured(cfg, Precision(20))
    assert m1["loss"].value == m2["loss"].value and m1["loss"].precisions == m2["loss"].precisions == (20, 30)


def test_expanded_form_agrees_with_stein_and_finite_differences():
    """The recovered fully expanded form of Lemma B.1 (MATH.md 7) through evaluate(forms=...): equal to the
    derived forms and to central differences, here at 20 digits (the claim checks 40)."""
    cfg = Configuration.make(["0.3", "-1.1", "2.0"], "0.7", multiplicity=[2, 1, 1])
    ev = gradient.at_precision(cfg, 20, forms=("stein", "pathwise", "expanded"))
    fd = gradient.finite_difference(cfg, 20)
    with working(30):
        assert agreed_digits(ev.flat_gradient("expanded"), ev.flat_gradient("stein")) >= 20
        assert agreed_digits(ev.flat_gradient("expanded"), fd) >= 18


def test_unknown_form_is_refused_and_forms_tuple_unchanged():
    import pytest

    from proofs_check.numbers import InputError
    assert gradient.FORMS == ("pathwise", "stein")          # imported by the reverse objective: unchanged
    with pytest.raises(InputError, match="expanded"):
        gradient.evaluate([[mp.mpf(1)]], [mp.mpf(0)], forms=("expand",))
