"""thm2.1's judges on synthetic outcomes: PASS, FAIL and INCONCLUSIVE, with edges at every bound."""
import dataclasses

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS, Verdict
from proofs_check.claims import large_noise_boundary as lb
from proofs_check.claims import large_noise_descent as ln
from proofs_check.claims.large_noise_descent import CrossCheck, DescentRun, SplitOrders
from proofs_check.fits import Slope


def fit(value, half=0.005):
    return Slope(value, half / 2, 12, value - half, value + half)


def run(**kw):
    """A run as the derivation predicts it: converged, asymptotic window, slopes -2 and -1/2, ratio 1."""
    base = dict(d=2, n=3, engine="stein", steps=1000, L0=1e-2, LT=1e-8, dist0=0.3, distT=0.01,
                window=(250.0, 1000.0), rho_min=0.97, L_slope=fit(-1.96), dist_slope=fit(-0.49), L_ratio=1.002)
    base.update(kw)
    return DescentRun(**base)


def test_the_derived_run_passes():
    assert ln.judge_descent([run(), run(d=3, n=3)]).verdict == PASS


def test_no_run_is_inconclusive():
    assert ln.judge_descent([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("kw", [
    dict(LT=1.1e-5),                  # L fell by less than 1e-3
    dict(distT=0.3),                  # the parameters did not move towards b
    dict(distT=0.31),
])
def test_a_run_that_does_not_converge_fails(kw):
    v = ln.judge_descent([run(), run(**kw)])
    assert v.verdict == FAIL and "1 out of 2" in v.reason


def test_loss_drop_edge():
    assert ln.judge_descent([run(LT=1e-5)]).verdict == PASS           # exactly 1e-3 L(0)


def test_em_only_engine_fails_on_the_constant():
    """An EM-only engine: the SAME exponents -2 and -1/2 (its spread gradient is half the true one, still cubic),
    but L(T) (1 + x)^2 / (1 + x/2)^2 ~ 3 times the prediction for x = c lambda (T - T1) ~ 6."""
    em_only = run(engine="em-only", L_slope=fit(-1.92), dist_slope=fit(-0.48), rho_min=1.9, L_ratio=3.03)
    v = ln.judge_descent([em_only])
    assert v.verdict == FAIL and "ratio 3.03" in v.reason
    assert ln.judge_negative_control(v).verdict == PASS


@pytest.mark.parametrize("ratio, want", [(1.0499, PASS), (0.9501, PASS), (1.0501, FAIL), (0.9499, FAIL), (1.2, FAIL)])
def test_ratio_tolerance_edges(ratio, want):
    assert ln.judge_descent([run(L_ratio=ratio)]).verdict == want


@pytest.mark.parametrize("slope, want", [
    (fit(-1.5), FAIL),                # T^-1.5: a wrong rate
    (fit(-1.0), FAIL),
    (fit(-2.5), FAIL),
    (fit(-1.89, 0.0), FAIL),          # just outside -2 +- 0.1
    (fit(-2.11, 0.0), FAIL),
    (fit(-1.9, 0.0), PASS),           # on the edge
    (fit(-2.1, 0.0), PASS),
    (fit(-1.91, 0.02), INCONCLUSIVE),  # the interval straddles the edge
    (None, INCONCLUSIVE),
])
def test_loss_exponent(slope, want):
    assert ln.judge_descent([run(L_slope=slope)]).verdict == want


@pytest.mark.parametrize("slope, want", [
    (fit(-0.25), FAIL),               # the paper's T^-1/2 for L would be T^-1/8 here
    (fit(-0.47, 0.0), FAIL),          # outside -0.5 +- 0.025
    (fit(-0.53, 0.0), FAIL),
    (fit(-0.475, 0.0), PASS),
    (fit(-0.49, 0.02), INCONCLUSIVE),
])
def test_distance_exponent(slope, want):
    assert ln.judge_descent([run(dist_slope=slope)]).verdict == want


def test_window_not_asymptotic_is_inconclusive_not_fail():
    early = run(rho_min=0.94, L_slope=fit(-1.6), dist_slope=fit(-0.4))
    v = ln.judge_descent([early])
    assert v.verdict == INCONCLUSIVE and "not asymptotic" in v.reason
    assert ln.judge_descent([run(rho_min=0.95)]).verdict == PASS           # the gate is inclusive
    assert ln.judge_descent([run(rho_min=0.5)]).verdict == INCONCLUSIVE
    # a failing constant beats an early window
    assert ln.judge_descent([dataclasses.replace(early, L_ratio=2.0)]).verdict == FAIL


def orders(rem=3.0, em=1.0, half=0.01):
    return SplitOrders(3, 3, fit(em, half), fit(rem, half), (1e-3,), 1e-9)


@pytest.mark.parametrize("split, want", [
    (orders(), PASS),
    (orders(rem=3.25, half=0.0), PASS),
    (orders(rem=2.75, half=0.0), PASS),
    (orders(rem=3.26, half=0.0), FAIL),
    (orders(rem=2.74, half=0.0), FAIL),
    (orders(rem=2.0), FAIL),          # a quadratic remainder: a wrong split
    (orders(em=1.1, half=0.0), PASS),
    (orders(em=1.11, half=0.0), FAIL),
    (orders(em=0.89, half=0.0), FAIL),
    (orders(em=1.0, half=0.2), INCONCLUSIVE),
])
def test_split(split, want):
    assert ln.judge_split([split], True).verdict == want


def test_split_symbolic_failure_and_no_data():
    assert ln.judge_split([orders()], False).verdict == FAIL
    assert ln.judge_split([], True).verdict == INCONCLUSIVE


@pytest.mark.parametrize("cc, want", [
    (CrossCheck("s", 5, 5, 10, 1e-5, 1e-5), PASS),
    (CrossCheck("s", 2, 2, 4, 1e-3, 1e-3), PASS),        # exactly the need; reference exactly need + 2
    (CrossCheck("s", 1, 5, 10, 1e-3, 1e-3), FAIL),
    (CrossCheck("s", 5, 1, 10, 1e-3, 1e-3), FAIL),
    (CrossCheck("s", 5, 5, 3, 1e-3, 1e-3), INCONCLUSIVE),
])
def test_cross_check(cc, want):
    assert ln.judge_cross_check(cc).verdict == want


def test_negative_control_must_fail():
    assert ln.judge_negative_control(Verdict.failed("x")).verdict == PASS
    assert ln.judge_negative_control(Verdict.passed("x")).verdict == FAIL
    assert ln.judge_negative_control(Verdict.inconclusive("x")).verdict == FAIL


# -- the paper's hypothesis: starts at max|a_i(0) - b| = e^-2/n, K = L sqrt(eta tau)/(n^3 d^2) ------------------
def brun(**kw):
    """A boundary run as the derivation predicts it: at the boundary, late window, K falling like tau^-1.1."""
    base = dict(d=2, n=2, config="centred", eta=0.5, steps=656, radius=0.0677, dist0=0.0677, C=1.57e-6, C_digits=6,
                rule_digits=None, reference_digits=6, tau_max=37.0, window=(328.0, 656.0), rho_min=0.75,
                slope=fit(-1.12), LT=4.3e-7)
    base.update(kw)
    return lb.BoundaryRun(**base)


def test_boundary_derived_runs_pass():
    assert lb.judge_boundary([brun(), brun(config="coincident", rho_min=float("inf"), slope=fit(-19.5),
                                           tau_max=1.0, window=(10.0, 20.0))]).verdict == PASS


def test_boundary_no_run_is_inconclusive():
    assert lb.judge_boundary([]).verdict == INCONCLUSIVE


@pytest.mark.parametrize("value, half, want", [
    (-0.5, 0.05, PASS),              # [-0.55, -0.45]: below the edge -0.4 = -1/2 + tol
    (-0.42, 0.05, INCONCLUSIVE),     # straddles the edge
    (-0.40, 0.05, INCONCLUSIVE),
    (-0.456, 0.055, PASS),           # hi = -0.401 <= -0.4
    (-0.40, 0.0, PASS),              # exactly at the edge
    (-0.39, 0.0, FAIL),              # just above it
    (-0.3, 0.05, FAIL),              # lo = -0.35 > -0.4: L sqrt(tau) decays slower than derived
    (0.2, 0.05, FAIL),               # L sqrt(eta tau) grows: L slower than tau^-1/2, the bound's rate broken
    (-0.35, 0.1, INCONCLUSIVE),      # [-0.45, -0.25]
])
def test_boundary_slope_edges(value, half, want):
    v = lb.judge_boundary([brun(), brun(slope=fit(value, half))])
    assert v.verdict == want, v.reason


def test_boundary_failure_names_the_run_and_its_numbers():
    v = lb.judge_boundary([brun(), brun(d=3, n=4, config="cluster", slope=fit(0.1))])
    assert v.verdict == FAIL and "d=3 n=4 cluster" in v.reason and "0.1000" in v.reason


@pytest.mark.parametrize("kw", [
    dict(rho_min=0.69),                                   # window not late enough for the derived bound
    dict(slope=None),                                     # too few points
    dict(tau_max=328.0),                                  # the maximum at the window start: C not attained
    dict(tau_max=656.0),
    dict(dist0=0.0677 * (1 + 1e-6)),                      # outside the paper's hypothesis
    dict(dist0=0.0677 * (1 + 2e-9)),                      # outside by more than float rounding (1e-9)
])
def test_boundary_undecided_is_inconclusive(kw):
    v = lb.judge_boundary([brun(), brun(**kw)])
    assert v.verdict == INCONCLUSIVE, v.reason


def test_boundary_edges_that_pass():
    assert lb.judge_boundary([brun(rho_min=0.7)]).verdict == PASS            # rho exactly at its minimum
    assert lb.judge_boundary([brun(tau_max=327.0)]).verdict == PASS          # maximum just before the window
    assert lb.judge_boundary([brun(dist0=0.0677 * (1 + 1e-10))]).verdict == PASS   # rounding at the boundary
    assert lb.judge_boundary([brun(dist0=0.01)]).verdict == PASS             # inside the hypothesis


def test_a_failing_run_beats_an_undecided_one():
    v = lb.judge_boundary([brun(rho_min=0.5), brun(slope=fit(0.3))])
    assert v.verdict == FAIL


def test_boundary_reason_for_a_start_outside_the_hypothesis():
    v = lb.judge_boundary([brun(dist0=0.07)])
    assert v.verdict == INCONCLUSIVE and "max|a_i(0)-b| = 0.07 > e^-2/n = 0.0677" in v.reason


def test_boundary_reasons_carry_the_numbers():
    v = lb.judge_boundary([brun(rho_min=0.69)])
    assert "window not late (rho_min 0.69 < 0.7)" in v.reason
    v = lb.judge_boundary([brun(slope=fit(-1.12))])
    assert v.verdict == PASS and "<= -0.4, max at step 37" in v.reason
