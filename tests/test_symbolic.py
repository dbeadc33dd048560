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
