"""fits: slopes, intervals, law comparison, frequencies, and the one outcome classifier."""
import math

import numpy as np
import pytest

from proofs_check import dynamics, fits


def _wilson(k, N, z=1.959963984540054):
    """The closed form, written out independently of scipy."""
    p = k / N
    den = 1 + z * z / N
    centre = (p + z * z / (2 * N)) / den
    half = z * math.sqrt(p * (1 - p) / N + z * z / (4 * N * N)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def test_loglog_slope_recovers_a_power_law_with_an_interval():
    x = np.logspace(1, 4, 30)
    rng = np.random.default_rng(0)
    y = 3 * x ** -1.5 * np.exp(0.01 * rng.standard_normal(30))
    s = fits.loglog_slope(x, y)
    assert s.lo < -1.5 < s.hi and s.half_width < 0.02
    exact = fits.loglog_slope(x, 3 * x ** -1.5)
    assert abs(exact.value + 1.5) < 1e-12 and exact.half_width < 1e-6
    with pytest.raises(ValueError):
        fits.loglog_slope([1, 2], [1, 2])


def test_window_slope_uses_only_the_window():
    s = np.arange(1, 1001, dtype=float)
    L = np.where(s < 100, s ** -3.0, 1e-6 * (s / 100) ** -1.0)
    w = fits.window_slope(s, L, 100, 1000)
    assert abs(w.value + 1) < 1e-9
    assert fits.window_slope(s, L, 5000, 6000) is None


def test_wilson_matches_the_closed_form():
    for k, N in [(0, 10), (3, 10), (45, 56), (10, 10)]:
        f = fits.frequency(k, N)
        lo, hi = _wilson(k, N)
        assert math.isclose(f.lo, lo, abs_tol=1e-12) and math.isclose(f.hi, hi, abs_tol=1e-12)
    assert fits.frequency(0, 0).N == 0
    assert fits.frequency(0, 10).lo == 0 and 0.27 < fits.frequency(0, 10).hi < 0.28
    with pytest.raises(ValueError):
        fits.frequency(3, 2)


def test_fit_laws_selects_the_generating_law():
    D = np.arange(4.0, 41.0, 4.0)
    y = 2.0 * np.sqrt(D) + 1.0
    laws = [fits.Law("c D + c0", lambda x, c, c0: c * x + c0, (1.0, 0.0)),
            fits.Law("c sqrt(D) + c0", lambda x, c, c0: c * np.sqrt(x) + c0, (1.0, 0.0))]
    best = fits.fit_laws(D, y, laws)
    assert best[0].name == "c sqrt(D) + c0"
    assert abs(best[0].params[0] - 2) < 1e-6 and best[0].rss < 1e-12 < best[1].rss


def test_final_outcome_classifies_one_survivor():
    o = dynamics.final_outcome([4.1, 4.0, 4.5], [5.0, 0.01, 6.0])
    assert o.one_converges and o.survivor_is_closest and not o.all_converge
    assert dynamics.final_outcome([4.1, 4.0, 4.5], [0.01, 5.0, 6.0]).survivor_is_closest is False
    # a far parameter that did not recede (stalled) is not 'diverging'
    stalled = dynamics.final_outcome([4.1, 4.0, 4.5], [4.1, 0.01, 6.0])
    assert not stalled.one_converges
    # the radius is inclusive, and two near parameters are not one survivor
    assert dynamics.final_outcome([1.0, 2.0], [0.25, 0.2]).all_converge
    assert not dynamics.final_outcome([1.0, 2.0], [0.25, 0.2]).one_converges
    assert not dynamics.final_outcome([1.0, 2.0], [0.26, 0.2]).all_converge
    with pytest.raises(ValueError):
        dynamics.final_outcome([1.0], [1.0, 2.0])


def test_fewest_trials_is_where_a_perfect_record_reaches_p():
    for p in (0.5, 0.9, 0.95, 1 - math.exp(-3)):
        N = fits.fewest_trials(p)
        assert fits.frequency(N, N).lo >= p > fits.frequency(N - 1, N - 1).lo
    assert fits.fewest_trials(0.9) == 35
    with pytest.raises(ValueError):
        fits.fewest_trials(1.0)


def test_weighted_slope_with_known_variances():
    x = np.log([16.0, 32.0, 64.0, 128.0])
    y = -1.0 * x + 0.3
    w = np.array([1.0, 4.0, 16.0, 64.0])
    s = fits.weighted_slope(x, y, w)
    assert abs(s.value + 1) < 1e-12
    se = 1 / math.sqrt(float(w @ (x - (w @ x) / w.sum()) ** 2))     # known variances: no residual scale
    assert math.isclose(s.stderr, se) and math.isclose(s.hi - s.value, fits.Z_LEVEL * se)
    assert abs(fits.Z_LEVEL - 1.959963984540054) < 1e-12
    with pytest.raises(ValueError):
        fits.weighted_slope([1, 2], [1, 2], [1, 1])
