"""The benchmark cases (see :mod:`proofs_check.bench`)."""
from __future__ import annotations

import mpmath
from mpmath import mp

from .. import gradient
from ..bench import Row, best_time, case
from ..model import Configuration, softmax
from ..numbers import agreed_digits, at_digits, working
from ..symbolic import compiled

EXAMPLE = (["0.3", "-1.1", "2.0"], "0.7")


def naive_loss_and_gradient(cfg: Configuration, dps: int):
    """The baseline: one ``mpmath.quad`` per quantity over the whole line, no breakpoints."""
    with working(dps):
        A, b = cfg.scaled()
        y = [row[0] - b[0] for row in A]
        comp = compiled(len(y), 1, "mpmath", ("loss", "stein"))
        norm = 1 / mpmath.sqrt(2 * mpmath.pi)

        def component(i):
            def f(s):
                w = softmax([v * s - v * v / 2 for v in y])
                return comp.func(s, *y, *w)[i] * mpmath.exp(-s * s / 2) * norm
            return f

        return [mpmath.quad(component(i), [-mpmath.inf, mpmath.inf]) for i in range(1 + len(y))]


def engine_loss_and_gradient(cfg: Configuration, dps: int):
    """The engine: L and the Stein gradient from :func:`proofs_check.gradient.at_precision`."""
    ev = gradient.at_precision(cfg, dps, forms=("stein",))
    return [ev.loss] + ev.flat_gradient("stein")


@case("aligned n=3: L and full gradient, 40 digits")
def bench_aligned(repeat=3):
    """The engine against one ``mpmath.quad`` per quantity, digits against an 80-digit engine run."""
    cfg = Configuration.make(*EXAMPLE)
    dps = 40
    ref = engine_loss_and_gradient(cfg, 2 * dps)
    engine_loss_and_gradient(cfg, dps)          # warm caches (nodes, lambdify)
    t_e, v_e = best_time(lambda: engine_loss_and_gradient(cfg, dps), repeat)
    t_b, v_b = best_time(lambda: naive_loss_and_gradient(cfg, dps), repeat)
    with at_digits(2 * dps):
        d_e, d_b = agreed_digits(v_e, ref), agreed_digits(v_b, ref)
    return [Row("aligned n=3, L + gradient, 40 digits", t_e, t_b, min(d_e, dps), min(d_b, dps),
                "mpmath.quad per quantity on (-inf, inf)",
                "digits: agreement with an 80-digit run of the engine")]
