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
])
def test_user_mistakes_are_one_line_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["loss", "--truth", "1"])
    assert e.value.code == 2
