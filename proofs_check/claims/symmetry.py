"""Paper eq. (1): shift, rotation and permutation symmetries of L and its gradient.

The shift's independent route, L straight from the definition without centring, is the library's
:func:`proofs_check.gradient.uncentred_loss_1d` (the stress probe of eq1 uses it too).

Each symmetry check is an :class:`~.gradient_identity.Agreement` (digits on which the two
sides agree, digits the quadrature resolves) judged by the one agreement rule
(:func:`~.gradient_identity.judge_agreement`) in :func:`judge_eq1`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F

from mpmath import mp

from .. import gradient
from ..model import Configuration
from ..numbers import agreed_digits, working
from . import Metric, Verdict, claim, judged, reconstruction
from .gradient_identity import Agreement, judge_agreement, resolved_digits

# The two sides of each symmetry are computed by the same engine at the working precision with error
# estimates ~10^-(dps+10) (the guard digits); they must agree to the working precision, no guard given away.
EQ1_GUARD = 0
EQ1_DPS = 30
PLANAR_DPS = {"quick": 12, "full": 25}     # the planar d = 3 case is iterated quadrature (costly)


def judge_eq1(agreements) -> Verdict:
    """Every symmetry must hold to dps - EQ1_GUARD digits where the evaluations resolve them (judge_agreement)."""
    return judge_agreement(agreements, EQ1_GUARD, "eq1 symmetries")


# an evaluation with a zero error estimate (or zero value) resolves every digit: shown as this many
UNLIMITED = 10 ** 6


def _resolved(*evals_and_scales) -> int:
    """Digits the evaluations resolve: the smallest -log10(error estimate / value scale) over them."""
    return resolved_digits(evals_and_scales, UNLIMITED)


def _loss_res(*evs):
    return [(e.loss_error, abs(e.loss)) for e in evs]


def _grad_res(*evs):
    out = []
    for e in evs:
        errs = [v for row in e.errors["stein"] for v in row]
        vals = [abs(v) for row in e.gradient["stein"] for v in row]
        out.append((max(errs), max(vals)))
    return out

# exact rational orthogonal matrices
R2 = [[F(3, 5), F(-4, 5)], [F(4, 5), F(3, 5)]]
R3 = [[F(1, 3), F(2, 3), F(2, 3)], [F(2, 3), F(1, 3), F(-2, 3)], [F(2, 3), F(-2, 3), F(1, 3)]]


def _rotate(R, v):
    return tuple(sum(R[i][j] * v[j] for j in range(len(v))) for i in range(len(R)))


@dataclass(frozen=True)
class ShiftCase:
    """L(a; b) by the centred engine against the uncentred definition (x ~ N(b, 1), raw logits), d = 1."""

    alphas: tuple
    beta: str
    dps: int = EQ1_DPS


@dataclass(frozen=True)
class RotationCase:
    """A configuration, an exact rational orthogonal R, and the working precision."""

    name: str
    config: Configuration
    R: tuple
    dps: int


def _cases(scale):
    shifts = [ShiftCase(("0.3", "-1.1", "2.0"), "0.7"), ShiftCase(("5", "6.5", "-2"), "4.25")]
    base = Configuration.make([["0.3", "0.6"], ["-1.1", "-2.2"], ["2.0", "4.0"]], ["0.7", "1.4"])
    b3 = Configuration.make([["0.3", "0.6", "0"], ["-1.1", "-2.2", "0"], ["2.0", "4.0", "0"]], ["0.7", "1.4", "0"])
    planar = Configuration.make([["0.3", "0.1", "0"], ["-1.1", "0.4", "0"], ["0.5", "-0.9", "0"]], ["0.2", "-0.1", "0"])
    R2t, R3t = tuple(map(tuple, R2)), tuple(map(tuple, R3))
    rotations = [RotationCase("aligned, d = 2", base, R2t, EQ1_DPS), RotationCase("aligned, d = 3", b3, R3t, EQ1_DPS),
                 RotationCase("planar, d = 3", planar, R3t, PLANAR_DPS[scale])]
    return shifts, rotations


def run_shift(case: ShiftCase) -> Agreement:
    """eq. (1)'s shift: the centred engine's L against the uncentred definition, d = 1."""
    alphas = list(case.alphas)
    cfg = Configuration.make(alphas, case.beta)
    with working(case.dps):
        e = gradient.at_precision(cfg, case.dps, forms=())
        raw = gradient.uncentred_loss_1d(alphas, case.beta, case.dps)
        return Agreement(f"shift: centred vs uncentred L, a={alphas}, b={case.beta}", case.dps,
                         agreed_digits(e.loss, raw), _resolved(*_loss_res(e)))


def run_rotation(case: RotationCase) -> list:
    """Rotation (L invariant, gradient equivariant) and permutation (reversed order) of one configuration."""
    cfg, R, dd, name = case.config, case.R, case.dps, case.name
    rot = Configuration(tuple(_rotate(R, p) for p in cfg.params), _rotate(R, cfg.truth), cfg.t, cfg.multiplicity)
    e0 = gradient.at_precision(cfg, dd)
    e1 = gradient.at_precision(rot, dd)
    out = []
    with working(dd):
        Rm = [[mp.mpf(x.numerator) / x.denominator for x in row] for row in R]
        g0 = [[mp.fsum(Rm[i][j] * row[j] for j in range(len(row))) for i in range(len(row))]
              for row in e0.gradient["stein"]]
        out.append(Agreement(f"rotation {name}: L", dd, agreed_digits(e0.loss, e1.loss), _resolved(*_loss_res(e0, e1))))
        out.append(Agreement(f"rotation {name}: grad(Ra) = R grad(a)", dd,
                             agreed_digits([v for r in g0 for v in r], e1.flat_gradient()),
                             _resolved(*_grad_res(e0, e1))))
    perm = Configuration(tuple(reversed(cfg.params)), cfg.truth, cfg.t, cfg.multiplicity)
    e2 = gradient.at_precision(perm, dd)
    with working(dd):
        out.append(Agreement(f"permutation {name}: gradients permuted", dd,
                             agreed_digits(e0.flat_gradient(), [v for r in reversed(e2.gradient["stein"]) for v in r]),
                             _resolved(*_grad_res(e0, e2))))
    return out


@claim("eq1", "eq. (1)", "EXACT",
       "L(a_1..a_n; b) = L(a_1 - b, .., a_n - b; 0); L(Ra; Rb) = L(a; b) for orthogonal R with "
       "grad(Ra) = R grad(a); permuting the a_i permutes the gradients",
       provenance=reconstruction(where="MATH.md section 2: the paper's eq. (1) (its formula was lost; the "
                                       "symmetries follow from the loss's definition)"))
def check_eq1(scale, seed):
    """Shift: the centred engine against an uncentred evaluation of the definition (x ~ N(b, 1), raw
    logits).  Rotation: exact rational orthogonal matrices (so the rotated inputs stay exact) in d = 2
    and d = 3, for an aligned and a planar configuration.  Permutation: reversed parameter order.  Every
    check must agree to the working precision (30 digits; planar 25 full, 12 quick)."""
    shifts, rotations = _cases(scale)
    out = [run_shift(c) for c in shifts]
    for c in rotations:
        out += run_rotation(c)
    verdict = judge_eq1(out)
    low = min(out, key=lambda r: r.agreed - r.dps)
    rows = [[r.case, r.agreed, r.resolved, r.dps - EQ1_GUARD] for r in out]
    return judged("eq1", verdict, None,
                  [Metric("worst agreement (digits)", str(min(r.agreed for r in out)),
                          note=f"closest to its requirement: {low.case}, {low.agreed} digits at dps {low.dps}")],
                  {"symmetry checks": {"columns": ["check", "digits agreed", "resolved", "needed"], "rows": rows}})
