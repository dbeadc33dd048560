"""The judges of thm3.1 (stationary point), thm3.2 (small initialisation) and thm3.4 (threshold, law)
on synthetic outcomes: each must say PASS, FAIL and INCONCLUSIVE, and flip at its bounds."""

import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims import small_initialisation as si
from proofs_check.claims import stationary_point as sp
from proofs_check.claims import threshold as th
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
# thm3.4: the law
# ---------------------------------------------------------------------------------------------------
D6 = (4, 8, 12, 16, 20, 24)


def fit(name, aic, params=(1.0, 0.0)):
    return LawFit(name, params, (0.0,) * len(D6), aic)


def laws(*fits, D=D6):
    return th.LawComparison(tuple(D), tuple(float(d) for d in D), tuple(sorted(fits, key=lambda f: f.aic)))


def law_verdict(*fits, D=D6):
    return th.judge_threshold_law(laws(*fits, D=D)).verdict


def test_law_fails_when_a_subexponential_law_wins_decisively():
    # the full-scale data of the previous report: quasi-polynomial -72.8, exp(-cD) 23.6, D^-k 22.9
    v = th.judge_threshold_law(laws(fit(th.QUASI_LAW, -72.8, (5.36, -4.2, 1.1)), fit(th.LINEAR_LAW, 23.6),
                                    fit(th.POLY_LAW, 22.9), fit(th.STRETCHED_LAW, -25.3, (14.9, 0.46, -23.0))))
    assert v.verdict == FAIL and th.QUASI_LAW in v.reason and "polynomial law is 95.7 behind" in v.reason


def test_law_edges():
    # the exponential class behind by exactly DELTA_AIC: decisive; a hair less: not
    assert law_verdict(fit(th.DERIVED_LAW, 0.0, (-3.2,)), fit(th.LINEAR_LAW, 10.0)) == FAIL
    assert law_verdict(fit(th.DERIVED_LAW, 0.0, (-3.2,)), fit(th.LINEAR_LAW, 9.9)) == INCONCLUSIVE
    assert law_verdict(fit(th.LINEAR_LAW, 0.0), fit(th.POLY_LAW, 10.0)) == PASS
    assert law_verdict(fit(th.LINEAR_LAW, 0.0), fit(th.POLY_LAW, 9.9)) == INCONCLUSIVE
    assert law_verdict(fit(th.LINEAR_LAW, 0.0), fit(th.POLY_LAW, 9.9), fit(th.DLOG_LAW, 50.0)) == INCONCLUSIVE
    # a polynomial threshold selected decisively
    assert law_verdict(fit(th.POLY_LAW, 0.0), fit(th.LINEAR_LAW, 30.0)) == FAIL
    # every other class must be behind, not only the polynomial
    assert law_verdict(fit(th.LINEAR_LAW, 0.0), fit(th.POLY_LAW, 40.0), fit(th.QUASI_LAW, 5.0, (1, 1, 0))) \
        == INCONCLUSIVE


def test_law_stretched_exponent_decides_its_class():
    # alpha = 1 is exp(-cD): the stretched law then counts as exponential, below 1 it does not
    at_one = fit(th.STRETCHED_LAW, 0.0, (1.4, 1.0, 5.0))
    below = fit(th.STRETCHED_LAW, 0.0, (14.9, 0.99, -23.0))
    above = fit(th.STRETCHED_LAW, 0.0, (0.1, 2.0, 5.0))
    assert law_verdict(at_one, fit(th.POLY_LAW, 30.0)) == PASS
    assert law_verdict(above, fit(th.POLY_LAW, 30.0)) == PASS
    assert law_verdict(below, fit(th.LINEAR_LAW, 30.0)) == FAIL
    assert law_verdict(fit(th.STRETCHED_LAW, 0.0, (2.0, 0.1, 0.0)), fit(th.LINEAR_LAW, 30.0)) == FAIL


def test_law_inconclusive():
    # too few D, however decisive the AIC
    assert law_verdict(fit(th.QUASI_LAW, -70.0, (5, -4, 1)), fit(th.LINEAR_LAW, 20.0), D=D6[:5]) == INCONCLUSIVE
    assert law_verdict(fit(th.LINEAR_LAW, -70.0), fit(th.POLY_LAW, 20.0), D=D6[:5]) == INCONCLUSIVE
    assert law_verdict(fit(th.QUASI_LAW, -70.0, (5, -4, 1)), fit(th.LINEAR_LAW, 20.0), D=D6) == FAIL
    assert law_verdict(D=D6) == INCONCLUSIVE                                   # nothing fitted
    assert law_verdict(fit(th.LINEAR_LAW, 0.0)) == INCONCLUSIVE                # one class only
    assert law_verdict(fit(th.POLY_LAW, 0.0), fit(th.QUASI_LAW, 20.0, (1, 1, 0))) == INCONCLUSIVE


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
