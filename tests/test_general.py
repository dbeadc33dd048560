"""The general-dimension tools: EM/remainder split, float64 objectives, Wilson intervals."""
import numpy as np
from mpmath import mp

from proofs_check import general, gradient, objectives


def test_split_is_exact_small_shapes():
    for G, k in [(2, 1)]:   # larger shapes: the thm2.1 claim
        assert all(general.verify_split(G, k).values())


def test_em_plus_remainder_is_the_stein_gradient():
    rng = np.random.default_rng(3)
    A, b = 0.3 * rng.standard_normal((3, 2)), np.zeros(2)
    r = general.qmc_split(A, b, log2_points=10, replicates=4, seed=1)
    _, g, _ = general.population_gradient(A, b, log2_points=10, replicates=4, seed=1)
    assert np.allclose(r["em"] + r["remainder"], g, atol=1e-12)


def test_grid_objective_matches_the_line_rule():
    A = [[9.0], [8.0], [0.01]]
    ev = gradient.evaluate([[mp.mpf(x) for x in r] for r in A], [mp.mpf(0)])
    g = general.grid_evaluate(A, [0.0])
    assert abs(g.loss - float(ev.loss)) <= 1e-13 * float(ev.loss)
    for row, ref in zip(g.gradient["stein"], ev.gradient["stein"]):
        assert abs(row[0] - float(ref[0])) <= 1e-12 * max(1e-3, abs(float(ref[0])))


def test_minibatch_is_seeded_and_fresh_per_state():
    """Seeded: the same state and seed give the same samples.  Fresh per state: states 1e-9 apart get
    independent samples, so the mini-batch loss scatters by its sampling error (~1e-3 for 64 samples
    here) about the population loss, while the fixed rule moves only by the change of L itself
    (~1e-8).  Reused samples (one fixed batch for every state) would move like the fixed rule."""
    A, b = np.array([[0.5, 0.1], [-0.2, 0.3]]), [0.0, 0.0]
    e1 = general.minibatch_evaluate(A.tolist(), b, qmc_points=6, seed=2)
    e2 = general.minibatch_evaluate(A.tolist(), b, qmc_points=6, seed=2)
    assert e1.gradient == e2.gradient and e1.loss == e2.loss
    assert general.minibatch_evaluate(A.tolist(), b, qmc_points=6, seed=3).loss != e1.loss
    states = [(A + k * 1e-9).tolist() for k in range(16)]
    mb = np.array([general.minibatch_evaluate(S, b, qmc_points=6, seed=2).loss for S in states])
    fixed = np.array([general.grid_evaluate(S, b).loss for S in states])
    assert np.abs(fixed - fixed[0]).max() < 1e-6                 # the fixed rule: smooth in the state
    spread = mb.std(ddof=1)
    assert spread > 1e-4, spread                                   # fresh samples: sampling scatter
    assert abs(mb.mean() - fixed[0]) < 4 * spread / np.sqrt(len(mb)), (mb.mean(), fixed[0], spread)
    assert "forward-minibatch" in objectives.names() and "forward-grid" in objectives.names()
