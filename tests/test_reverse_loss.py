"""The reverse Fisher divergence (proofs_check.reverse): derivation, gradient vs finite differences."""
import pytest
from mpmath import mp

from proofs_check import gradient, objectives, reverse
from proofs_check.model import Configuration
from proofs_check.numbers import agreed_digits, working


def _mp(rows):
    return [[mp.mpf(v) for v in r] for r in rows]


def test_registered_as_objective():
    assert "reverse" in objectives.names()
    assert objectives.get("reverse") is reverse.evaluate


def test_derivation_steps_hold_exactly():
    assert all(reverse.verify_reverse_derivation(2, 1).values())
    assert all(reverse.verify_reverse_derivation(2, 2).values())


@pytest.mark.parametrize("alphas,beta,mult", [
    (["0.3", "-1.1", "2.0"], "0.7", None),
    (["0.4", "-1"], "0.2", [2, 1]),
    (["5", "6.5", "-2"], "4.25", None),
])
def test_gradient_matches_finite_difference_aligned(alphas, beta, mult):
    with working(20):
        A, b = _mp([[a] for a in alphas]), [mp.mpf(beta)]
        ev = reverse.evaluate(A, b, mult, forms=("stein", "pathwise"), rel_tol=mp.mpf(10) ** -22)
    with working(30):
        A, b = _mp([[a] for a in alphas]), [mp.mpf(beta)]
        fd = reverse.finite_difference(A, b, mult)
        assert agreed_digits(ev.flat_gradient("stein"), fd) >= 18
        assert agreed_digits(ev.flat_gradient("pathwise"), fd) >= 18


def test_dropping_the_measure_term_fails_the_fd_check():
    """Negative control: the integrand's derivative alone is not the gradient of L_rev."""
    alphas, beta = ["0.3", "-1.1", "2.0"], "0.7"
    with working(20):
        A, b = _mp([[a] for a in alphas]), [mp.mpf(beta)]
        full = reverse.evaluate(A, b, None, forms=("pathwise",))
        no_measure = reverse.evaluate(A, b, None, forms=("pathwise",), _drop_measure=True)
        fd = reverse.finite_difference(A, b)
        assert agreed_digits(full.flat_gradient("pathwise"), fd) >= 18
        assert agreed_digits(no_measure.flat_gradient("pathwise"), fd) <= 1


def test_multiplicity_equals_repeated_parameters():
    with working(25):
        b = [mp.mpf("0.2")]
        a = reverse.evaluate(_mp([["0.4"], ["-1"]]), b, [2, 1])
        s = reverse.evaluate(_mp([["0.4"], ["0.4"], ["-1"]]), b, None)
        assert agreed_digits(a.loss, s.loss) >= 24
        assert agreed_digits(a.gradient["stein"][0], s.gradient["stein"][0]) >= 24
        assert agreed_digits(a.gradient["stein"][1], s.gradient["stein"][2]) >= 24


def test_single_parameter_closed_form():
    """n = 1: v = a - b everywhere and p_a = N(a, I): L_rev = |a - b|^2, grad = 2 (a - b)."""
    with working(25):
        A, b = _mp([["0.3", "-0.4"]]), [mp.mpf(1), mp.mpf(1)]
        ev = reverse.evaluate(A, b, None, forms=("stein", "pathwise"))
        c = [mp.mpf("0.3") - 1, mp.mpf("-0.4") - 1]
        assert agreed_digits(ev.loss, c[0] ** 2 + c[1] ** 2) >= 24
        for f in ("stein", "pathwise"):
            assert agreed_digits(ev.gradient[f][0], [2 * v for v in c]) >= 24


@pytest.mark.parametrize("params,truth", [
    (["1", "1", "1"], "1"),
    ([["0.5", "-2"], ["0.5", "-2"]], ["0.5", "-2"]),
])
def test_zero_loss_when_all_at_truth(params, truth):
    ev = objectives.at_precision(Configuration.make(params, truth), 20, objective="reverse")
    assert ev.loss == 0 and ev.k == 0


@pytest.mark.parametrize("params,truth", [
    (["1", "1", "1.001"], "1"),          # one parameter off by 1e-3
    (["0", "2", "-2"], "0"),             # the thm3.1 shape: mean at b, spread nonzero
    (["3", "3"], "0"),                   # all equal but not at b
    (["-1", "1"], "0"),                  # symmetric around b
])
def test_positive_loss_when_some_parameter_is_off(params, truth):
    ev = objectives.at_precision(Configuration.make(params, truth), 20, objective="reverse")
    assert ev.loss > 0 and ev.loss > 100 * ev.loss_error


def test_shift_invariance():
    with working(20):
        a = reverse.evaluate(_mp([["0.3"], ["-1.1"]]), [mp.mpf("0.7")], None)
        s = reverse.evaluate(_mp([["5.3"], ["3.9"]]), [mp.mpf("5.7")], None)
        assert agreed_digits(a.loss, s.loss) >= 18
        assert agreed_digits(a.flat_gradient(), s.flat_gradient()) >= 18


def test_float64_backend_agrees_with_mpmath():
    with working(15):
        A, b = _mp([["0.3"], ["-1.1"], ["2.0"]]), [mp.mpf("0.7")]
        hi = reverse.evaluate(A, b, None)
        lo = reverse.evaluate(A, b, None, backend="float64", qmc_points=12)
        assert abs(hi.loss - lo.loss) < 3 * lo.loss_error + 1e-12
        for g in range(3):
            assert abs(hi.gradient["stein"][g][0] - lo.gradient["stein"][g][0]) < 3 * lo.errors["stein"][g][0] + 1e-12


def test_mixture_with_one_teacher_is_the_single_gaussian_loss():
    with working(20):
        A, b = _mp([["0.3"], ["-1.1"], ["2.0"]]), [mp.mpf("0.7")]
        s = reverse.evaluate(A, b, None, forms=("stein",))
        m = reverse.evaluate_mixture(A, [b], None, forms=("stein",))
        assert agreed_digits(s.loss, m.loss) >= 18
        assert agreed_digits(s.flat_gradient(), m.flat_gradient()) >= 18


def test_mixture_gradient_matches_finite_difference():
    T = [[mp.mpf(-3)], [mp.mpf(3)]]
    with working(20):
        A = _mp([["0.3"], ["-1.1"], ["2.0"]])
        ev = reverse.evaluate_mixture(A, T, None, forms=("stein", "pathwise"))
    with working(30):
        A = _mp([["0.3"], ["-1.1"], ["2.0"]])
        T = [[mp.mpf(-3)], [mp.mpf(3)]]
        fd = reverse.finite_difference(A, [mp.zero], None,
                                       evaluator=lambda A2, b2, m2: reverse.evaluate_mixture(A2, T, m2, forms=()).loss)
        assert agreed_digits(ev.flat_gradient("stein"), fd) >= 17
        assert agreed_digits(ev.flat_gradient("pathwise"), fd) >= 17


def test_mixture_loss_is_quadratic_near_the_teacher():
    """Student = teacher + delta: L_rev = O(delta^2) (zero at the teacher), gradient O(delta).

    (Exactly at the teacher the integrand is rounding noise, which no
    relative-error quadrature can resolve: the check is made off it.)
    """
    T = [[mp.mpf(-3)], [mp.mpf(3)]]
    with working(20):
        L = {}
        for e in (3, 4):
            delta = mp.mpf(10) ** -e
            ev = reverse.evaluate_mixture([[T[0][0] + delta], [T[1][0]]], T, None, forms=("stein",))
            L[e] = ev.loss
            assert max(abs(v) for v in ev.flat_gradient()) < 10 * delta
        assert 90 < L[3] / L[4] < 110


def test_cli_reverse_objective(capsys):
    from proofs_check.cli import main
    assert main(["loss", "--params", "0.3,-1.1,2", "--truth", "0.7", "--objective", "reverse",
                 "--dps", "15", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"objective": "reverse"' in out
