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


def test_float64_backend_agrees_with_mpmath_within_its_error():
    cfg = Configuration.make([["0.3", "0.1", "0"], ["-1.1", "0.4", "0.2"], ["0.5", "-0.9", "0.1"]], ["0.2", "-0.1", "0"])
    ev = gradient.at_precision(cfg, 15)
    assert ev.k == 3 and "quasi-Monte Carlo" in ev.method
    assert ev.loss_error < 1e-3 and ev.loss > 0
