"""The one Gaussian integrand (proofs_check.integrand) and the one k-dispatch."""
import numpy as np
import pytest
from mpmath import mp

from proofs_check import integrand, symbolic
from proofs_check.expectation import LineRule, Piece, PlaneRule, QMCRule, Rule
from proofs_check.integrand import GaussianIntegrand
from proofs_check.numbers import working


def test_the_three_rules_share_one_interface():
    for rule in (LineRule([], []), PlaneRule([[1, 0]], [0]), QMCRule(2)):
        assert isinstance(rule, Rule) and rule.name and callable(rule.integrate)


def test_single_parameter_loss_is_its_square_on_line_plane_and_qmc():
    """G = 1: v = y everywhere, so E[loss] = |y|^2 whatever the rule."""
    with working(20):
        line = GaussianIntegrand(symbolic.compiled(1, 1, "mpmath", ("loss",)).func, [[mp.mpf("0.75")]], [mp.zero])
        assert abs(line.on_line(mp.mpf(10) ** -22).values[0] - mp.mpf("0.5625")) < mp.mpf(10) ** -20
        plane = GaussianIntegrand(symbolic.compiled(1, 2, "mpmath", ("loss",)).func,
                                  [[mp.mpf("0.5"), mp.mpf("-1")]], [mp.zero])
        assert abs(plane.on_plane(mp.mpf(10) ** -12).values[0] - mp.mpf("1.25")) < mp.mpf(10) ** -10
    qmc = GaussianIntegrand(symbolic.compiled(1, 3, "numpy", ("loss",)).func, np.array([[0.5, -1.0, 2.0]]))
    assert qmc.by_qmc(8, seed=1).values[0] == pytest.approx(5.25, rel=1e-12)


def test_float64_and_line_evaluations_agree():
    func_mp = symbolic.compiled(2, 1, "mpmath", ("loss", "stein")).func
    func_np = symbolic.compiled(2, 1, "numpy", ("loss", "stein")).func
    with working(20):
        exact = GaussianIntegrand(func_mp, [[mp.mpf("0.3")], [mp.mpf("-1.1")]], [mp.zero, mp.log(2)]).on_line()
    approx = GaussianIntegrand(func_np, np.array([[0.3], [-1.1]]), np.log([1.0, 2.0])).by_qmc(14, seed=2)
    for e, a, err in zip(exact.values, approx.values, approx.errors):
        assert abs(float(e) - a) <= err


def test_dispatch_on_span_dimension():
    built = []

    def integrand_for(numeric):
        built.append(numeric)
        func = symbolic.compiled(1, k, numeric, ("loss",)).func
        Y = [[mp.mpf("0.5")] * k] if numeric == "mpmath" else np.array([[0.5] * k])
        return GaussianIntegrand(func, Y, [mp.zero] if numeric == "mpmath" else None)

    assert integrand.expectation(integrand_for, 0) is None and built == []
    with working(12):
        for k, method in ((1, LineRule.name), (2, PlaneRule.name), (3, QMCRule.name)):
            est, _ = integrand.expectation(integrand_for, k, rel_tol=mp.mpf(10) ** -12, qmc_points=6)
            assert est.method == method and isinstance(est.values[0], type(mp.mpf(1)))
        k = 1
        est, _ = integrand.expectation(integrand_for, 1, backend="float64", qmc_points=6)
        assert est.method == QMCRule.name
        k = 2
        est, _ = integrand.expectation(integrand_for, 2, exact_up_to=1, qmc_points=6)
        assert est.method == QMCRule.name
    assert built == ["mpmath", "mpmath", "numpy", "numpy", "numpy"]


def test_line_rule_pieces_are_named_frozen_records():
    import dataclasses
    piece = Piece(0, 1, 2, [1], [1], [0])
    assert [f.name for f in dataclasses.fields(Piece)] == ["a", "b", "depth", "values", "abs_values", "errors"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        piece.depth = 3
