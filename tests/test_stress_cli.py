"""``proofs-check stress``: summary, JSON, reproducibility, one-line errors (issue 5)."""
import json

import pytest

from proofs_check.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stress_json_is_reproducible(capsys):
    args = ("stress", "lemA.2", "--examples", "15", "--seed", "7", "--json", "--no-progress")
    code, out, _ = run(capsys, *args)
    assert code == 0
    a = json.loads(out)
    assert a["counterexamples"] == 0 and a["examples_tried"] >= 5
    assert a["command"] == "proofs-check stress lemA.2 --examples 15 --seed 7"
    w = a["worst"][0]
    assert 0 < float(w["value"]) < 1 and w["agreed_digits"] >= 20 and "s" in w["input"]
    assert float(w["limit"]) == 1            # an inequality's ratio may not pass 1
    code, out2, _ = run(capsys, *args)
    assert json.loads(out2)["worst"] == a["worst"]


def test_stress_control_exits_1_with_shrunk_counterexample(capsys):
    code, out, err = run(capsys, "stress", "lemA.2~half", "--examples", "30")
    assert code == 1
    assert "COUNTEREXAMPLE (shrunk" in out and "proofs-check stress lemA.2~half --examples 30 --seed 0" in out
    assert "stress lemA.2~half" in err          # the progress bar is on stderr


def test_stress_single_input(capsys):
    code, out, _ = run(capsys, "stress", "lemD.1", "--input", '{"a": [["1", "0"], ["0", "2"]], "x": ["0.5", "-1"]}')
    assert code == 0 and out.count("[ok]") == 2


@pytest.mark.parametrize("argv", [
    ["stress", "no-such-probe"],
    ["stress", "lemA.2", "--examples", "0"],
    ["stress", "lemA.2", "--examples", "many"],
    ["stress", "lemA.2", "--seed", "-1"],
    ["stress", "lemA.2", "--input", "{not json"],
    ["stress", "lemA.2", "--input", '{"s": "-1"}'],
    ["stress", "lemA.2", "--input", '{"t": "1"}'],
    ["stress", "lemA.2", "--input", '{"s": true}'],
])
def test_stress_user_mistakes_are_one_line_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_lemC2_chernoff_bound_at_one_input(capsys):
    """E[w_2] <= exp(-(R + a_1)^2/8): at R = 48 the ratio is ~ sqrt(pi/2)/R = 0.026 (the derived prefactor)."""
    code, out, _ = run(capsys, "stress", "lemC.2", "--input", '{"alphas": ["0.05", "48"]}', "--json")
    assert code == 0
    checks = json.loads(out)["checks"]
    ratio = float(checks[0]["value"])
    assert not checks[0]["bad"] and 0.024 < ratio < 0.028
    # c = 1/4 claims too much: a counterexample, exit 1
    code, out, _ = run(capsys, "stress", "lemC.2~c1/4", "--input", '{"alphas": ["0", "3.2"]}')
    assert code == 1 and "COUNTEREXAMPLE" in out
