"""Bench: Arb ball arithmetic (certified) against the mpmath engine on the same aligned expectations."""
from __future__ import annotations

from mpmath import mp

from .. import balls, gradient
from ..bench import Row, best_time, case
from ..model import Configuration
from ..numbers import at_digits, ball_bits, digits_between, to_mpf

EXAMPLE = (["0.3", "-1.1", "2.0"], "0.7")


def arb_loss_and_gradient(dps: int):
    """The engine: certified L and Stein gradient of :data:`EXAMPLE` as Arb balls, ~``dps`` digits."""
    bits = int(dps * 3.33) + 10
    with ball_bits(bits + 30):
        y, logm, mult = balls.aligned_inputs(*EXAMPLE)
        out = balls.loss_and_gradient(y, logm, mult, bits, forms=("stein",))
        return [out["loss"]] + out["stein"]


def mpmath_loss_and_gradient(cfg, dps: int):
    """The baseline: L and the Stein gradient from :func:`proofs_check.gradient.at_precision`."""
    ev = gradient.at_precision(cfg, dps, forms=("stein",))
    return [ev.loss] + ev.flat_gradient("stein")


@case("certified: Arb balls vs mpmath engine, aligned n=3, L + gradient, 30/60/100 digits")
def bench_certified(repeat=3):
    """Arb (certified digits) against mpmath at 30, 60 and 100 digits; mpmath's digits: agreement with the ball."""
    cfg = Configuration.make(*EXAMPLE)
    rows = []
    for dps in (30, 60, 100):
        arb_loss_and_gradient(dps)              # warm (sympy lambdify, Arb caches)
        mpmath_loss_and_gradient(cfg, dps)
        t_e, v_e = best_time(lambda: arb_loss_and_gradient(dps), repeat)
        t_b, v_b = best_time(lambda: mpmath_loss_and_gradient(cfg, dps), repeat)
        d_e = min(balls.correct_digits(v) for v in v_e)
        ref = [v.mid() for v in v_e]
        # mpmath's digits: agreement with the certified ball (the ball's own error is far smaller)
        with at_digits(dps + 30):
            exact = [to_mpf(balls.exact_value(r)) for r in ref]
            scale = max(abs(r) for r in exact)
            diff = max(abs(mp.mpf(b) - r) for b, r in zip(v_b, exact))
            d_b = dps if diff == 0 else digits_between(diff, scale, cap=dps + 10)
        row = Row(f"aligned n=3, L + gradient, {dps} digits: Arb certified vs mpmath", t_e, t_b,
                  min(d_e, dps + 10), d_b, "gradient.at_precision (mpmath, piecewise Gauss-Legendre)",
                  f"ratio mpmath/Arb = {t_b / t_e:.3f}; engine = Arb balls (certified digits), "
                  "baseline digits = agreement with the ball",
                  {"ratio_exact": t_b / t_e, "dps": dps})
        rows.append(row)
    return rows
