import json

import pytest

from proofs_check.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_grad_json_has_digits_and_command(capsys):
    code, out, _ = run(capsys, "grad", "--params", "0.3,-1.1,2.0", "--truth", "0.7", "--dps", "15", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["config"]["params_mu"] == [["0.3"], ["-1.1"], ["2"]]
    assert data["loss"]["agreed_digits"] >= 14
    assert len(data["gradient"]["stein"]) == 3
    assert data["command"].startswith("proofs-check grad")


@pytest.mark.parametrize("argv", [
    ["loss", "--params", "0.3,abc", "--truth", "1"],
    ["loss", "--params", "[[1,2],[3]]", "--truth", "[0,0]"],
    ["loss", "--params", "[[1,2]]", "--truth", "1"],
    ["loss", "--params", "1", "--truth", "0", "--dps", "9"],
    ["loss", "--params", "1", "--truth", "0", "--dps", "10001"],
    ["grad", "--params", "1", "--truth", "0", "--t", "-1"],
    ["claim", "no-such-claim"],
    ["claim", "lemA.3", "--seed", "-1"],
    ["certify", "no-such-certificate"],
    ["simulate", "--params", "1", "--truth", "0", "--eta", "0.1", "--tol", "abc"],
    ["simulate", "--params", "1", "--truth", "0", "--eta", "0.1", "--steps", "-3"],
])
def test_user_mistakes_are_one_line_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["loss", "--truth", "1"])
    assert e.value.code == 2


def test_precision_errors_are_one_line_exit_3(capsys, monkeypatch):
    """A PrecisionError (the precision cannot decide) is one line too, exit 3 (1 stays FAIL)."""
    from proofs_check import api
    from proofs_check.errors import PrecisionError

    def undecided(*args, **kwargs):
        raise PrecisionError("the two precisions agree on no digit")
    monkeypatch.setattr(api, "loss", undecided)
    code, out, err = run(capsys, "loss", "--params", "1", "--truth", "0")
    assert code == 3 and err.strip() == "proofs-check: PrecisionError: the two precisions agree on no digit"


def test_loss_text_is_the_api_result(capsys):
    """The CLI prints what proofs_check.loss returns: the value to its agreed digits."""
    import proofs_check as pc
    code, out, _ = run(capsys, "loss", "--params", "0.3,-1.1,2.0", "--truth", "0.7", "--dps", "20")
    L = pc.loss(["0.3", "-1.1", "2.0"], "0.7", dps=20)
    assert code == 0 and out.splitlines()[0] == f"L = {L.text()}   (20 digits agreed at 20 and 30 dps)"
