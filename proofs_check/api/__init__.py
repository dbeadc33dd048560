"""The public Python API: the suite's numbers from a notebook, without the CLI.

Re-exported by :mod:`proofs_check` (``import proofs_check as pc``):

- :func:`loss` -- the loss L at a configuration (MATH.md 2), to the digits two
  working precisions agree on;
- :func:`gradient` -- L and the gradient with respect to every ``a_i = e^-t mu_i``
  (Lemma B.1's Stein form and the pathwise form);
- :func:`simulate` -- gradient descent from a configuration, with its outcome
  (all converge / one converges, the rest diverge / undecided; Theorems 3.2-3.5);
- :func:`run_claim` -- one claim's check: PASS / FAIL / INCONCLUSIVE / MEASURED;
- :func:`certify` -- a ball-arithmetic certificate (thm3.1, lemB.1, arb-vs-mpmath);
- :func:`stress` / :func:`stress_input` -- an inequality or identity stressed with
  random inputs, or evaluated at one input.

Inputs are exact: decimal strings, ints, Fractions or mpmath numbers, never
Python floats (a float has already lost the digits its author typed: an
:class:`~proofs_check.errors.InputError` says so).  A configuration is given as
in :meth:`proofs_check.model.Configuration.make` -- ``params`` a list of vectors
(or a flat list of numbers when d = 1), ``truth`` a vector (or one number),
``t`` the noise level, ``multiplicity`` copies of each parameter -- or as a
ready :class:`~proofs_check.model.Configuration` in place of ``params``.

Outputs carry their agreed digits: values are mpmath numbers at the higher
of the two precisions, never floats.  Mistakes raise the suite's typed errors
(:mod:`proofs_check.errors`): :class:`InputError` naming the argument, its
value and the fix; :class:`UnknownClaim` for a claim id not in the registry.

This package imports only :mod:`proofs_check.numbers` and
:mod:`proofs_check.errors` at the top (its modules: :mod:`.results`, the
result types; :mod:`.validate`, the checks at the entry), so ``import proofs_check`` stays light
(about 0.2 s); each function imports the library it needs (sympy, the
quadrature, the claims: about 1 s) on its first call.

>>> import proofs_check as pc
>>> pc.loss(["0.3", "-1.1", "2.0"], "0.7", dps=20)
LossResult(0.58535142548553790161, digits=20)
"""
from __future__ import annotations

import json
import sys

from ..errors import InputError, UnknownClaim
from ..numbers import DEFAULT_DPS, MIN_DPS, parse_number
from . import validate
from .results import GradientResult, LossResult, Simulation, StressInput

FORMS = {"stein": ("stein",), "pathwise": ("pathwise",), "both": ("stein", "pathwise")}   # gradient(form=)
BACKENDS = ("mpmath", "float64")                                                          # simulate(backend=)
# simulate(optimizer=): optimisers.OPTIMIZERS restated, because importing optimisers (numpy, the integrand) would
# triple ``import proofs_check``'s 0.08 s; tests/test_optimisers.py keeps the two equal.
OPTIMIZERS = ("gd", "sgd", "adam")
SCALES = ("quick", "full")                                                                # run_claim(scale=)


# -- the API ---------------------------------------------------------------------------------
def loss(params, truth=None, *, t="0", multiplicity=None, dps: int = DEFAULT_DPS,
         objective: str = "forward") -> LossResult:
    """The loss L(a; b) = E_{x~N(b,I)} |sum_i w_i(x) a_i - b|^2 (MATH.md 2), with its agreed digits.

    Computed at ``dps`` and at ``dps + max(10, dps // 2)`` digits; the digits
    are those on which the two agree (at most ``dps``).  ``objective`` names
    the loss (:func:`objective_names`; default the paper's forward loss).

    >>> import proofs_check as pc
    >>> L = pc.loss(["0.3", "-1.1", "2.0"], "0.7", dps=20)
    >>> print(L)            # the value to its agreed digits (an mpf's repr shows only 17)
    0.58535142548553790161
    >>> L.digits, L.precisions
    (20, (20, 30))
    >>> pc.loss([0.3], "0.7")
    Traceback (most recent call last):
    ...
    proofs_check.errors.InputError: parameter 1: got the Python float 0.3; give the number as a decimal string so no digits are lost
    """
    cfg = validate.configuration("loss", params, truth, t, multiplicity)
    dps = validate.dps("loss", dps)
    objective = validate.objective("loss", objective, objective_names())
    m = _measured(cfg, dps, (), objective)
    return _loss_result(m, objective, cfg, dps)


def gradient(params, truth=None, *, t="0", multiplicity=None, dps: int = DEFAULT_DPS,
             objective: str = "forward", form: str = "both") -> GradientResult:
    """L and its gradient with respect to every ``a_i = e^-t mu_i`` (Lemma B.1 / Lemma 2.2).

    ``form`` is ``"stein"`` (Lemma B.1's form), ``"pathwise"``, or ``"both"``
    (default).  One copy of each parameter group is reported (identical
    copies have identical gradients).

    >>> import proofs_check as pc
    >>> g = pc.gradient(["0.5", "-1"], "0", dps=15, form="stein")
    >>> g
    GradientResult(loss=0.183734166934593 (15 digits),
                   stein=[[0.228345180298135], [-0.380887763737114]] (15 digits))
    >>> g.text("stein")
    [['0.228345180298135'], ['-0.380887763737114']]
    >>> pc.gradient(["0.5"], "0", form="hessian")
    Traceback (most recent call last):
    ...
    proofs_check.errors.InputError: gradient(form='hessian'): choose 'stein', 'pathwise' or 'both'
    """
    cfg = validate.configuration("gradient", params, truth, t, multiplicity)
    dps = validate.dps("gradient", dps)
    objective = validate.objective("gradient", objective, objective_names())
    if not isinstance(form, str) or form not in FORMS:
        raise InputError(f"gradient(form={form!r}): choose 'stein', 'pathwise' or 'both'")
    forms = FORMS[form]
    m = _measured(cfg, dps, forms, objective)
    return GradientResult(_loss_result(m, objective, cfg, dps),
                          {f: tuple(tuple(row) for row in m["gradient"][f]) for f in forms},
                          m["method"], m["k"], objective, cfg, dps)


def simulate(params, truth=None, *, eta, steps: int = 1000, t="0", multiplicity=None,
             dps: int = DEFAULT_DPS, objective: str = "forward", backend: str = "mpmath", tol=None,
             escape_radius=None, converge_radius="0.25", diverge_distance=None, run_out: bool = False,
             max_dps: int = 2000, qmc_points: int = 14, seed: int = 0, progress: bool | None = None,
             optimizer: str = "gd", batch: int | None = None) -> Simulation:
    """Gradient descent ``a_i <- a_i - eta grad_{a_i} L`` from ``a_i = e^-t mu_i``, with its outcome.

    ``backend="mpmath"`` runs at ``dps`` digits, rising automatically (up to
    ``max_dps``) so every split between parameters stays resolved;
    ``"float64"`` uses quasi-Monte Carlo (``qmc_points`` = log2 of the points
    per replicate, ``seed``).  The run stops once every ``|a_i - b| <= tol``,
    once some ``|a_i - b|`` passes ``escape_radius`` (default ``10 (r0 + 1)``),
    once the outcome is decided (unless ``run_out``), or after ``steps``.
    The classifier calls a group converged within ``converge_radius`` of b and
    diverging beyond ``diverge_distance`` (default ``r0 + 1``), r0 the largest
    initial distance (Theorems 3.2-3.5).  ``progress``: a bar on stderr (default:
    only when stderr is a terminal).  ``optimizer``: "gd" (default), "sgd"
    (needs ``batch``, fresh samples per step) or "adam" (standard defaults,
    learning rate ``eta``; on mini-batches when ``batch`` is given); batches
    are float64 and seeded by ``seed`` (:mod:`proofs_check.optimisers`).
    See :func:`proofs_check.dynamics.run`.

    >>> import proofs_check as pc
    >>> run = pc.simulate(["0.5", "-1"], "0", eta="0.5", steps=40, dps=20)
    >>> run
    Simulation(outcome='all converge', stop='decided', steps_taken=10, final_loss=0.0030284317947951158418)
    >>> from proofs_check.numbers import fmt
    >>> [[fmt(v, 20) for v in a_i] for a_i in run.final]
    [['0.23781548565407887329'], ['-0.24359442795388907815']]
    """
    cfg = validate.configuration("simulate", params, truth, t, multiplicity)
    dps = validate.dps("simulate", dps)
    objective = validate.objective("simulate", objective, objective_names())
    if backend not in BACKENDS:
        raise InputError(f"simulate(backend={backend!r}): choose 'mpmath' or 'float64'")
    if optimizer not in OPTIMIZERS:
        raise InputError(f"simulate(optimizer={optimizer!r}): choose from {', '.join(OPTIMIZERS)}")
    eta = parse_number(eta, "eta")
    steps = validate.whole("simulate", "steps", steps, 0)
    max_dps = validate.whole("simulate", "max_dps", max_dps, MIN_DPS)
    qmc_points = validate.whole("simulate", "qmc_points", qmc_points, 4)
    seed = validate.whole("simulate", "seed", seed, 0)
    if batch is not None:
        batch = validate.whole("simulate", "batch", batch, 1)
    numbers = {name: None if v is None else parse_number(v, name) for name, v in
               (("tol", tol), ("escape_radius", escape_radius), ("converge_radius", converge_radius),
                ("diverge_distance", diverge_distance))}
    from .. import dynamics
    tr = dynamics.run_config(cfg, eta=eta, steps=steps, objective=objective, dps=dps, backend=backend,
                             escape_radius=numbers["escape_radius"], tol=numbers["tol"],
                             converge_radius=numbers["converge_radius"],
                             diverge_distance=numbers["diverge_distance"], stop_when_decided=not run_out,
                             max_dps=max_dps, qmc_points=qmc_points, seed=seed,
                             progress=progress, optimizer=optimizer, batch=batch)
    return Simulation(tr, cfg, min(dps, 20) if backend == "mpmath" else 15)


def run_claim(claim_id: str, *, scale: str = "quick", seed: int = 0):
    """Run one claim's check; returns its :class:`proofs_check.claims.Result`.

    ``scale`` is ``"quick"`` (the pytest default: fast, possibly INCONCLUSIVE
    for lack of data) or ``"full"``; both apply the same judging rule.  The
    result's ``verdict`` is PASS, FAIL, INCONCLUSIVE, MEASURED or NOT CHECKED
    (a LOST statement); ``metrics`` carry their agreed digits.

    >>> import proofs_check as pc
    >>> res = pc.run_claim("lemD.1")
    >>> res.verdict
    'PASS'
    >>> pc.run_claim("thm9.9")
    Traceback (most recent call last):
    ...
    proofs_check.errors.UnknownClaim: unknown claim 'thm9.9'; known: eq1, lemA.1, ...
    """
    c = get_claim(claim_id)
    if scale not in SCALES:
        raise InputError(f"run_claim(scale={scale!r}): choose 'quick' or 'full'")
    seed = validate.whole("run_claim", "seed", seed, 0)
    from .. import claims
    return claims.run(c.id, scale, seed)


def get_claim(claim_id: str):
    """The registry's :class:`proofs_check.claims.Claim` (id, paper, status, statement) for an id.

    >>> import proofs_check as pc
    >>> pc.get_claim("thm3.1").paper
    'Theorem 3.1'
    """
    from .. import claims
    reg = claims.registry()
    if not isinstance(claim_id, str) or claim_id not in reg:
        raise UnknownClaim(f"unknown claim {claim_id!r}; known: {', '.join(reg)}")
    return reg[claim_id]


def list_claims() -> tuple:
    """Every claim of the registry (:class:`proofs_check.claims.Claim`), in the paper's order.

    >>> import proofs_check as pc
    >>> [c.id for c in pc.list_claims()][:3]
    ['eq1', 'lemA.1', 'lemA.2']
    """
    from .. import claims
    return tuple(claims.registry().values())


def certificates() -> tuple:
    """The ids :func:`certify` accepts: the certified claims and ``arb-vs-mpmath``.

    >>> import proofs_check as pc
    >>> pc.certificates()
    ('thm3.1', 'lemB.1', 'arb-vs-mpmath')
    """
    from .. import certify as _certify
    return tuple(_certify.certifiers()) + ("arb-vs-mpmath",)


def certify(claim_id: str):
    """A certified result by ball arithmetic (Arb): a :class:`proofs_check.certify.Certificate`.

    ``claim_id`` is one of :func:`certificates`: ``thm3.1`` (Theorem 3.1's
    stationary point and the signs of its Hessian), ``lemB.1`` (Lemma B.1's
    gradient identity at rigorous enclosures) or ``arb-vs-mpmath`` (the
    quadrature against the balls).  ``ok`` is True only when every inequality
    was proved.

    >>> import proofs_check as pc
    >>> cert = pc.certify("lemB.1")          # a few seconds: every enclosure is rigorous
    >>> cert.ok, all(cert.checks.values())
    (True, True)
    >>> cert.enclosures["example: grad_a1 Stein"]
    ['-2.69495786793023951282553291782e-1', '-2.69495786793023951282553291781e-1']
    """
    ids = certificates()
    if claim_id not in ids:
        raise InputError(f"certify({claim_id!r}): no certificate for it; available: {', '.join(ids)}")
    from .. import certify as _certify
    return _certify.certify(claim_id)


def stress(probe: str, examples: int = 100, seed: int = 0, *, progress: bool = False):
    """Stress an inequality or identity with ``examples`` random inputs (hypothesis, seeded).

    Returns a :class:`proofs_check.stress.Report`: the worst ratio (or error)
    of every check and the input that gave it, with agreed digits, and the
    first counterexample, shrunk.  Probe ids: :func:`list_probes` (negative
    controls, deliberately wrong variants, are ``ID~variant``).
    ``progress`` draws a bar on stderr.

    >>> import proofs_check as pc
    >>> rep = pc.stress("lemA.2", examples=5, seed=1)
    >>> rep.counterexample is None, rep.tried
    (True, 5)
    """
    probe = get_probe(probe)
    examples = validate.whole("stress", "examples", examples, 1)
    seed = validate.whole("stress", "seed", seed, 0)
    from .. import stress as _stress
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=examples, desc=f"stress {probe.id}", unit="input", file=sys.stderr, leave=False)
    try:
        return _stress.run(probe, examples, seed, progress=bar)
    finally:
        if bar is not None:
            bar.close()


def stress_input(probe: str, input) -> StressInput:
    """Evaluate one stress probe at one input: a dict of decimal strings, or its JSON text.

    >>> import proofs_check as pc
    >>> one = pc.stress_input("lemA.2", {"s": "2"})
    >>> one.counterexample
    False
    >>> pc.stress_input("lemA.2", {"s": 2.0})
    Traceback (most recent call last):
    ...
    proofs_check.errors.InputError: stress_input(input=...): field 's' is the Python float 2.0; give numbers as decimal strings so no digits are lost
    """
    probe = get_probe(probe)
    if isinstance(input, dict):
        validate.no_floats(input)
        text = json.dumps(input)
    elif isinstance(input, str):
        text = input
    else:
        raise InputError(f"stress_input(input={input!r}): give a dict of decimal strings or its JSON text")
    from .. import stress as _stress
    inp, checks = _stress.evaluate_input(probe, text)
    return StressInput(probe, inp, tuple(checks))


def get_probe(probe_id: str):
    """The stress probe (:class:`proofs_check.stress.Probe`) with this id, or a negative control's."""
    from .. import stress as _stress
    if not isinstance(probe_id, str):
        if isinstance(probe_id, _stress.Probe):
            return probe_id
        raise InputError(f"probe={probe_id!r}: give a probe id such as 'lemA.2'")
    return _stress.get(probe_id)


def list_probes() -> tuple:
    """Every stress probe, then every negative control (:class:`proofs_check.stress.Probe`).

    >>> import proofs_check as pc
    >>> "lemA.2" in [p.id for p in pc.list_probes()]
    True
    """
    from .. import stress as _stress
    return tuple(_stress.PROBES.values()) + tuple(_stress.CONTROLS.values())


def objective_names() -> tuple:
    """The names :func:`loss`, :func:`gradient` and :func:`simulate` accept as ``objective``.

    >>> import proofs_check as pc
    >>> "forward" in pc.objective_names()
    True
    """
    from .. import objectives
    return tuple(objectives.names())


# -- helpers ---------------------------------------------------------------------------------------
def _measured(cfg, dps, forms, objective) -> dict:
    """The named objective and its gradient at two precisions (the objectives registry's ``measured``)."""
    from .. import objectives
    return objectives.measured(cfg, dps, forms=forms, objective=objective)


def _loss_result(m: dict, objective, cfg, dps) -> LossResult:
    L = m["loss"]
    return LossResult(L.value, L.digits, m["method"], tuple(L.precisions), L.error, objective, m["k"], cfg, dps)


__all__ = ["loss", "gradient", "simulate", "run_claim", "certify", "stress", "stress_input",
           "get_claim", "list_claims", "certificates", "get_probe", "list_probes", "objective_names",
           "LossResult", "GradientResult", "Simulation", "StressInput"]
