"""The judges of thm3.1 (stationary point), thm3.2 (small initialisation, the bound) and thm3.4 (threshold,
law, precision, spot checks, the paper's example)
on synthetic outcomes: each must say PASS, FAIL and INCONCLUSIVE, and flip at its bounds."""

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims import small_initialisation as si
from proofs_check.claims import stationary_point as sp
from proofs_check.claims import threshold as th
from proofs_check.claims import threshold_law as tl
from proofs_check.dynamics import ALL_CONVERGE, ONE_CONVERGES, UNDECIDED
from proofs_check.fits import LawFit

# ---------------------------------------------------------------------------------------------------
# thm3.1
# ---------------------------------------------------------------------------------------------------
SADDLE = {"negative": 2, "zero": 0, "positive": 1, "name": "saddle of index 2"}
SADDLE2 = {"negative": 3, "zero": 1, "positive": 2, "name": "saddle of index 3"}
MAXIMUM = {"negative": 2, "zero": 0, "positive": 0, "name": "local maximum"}


def point(**kw):
    case = sp.StationaryCase(3, 40, 55)
    base = dict(case=case, r_star="2.55055098864122390119853466422551700754", r_digits=50, loss=0.9438,
                loss_text="0.9438002732432740125889057", loss_digits=50, grad_log10=-65.0, d2L_dr2=-0.677,
                parallel=(-0.3386, -0.3219, 1.793), orthogonal=(-0.016, 0.0, 2.009), pair_block=(-0.3386, -0.2624),
                eig_digits=50, cross_zero=True, d1=SADDLE, d2=SADDLE2, pair=MAXIMUM)
    base.update(kw)
    return sp.StationaryOutcome(**base)


R = tuple(k / 2 for k in range(25))
GOOD_PROFILE = sp.ProfileOutcome(R, (0.0,) + tuple(0.9 * r * r / (1 + r ** 4) + 1e-9 for r in R[1:]))
GOOD_CHECKS = sp.HessianChecks(60, 32)


def stationary(points=None, profile=GOOD_PROFILE, checks=GOOD_CHECKS):
    return sp.judge_stationary([point()] if points is None else points, profile, checks).verdict


def with_loss(i, value):
    loss = list(GOOD_PROFILE.loss)
    loss[i] = value
    return sp.ProfileOutcome(R, tuple(loss))


def test_stationary_pass_and_reason_names_the_saddle():
    v = sp.judge_stationary([point(), point(case=sp.StationaryCase(4, 30, 40), r_digits=20, loss_digits=20,
                                           grad_log10=-35.01)], GOOD_PROFILE, GOOD_CHECKS)
    assert v.verdict == PASS
    assert "saddle of index 2" in v.reason and "NOT the paper's 'local maximum'" in v.reason


@pytest.mark.parametrize("kw", [
    dict(r_digits=29),                  # need dps - 10 = 30
    dict(loss_digits=29),
    dict(loss=0.0), dict(loss=-0.1),    # L(r*) must be positive
    dict(grad_log10=-50.0),             # must be below 1e-(55 - 5)
    dict(grad_log10=-49.0),
    dict(d2L_dr2=0.0), dict(d2L_dr2=0.3),
    dict(cross_zero=False),
])
def test_stationary_fails_on_a_bad_point(kw):
    assert stationary([point(**kw)]) == FAIL


def test_stationary_edges_pass():
    assert stationary([point(r_digits=30, loss_digits=30, grad_log10=-50.001, eig_digits=10)]) == PASS


def test_stationary_inconclusive():
    assert stationary([]) == INCONCLUSIVE
    assert stationary([point(eig_digits=9)]) == INCONCLUSIVE
    # a failure outweighs vague eigenvalues
    assert stationary([point(eig_digits=9, loss=-1.0)]) == FAIL


def test_stationary_profile():
    assert stationary(profile=with_loss(0, 1e-15)) == PASS          # L(0) within 10^-(20 - 5)
    assert stationary(profile=with_loss(0, -1e-15)) == PASS
    assert stationary(profile=with_loss(0, 2e-15)) == FAIL
    assert stationary(profile=with_loss(0, -2e-15)) == FAIL
    assert stationary(profile=with_loss(0, 1e-3)) == FAIL            # a hard-coded zero would hide this
    assert stationary(profile=with_loss(5, 0.0)) == FAIL             # L positive between
    assert stationary(profile=with_loss(24, 0.5)) == FAIL            # no decay: tail above the middle
    assert stationary(profile=with_loss(12, 0.9)) == FAIL            # middle above the maximum elsewhere


def test_stationary_hessian_checks():
    assert stationary(checks=sp.HessianChecks(25, 15)) == PASS
    assert stationary(checks=sp.HessianChecks(24, 32)) == FAIL
    assert stationary(checks=sp.HessianChecks(60, 14)) == FAIL


def test_stationary_reason_lists_the_bad_numbers():
    v = sp.judge_stationary([point(r_digits=12, loss=-0.5, loss_text="-0.5")], GOOD_PROFILE, GOOD_CHECKS)
    assert v.verdict == FAIL and "2 bad" in v.reason and "12 digits" in v.reason and "-0.5" in v.reason


# ---------------------------------------------------------------------------------------------------
# thm3.2
# ---------------------------------------------------------------------------------------------------
def run(outcome=ALL_CONVERGE, label="aligned d=1, D=3", eps="1e-6", D=3):
    case = si.SmallInitCase(label, D, eps, ("0", "0", "0"), "mpmath")
    return si.SmallInitOutcome(case, outcome, "synthetic", 100, 30, 1e-3, 1e-9, {})


CONTROL = run(ONE_CONVERGES, "control: aligned D=5", "0.5", 5)


@pytest.mark.parametrize("runs, control, want", [
    ([run(), run()], CONTROL, PASS),
    ([run(), run(ONE_CONVERGES)], CONTROL, FAIL),                  # a counterexample
    ([run(), run("some other decided state")], CONTROL, FAIL),
    ([run(), run()], run(ALL_CONVERGE, "control", "0.5", 5), FAIL),  # the control all-converges: no power
    ([run(), run(UNDECIDED)], CONTROL, INCONCLUSIVE),
    ([run(UNDECIDED)], CONTROL, INCONCLUSIVE),
    ([run(), run()], run(UNDECIDED, "control", "0.5", 5), INCONCLUSIVE),
    ([], CONTROL, INCONCLUSIVE),
    ([run(ONE_CONVERGES), run(UNDECIDED)], CONTROL, FAIL),
])
def test_small_initialisation(runs, control, want):
    assert si.judge_small_initialisation(runs, control).verdict == want


def test_small_initialisation_reason_names_the_control():
    v = si.judge_small_initialisation([run()], run(ALL_CONVERGE, "control: aligned D=5", "0.5", 5))
    assert "negative control" in v.reason and "0.5" in v.reason


# ---------------------------------------------------------------------------------------------------
# thm3.4: the brackets
# ---------------------------------------------------------------------------------------------------
def bracket(lo_out=ALL_CONVERGE, hi_out=ONE_CONVERGES, D=8, n=3):
    return th.ThresholdOutcome(th.ThresholdCase(D, n, 5), -7.0, -6.5, lo_out, hi_out,
                               ((-7.0, lo_out, 100, 40), (-6.5, hi_out, 100, 40)), "", 2.39)


@pytest.mark.parametrize("outs, want", [
    ([bracket(), bracket(D=12)], PASS),
    ([bracket(), bracket(ONE_CONVERGES, ONE_CONVERGES)], FAIL),   # no all-converge at the lowest delta
    ([bracket(ALL_CONVERGE, ALL_CONVERGE)], FAIL),                # all converge at the largest
    ([bracket(UNDECIDED, ALL_CONVERGE)], FAIL),
    ([bracket(), bracket(UNDECIDED, ONE_CONVERGES)], INCONCLUSIVE),
    ([bracket(), bracket(ALL_CONVERGE, UNDECIDED)], INCONCLUSIVE),
    ([bracket(ALL_CONVERGE, "not run")], INCONCLUSIVE),
    ([], INCONCLUSIVE),
    ([bracket(ONE_CONVERGES, ONE_CONVERGES), bracket(UNDECIDED, UNDECIDED)], FAIL),
])
def test_threshold_brackets(outs, want):
    assert th.judge_threshold_brackets(outs, "t").verdict == want


# ---------------------------------------------------------------------------------------------------
# thm3.4: the derived law against the measured thresholds
# ---------------------------------------------------------------------------------------------------
D6 = (16.0, 36.0, 64.0, 100.0, 144.0, 256.0)


def fit(name, aic, residuals=(0.0,) * 6, params=(-3.2,)):
    return LawFit(name, params, tuple(residuals), aic)


def check(*fits, D=D6, hw=0.02):
    return tl.LawCheck(tl.FIXED_QUARTER, tuple(D), tuple(D), (hw,) * len(D), tuple(sorted(fits, key=lambda f: f.aic)))


def law_verdict(*fits, D=D6, hw=0.02):
    return tl.judge_derived_law(check(*fits, D=D, hw=hw)).verdict


def test_derived_law_pass_fail_inconclusive():
    good = fit(tl.DERIVED, -60.0, (0.01, -0.02, 0.0, 0.03, -0.01, 0.0))
    assert law_verdict(good, fit(tl.QUASI, -20.0), fit(tl.LINEAR, 30.0)) == PASS
    # a rival beats the derived law decisively
    assert law_verdict(fit(tl.DERIVED, 0.0), fit(tl.STRETCHED, -10.0)) == FAIL
    assert law_verdict(fit(tl.DERIVED, 0.0), fit(tl.STRETCHED, -9.9)) == INCONCLUSIVE
    # the derived law misses one threshold by more than half-width + PHASE_TOL
    miss = fit(tl.DERIVED, -60.0, (0.0, 0.0, 0.0, 0.0, 0.0, 0.121))
    v = tl.judge_derived_law(check(miss, fit(tl.QUASI, 0.0)))
    assert v.verdict == FAIL and "D = 256: residual +0.1210 beyond" in v.reason
    assert tl.judge_derived_law(check(fit(tl.DERIVED, -60.0, (0.0,) * 5 + (-0.121,)), fit(tl.QUASI, 0.0))
                                ).verdict == FAIL
    edge = fit(tl.DERIVED, -60.0, (0.0,) * 5 + (0.119,))
    assert law_verdict(edge, fit(tl.QUASI, 0.0)) == PASS
    assert law_verdict(edge, fit(tl.QUASI, 0.0), hw=0.0) == FAIL
    # AIC edges: exactly DELTA_AIC behind is decisive, a hair less is not
    assert law_verdict(fit(tl.DERIVED, 0.0), fit(tl.QUASI, 10.0)) == PASS
    assert law_verdict(fit(tl.DERIVED, 0.0), fit(tl.QUASI, 9.9)) == INCONCLUSIVE
    assert law_verdict(fit(tl.DERIVED, 0.0), fit(tl.QUASI, 40.0), fit(tl.SQRT, 5.0)) == INCONCLUSIVE


def test_derived_law_inconclusive_without_data():
    assert law_verdict(fit(tl.DERIVED, -60.0), fit(tl.QUASI, 0.0), D=D6[:5]) == INCONCLUSIVE
    assert law_verdict(fit(tl.DERIVED, -60.0)) == INCONCLUSIVE
    assert law_verdict(fit(tl.QUASI, 0.0)) == INCONCLUSIVE
    assert law_verdict(D=D6) == INCONCLUSIVE


def threshold(lo_out=ALL_CONVERGE, hi_out=ONE_CONVERGES, lo_re=ALL_CONVERGE, hi_re=ONE_CONVERGES, D=16):
    return tl.Threshold(tl.ThresholdCase(tl.FIXED_HALF, D), "1/2", -18.2, -18.1, lo_out, hi_out, lo_re, hi_re,
                        7, 50, 20.9)


@pytest.mark.parametrize("ts, want", [
    ([threshold(), threshold(D=36)], PASS),
    ([threshold(), threshold(lo_re=ONE_CONVERGES)], FAIL),
    ([threshold(hi_re=ALL_CONVERGE)], FAIL),
    ([threshold(), threshold(lo_re=UNDECIDED)], INCONCLUSIVE),
    ([threshold(hi_re=UNDECIDED)], INCONCLUSIVE),
    ([threshold(UNDECIDED, ONE_CONVERGES)], INCONCLUSIVE),        # no closed bracket to re-check
    ([], INCONCLUSIVE),
])
def test_precision(ts, want):
    assert tl.judge_precision(ts).verdict == want


def test_threshold_digits_and_midpoint():
    t = threshold()
    assert t.closed and abs(t.log_inv - 18.15) < 1e-12 and abs(t.half_width - 0.05) < 1e-12 and t.digits == 2
    assert threshold(UNDECIDED).digits == 0 and not threshold(hi_out=UNDECIDED).closed


def spot(hybrid=ALL_CONVERGE, direct=ALL_CONVERGE):
    return tl.SpotCheck(16, "1/2", -18.2, hybrid, direct, 44)


@pytest.mark.parametrize("checks, want", [
    ([spot(), spot(ONE_CONVERGES, ONE_CONVERGES)], PASS),
    ([spot(), spot(ALL_CONVERGE, ONE_CONVERGES)], FAIL),
    ([spot(ONE_CONVERGES, ALL_CONVERGE)], FAIL),
    ([spot(), spot(ALL_CONVERGE, UNDECIDED)], INCONCLUSIVE),
    ([spot(UNDECIDED, ALL_CONVERGE)], INCONCLUSIVE),
    ([], INCONCLUSIVE),
])
def test_spot_checks(checks, want):
    assert tl.judge_spot_checks(checks).verdict == want


def paper(outcome=ONE_CONVERGES, D=16, eta="1/4", kind="direct"):
    return tl.PaperRun(D, eta, kind, outcome, 44)


@pytest.mark.parametrize("runs, cross, validated, want", [
    ([paper(), paper(D=36)], {"1/4": None}, True, PASS),
    ([paper(), paper(ALL_CONVERGE, D=36)], {}, False, FAIL),                  # a direct counterexample
    ([paper(), paper(ALL_CONVERGE, 80000, kind="hybrid")], {"1/4": 6.1e4}, True, FAIL),
    ([paper(), paper(ALL_CONVERGE, 80000, kind="hybrid")], {"1/4": 6.1e4}, False, INCONCLUSIVE),
    ([paper(), paper(UNDECIDED, D=36)], {}, True, INCONCLUSIVE),
    ([paper()], {"1/4": 6.1e4}, True, INCONCLUSIVE),                          # crossing beyond every run
    ([paper(), paper(D=62000)], {"1/4": 6.1e4}, True, PASS),                  # checked beyond D*, splits
    ([paper(), paper(D=61000)], {"1/4": 6.1e4}, True, INCONCLUSIVE),          # at D*, not beyond it
    ([paper(), paper(D=62000, eta="1/2")], {"1/4": 6.1e4}, True, INCONCLUSIVE),   # another step's run
    ([], {}, True, INCONCLUSIVE),
])
def test_paper_example(runs, cross, validated, want):
    assert tl.judge_paper_example(runs, cross, validated).verdict == want


def test_paper_example_reason_names_the_counterexample():
    v = tl.judge_paper_example([paper(ALL_CONVERGE, 80000, kind="hybrid")], {}, True)
    assert "D = 80000, eta = 1/4 (hybrid, 44 digits)" in v.reason


# ---------------------------------------------------------------------------------------------------
# thm3.2 at the paper's bound
# ---------------------------------------------------------------------------------------------------
def bound(centre=1e-16, log10_spread=-1106.0, shrinking=True, neglected=-2212.0, D=2):
    return si.BoundOutcome(si.BoundCase(D, 3, ("1", "0", "-0.5")), 200, -2549.8, centre, log10_spread, 30,
                           shrinking, neglected)


@pytest.mark.parametrize("runs, want", [
    ([bound(), bound(D=4)], PASS),
    ([bound(centre=0.3)], FAIL),
    ([bound(centre=0.24)], PASS),
    ([bound(centre=0.25, log10_spread=-2000.0)], PASS),       # exactly the radius: not farther
    ([bound(neglected=-100.0)], PASS),
    ([bound(centre=0.2, log10_spread=-1.0)], FAIL),          # 0.2 + 0.1 > 1/4
    ([bound(centre=0.1, log10_spread=-1.0)], PASS),
    ([bound(shrinking=False)], FAIL),
    ([bound(neglected=-99.0)], INCONCLUSIVE),
    ([bound(neglected=-101.0)], PASS),
    ([bound(neglected=-99.0), bound(centre=1.0)], FAIL),
    ([], INCONCLUSIVE),
])
def test_bound(runs, want):
    assert si.judge_bound(runs).verdict == want


# ---------------------------------------------------------------------------------------------------
# thm3.4: the sweep's guessed brackets (a stand-in run, no numerics)
# ---------------------------------------------------------------------------------------------------
def test_sweep_guesses_from_the_previous_bracket_and_falls_back(monkeypatch):
    from types import SimpleNamespace
    threshold = {4: -2.4, 6: -4.7, 8: -6.8}          # log10 delta*(D)
    tried = []

    def fake(D, lg, n, steps, ys):
        tried.append((D, lg))
        out = ALL_CONVERGE if lg < threshold[D] else ONE_CONVERGES
        return SimpleNamespace(outcome=out, steps_taken=1, dps=30, reason="fake")
    monkeypatch.setattr(th, "run_34", fake)
    cases = [th.ThresholdCase(D, 3, 6) for D in (4, 6, 8)]
    out = th.measure_sweep(cases, {3: 1.0}, lambda c: c.D)
    assert all(o.lo_outcome == ALL_CONVERGE and o.hi_outcome == ONE_CONVERGES for o in out)
    assert all(o.lo <= threshold[o.case.D] <= o.hi for o in out)
    # D = 6 starts from D = 4's bracket: lo lowered by GUESS_SLOPE per unit of D, hi kept
    first6 = [lg for D, lg in tried if D == 6][:2]
    assert first6 == [out[0].lo - th.GUESS_SLOPE * 2, out[0].hi]
    # a guess whose upper end point all-converges (delta* not falling) falls back to the default search
    threshold[8] = -1.0
    tried.clear()
    o8 = th.measure(cases[2], 1.0, (-9.0, -3.0))
    assert o8.lo <= -1.0 <= o8.hi and o8.hi_outcome == ONE_CONVERGES and o8.note == ""
    assert tried[:2] == [(8, -9.0), (8, -3.0)] and tried[2] == (8, -(1.5 * 8 + 6))


def test_full_scale_cases_have_exact_step_sizes():
    """Every (schedule, D) of thm3.4's full scale gives an exact step (the full run once raised on D = 24)."""
    from proofs_check.claims import threshold as th, threshold_law as tl
    for scale in ("quick", "full"):
        for sch, Ds in th._cases(scale)["Ds"].items():
            assert len(Ds) >= tl.MIN_D or scale == "quick"
            for D in Ds:
                tl.step_size(sch, D)
