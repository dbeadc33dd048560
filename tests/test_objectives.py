"""The objectives registry: explicit registration, lookups, evaluation by name."""
import pytest
from mpmath import mp

from proofs_check import general, gradient, objectives, reverse
from proofs_check.errors import InputError
from proofs_check.model import Configuration
from proofs_check.numbers import working


def test_builtin_objectives_are_registered_by_the_package():
    assert objectives.names()[:4] == ("forward", "reverse", "forward-grid", "forward-minibatch")
    assert objectives.get("forward") is gradient.evaluate
    assert objectives.get("reverse") is reverse.evaluate
    assert objectives.get("forward-grid") is general.grid_evaluate
    assert objectives.get("forward-minibatch") is general.minibatch_evaluate


def test_unknown_objective_is_an_input_error_naming_the_choices():
    with pytest.raises(InputError, match="unknown objective 'nope'; choose from forward, reverse"):
        objectives.get("nope")


def test_register_refuses_a_taken_name_unless_replacing():
    def ev(*a, **k):
        return None
    with pytest.raises(InputError, match="already registered"):
        objectives.register("forward", ev)
    try:
        assert objectives.register("_test_ev", ev) is ev
        assert objectives.get("_test_ev") is ev
        objectives.register("_test_ev", gradient.evaluate, replace=True)
        assert objectives.get("_test_ev") is gradient.evaluate
    finally:
        objectives.unregister("_test_ev")
    assert "_test_ev" not in objectives.names()


def test_at_precision_by_name_is_the_evaluator_at_that_precision():
    cfg = Configuration.make(["0.4", "-1"], "0.2", multiplicity=[2, 1])
    by_name = objectives.at_precision(cfg, 15, objective="reverse")
    direct = gradient.at_precision(cfg, 15, evaluator=reverse.evaluate)
    assert by_name.loss == direct.loss and by_name.gradient == direct.gradient
    fwd = objectives.measured(cfg, 15)
    assert fwd["loss"].value == gradient.measured(cfg, 15)["loss"].value and fwd["loss"].digits == 15


def test_gradient_has_no_objective_names():
    """Objectives by name live in the objectives package only (gradient sits below it)."""
    with pytest.raises(TypeError):
        gradient.measured(Configuration.make(["0.4"], "0.2"), 15, objective="reverse")


def test_uncentred_loss_agrees_with_the_centred_engine():
    """Eq. (1)'s shift symmetry: the uncentred definition equals the centred engine's L."""
    args = (["0.3", "-1.1", "2"], "0.7", 25)
    with working(30):
        assert abs(gradient.uncentred_loss_1d(*args)
                   - gradient.at_precision(Configuration.make(args[0], args[1]), 25, forms=()).loss) < mp.mpf(10) ** -25
