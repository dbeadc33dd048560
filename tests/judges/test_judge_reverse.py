"""The judges of rev.single and rev.mixture on synthetic outcomes: PASS, FAIL and INCONCLUSIVE each.

No numerics: the outcomes are built by hand.  The edge cases sit at the named bounds
(CONVERGED = 0.25, STATIONARY = 1e-8, R_NEAR = 0.5, P_CLAIM = 0.9, MIN_RUNS = 35,
CROSS_DIGITS = 10) so that turning a comparison around or loosening a bound tenfold
turns a test red.
"""
import pytest

from proofs_check.claims import FAIL, INCONCLUSIVE, PASS
from proofs_check.claims.reverse_mixture import MixtureRun, judge_mixture, judge_run
from proofs_check.claims.reverse_single import SingleRun, judge_single, judge_single_run


# -- rev.single ---------------------------------------------------------------------------------
def single(end, prev=None, start=(3.0, 3.0, 3.0), stop="budget"):
    end = tuple(end)
    prev = tuple(prev) if prev is not None else tuple(e * 1.01 for e in end)
    return SingleRun("start", "reverse", 1, len(end), "mpmath", tuple(start), end, prev, stop, 100, 1e-5, None,
                     None, "undecided", 1.0, None, None, ((), (), (), ()))


@pytest.mark.parametrize("run, kind", [
    (single((0.1, 0.05, 0.2)), "converged"),
    (single((0.25, 0.1, 0.1)), "converged"),                       # on the bound: inside
    (single((0.26, 0.1, 0.1)), "undecided"),                       # just outside, still shrinking
    (single((0.024, 0.01, 0.01)), "converged"),                    # a tenth of the bound
    (single((0.2, 0.1, 0.1), prev=(0.2, 0.1, 0.1)), "undecided"),  # inside but not shrinking
    (single((0.2, 0.1, 0.1), prev=(0.19, 0.3, 0.1)), "converged"), # the LARGEST distance shrinks
    (single((0.2, 0.1, 0.1), prev=(0.21, 0.05, 0.05)), "converged"),
    (single((0.2, 0.1, 0.1), prev=(0.3, 0.3, 0.3), stop="nonfinite"), "undecided"),
    (single((0.2, 0.1, 0.1), prev=(0.3, 0.3, 0.3), stop="precision"), "undecided"),
    (single((0.2, 0.1, 0.1), prev=(0.3, 0.3, 0.3), stop="escaped"), "escaped"),
    (single((0.1, 5.0, 6.0), prev=(0.11, 4.9, 5.9)), "split"),     # forward-type: one near, the rest receding
    (single((0.1, 2.0, 6.0), prev=(0.11, 2.1, 5.9)), "stalled"),   # one still approaching, the largest growing
    (single((0.1, 2.0, 6.0), prev=(0.11, 2.1, 6.1), start=(3, 3, 7)), "undecided"),  # every one approaching
    (single((1.0, 1.0, 1.0), prev=(1.0, 1.0, 1.0)), "stalled"),    # away from b, not moving
    (single((1.0, 1.0, 1.0), prev=(0.9, 0.9, 0.9)), "stalled"),    # away from b, moving away
    (single((1.0, 0.9, 0.9), prev=(1.1, 0.8, 0.8)), "undecided"),  # largest still shrinking
])
def test_single_run_kinds(run, kind):
    assert judge_single_run(run) == kind


def test_single_split_needs_the_others_to_recede():
    # one group at b, the others farther than at the start but the largest shrinking: not a split
    r = single((0.1, 3.5, 3.2), prev=(0.1, 3.6, 3.1), start=(3.0, 3.0, 3.0))
    assert judge_single_run(r) == "split"
    r = single((0.1, 2.9, 3.2), prev=(0.1, 3.0, 3.3), start=(3.0, 3.0, 3.0))
    assert judge_single_run(r) == "undecided"


def test_single_judge_verdicts():
    ok = [single((0.1, 0.1, 0.1)), single((0.2, 0.1, 0.1))]
    assert judge_single(ok, 1e-17).verdict == PASS
    assert judge_single(ok, 1e-8).verdict == PASS                    # the stationarity bound is inclusive
    assert judge_single(ok, 1.1e-8).verdict == INCONCLUSIVE
    assert judge_single(ok, 1e-7).verdict == INCONCLUSIVE
    assert judge_single([], 0.0).verdict == INCONCLUSIVE
    assert judge_single(ok + [single((0.3, 0.1, 0.1))], 0.0).verdict == INCONCLUSIVE
    stalled = single((1.0, 1.0, 1.0), prev=(1.0, 1.0, 1.0))
    v = judge_single(ok + [stalled], 0.0)
    assert v.verdict == FAIL and "1 out of 3" in v.reason and "stalled" in v.reason
    # a counterexample is a FAIL even when r* is in doubt or another run is undecided
    assert judge_single(ok + [stalled, single((0.3, 0.1, 0.1))], 1.0).verdict == FAIL
    assert judge_single([single((0.1, 0.1, 0.1), stop="escaped")], 0.0).verdict == FAIL
    assert judge_single([single((0.1, 5.0, 6.0), prev=(0.11, 4.9, 5.9))], 0.0).verdict == FAIL


# -- rev.mixture --------------------------------------------------------------------------------
def mix(start_teacher, end_teacher, end_distance, prev_distance=None, stop="budget"):
    n = len(start_teacher)
    prev = tuple(prev_distance) if prev_distance is not None else tuple(d * 1.1 for d in end_distance)
    return MixtureRun(n, 0, (0.0,) * n, (0.0,) * n, tuple(start_teacher), tuple(end_teacher),
                      tuple(end_distance), prev, stop, 60, 1e-4)


GOOD = mix((0, 0, 1, 1), (0, 0, 1, 1), (0.1, 0.1, 0.1, 0.1))
COLLAPSE = mix((1, 1, 1, 1), (1, 1, 1, 1), (0.1, 0.1, 0.1, 0.1))


@pytest.mark.parametrize("run, kind", [
    (GOOD, "success"),
    (mix((0, 1), (0, 1), (0.5, 0.5)), "success"),                         # on R_NEAR: near
    (mix((0, 1), (0, 1), (0.049, 0.049)), "success"),                     # a tenth of R_NEAR
    (mix((0, 1), (0, 1), (0.51, 0.1)), "undecided"),                      # just outside, approaching
    (mix((0, 1), (0, 1), (0.51, 0.1), prev_distance=(0.51, 0.2)), "stalled"),
    (mix((0, 1), (0, 1), (0.51, 0.1), prev_distance=(0.5, 0.2)), "stalled"),
    (mix((0, 1), (0, 1), (0.2, 0.1), prev_distance=(0.1, 0.05)), "success"),  # near but drifting: still near
    (COLLAPSE, "mode collapse"),
    (mix((0, 1, 1), (1, 1, 1), (0.1, 0.1, 0.1)), "wrong teacher"),
    (mix((0, 1, 1), (1, 1, 1), (0.6, 0.1, 0.1)), "undecided"),            # far one (start 0) still approaching
    (mix((1, 1, 1), (1, 1, 1), (0.6, 0.1, 0.1)), "undecided"),            # far one might reach the other mean
    (mix((0, 1, 1), (0, 0, 1), (0.1, 0.1, 0.6)), "wrong teacher"),        # a failure beats an undecided one
    (mix((0, 1), (0, 1), (0.1, 0.1), stop="nonfinite"), "undecided"),
])
def test_mixture_run_kinds(run, kind):
    assert judge_run(run) == kind


def test_mixture_judge_pass_fail_inconclusive():
    # 35 of 35: Wilson lower bound 0.901 >= 0.9 with the minimum count met
    assert judge_mixture([GOOD] * 35, 16).verdict == PASS
    assert judge_mixture([GOOD] * 34, 16).verdict == INCONCLUSIVE        # below the minimum count
    assert judge_mixture([GOOD] * 200, 10).verdict == PASS               # CROSS_DIGITS is inclusive
    assert judge_mixture([GOOD] * 200, 9).verdict == INCONCLUSIVE        # the float64 rule not validated
    assert judge_mixture([GOOD] * 200, 1).verdict == INCONCLUSIVE
    # mode collapses count against: 180 of 200 = 0.9 -> interval contains 0.9
    assert judge_mixture([GOOD] * 180 + [COLLAPSE] * 20, 16).verdict == INCONCLUSIVE
    v = judge_mixture([GOOD] * 150 + [COLLAPSE] * 50, 16)
    assert v.verdict == FAIL and "50 out of 200" in v.reason and "mode collapse" in v.reason
    # 194 of 200 = 0.97 [0.936, 0.986]: PASS; 185 of 200 = 0.925 [0.881, 0.954]: INCONCLUSIVE
    assert judge_mixture([GOOD] * 194 + [COLLAPSE] * 6, 16).verdict == PASS
    assert judge_mixture([GOOD] * 185 + [COLLAPSE] * 15, 16).verdict == INCONCLUSIVE
    assert judge_mixture([], 16).verdict == INCONCLUSIVE


def test_mixture_undecided_runs_decide_nothing():
    open_ = mix((0, 1), (0, 1), (0.6, 0.1))
    # 150 successes and 50 undecided: not a PASS (they might fail) and not a FAIL (they might succeed)
    assert judge_mixture([GOOD] * 150 + [open_] * 50, 16).verdict == INCONCLUSIVE
    # with 50 collapses and 50 undecided it cannot reach 0.9 either way: FAIL
    assert judge_mixture([GOOD] * 100 + [COLLAPSE] * 50 + [open_] * 50, 16).verdict == FAIL
    # 200 successes and 1 undecided: PASS from the successes alone
    assert judge_mixture([GOOD] * 200 + [open_], 16).verdict == PASS


def test_mixture_reason_lists_the_failures():
    six = judge_mixture([GOOD] * 100 + [COLLAPSE] * 6, 16).reason
    seven = judge_mixture([GOOD] * 100 + [COLLAPSE] * 7, 16).reason
    assert "6 out of 106 not successes" in six and not six.endswith("; ...")
    assert "7 out of 107 not successes" in seven and seven.endswith("; ...")
    assert "not successes" not in judge_mixture([GOOD] * 40, 16).reason


def test_mixture_minimum_count_holds_at_any_claimed_probability():
    # at p_claim = 0.9 the Wilson bound alone needs 35 perfect runs; the minimum count must hold on its own
    assert judge_mixture([GOOD] * 34, 16, p_claim=0.5).verdict == INCONCLUSIVE
    assert judge_mixture([GOOD] * 35, 16, p_claim=0.5).verdict == PASS
