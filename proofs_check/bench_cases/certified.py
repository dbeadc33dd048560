"""Bench: Arb ball arithmetic (certified) against the mpmath engine on the same aligned expectations."""
from __future__ import annotations

from flint import ctx

from .. import certify as C
from .. import gradient
from ..bench import Row, best_time, case
from ..model import Configuration

EXAMPLE = (["0.3", "-1.1", "2.0"], "0.7")


def arb_loss_and_gradient(dps: int):
    bits = int(dps * 3.33) + 10
    with ctx.workprec(bits + 30):
        y, logm, mult = C.aligned_inputs(*EXAMPLE)
        out = C.loss_and_gradient(y, logm, mult, bits, forms=("stein",))
        return [out["loss"]] + out["stein"]


def mpmath_loss_and_gradient(cfg, dps: int):
    ev = gradient.at_precision(cfg, dps, forms=("stein",))
    return [ev.loss] + ev.flat_gradient("stein")


@case("certified: Arb balls vs mpmath engine, aligned n=3, L + gradient, 30/60/100 digits")
def bench_certified(repeat=3):
    cfg = Configuration.make(*EXAMPLE)
    rows = []
    for dps in (30, 60, 100):
        arb_loss_and_gradient(dps)              # warm (sympy lambdify, Arb caches)
        mpmath_loss_and_gradient(cfg, dps)
        t_e, v_e = best_time(lambda: arb_loss_and_gradient(dps), repeat)
        t_b, v_b = best_time(lambda: mpmath_loss_and_gradient(cfg, dps), repeat)
        d_e = min(C.correct_digits(v) for v in v_e)
        ref = [v.mid() for v in v_e]
        # mpmath's digits: agreement with the certified ball (the ball's own error is far smaller)
        from mpmath import mp
        with mp.workdps(dps + 30):
            def exact(v):
                q = C._exact(v)
                return mp.mpf(q.numerator) / q.denominator
            scale = max(abs(exact(r)) for r in ref)
            diff = max(abs(mp.mpf(b) - exact(r)) for b, r in zip(v_b, ref))
            d_b = dps if diff == 0 else min(dps + 10, int(mp.floor(-mp.log10(diff / scale))))
        row = Row(f"aligned n=3, L + gradient, {dps} digits: Arb certified vs mpmath", t_e, t_b,
                  min(d_e, dps + 10), d_b, "gradient.at_precision (mpmath, piecewise Gauss-Legendre)",
                  f"ratio mpmath/Arb = {t_b / t_e:.3f}; engine = Arb balls (certified digits), "
                  "baseline digits = agreement with the ball",
                  {"ratio_exact": t_b / t_e, "dps": dps})
        rows.append(row)
    return rows
