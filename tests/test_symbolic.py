import sympy as sp

from proofs_check import symbolic


def test_derivation_is_exact_for_small_shapes():
    for G, k in [(1, 1), (2, 1), (1, 2)]:
        assert all(symbolic.verify_derivation(G, k).values())


def test_verification_can_fail():
    """Negative control: a hand formula with a flipped sign is caught."""
    der = symbolic.derive(2, 1)
    _, hs = symbolic.hand_formulas(der)
    wrong = hs[0][0] + 4 * der.weights[0] * der.v[0]   # flips the sign of 2 E[w_k v]
    assert sp.cancel(sp.together(der.stein[0][0] - wrong)) != 0


def test_compiled_parts_layout():
    comp = symbolic.compiled(2, 1, "mpmath", ("loss", "stein"))
    out = comp.split(comp(
        [sp.Rational(1, 3)], [sp.Rational(1, 2), sp.Rational(-1)], [sp.Rational(1, 4), sp.Rational(3, 4)]))
    assert set(out) == {"loss", "stein"} and len(out["stein"]) == 2
    # v = 1/4*1/2 + 3/4*(-1) = -5/8, loss = 25/64
    assert out["loss"] == sp.Rational(25, 64)


def test_total_derivative_is_the_chain_rule_through_the_weights():
    """D through E_h equals sympy's derivative once E_h is replaced by its exponential."""
    der = symbolic.derive(2, 1)
    x, y, E = der.x[0], der.y, der.E
    explicit = {E[h]: sp.exp(x * y[h][0] - y[h][0] ** 2 / 2) for h in range(2)}
    for var in (x, y[0][0], y[1][0]):
        lhs = der.D(der.loss, var).subs(explicit)
        rhs = sp.diff(der.loss.subs(explicit), var)
        assert symbolic.is_zero(lhs - rhs)


def test_exact_zero_test_both_ways():
    a, b = sp.symbols("a b")
    assert symbolic.is_zero(1 / (a - b) + 1 / (b - a))
    assert not symbolic.is_zero(1 / (a - b) + 1 / (b + a))
    assert symbolic.is_zero((a + b) ** 3 - a ** 3 - 3 * a ** 2 * b - 3 * a * b ** 2 - b ** 3, polynomial=True)
    assert not symbolic.is_zero((a + b) ** 3 - a ** 3 - b ** 3, polynomial=True)


def test_recovered_expanded_form_is_the_stein_form():
    """Lemma B.1's recovered fully expanded form (MATH.md 7) is proved equal to the derived Stein form."""
    for G, k in [(1, 1), (2, 1), (1, 2), (2, 2)]:
        assert all(symbolic.verify_expanded(G, k).values()), (G, k)


def test_expanded_check_can_fail():
    """Negative controls: the recovered formula with one coefficient changed (3|v|^2 v -> 2|v|^2 v, or
    -2 w_i v (v . mu_i) -> -w_i v (v . mu_i)) is not the Stein form."""
    der = symbolic.derive(2, 2)
    ex = symbolic.recovered_expanded(der)
    w, v = der.weights, der.v
    vv = sum(c * c for c in v)
    wrong_cubic = ex[0][0] - 2 * w[0] * vv * v[0]
    wrong_cross = ex[1][1] + 2 * w[1] * v[1] * sum(v[c] * der.y[1][c] for c in range(2))
    assert not symbolic.is_zero(wrong_cubic - der.stein[0][0])
    assert not symbolic.is_zero(wrong_cross - der.stein[1][1])
    assert symbolic.is_zero(ex[0][0] - der.stein[0][0])


def test_expanded_is_entered_not_derived():
    """The expanded integrand is its own expression (not the Stein expression returned again)."""
    der = symbolic.derive(2, 1)
    ex = symbolic.recovered_expanded(der)
    assert sp.srepr(ex[0][0]) != sp.srepr(der.stein[0][0])


def test_compiled_expanded_part_and_defaults_unchanged():
    """'expanded' compiles beside the derived parts; the default parts (and so every existing caller's
    compiled function) are the derived three only."""
    assert symbolic.PARTS == ("loss", "pathwise", "stein")
    assert symbolic.compiled(2, 1).parts == symbolic.PARTS
    comp = symbolic.compiled(2, 1, "mpmath", ("stein", "expanded"))
    x, y, w = [sp.Rational(1, 3)], [sp.Rational(1, 2), sp.Rational(-1)], [sp.Rational(1, 4), sp.Rational(3, 4)]
    out = comp.split(comp(x, y, w))
    assert out["stein"] == out["expanded"]          # exact rationals in, exact equality out
    try:
        symbolic.compiled(2, 1, "mpmath", ("expandedd",))
    except ValueError as exc:
        assert "expanded" in str(exc)
    else:
        raise AssertionError("an unknown part must be refused")
