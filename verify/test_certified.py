"""Certified results with ball arithmetic (issue #7): thm3.1's stationary point, lemB.1, Arb vs mpmath.

Every assertion here is about inequalities proved by Arb (python-flint); the
negative controls check that a wrong bracket / a wrong value is NOT certified.
"""
from fractions import Fraction
from functools import lru_cache

from flint import arb

from proofs_check import certify as C
from proofs_check.numbers import ball_bits


@lru_cache(maxsize=None)
def _cert(cid):
    return C.certify(cid)


def _explain(cert):
    lines = [f"{cert.claim_id}: ok={cert.ok}: {cert.summary}"]
    lines += [f"  [{'proved' if v else 'NOT proved'}] {k}" for k, v in cert.checks.items()]
    lines += [f"  {k} in {v}" for k, v in cert.enclosures.items()]
    return "\n".join(lines)


def test_thm31_stationary_point_certified():
    cert = _cert("thm3.1")
    print(_explain(cert))
    assert cert.ok, _explain(cert)
    lo = Fraction(cert.enclosures["r_lo (exact)"][0])
    hi = Fraction(cert.enclosures["r_hi (exact)"][1])
    assert 0 < hi - lo <= Fraction(1, 10 ** 20)
    assert Fraction(cert.enclosures["L on [r_lo, r_hi]"][0]) > 0


def test_thm31_wrong_bracket_not_certified():
    """Negative control: brackets of width 1e-20 beside r* (both ends on one side) are not certified."""
    rs = C.rstar_approx()
    w = Fraction(1, 10 ** 20)
    for lo in (rs + Fraction(1, 10 ** 12), rs - Fraction(1, 10 ** 12) - w):
        ok, d_lo, d_hi = C.certify_bracket(lo, lo + w)
        assert not ok, (lo, d_lo, d_hi)
        assert C.sign(d_lo) == C.sign(d_hi) != 0   # decided, and on the same side


def test_lemB1_certified():
    cert = _cert("lemB.1")
    print(_explain(cert))
    assert cert.ok, _explain(cert)


def test_lemB1_wrong_gradient_not_contained():
    """Negative control: the certified central difference excludes a gradient off by 1e-18."""
    with ball_bits(150):
        y, logm, mult = C.aligned_inputs(["0.3", "-1.1", "2.0"], "0.7")
        st = C.loss_and_gradient(y, logm, mult, 120)["stein"][1]
        h = C.ball(C.LEMB1_H)
        yp, ym = list(y), list(y)
        yp[1], ym[1] = y[1] + h, y[1] - h
        L = C.component(3, "loss")
        cd = (C.expectation(L, yp, logm, 120) - C.expectation(L, ym, logm, 120)) / (2 * h)
        yb = list(y)
        yb[1] = y[1] + arb(0, h)
        fd = cd + arb(0, (h ** 2 / 6 * C.mean_abs_bound(C.component(3, "third", 1), yb)).abs_upper())
        assert fd.contains(st)
        assert not fd.contains(st + C.ball(Fraction(1, 10 ** 18)))


def test_arb_agrees_with_mpmath():
    cert = C.crosscheck(dps_list=(30,))
    print(cert.summary)
    print("\n".join(cert.notes))
    assert cert.ok, cert.summary + "\n" + "\n".join(cert.notes)
