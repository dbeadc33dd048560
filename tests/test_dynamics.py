"""The gradient-descent engine: stopping rules, classification, precision, backends."""
import pytest
from mpmath import mp

from proofs_check import dynamics, gradient, objectives
from proofs_check.numbers import InputError, working


def test_budget_stop_records_every_step():
    tr = dynamics.run(["0.3", "-0.2"], "1", eta="0.1", steps=3, stop_when_decided=False, dps=20)
    assert tr.stop == "budget" and tr.steps_taken == 3
    assert tr.steps == [0, 1, 2, 3]
    assert len(tr.params) == len(tr.losses) == 4


def test_first_step_is_minus_eta_times_gradient():
    tr = dynamics.run(["0.3", "-1.1", "2"], "0.7", eta="0.25", steps=1, stop_when_decided=False, dps=30)
    with working(30):
        ev = gradient.evaluate([[mp.mpf("0.3")], [mp.mpf("-1.1")], [mp.mpf(2)]], [mp.mpf("0.7")],
                               rel_tol=mp.mpf(10) ** -32)
        for g, a0 in enumerate(("0.3", "-1.1", "2")):
            expect = mp.mpf(a0) - mp.mpf("0.25") * ev.gradient["stein"][g][0]
            assert abs(tr.final[g][0] - expect) < mp.mpf(10) ** -28


def test_loss_decreases_and_sign_flip_is_caught():
    """Negative control: the same check on an objective with the gradient's sign flipped must fail."""
    def loss_decreases(tr):
        return all(b < a for a, b in zip(tr.losses, tr.losses[1:]))

    kw = dict(eta="0.05", steps=5, stop_when_decided=False, dps=20)
    assert loss_decreases(dynamics.run(["0.3", "-1.1", "2"], "0.7", **kw))

    def flipped(A, b, multiplicity=None, forms=("stein",), loss=True, **k):
        ev = gradient.evaluate(A, b, multiplicity, forms=forms, loss=loss, **k)
        ev.gradient = {f: [[-v for v in row] for row in rows] for f, rows in ev.gradient.items()}
        return ev

    objectives.register("_test_flipped", flipped)
    try:
        assert not loss_decreases(dynamics.run(["0.3", "-1.1", "2"], "0.7", objective="_test_flipped", **kw))
    finally:
        objectives.unregister("_test_flipped")


def test_converged_stop_with_tol():
    # n = 1: L = (a - b)^2, each step multiplies a - b by (1 - 2 eta) = 0.8
    tr = dynamics.run(["0.5"], "0", eta="0.1", steps=500, tol="1e-10", dps=20, stop_when_decided=False)
    assert tr.stop == "converged" and tr.outcome == dynamics.ALL_CONVERGE
    assert 90 <= tr.steps_taken <= 110


def test_tol_stop_needs_every_parameter_within_tol():
    """Red on ``max(dist) <= tol`` turned into ``min``: one group sitting exactly at b while the
    other is far must not stop the run as "converged" (nor call it "all converge")."""
    tr = dynamics.run(["5", "0"], "5", eta="0.1", steps=3, tol="1e-3", dps=20, stop_when_decided=False)
    assert tr.stop == "budget" and tr.steps_taken == 3, (tr.stop, tr.reason)
    assert tr.outcome != dynamics.ALL_CONVERGE
    assert max(tr.distances()) > mp.mpf("1e-3")


def test_escape_stop():
    tr = dynamics.run(["0.5", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=200,
                      escape_radius="5.5", stop_when_decided=False, dps=20)
    assert tr.stop == "escaped"


def test_classification_one_converges_and_all_converge():
    one = dynamics.run(["0.5", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=300, dps=20)
    assert one.stop == "decided" and one.outcome == dynamics.ONE_CONVERGES, one.reason
    assert one.converged_groups == [0] and one.diverged_groups == [1]
    allc = dynamics.run(["0.0001", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=300, dps=20)
    assert allc.outcome == dynamics.ALL_CONVERGE, allc.reason


def test_all_converge_needs_the_largest_distance_to_shrink():
    """A stall is not convergence: every group within the radius but the largest distance unchanged
    is UNDECIDED; the same state with the largest distance one unit lower is ALL_CONVERGE
    (red on ``<`` turned into ``<=`` in _classify)."""
    from proofs_check.dynamics import ALL_CONVERGE, UNDECIDED, _classify
    r, div = 0.25, 3.0
    outcome, reason, near, far = _classify([0.1, 0.2], [0.1, 0.2], None, None, [1, 2], r, div)
    assert outcome == UNDECIDED and "not shrinking" in reason and near == [0, 1]
    outcome, _, _, _ = _classify([0.1, 0.2], [0.15, 0.2], None, None, [1, 2], r, div)   # only a smaller one moved
    assert outcome == UNDECIDED
    outcome, _, near, _ = _classify([0.1, 0.19], [0.1, 0.2], None, None, [1, 2], r, div)
    assert outcome == ALL_CONVERGE and near == [0, 1]
    with working(30):   # the engine's own numbers: a stall in mpf arithmetic
        d = [mp.mpf("0.1"), mp.mpf("0.2")]
        assert _classify(d, list(d), None, None, [1, 2], mp.mpf(r), mp.mpf(div))[0] == UNDECIDED


def test_a_run_at_rest_inside_the_radius_is_not_all_converge():
    """Every parameter at b: nothing moves, so the engine's step-by-step classifier must not call it
    'all converge' from a stall (the distances stay exactly 0)."""
    tr = dynamics.run(["5", "5"], "5", eta="0.1", steps=3, dps=20)
    assert tr.stop == "budget" and tr.outcome == dynamics.UNDECIDED, (tr.stop, tr.outcome, tr.reason)


def test_undecided_when_budget_too_small():
    tr = dynamics.run(["0.5", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=2, dps=20)
    assert tr.stop == "budget" and tr.outcome == dynamics.UNDECIDED and tr.reason


def test_precision_rises_for_tiny_splits():
    tr = dynamics.run(["1e-40", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=3,
                      stop_when_decided=False, dps=20, keep_digits=20)
    assert tr.dps >= 60
    # the split survives the steps: the groups are still distinct
    assert tr.final[0][0] != tr.final[1][0]


def _dps_at(tr, step):
    """The working digits in force at ``step`` (the last rise at or before it)."""
    return [d for s, d in tr.dps_history if s <= step][-1]


def test_precision_rise_keeps_keep_digits_of_every_split():
    """The documented rule: the smallest split, relative to the largest coordinate, keeps at least
    ``keep_digits`` significant digits at every step.  keep_digits = 30 makes the rule visible
    beyond the 10 spare digits the engine adds to a rise (red on keeping half the digits)."""
    keep = 30
    tr = dynamics.run(["1e-40", "0"], "5", multiplicity=[1, 2], eta="0.5", steps=3,
                      stop_when_decided=False, dps=20, keep_digits=keep)
    assert len(tr.dps_history) >= 2, tr.dps_history           # it did rise
    with working(200):
        for j, step in enumerate(tr.steps):
            split = abs(tr.params[j][0][0] - tr.params[j][1][0])
            scale = max(abs(v) for row in tr.params[j] + [tr.b] for v in row)
            kept = _dps_at(tr, step) - mp.log10(scale / split)
            assert kept >= keep, (step, _dps_at(tr, step), mp.nstr(split, 5), mp.nstr(kept, 5))


def test_precision_rise_carries_the_split_to_keep_digits():
    """What the rise is for: after a few steps the tiny split agrees with a run at a fixed, much
    higher precision to ``keep_digits`` significant digits."""
    keep = 30
    kw = dict(multiplicity=[1, 2], eta="0.5", steps=3, stop_when_decided=False, keep_digits=keep)
    tr = dynamics.run(["1e-40", "0"], "5", dps=20, **kw)
    ref = dynamics.run(["1e-40", "0"], "5", dps=110, **kw)
    assert ref.dps_history == [(0, 110)]                        # the reference never needed a rise
    with working(130):
        split = tr.final[0][0] - tr.final[1][0]
        split_ref = ref.final[0][0] - ref.final[1][0]
        assert split_ref != 0
        assert abs(split / split_ref - 1) < mp.mpf(10) ** -keep, mp.nstr(split / split_ref - 1, 5)


def test_float64_agrees_with_mpmath_on_short_run():
    kw = dict(multiplicity=[1, 2], eta="0.5", steps=5, stop_when_decided=False)
    tf = dynamics.run(["0.0001", "0"], "5", backend="float64", qmc_points=12, **kw)
    tm = dynamics.run(["0.0001", "0"], "5", dps=20, **kw)
    for rf, rm in zip(tf.final, tm.final):
        assert abs(rf[0] - float(rm[0])) < 1e-4


def test_record_schedule_dense_then_log_spaced():
    keep = dynamics.record_schedule(dense_steps=10, per_decade=10)
    kept = [s for s in range(10001) if keep(s)]
    assert kept[:11] == list(range(11))
    assert 25 <= len(kept) - 11 <= 45           # about 10 per decade over 3 decades


def test_bad_inputs():
    with pytest.raises(InputError):
        dynamics.run([0.5], "0")                 # a Python float with the mpmath backend
    with pytest.raises(InputError):
        dynamics.run(["0.5"], "0", backend="float32")
    with pytest.raises(InputError):
        dynamics.run(["0.5"], "0", eta="-1")
    with pytest.raises(InputError):
        dynamics.run(["0.5"], "0", objective="nope")
    with pytest.raises(InputError):
        dynamics.run([["0.5", "1"]], "0")


def test_simulate_command(capsys):
    from proofs_check import cli
    rc = cli.main(["simulate", "--params", "0.5,0", "--multiplicity", "1,2", "--truth", "5",
                   "--eta", "0.5", "--steps", "200", "--dps", "20"])
    out = capsys.readouterr().out
    assert rc == 0 and "one converges, the rest diverge" in out and "reproduce: proofs-check simulate" in out
    rc = cli.main(["simulate", "--params", "0.5,0", "--truth", "5", "--eta", "0.5", "--steps", "-3"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1


def test_frozen_far_group_is_named_not_counted_in_between():
    """A group far from b whose distance does not change at the working precision (its gradient is
    below resolution) is neither diverging nor 'in between': the reason says so (thm3.4 at large D)."""
    from proofs_check.dynamics import UNDECIDED, _classify
    outcome, reason, near, far = _classify([0.01, 36.0], [0.02, 36.0], None, None, [1, 2], 0.25, 3.39)
    assert outcome == UNDECIDED and far == []
    assert "1 farther than 3.39 but not moving" in reason and reason.endswith("0 in between")
    outcome, reason, near, far = _classify([0.01, 36.5], [0.02, 36.0], None, None, [1, 2], 0.25, 3.39)
    assert far == [1] and "not moving" not in reason


def test_delta_star_steps_a_frozen_end_point_down(monkeypatch):
    """thm3.4's end-point search: undecided large-delta runs (the group frozen far from b) move the
    one-converges end point down 0, -1, -3, -7, ...; the note names the end point actually tried."""
    from types import SimpleNamespace
    from proofs_check import dynamics
    from proofs_check.claims import threshold as ad

    def fake(threshold_undecided):
        def run(D, lg, n, steps, ys):
            if lg <= -40:
                out = dynamics.ALL_CONVERGE
            elif lg > threshold_undecided:
                out = dynamics.UNDECIDED
            else:
                out = dynamics.ONE_CONVERGES
            return SimpleNamespace(outcome=out, steps_taken=1, dps=30, reason="fake")
        return run

    monkeypatch.setattr(ad, "run_34", fake(-5))
    lo, hi, runs, note = ad.delta_star(36, 3, iters=0, ys=1)
    assert [r[0] for r in runs] == [-60.0, 0.0, -1.0, -3.0, -7.0] and hi == -7.0 and note == ""
    monkeypatch.setattr(ad, "run_34", fake(-1000))          # never decided: gives up, naming the last try
    lo, hi, runs, note = ad.delta_star(40, 3, iters=0, ys=1)   # lo = -66, below the last step -31 - 32
    assert [r[0] for r in runs][1:] == [0.0, -1.0, -3.0, -7.0, -15.0, -31.0]
    assert note.startswith("end point 10^-31 gave")


def test_trajectory_types_reexported_and_fmt_is_numbers_fmt():
    """dynamics re-exports the record/outcome types of proofs_check.trajectory; its fmt is numbers.fmt."""
    from proofs_check import numbers, trajectory
    for name in ("Trajectory", "FinalOutcome", "final_outcome", "ALL_CONVERGE", "ONE_CONVERGES", "UNDECIDED",
                 "BACKENDS", "STOPS", "OUTCOMES"):
        assert getattr(dynamics, name) is getattr(trajectory, name)
    assert dynamics.fmt is numbers.fmt
    assert trajectory.vector_norm([3.0, 4.0]) == 5.0
    with working(30):
        assert trajectory.vector_norm([mp.mpf(3), mp.mpf(4)]) == 5
