"""The time-averaged loss (proofs_check.time_average, its derivation and its objectives; issue 15)."""
import math

import pytest
from mpmath import mp

from proofs_check import model, objectives, time_average as ta, time_average_derivation as tad
from proofs_check.errors import InputError
from proofs_check.numbers import agreed_digits, working
from proofs_check.weighting import Weighting


def test_the_chain_rule_through_a_is_derived_exactly():
    """grad_mu = e^-t grad_a, Hess_mu = e^-2t Hess_a: decided by sympy, not written by hand."""
    for G, k in ((2, 1), (3, 1), (2, 2)):
        assert all(tad.verify(G, k).values())
    J1, J2 = tad.factors()
    with working(30):
        assert abs(J1(mp.mpf(2)) - mp.exp(-2)) < mp.mpf(10) ** -35
        assert abs(J2(mp.mpf(2)) - mp.exp(-4)) < mp.mpf(10) ** -35


@pytest.mark.parametrize("weighting", [Weighting.uniform("0.1", "1"), Weighting.variance("0", "0.8")])
def test_gradient_agrees_with_finite_differences_to_30_digits_aligned(weighting):
    """The issue's acceptance test: aligned (d = 1) configuration, at least 30 digits."""
    cfg = model.Configuration.make(["0.7", "-0.4", "0.2"], "0.3", multiplicity=[1, 2, 1])
    g = ta.gradient_at(cfg, weighting, 5, 40)
    fd = ta.finite_difference(cfg, weighting, 5, 40)
    with working(40):
        assert agreed_digits(g, fd) >= 30


def test_gradient_is_the_weighted_sum_of_scaled_fixed_t_gradients():
    """One node: L_avg = L_t at a = e^-t mu and its gradient e^-t grad_a L_t (independent route)."""
    w = Weighting.uniform("0.5", "0.7")
    cfg = model.Configuration.make(["0.9", "-0.2"], "0.1")
    with working(30):
        ev = ta.evaluate([[mp.mpf("0.9")], [mp.mpf("-0.2")]], [mp.mpf("0.1")], [1, 1], w, 1, ("stein",), True)
        t = mp.mpf("0.6")
        fixed = objectives.at_precision(model.Configuration.make(["0.9", "-0.2"], "0.1", t="0.6"), 30)
        assert abs(ev.loss - fixed.loss) < mp.mpf(10) ** -28
        assert abs(ev.gradient["stein"][0][0] - mp.exp(-t) * fixed.gradient["stein"][0][0]) < mp.mpf(10) ** -28
    assert cfg.t == 0


def test_converged_value_carries_counts_and_t_errors():
    w = Weighting.uniform("0.2", "1")
    cfg = model.Configuration.make(["0.6", "-0.5"], "0")
    v = ta.converged(cfg, w, 20)
    assert v.loss.digits >= 19 and v.gradient[0].digits >= 19
    assert v.counts[0] <= v.counts[1] and v.counts[0] >= ta.START_COUNT
    with working(20):
        assert v.t_errors[0][0] < mp.mpf(10) ** -20 * abs(v.loss.value)


def test_time_averaged_objective_is_registered_and_adaptive():
    assert "time-averaged" in objectives.names() and "time-averaged-variance" in objectives.names()
    cfg = model.Configuration.make(["0.5", "-0.3"], "0.1")
    m = objectives.measured(cfg, 15, objective="time-averaged")
    assert m["loss"].digits >= 14 and "Gauss-Legendre in t" in m["method"]


def test_float64_grid_engine_agrees_with_the_line_rule():
    w = Weighting.uniform("0", "2")
    A, b = [[0.8], [-0.3], [0.1]], [0.2]
    f = ta.evaluate(A, b, [1, 1, 1], w, 16, inner="grid")
    with working(30):
        e = ta.evaluate([[mp.mpf(x) for x in r] for r in [["0.8"], ["-0.3"], ["0.1"]]], [mp.mpf("0.2")],
                        [1, 1, 1], w, 16)
        assert abs(f.loss - float(e.loss)) < 1e-10 * float(e.loss)
        assert math.isclose(f.gradient["stein"][0][0], float(e.gradient["stein"][0][0]), rel_tol=1e-8)


def test_hessian_and_line_family_agree_with_the_gradient():
    """d/ds of the family's L_avg equals the derivative of grad_mu1 - grad_mu2; H's parallel block matches FD."""
    w = Weighting.uniform("0", "1")
    with working(25):
        s = mp.mpf("1.3")
        L, d1, d2 = ta.along_line(s, 1, w, 6)
        ev = ta.evaluate([[mp.zero], [s], [-s]], [mp.zero], [1, 1, 1], w, 6)
        assert abs(L - ev.loss) < mp.mpf(10) ** -22
        assert abs(d1 - (ev.gradient["stein"][1][0] - ev.gradient["stein"][2][0])) < mp.mpf(10) ** -22
        H = ta.hessian_aligned([0, s, -s], [1, 1, 1], w, 6)["parallel"]
        h = mp.mpf(10) ** -6
        gp = ta.evaluate([[mp.zero], [s + h], [-s]], [mp.zero], [1, 1, 1], w, 6).gradient["stein"]
        gm = ta.evaluate([[mp.zero], [s - h], [-s]], [mp.zero], [1, 1, 1], w, 6).gradient["stein"]
        for i in range(3):
            assert abs((gp[i][0] - gm[i][0]) / (2 * h) - H[i, 1]) < mp.mpf(10) ** -9


def test_scaled_configurations_are_refused():
    with pytest.raises(InputError):
        ta.converged(model.Configuration.make(["1"], "0", t="1"), Weighting.uniform("0", "1"), 15)
    with pytest.raises(InputError):
        ta.TimeAveraged(Weighting.uniform("0", "1"), 0)
    with pytest.raises(InputError):
        ta.TimeAveraged(Weighting.uniform("0", "1"), 4, inner="nope")


def test_time_averaged_objectives_refuse_a_noise_level():
    """They take the unscaled mu at t = 0 (their noise levels come from the weighting): t != 0 is a user error."""
    import pytest
    from proofs_check import dynamics, model, objectives
    from proofs_check.errors import InputError
    cfg = model.Configuration.make(["0.3", "-1.1"], ["0.7"], t="0.5")
    for name in ("time-averaged", "time-averaged-variance"):
        with pytest.raises(InputError, match="t = 0"):
            objectives.measured(cfg, 15, objective=name)
        with pytest.raises(InputError, match="t = 0"):
            dynamics.run_config(cfg, eta="0.1", steps=1, objective=name, dps=15)
    objectives.check_noise_level(cfg, "forward")     # the fixed-t loss takes any t
