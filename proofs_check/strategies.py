"""Hypothesis strategies for the suite's domain, and the test profiles.

Every number a strategy draws is an exact decimal *string* (never a float),
so the high-precision code receives exactly what the report prints and a
shrunk counterexample can be pasted back into ``proofs-check stress --input``.
Strategies shrink towards simple inputs: small integers, few digits, small
dimensions.

Profiles (``pytest --hypothesis-profile NAME``; ``ci`` is loaded by
``verify/conftest.py`` when no profile is named):

- ``ci``: few examples, derandomised, no example database: reproducible runs.
- ``stress``: many examples, for a tightness sweep.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, Verbosity, settings
from hypothesis import strategies as st

from . import exact
from .numbers import exact_str

PROFILE_EXAMPLES = {"ci": 40, "stress": 400}

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=list(HealthCheck))
settings.register_profile("ci", max_examples=PROFILE_EXAMPLES["ci"], derandomize=True, **_COMMON)
settings.register_profile("stress", max_examples=PROFILE_EXAMPLES["stress"], derandomize=False, **_COMMON)


def load_default_profile() -> None:
    """Load ``ci`` (pytest's ``--hypothesis-profile`` overrides it afterwards)."""
    settings.load_profile("ci")


def harness_settings(examples: int, quiet: bool = True) -> settings:
    """Settings the stress harness runs under: seeded by the caller (``@seed``), no database."""
    return settings(max_examples=examples, derandomize=False,
                    verbosity=Verbosity.quiet if quiet else Verbosity.normal, **_COMMON)


# -- exact decimal numbers -------------------------------------------------------
def decimal(lo: str, hi: str, places: int = 2):
    """A decimal string in [lo, hi] with at most ``places`` decimals (shrinks towards 0 / lo)."""
    return st.decimals(Decimal(lo), Decimal(hi), places=places,
                       allow_nan=False, allow_infinity=False).map(_dstr)


def log_uniform(lo_exp: int, hi_exp: int, digits: int = 3):
    """A positive decimal ``m * 10^e`` (m with ``digits`` digits) spanning 10^lo_exp .. 10^hi_exp."""
    top = 10 ** digits - 1
    return st.builds(lambda m, e: exact_str(Fraction(m) * Fraction(10) ** (e - digits + 1)),
                     st.integers(1, top), st.integers(lo_exp, hi_exp - 1))


def nonzero_int_vector(d: int, bound: int = 3):
    """A direction u: d integers in [-bound, bound], not all zero (shrinks towards small entries)."""
    return st.lists(st.integers(-bound, bound), min_size=d, max_size=d).filter(lambda v: any(v))


def _dstr(d: Decimal) -> str:
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _mul(alpha: str, u) -> list:
    a = Fraction(alpha)
    return [exact_str(a * c) for c in u]


# -- configurations ----------------------------------------------------------------
@st.composite
def aligned(draw, G=(2, 3), d=(1, 3), scale="3"):
    """An aligned configuration ``mu_i = alpha_i u``, ``mu* = beta u`` (MATH.md 4).

    Returns ``{"d", "u", "alphas", "beta", "params", "truth"}`` (strings; u integers).
    """
    dd = draw(st.integers(*d))
    u = draw(nonzero_int_vector(dd))
    g = draw(st.integers(*G))
    alphas = draw(st.lists(decimal("-" + scale, scale, 2), min_size=g, max_size=g))
    beta = draw(decimal("-2", "2", 2))
    return {"d": dd, "u": u, "alphas": alphas, "beta": beta,
            "params": [_mul(a, u) for a in alphas], "truth": _mul(beta, u)}


@st.composite
def clustered(draw, G=(2, 3), d=(1, 2)):
    """An aligned configuration whose parameters lie within eps of a common point c u.

    ``alpha_i = c + eps * delta_i`` with eps log-uniform in [1e-5, 1e-1] and
    ``delta_i`` in [-1, 1]; the truth ``beta u`` anywhere in [-2, 2].
    """
    dd = draw(st.integers(*d))
    u = draw(nonzero_int_vector(dd, 2))
    g = draw(st.integers(*G))
    c = draw(decimal("-3", "3", 2))
    eps = draw(log_uniform(-5, -1, 2))
    deltas = draw(st.lists(decimal("-1", "1", 2), min_size=g, max_size=g, unique=True))
    beta = draw(decimal("-2", "2", 2))
    alphas = [exact_str(Fraction(c) + Fraction(eps) * Fraction(dl)) for dl in deltas]
    return {"d": dd, "u": u, "center": c, "eps": eps, "deltas": deltas, "alphas": alphas, "beta": beta,
            "params": [_mul(a, u) for a in alphas], "truth": _mul(beta, u)}


@st.composite
def far(draw, G=(2, 4)):
    """Truth at 0, one small parameter, the others far: ``|alpha_1| <= 0.1``, ``|alpha_i| >= R``.

    d = 1 suffices (aligned; x ~ N(0, I) reduces to its coordinate along u).
    """
    g = draw(st.integers(*G))
    a1 = draw(decimal("-0.1", "0.1", 2))
    R = draw(decimal("2", "12", 1))
    extras = draw(st.lists(decimal("0", "3", 1), min_size=g - 1, max_size=g - 1))
    signs = draw(st.lists(st.sampled_from([1, -1]), min_size=g - 1, max_size=g - 1))
    far_ = [exact_str(s * (Fraction(R) + Fraction(e))) for s, e in zip(signs, extras)]
    return {"R": R, "alphas": [a1] + far_}


@st.composite
def skew(draw, d: int):
    """A skew-symmetric d x d matrix of decimal strings (its Cayley transform is a rational rotation)."""
    ent = draw(st.lists(decimal("-2", "2", 1), min_size=d * (d - 1) // 2, max_size=d * (d - 1) // 2))
    return ent


def cayley(d: int, upper: list) -> list:
    """``R = (I - S)(I + S)^{-1}``: an exactly orthogonal rational matrix from skew S (Fractions)."""
    S = [[Fraction(0)] * d for _ in range(d)]
    k = 0
    for i in range(d):
        for j in range(i + 1, d):
            S[i][j] = Fraction(upper[k])
            S[j][i] = -S[i][j]
            k += 1
    I = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    P = [[I[i][j] + S[i][j] for j in range(d)] for i in range(d)]
    M = [[I[i][j] - S[i][j] for j in range(d)] for i in range(d)]
    Pinv = exact.inverse(P)
    return [[sum(M[i][k] * Pinv[k][j] for k in range(d)) for j in range(d)] for i in range(d)]
