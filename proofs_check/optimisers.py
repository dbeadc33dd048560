"""The optimisers of the dynamics engine: gradient descent, mini-batch SGD and Adam (issue 15, item 3).

The paper studies gradient descent at one noise level (Sections 3-4); its
summary names stochastic optimisers as open.  :func:`proofs_check.dynamics.run`
takes ``optimizer`` (one of :data:`OPTIMIZERS`) and ``batch``:

- ``"gd"``: ``a <- a - eta g`` with g the objective's gradient (the default,
  the paper's dynamics);
- ``"sgd"``: the same update with g a fresh mini-batch estimate at every step
  (:class:`Minibatch`: ``batch`` samples, the derivative of the sample loss);
- ``"adam"``: Adam (Kingma & Ba 2015) with its standard defaults
  ``beta1 = 0.9``, ``beta2 = 0.999``, ``eps = 1e-8`` and learning rate ``eta``
  (:class:`Adam`), on the objective's gradient, or on mini-batch estimates
  when ``batch`` is given.

Mini-batches (float64 only): for the fixed-t forward loss (objectives in
:data:`FIXED_T`) a sample is x ~ N(b, I); for the time-averaged loss (an
objective whose evaluator carries a ``weighting``, a
:class:`proofs_check.weighting.Weighting`) a sample is a noise level
t ~ lambda and x ~ N(e^-t mu*, I), and the sample's gradient in the shared
parameters mu is ``e^-t`` times its gradient in ``a = e^-t mu`` (the chain
rule).  Both use the derived *pathwise* integrand (what autograd of the
sample loss computes) in the centred span coordinates, like
:func:`proofs_check.general.minibatch_gradient`.  Samples come from one
generator seeded by ``(seed, SGD_STREAM)``, fresh at every step.
"""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np

from . import general, model, symbolic
from .errors import InputError
from .integrand import GaussianIntegrand, columns
from .numbers import to_mpf

OPTIMIZERS = ("gd", "sgd", "adam")
ADAM_BETA1, ADAM_BETA2, ADAM_EPS = Fraction(9, 10), Fraction(999, 1000), Fraction(1, 10 ** 8)
FIXED_T = ("forward", "forward-grid", "forward-minibatch")   # the fixed-t forward loss, by any rule
SGD_STREAM = 1515                                             # the mini-batch generator's stream id


def validate(optimizer: str, batch, objective: str, evaluator, backend: str) -> int | None:
    """Check an optimiser choice; returns the batch size (None: the objective's own gradient).

    InputError (one line, naming the argument) for an unknown optimiser, a
    batch that is not a whole number >= 1, ``sgd`` without a batch, ``gd``
    with one, or mini-batches on the mpmath backend or on an objective with
    no per-sample loss.
    """
    if optimizer not in OPTIMIZERS:
        raise InputError(f"optimizer={optimizer!r}: choose from {', '.join(OPTIMIZERS)}")
    if batch is not None:
        if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
            raise InputError(f"batch={batch!r}: a mini-batch needs a whole number of samples >= 1")
        batch = int(batch)
    if optimizer == "sgd" and batch is None:
        raise InputError("optimizer='sgd' needs batch=N (samples per step)")
    if optimizer == "gd" and batch is not None:
        raise InputError(f"optimizer='gd' uses the objective's gradient; for mini-batches of {batch} use "
                         "optimizer='sgd' (or 'adam' with a batch)")
    if batch is not None:
        if backend != "float64":
            raise InputError(f"batch={batch}: mini-batches are float64 samples; use backend='float64'")
        if objective not in FIXED_T and getattr(evaluator, "weighting", None) is None:
            raise InputError(f"batch={batch}: objective {objective!r} has no per-sample loss; mini-batches exist for "
                             f"{', '.join(FIXED_T)} and the time-averaged loss")
    return batch


def settings(optimizer: str, batch: int | None) -> dict:
    """The optimiser's settings as recorded in a trajectory (exact constants as strings)."""
    out = {"optimizer": optimizer, "batch": batch}
    if optimizer == "adam":
        out["adam"] = {"beta1": "0.9", "beta2": "0.999", "eps": "1e-8"}
    if batch is not None:
        out["minibatch_stream"] = SGD_STREAM
    return out


# -- update rules --------------------------------------------------------------------------
def gd_step(A, grad, eta):
    """Gradient descent ``a - eta g`` (in the numbers of A; the caller sets the precision)."""
    return [[a - eta * g for a, g in zip(r, gr)] for r, gr in zip(A, grad)]


class Adam:
    """Adam's state and update (Kingma & Ba 2015, Algorithm 1), per coordinate, default constants.

    ``m <- beta1 m + (1 - beta1) g``, ``v <- beta2 v + (1 - beta2) g^2``,
    ``a <- a - eta mhat / (sqrt(vhat) + eps)`` with the bias corrections
    ``mhat = m / (1 - beta1^k)``, ``vhat = v / (1 - beta2^k)`` at step k.
    ``backend`` "float64" keeps floats; "mpmath" mpf numbers at the caller's
    precision (the constants re-rounded from their exact values every step).
    """

    def __init__(self, backend: str):
        self.backend = backend
        self.m = self.v = None
        self.count = 0

    def _constants(self):
        if self.backend == "float64":
            return float(ADAM_BETA1), float(ADAM_BETA2), float(ADAM_EPS), math.sqrt
        return to_mpf(ADAM_BETA1), to_mpf(ADAM_BETA2), to_mpf(ADAM_EPS), mpmath.sqrt

    def step(self, A, grad, eta):
        """One Adam update of A with gradient ``grad``; returns the new parameters."""
        b1, b2, eps, sqrt = self._constants()
        if self.m is None:
            self.m = [[0 * g for g in row] for row in grad]
            self.v = [[0 * g for g in row] for row in grad]
        self.count += 1
        self.m = [[b1 * m + (1 - b1) * g for m, g in zip(mr, gr)] for mr, gr in zip(self.m, grad)]
        self.v = [[b2 * v + (1 - b2) * g * g for v, g in zip(vr, gr)] for vr, gr in zip(self.v, grad)]
        c1, c2 = 1 - b1 ** self.count, 1 - b2 ** self.count
        return [[a - eta * (m / c1) / (sqrt(v / c2) + eps) for a, m, v in zip(r, mr, vr)]
                for r, mr, vr in zip(A, self.m, self.v)]


# -- mini-batch estimates -------------------------------------------------------------------
class Minibatch:
    """Fresh mini-batch estimates ``(loss, gradient per copy)`` of the fixed-t or time-averaged loss (float64).

    ``weighting`` None: the fixed-t forward loss at the engine's variables
    (x ~ N(b, I)); else the time-averaged loss in the shared parameters mu
    (t ~ weighting, x ~ N(e^-t mu*, I), gradient times e^-t).
    """

    def __init__(self, batch: int, seed: int, weighting=None):
        self.batch = int(batch)
        self.weighting = weighting
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed), SGD_STREAM]))

    def __call__(self, A, b, multiplicity):
        """(mean sample loss, mean sample gradient of one copy of each group) at A (lists of floats)."""
        A, b = np.asarray(A, float), np.asarray(b, float)
        mult = np.asarray(multiplicity, float)
        Q, Y = general.span(A, b)
        G, k = Y.shape
        if k == 0:
            return 0.0, [[0.0] * A.shape[1] for _ in range(G)]
        comp = symbolic.compiled(G, k, "numpy", ("loss", "pathwise"))
        if self.weighting is None:
            z = self.rng.standard_normal((self.batch, k))
            vals = GaussianIntegrand(comp.func, Y, np.log(mult)).at(z)
        else:
            t = self.weighting.sample(self.rng, self.batch)
            z = self.rng.standard_normal((self.batch, k))
            vals = per_sample_scaled(comp.func, Y, np.log(mult), z, np.exp(-t))
        mean = vals.mean(axis=0)
        grad = (mean[1:].reshape(G, k) @ Q) / mult[:, None]
        return float(mean[0]), [[float(v) for v in row] for row in grad]


def per_sample_scaled(func, Y, logm, z, s):
    """Loss and pathwise gradient in mu of sample n at the parameters ``s_n Y`` (span coordinates).

    The sample's centred point is ``z_n`` and its parameters ``a = s_n Y``
    (``s_n = e^-t_n``); the returned gradient columns are ``s_n`` times the
    gradient in a (d a / d mu = e^-t).  The softmax logits are
    :func:`proofs_check.model.logits_np` at the per-sample parameters.
    """
    N, (G, k) = z.shape[0], Y.shape
    Ys = s[:, None, None] * Y[None, :, :]                                 # (N, G, k)
    logits = np.einsum("nk,ngk->ng", z, Ys) - 0.5 * np.sum(Ys * Ys, axis=2) + logm
    w = model.softmax_np(logits)
    out = columns(func(*z.T, *Ys.reshape(N, G * k).T, *w.T), N)
    out[:, 1:] *= s[:, None]
    return out


__all__ = ["ADAM_BETA1", "ADAM_BETA2", "ADAM_EPS", "Adam", "FIXED_T", "Minibatch", "OPTIMIZERS", "SGD_STREAM",
           "gd_step", "per_sample_scaled", "settings", "validate"]
