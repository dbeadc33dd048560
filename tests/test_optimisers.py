"""The engine's optimisers (issue 15, item 3): GD unchanged, Adam's update by hand, mini-batches unbiased, errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

from proofs_check import dynamics, general, objectives, optimisers, symbolic
from proofs_check.errors import InputError
from proofs_check.gradient import Evaluation
from proofs_check.integrand import GaussianIntegrand
from proofs_check.numbers import working
from proofs_check.weighting import Weighting

A3 = [[2.0, 0.3, 0.0], [1.5, -0.4, 0.2], [2.5, 0.1, -0.3]]
B3 = [0.0, 0.0, 0.0]


def _hand_adam(grads, eta, a0):
    """Kingma & Ba's Algorithm 1 written out for one coordinate, step by step."""
    m = v = 0.0
    a = a0
    for k, g in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        a = a - eta * (m / (1 - 0.9 ** k)) / (math.sqrt(v / (1 - 0.999 ** k)) + 1e-8)
    return a


def test_adam_first_step_is_the_signed_step():
    """Step 1: mhat = g, vhat = g^2, so the update is eta g / (|g| + eps), whatever |g|."""
    opt = optimisers.Adam("float64")
    A = opt.step([[1.0, 2.0]], [[3.0, -1e-3]], 0.01)
    assert A[0][0] == pytest.approx(1.0 - 0.01 * 3.0 / (3.0 + 1e-8), rel=1e-15)
    assert A[0][1] == pytest.approx(2.0 + 0.01 * 1e-3 / (1e-3 + 1e-8), rel=1e-15)


def test_adam_three_steps_against_hand_computed_values():
    """Three updates against the algorithm written out, and against numbers computed by hand (step 2)."""
    grads = [2.0, -1.0, 0.5]
    opt = optimisers.Adam("float64")
    A = [[1.0]]
    for g in grads:
        A = opt.step(A, [[g]], 0.1)
    assert A[0][0] == pytest.approx(_hand_adam(grads, 0.1, 1.0), rel=1e-14)
    # step 2 by hand: m = 0.08, v = 0.004996, mhat = 0.08 / 0.19, vhat = 0.004996 / 0.001999
    two = optimisers.Adam("float64")
    A = two.step([[1.0]], [[2.0]], 0.1)
    A = two.step(A, [[-1.0]], 0.1)
    expected = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8) - 0.1 * (0.08 / 0.19) / (math.sqrt(0.004996 / 0.001999) + 1e-8)
    assert A[0][0] == pytest.approx(expected, rel=1e-13)


def test_adam_mpmath_agrees_with_float64():
    """The mpf Adam (exact constants re-rounded) agrees with the float64 one to float64 accuracy."""
    from mpmath import mpf
    grads = [[0.7, -0.2], [0.1, 0.4], [-0.3, 0.05]]
    f, m = optimisers.Adam("float64"), optimisers.Adam("mpmath")
    Af, Am = [[1.0, -1.0]], None
    with working(40):
        Am = [[mpf(1), mpf(-1)]]
        for g in grads:
            Af = f.step(Af, [g], 0.05)
            Am = m.step(Am, [[mpf(v) for v in g]], mpf("0.05"))
    for x, y in zip(Af[0], Am[0]):
        assert float(y) == pytest.approx(x, rel=1e-13)


def test_engine_default_is_plain_gradient_descent():
    """optimizer='gd' (the default) is a <- a - eta g with the objective's gradient, bit for bit."""
    tr = dynamics.run(A3, B3, eta="0.05", steps=3, objective="forward-grid", backend="float64", qmc_points=8,
                      stop_when_decided=False)
    A = [row[:] for row in A3]
    for j in range(3):
        assert tr.params[j] == A
        ev = general.grid_evaluate(A, B3, qmc_points=8)
        A = [[a - 0.05 * g for a, g in zip(r, gr)] for r, gr in zip(A, ev.gradient["stein"])]
    assert tr.params[3] == A
    assert "optimizer" not in tr.settings


def test_engine_adam_first_step():
    """The engine's first Adam step on the population gradient: a - eta g / (|g| + eps) per coordinate."""
    tr = dynamics.run(A3, B3, eta="0.01", steps=1, objective="forward-grid", backend="float64", qmc_points=8,
                      stop_when_decided=False, optimizer="adam")
    g = general.grid_evaluate(A3, B3, qmc_points=8).gradient["stein"]
    for row, a0, gr in zip(tr.params[1], A3, g):
        for x, a, gc in zip(row, a0, gr):
            assert x == pytest.approx(a - 0.01 * gc / (abs(gc) + 1e-8), rel=1e-14, abs=1e-15)
    assert tr.settings["optimizer"] == "adam" and tr.settings["adam"]["beta2"] == "0.999"


def test_per_sample_scaled_at_scale_one_is_the_integrand():
    """per_sample_scaled with every s_n = 1 is GaussianIntegrand.at (same derived pathwise integrand)."""
    Q, Y = general.span(np.array(A3), np.array(B3))
    comp = symbolic.compiled(3, Y.shape[1], "numpy", ("loss", "pathwise"))
    z = np.random.default_rng(0).standard_normal((50, Y.shape[1]))
    logm = np.log(np.array([1.0, 2.0, 1.0]))
    ref = GaussianIntegrand(comp.func, Y, logm).at(z)
    got = optimisers.per_sample_scaled(comp.func, Y, logm, z, np.ones(50))
    assert np.allclose(got, ref, rtol=1e-13, atol=1e-14)
    # at s_n = s: the integrand at s Y, gradient columns times s
    s = 0.6
    ref = GaussianIntegrand(comp.func, s * Y, logm).at(z)
    got = optimisers.per_sample_scaled(comp.func, Y, logm, z, np.full(50, s))
    assert np.allclose(got[:, 0], ref[:, 0], rtol=1e-13) and np.allclose(got[:, 1:], s * ref[:, 1:], rtol=1e-13)


def _batch_stats(est, A, b, mult, reps):
    gs = np.array([np.array(est(A, b, mult)[1]) for _ in range(reps)])
    return gs.mean(axis=0), gs.std(axis=0, ddof=1) / math.sqrt(reps)


def test_fixed_t_minibatch_is_unbiased():
    """The mean of fresh mini-batch gradients matches the population gradient within 5 standard errors."""
    est = optimisers.Minibatch(2000, seed=1)
    mean, se = _batch_stats(est, A3, B3, [1, 1, 1], 40)
    pop = np.array(general.grid_evaluate(A3, B3, qmc_points=12).gradient["stein"])
    assert np.all(np.abs(mean - pop) <= 5 * se + 1e-3 * np.abs(pop).max())


def test_time_averaged_minibatch_is_unbiased():
    """t ~ lambda and x ~ N(e^-t mu*, I): the mean gradient in mu matches integral lambda(t) e^-t grad_a L_t dt."""
    w = Weighting.uniform("0.1", "1")
    est = optimisers.Minibatch(2000, seed=2, weighting=w)
    mu, mus = np.array(A3), np.array([0.5, 0.0, 0.0])
    mean, se = _batch_stats(est, mu, mus, [1, 1, 1], 40)
    ts, ws = w.nodes(15, 12)
    ref = sum(float(wj) * math.exp(-float(t)) * np.array(general.grid_evaluate(
        math.exp(-float(t)) * mu, math.exp(-float(t)) * mus, qmc_points=12).gradient["stein"]) for t, wj in zip(ts, ws))
    assert np.all(np.abs(mean - ref) <= 5 * se + 1e-3 * np.abs(ref).max())


def test_minibatch_runs_are_seeded():
    """Same seed, same SGD trajectory; another seed, another one; copies stay identical under multiplicity."""
    kw = dict(eta="0.05", steps=4, backend="float64", stop_when_decided=False, optimizer="sgd", batch=64)
    one, two = dynamics.run(A3, B3, seed=5, **kw), dynamics.run(A3, B3, seed=5, **kw)
    other = dynamics.run(A3, B3, seed=6, **kw)
    assert one.params == two.params and one.params != other.params
    assert one.settings["batch"] == 64 and one.settings["seed"] == 5
    adam = dynamics.run(A3, B3, seed=5, **{**kw, "optimizer": "adam"})
    assert adam.settings["optimizer"] == "adam" and adam.params != one.params


@pytest.mark.parametrize("kw, message", [
    (dict(optimizer="rmsprop"), "optimizer='rmsprop'"),
    (dict(optimizer="sgd", batch=0, backend="float64"), "batch=0"),
    (dict(optimizer="sgd", batch=-3, backend="float64"), "batch=-3"),
    (dict(optimizer="sgd", batch=2.5, backend="float64"), "batch=2.5"),
    (dict(optimizer="sgd", backend="float64"), "needs batch"),
    (dict(optimizer="gd", batch=10, backend="float64"), "optimizer='gd'"),
    (dict(optimizer="sgd", batch=10), "backend='float64'"),
    (dict(optimizer="adam", batch=10, backend="float64", objective="reverse"), "no per-sample loss"),
])
def test_bad_optimiser_input(kw, message):
    """Each mistake is one InputError naming the argument."""
    with pytest.raises(InputError, match=message):
        dynamics.run([0.5, -1.0] if kw.get("backend") == "float64" else ["0.5", "-1"], "0", eta="0.1", steps=2, **kw)


def test_adam_on_an_objective_without_gradient():
    """An objective that gives no gradient: a clear InputError, not a KeyError."""
    def loss_only(A, b, multiplicity=None, forms=("stein",), loss=True, rel_tol=None, backend="mpmath", **kw):
        return Evaluation(0.0, 0.0, {}, {}, "loss only", 1)
    objectives.register("test-loss-only", loss_only)
    try:
        with pytest.raises(InputError, match="no gradient"):
            dynamics.run([0.5, -1.0], 0.0, eta="0.1", steps=2, backend="float64", objective="test-loss-only",
                         optimizer="adam")
    finally:
        objectives.unregister("test-loss-only")


def test_api_and_cli_take_the_optimiser():
    """simulate(optimizer=, batch=) and --optimizer/--batch reach the engine and are recorded."""
    import proofs_check as pc
    from proofs_check.api import OPTIMIZERS
    assert OPTIMIZERS == optimisers.OPTIMIZERS
    run = pc.simulate([[2, 0], [1, 1]], [0, 0], eta="0.05", steps=3, backend="float64", optimizer="sgd", batch=32,
                      seed=4, run_out=True)
    assert run.trajectory.settings["optimizer"] == "sgd" and run.trajectory.settings["batch"] == 32
    with pytest.raises(InputError, match="batch"):
        pc.simulate([[2, 0], [1, 1]], [0, 0], eta="0.05", backend="float64", optimizer="sgd", batch=0)
    with pytest.raises(InputError, match="optimizer"):
        pc.simulate([[2, 0], [1, 1]], [0, 0], eta="0.05", optimizer="lbfgs")


def test_time_averaged_minibatch_matches_the_registered_objective():
    """SGD's estimate on the registered 'time-averaged' objective (its weighting) against that objective's gradient."""
    from proofs_check import time_average
    registered = objectives.get("time-averaged")
    reference = time_average.objective(registered.weighting, count=10, inner="grid")
    A, b, mult = [[1.2], [0.4], [-0.8]], [0.3], [1, 2, 1]
    ref = np.array([[float(v) for v in row] for row in reference(A, b, mult, backend="float64").gradient["stein"]])
    mean, se = _batch_stats(optimisers.Minibatch(4000, 3, registered.weighting), A, b, mult, 40)
    assert np.all(np.abs(mean - ref) <= 5 * se)
    tr = dynamics.run(A, b, multiplicity=mult, eta="0.1", steps=3, objective="time-averaged", backend="float64",
                      optimizer="adam", batch=128, seed=1, stop_when_decided=False)
    assert tr.settings["optimizer"] == "adam" and tr.settings["batch"] == 128 and len(tr.params) == 4
