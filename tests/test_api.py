"""The public Python API (issue 16): its doctests, its typed errors, and the CLI as a thin layer over it.

The doctests of :mod:`proofs_check` (the package), :mod:`proofs_check.api`
and its modules, :mod:`proofs_check.numbers`, and the README's notebook
session run here, in the default ``pytest`` run (doctest collection is not
switched on for the whole package).
"""
from __future__ import annotations

import doctest
import json
import pickle
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import proofs_check as pc
from proofs_check import api, numbers
from proofs_check.api import results, validate

ROOT = Path(__file__).resolve().parent.parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("module", [pc, api, results, validate, numbers], ids=lambda m: m.__name__)
def test_doctests(module):
    res = doctest.testmod(module, optionflags=FLAGS, verbose=False)
    assert res.failed == 0


def test_readme_session_is_a_doctest():
    readme = ROOT / "README.md"
    assert ">>> import proofs_check as pc" in readme.read_text()
    res = doctest.testfile(str(readme), module_relative=False, optionflags=FLAGS, verbose=False)
    assert res.failed == 0 and res.attempted >= 5


# -- inputs are exact: floats refused, the argument named ------------------------------------------
@pytest.mark.parametrize("call, words", [
    (lambda: pc.loss(["0.3", 1.5], "0"), ["parameter 2", "float 1.5", "decimal string"]),
    (lambda: pc.loss(["0.3"], 0.5), ["truth", "float 0.5"]),
    (lambda: pc.loss(["0.3"], "0", t=0.1), ["t", "float 0.1"]),
    (lambda: pc.loss(["0.3"]), ["loss(truth=None)", "required"]),
    (lambda: pc.loss(["0.3"], "0", dps=9), ["loss(dps=9)", "at least 10"]),
    (lambda: pc.loss(["0.3"], "0", dps="30"), ["loss(dps='30')", "whole number"]),
    (lambda: pc.loss(["0.3"], "0", dps=10001), ["loss(dps=10001)", "at most 10000"]),
    (lambda: pc.loss(["0.3"], "0", objective="nope"), ["loss(objective='nope')", "forward"]),
    (lambda: pc.loss(["0.3", "1"], "0", multiplicity="2,1"), ["multiplicity='2,1'", "list"]),
    (lambda: pc.loss([["1", "2"], ["3"]], ["0", "0"]), ["parameter 2", "coordinates"]),
    (lambda: pc.gradient(["0.3"], "0", form="hessian"), ["form='hessian'", "stein"]),
    (lambda: pc.gradient(["0.3"], "0", form=["stein"]), ["form=['stein']", "stein"]),
    (lambda: pc.run_claim(["lemD.1"]), ["unknown claim ['lemD.1']"]),
    (lambda: pc.simulate(["0.3"], "0", eta=0.1), ["eta", "float 0.1"]),
    (lambda: pc.simulate(["0.3"], "0", eta="0.1", tol=0.01), ["tol", "float 0.01"]),
    (lambda: pc.simulate(["0.3"], "0", eta="0.1", steps=-1), ["simulate(steps=-1)", ">= 0"]),
    (lambda: pc.simulate(["0.3"], "0", eta="0.1", backend="gpu"), ["backend='gpu'", "float64"]),
    (lambda: pc.run_claim("lemD.1", scale="medium"), ["scale='medium'", "quick"]),
    (lambda: pc.run_claim("lemD.1", seed=-1), ["seed=-1", ">= 0"]),
    (lambda: pc.certify("thm9.9"), ["certify('thm9.9')", "thm3.1"]),
    (lambda: pc.stress("lemA.2", examples=0), ["stress(examples=0)", ">= 1"]),
    (lambda: pc.stress("no-such-probe"), ["no-such-probe", "lemA.2"]),
    (lambda: pc.stress_input("lemA.2", {"s": ["1", 0.5]}), ["s[1]", "float 0.5"]),
])
def test_mistakes_raise_input_error_naming_the_argument(call, words):
    with pytest.raises(pc.InputError) as e:
        call()
    assert isinstance(e.value, pc.ProofsCheckError) and isinstance(e.value, ValueError)
    for w in words:
        assert w in str(e.value)


def test_unknown_claim_is_typed():
    with pytest.raises(pc.UnknownClaim) as e:
        pc.run_claim("thm9.9")
    assert isinstance(e.value, pc.InputError) and isinstance(e.value, KeyError)
    assert "unknown claim 'thm9.9'; known: eq1" in str(e.value)


def test_exact_inputs_of_every_kind_agree():
    """Decimal strings, Fractions, mpf, ints and a Configuration give the same numbers."""
    a = pc.loss(["0.5", "-1"], "0", dps=15)
    b = pc.loss([Fraction(1, 2), numbers.mp.mpf(-1)], 0, dps=15)
    from proofs_check.model import Configuration
    cfg = Configuration.make(["0.5", "-1"], "0")
    c = pc.loss(cfg, dps=15)
    assert a.value == b.value == c.value and a.digits == b.digits == 15
    with pytest.raises(pc.InputError, match="already holds"):
        pc.loss(cfg, "0")


def test_results_keep_their_digits():
    """No value goes through a float: the mpf carries more than 17 digits, the text all agreed ones."""
    L = pc.loss(["0.3", "-1.1", "2.0"], "0.7", dps=40)
    assert L.digits == 40 and len(L.text().replace("0.", "", 1)) == 40
    assert L.to_json()["loss"]["value"] == L.text()
    g = pc.gradient(["0.3", "-1.1", "2.0"], "0.7", dps=25)
    assert g.forms == ("stein", "pathwise") and g.digits("stein") >= 20
    s, p = g.values("stein"), g.values("pathwise")
    assert all(abs(x[0] - y[0]) < numbers.mp.mpf(10) ** -20 for x, y in zip(s, p))   # Lemma A.3: the forms agree
    with pytest.raises(pc.InputError, match="not computed"):
        pc.gradient(["0.3"], "0.7", form="stein").values("pathwise")


# -- the three names shared with library modules ---------------------------------------------------
def test_shared_names_are_the_modules_and_callable():
    import proofs_check.certify
    import proofs_check.gradient
    import proofs_check.stress  # noqa: F401  (imported first: the binding must still be callable)
    for name in ("gradient", "certify", "stress"):
        mod = getattr(pc, name)
        assert mod is sys.modules[f"proofs_check.{name}"] and callable(mod)
        assert pickle.loads(pickle.dumps(mod)) is mod
    from proofs_check import gradient
    assert hasattr(gradient, "measured")                 # the library module, as the library imports it


def test_shared_names_callable_whatever_imported_them_first():
    code = ("from proofs_check.gradient import evaluate\nimport proofs_check.stress\nimport proofs_check as pc\n"
            "print(type(pc.gradient(['0.5'], '0', dps=10, form='stein')).__name__, callable(pc.stress))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["GradientResult", "True"]


def test_import_is_light():
    """``import proofs_check`` loads neither sympy, the quadrature, the claims nor hypothesis."""
    code = "import sys, proofs_check\nprint(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('sympy', 'hypothesis', 'flint', 'scipy') or m in ('proofs_check.gradient', 'proofs_check.claims')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# -- the CLI prints what the API returns ---------------------------------------------------------------
def test_cli_loss_json_is_the_api_result(capsys):
    from proofs_check.cli import main
    assert main(["loss", "--params", "0.3,-1.1,2.0", "--truth", "0.7", "--dps", "20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    L = pc.loss(["0.3", "-1.1", "2.0"], "0.7", dps=20)
    assert data == {**L.to_json(), "command": "proofs-check loss --params 0.3,-1.1,2.0 --truth 0.7 --dps 20 --json"}


def test_cli_simulate_json_is_the_api_result(capsys):
    from proofs_check.cli import main
    argv = ["simulate", "--params", "0.5,-1", "--truth", "0", "--eta", "0.5", "--steps", "40", "--dps", "20", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    run = pc.simulate(["0.5", "-1"], "0", eta="0.5", steps=40, dps=20)
    want = run.to_json(command="proofs-check " + " ".join(argv))
    data.pop("seconds"), want.pop("seconds")
    assert data == json.loads(json.dumps(want)) and data["outcome"] == "all converge"
