"""The verification report renders from synthetic claims: files, JSON round trip, self-contained HTML."""
import json
import re

import pytest

from proofs_check import claims, report
from proofs_check.claims import Claim, Metric, Result
from proofs_check.cli import main
from proofs_check.figures import FigureSpecError, render_png

LINE = {"kind": "line", "title": "L(r)", "xlabel": "r", "ylabel": "L",
        "series": [{"label": "d = 1", "x": [0, 0.5, 1, 1.5, 2], "y": ["0", "0.1", "0.15", "0.12", "0.05"]}],
        "vlines": [{"x": 1.0, "label": "r*"}], "caption": "a synthetic curve"}
PANELS = {"kind": "panels", "title": "four panels", "ncols": 2, "panels": [
    {"kind": "loglog", "title": "loss", "series": [{"label": "L", "x": [1, 10, 100], "y": [1, "0.1", 0]}]},
    {"kind": "semilogy", "series": [{"y": [1, None, "nan", 0.01]}]},
    {"kind": "scatter", "series": [{"x": [1, 2], "y": [3, 4]}]},
    {"kind": "bar", "series": [{"label": "freq", "x": ["D=1", "D=2"], "y": [0.9, 0.4]}]}]}


def _pass(scale, seed):
    return Result("zz.pass", claims.PASS, "all good",
                  [Metric("agreement", "1.2345678901234567890", 19, "need >= 15"), Metric("count", "3")],
                  {"sweep | with a pipe": {"columns": ["D", "delta*"], "rows": [[1, "0.25"], ["2 | 3", "0.0125"]]}},
                  {"loss_vs_r": LINE, "panels": PANELS, "broken": {"kind": "pie", "series": []}})


def _fail(scale, seed):
    return Result("zz.fail", claims.FAIL, "the bound is violated", [Metric("ratio", "1.7", 12)])


def _measured(scale, seed):
    return Result("zz.measured", claims.MEASURED, "nothing could fail: K measured", [Metric("best K", "5.33", 4)])


def _raise(scale, seed):
    raise ZeroDivisionError("synthetic breakage")


@pytest.fixture
def fake_claims(monkeypatch):
    reg = claims.registry()   # import the real modules first
    for cid, status, fn in (("zz.pass", "EXACT", _pass), ("zz.fail", "RECONSTRUCTED", _fail),
                            ("zz.raise", "RECONSTRUCTED", _raise), ("zz.measured", "RECONSTRUCTED", _measured)):
        monkeypatch.setitem(claims._REGISTRY, cid, Claim(cid, f"Synthetic {cid}", status, f"statement of {cid}",
                                                         "A method.\n\nSecond paragraph.", fn))
    monkeypatch.setitem(claims._REGISTRY, "zz.lost", Claim("zz.lost", "Lemma Z", "LOST", "lost", "", None,
                                                           "used to prove the synthetic theorem"))
    monkeypatch.setattr(report.certificates, "cached",
                        lambda: ({"zz.pass": lambda: {"ok": True, "summary": "proved by balls",
                                                             "checks": {"sign change": True},
                                                             "enclosures": {"r*": ["1.1", "1.2"]}}}, None))
    assert "lemB.2" in reg   # lost.py registered the LOST statements
    return ["zz.pass", "zz.fail", "zz.raise", "zz.lost", "zz.measured"]


def _external_refs(text):
    refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', text)
    return [r for r in refs if not (r.startswith("#") or r.startswith("data:"))]


def test_report_from_synthetic_results(tmp_path, fake_claims):
    data = report.collect(fake_claims, "quick", 0, progress=False)
    paths = report.write(data, tmp_path)
    for p in paths.values():
        assert p.exists() and p.stat().st_size > 0
    res = json.loads((tmp_path / "results.json").read_text())
    by = {c["id"]: c for c in res["claims"]}
    assert [by[c]["verdict"] for c in fake_claims] == ["PASS", "FAIL", "INCONCLUSIVE", "NOT CHECKED", "MEASURED"]
    assert res["counts"]["MEASURED"] == 1 and res["counts"]["PASS"] == 1      # a measurement is never a PASS
    assert "ZeroDivisionError: synthetic breakage" in by["zz.raise"]["summary"] and by["zz.raise"]["error"]
    assert by["zz.lost"]["role"] == "used to prove the synthetic theorem"
    assert by["zz.pass"]["certificate"]["ok"] and by["zz.pass"]["certificate"]["checks"] == {"sign change": True}
    assert by["zz.pass"]["metrics"][0]["command"] == "proofs-check claim zz.pass --seed 0"
    assert set(by["zz.pass"]["figure_files"]) == {"loss_vs_r", "panels"}      # "broken" was not drawn
    for f in by["zz.pass"]["figure_files"].values():
        assert (tmp_path / f).read_bytes().startswith(b"\x89PNG")
    assert "seconds" not in json.dumps(res["claims"])                         # timing kept apart
    assert set(res["timing"]["claims"]) == set(fake_claims)
    env = res["environment"]
    assert env["packages"]["mpmath"] and env["git"]["revision"] and env["precision"]["default_dps"]
    assert res["counts"]["CERTIFIED"] == 1
    # round trip: the file is exactly the serialisation of what it decodes to
    assert json.loads(json.dumps(res)) == res
    md = (tmp_path / "report.md").read_text()
    assert "PASS + CERTIFIED" in md and "NOT CHECKED" in md and "Scale**: quick" in md
    assert "| MEASURED | nothing could fail: K measured" in md
    assert "not drawn" in md and "figures/zz.pass--loss_vs_r.png" in md and "python" in md.lower()
    assert "| sign change | proved |" in md and "with a pipe" in md and "2 \\| 3" in md
    page = (tmp_path / "report.html").read_text()
    assert _external_refs(page) == []
    assert page.count("data:image/png;base64,") == 2
    assert "ZeroDivisionError" in page and "used to prove the synthetic theorem" in page
    assert re.search(r'class="[^"]*MEASURED[^"]*"', page)
    assert env["git"]["revision"] in page


def _open(scale, seed):
    return Result("zz.open", claims.MEASURED, "the answer: s* = 1.2", [Metric("s*", "1.2", 10)])


def test_provenance_and_beyond_the_paper(tmp_path, fake_claims, monkeypatch):
    """Every claim shows where its statement comes from; OPEN QUESTION claims get their own section."""
    monkeypatch.setitem(claims._REGISTRY, "zz.pass", claims.Claim(
        "zz.pass", "Synthetic", "RECONSTRUCTED", "the recovered words", "", _pass,
        provenance=claims.secondary(assumed="step 0.25 (not recovered)")))
    monkeypatch.setitem(claims._REGISTRY, "zz.open", claims.Claim(
        "zz.open", "Reviews", claims.OPEN_QUESTION, "does it still split?", "", _open,
        provenance=claims.Provenance(claims.REVIEWS, "the reviews", "")))
    data = report.collect(["zz.pass", "zz.fail", "zz.open"], "quick", 0, progress=False)
    report.write(data, tmp_path)
    by = {c["id"]: c for c in json.loads((tmp_path / "results.json").read_text())["claims"]}
    assert by["zz.pass"]["provenance"] == {"kind": "secondary summary", "where": claims.SUMMARY_LOCATION,
                                           "assumed": "step 0.25 (not recovered)"}
    assert by["zz.fail"]["provenance"]["kind"] == "suite reconstruction"     # the default
    md = (tmp_path / "report.md").read_text()
    assert "| claim | paper | status | source | verdict |" in md
    assert "| RECONSTRUCTED | secondary summary | PASS" in md
    assert "**Statement (recovered from the secondary summary).** the recovered words" in md
    assert "Assumed: step 0.25 (not recovered)" in md and "Paper-Notes-en" in md
    beyond = md.index("## Beyond the paper")
    assert md.index("## zz.fail") < beyond < md.index("## zz.open")           # open questions after the paper's
    assert "**Statement (open question).** does it still split?" in md
    page = (tmp_path / "report.html").read_text()
    assert 'id="beyond"' in page and 'class="badge OPEN-QUESTION"' in page
    with pytest.raises(ValueError):
        claims.Provenance("hearsay")


def test_same_command_same_numbers(tmp_path, fake_claims):
    outs = []
    for k in range(2):
        report.write(report.collect(fake_claims, "quick", 0, progress=False), tmp_path / str(k))
        d = json.loads((tmp_path / str(k) / "results.json").read_text())
        d.pop("timing")
        outs.append(d)
    assert outs[0] == outs[1]


def test_figure_specs():
    assert render_png(LINE).startswith(b"\x89PNG")
    assert render_png(PANELS).startswith(b"\x89PNG")
    assert render_png({"x": [1, 2, 3], "y": ["1e-400", "2", "3"], "kind": "semilogy"}).startswith(b"\x89PNG")
    assert render_png({"r": [0, 1, 2, 3], "L": [0, 0.2, 0.1, 0.05], "r_star": 1.1, "title": "bare"}).startswith(b"\x89PNG")
    assert render_png({"D": [4, 8, 12], "y": [5.6, 16.2, 23.3], "fit": [2.2, -2.7]}).startswith(b"\x89PNG")
    for bad in ({"kind": "pie", "series": []}, {"title": "no data"}, [1, 2], {"r": [1, 2], "L": [1]}, {"r": [1, 2]},
                {"series": [{"x": [1, 2], "y": [1]}]}, {"kind": "panels", "panels": []}):
        with pytest.raises(FigureSpecError):
            render_png(bad)


def test_certifier_outcomes():
    class Obj:
        ok, summary = False, "interval too wide"
    assert report.run_certifier(lambda: Obj(), "quick", 0, None)["ok"] is False
    assert report.run_certifier(lambda scale, seed: {"ok": scale == "quick", "summary": ""}, "quick", 0, None)["ok"]
    bad = report.run_certifier(lambda: 1 / 0, "quick", 0, None)
    assert bad["ok"] is False and "ZeroDivisionError" in bad["summary"]


def test_from_pytest(tmp_path, capsys):
    src = tmp_path / "claims.json"
    src.write_text(json.dumps({"source": "pytest verify", "results": [
        {"claim_id": "lemB.1", "verdict": "PASS", "summary": "holds", "paper": "Lemma B.1", "status": "EXACT",
         "statement": "the gradient", "method": "sympy", "scale": "quick", "seed": 0, "seconds": 3.2,
         "metrics": [{"name": "digits", "value": "38", "digits": None, "note": ""}], "tables": {},
         "figures": {"f": {"x": [1, 2], "y": [2, 1]}}, "command": "proofs-check claim lemB.1 --seed 0",
         "certified": None}]}))
    out = tmp_path / "rep"
    assert main(["report", "--from-pytest", str(src), "--out", str(out)]) == 0
    res = json.loads((out / "results.json").read_text())
    by = {c["id"]: c for c in res["claims"]}
    assert by["lemB.1"]["verdict"] == "PASS" and by["lemB.1"]["metrics"][0]["value"] == "38"
    assert by["lemB.2"]["verdict"] == "NOT CHECKED"                     # LOST, from the registry
    assert res["source"].startswith("pytest verify") and res["timing"]["claims"]["lemB.1"]["seconds"] == 3.2
    assert "not run in this pytest session" in (out / "report.md").read_text()
    assert _external_refs((out / "report.html").read_text()) == []


@pytest.mark.parametrize("argv", [
    ["report", "--claims", "no-such-claim"],
    ["report", "--claims", "lemB.1,nope", "--quick"],
    ["report", "--claims", ","],
    ["report", "--from-pytest", "/nonexistent/claims.json"],
    ["report", "--jobs", "0"],
])
def test_report_cli_errors_exit_2(tmp_path, capsys, argv):
    code = main(argv + ["--out", str(tmp_path / "r"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


def _sleep(scale, seed):
    import time
    time.sleep(60)


def _die(scale, seed):
    import os
    os._exit(3)


def test_isolated_runs_timeout_and_crash(tmp_path, fake_claims, monkeypatch):
    for cid, fn in (("zz.sleep", _sleep), ("zz.die", _die)):
        monkeypatch.setitem(claims._REGISTRY, cid, Claim(cid, "p", "RECONSTRUCTED", "s", "m", fn))
    data = report.collect(["zz.pass", "zz.sleep", "zz.die", "zz.lost"], "quick", 0, progress=False,
                          jobs=2, timeout=3)
    by = {e.id: e for e in data["claims"]}
    assert by["zz.pass"].verdict == "PASS" and by["zz.pass"].certificate["ok"]
    assert by["zz.sleep"].verdict == "INCONCLUSIVE"
    assert by["zz.sleep"].summary == "stopped after the 3 s timeout (--timeout): not decided"
    assert by["zz.sleep"].error == by["zz.sleep"].summary and by["zz.sleep"].seconds >= 3
    assert by["zz.sleep"].command == "proofs-check claim zz.sleep --seed 0" and by["zz.sleep"].metrics == []
    assert by["zz.die"].verdict == "INCONCLUSIVE" and "exit code 3" in by["zz.die"].summary
    assert by["zz.lost"].verdict == "NOT CHECKED"
    assert [e.id for e in data["claims"]] == ["zz.die", "zz.lost", "zz.pass", "zz.sleep"]   # registry order


def test_update_keeps_old_claims_and_runs_the_missing(tmp_path, fake_claims, capsys):
    report.write(report.collect(["zz.pass", "zz.lost"], "quick", 0, progress=False), tmp_path)
    code = main(["report", "--update", "--claims", "zz.fail", "--quick", "--out", str(tmp_path), "--no-progress"])
    assert code == 1                                              # zz.fail FAILs
    res = json.loads((tmp_path / "results.json").read_text())
    by = {c["id"]: c for c in res["claims"]}
    assert by["zz.pass"]["verdict"] == "PASS" and by["zz.fail"]["verdict"] == "FAIL"
    assert by["zz.raise"]["verdict"] == "NOT CHECKED" and by["zz.raise"]["summary"] == "not run for this report"
    assert res["updates"][0]["claims"] == ["zz.fail"] and by["zz.pass"]["revision"]
    assert "timing" in res and res["timing"]["claims"]["zz.pass"]["seconds"] >= 0
    assert (tmp_path / "figures" / "zz.pass--loss_vs_r.png").exists()    # re-drawn from the stored spec
    # without --claims: the registered claims the report lacks (here the synthetic zz.raise and the real ones)
    assert report.missing_claims(report.load_results(tmp_path / "results.json"))[-1] == "zz.raise"
    assert main(["report", "--update", "--out", str(tmp_path / "none"), "--no-progress"]) == 2


def _pool(scale, seed):
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=1) as pool:
        v = pool.submit(abs, -2).result()
    return Result("zz.pool", claims.PASS if v == 2 else claims.FAIL, "a claim with its own process pool")


def test_isolated_claim_may_start_processes(monkeypatch):
    monkeypatch.setitem(claims._REGISTRY, "zz.pool", Claim("zz.pool", "p", "EXACT", "s", "m", _pool))
    data = report.collect(["zz.pool"], "quick", 0, progress=False, jobs=2, timeout=120)
    assert data["claims"][0].verdict == "PASS", data["claims"][0].summary


def test_claim_entry_json_round_trip_and_key_order():
    e = report.ClaimEntry("zz.x", "Lemma X", "EXACT", "s", "m", verdict="PASS", summary="ok",
                          metrics=[{"name": "a", "value": "1", "digits": 3, "note": ""}], command="c",
                          scale="quick", seed=0, revision="abc", seconds=1.5, certificate_seconds=0.5)
    d = e.to_json()
    assert list(d) == list(report.entry.JSON_KEYS) and "seconds" not in d
    assert report.ClaimEntry.from_json(d, e.timing()) == e
    assert "revision" not in e.replace(revision=None).to_json()
    failed = report.ClaimEntry.failed("lemA.1", "full", 3, "stopped", 2.0)
    assert failed.command == report.reproduce_command("lemA.1", "full", 3) == "proofs-check claim lemA.1 --full --seed 3"
    assert failed.verdict == "INCONCLUSIVE" and failed.error == "stopped" and failed.paper


@pytest.mark.parametrize("name", ["reference", "full"])
def test_committed_reports_render_the_same(tmp_path, name):
    """Loading a committed results.json and writing it again gives the same files (apart from the date)."""
    from pathlib import Path
    src = Path(__file__).resolve().parent.parent / "reports" / name
    if not (src / "results.json").exists():
        pytest.skip(f"no committed reports/{name}")
    report.write(report.load_results(src / "results.json"), tmp_path)
    generated = re.compile(r"(Generated\**:?\s*(</b>:)?\s*|\"generated_at\": \")\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    for f in ("results.json", "report.md", "report.html"):
        old, new = (generated.sub("DATE", p.read_text()) for p in (src / f, tmp_path / f))
        assert old == new, f
    assert report.html.stylesheet().startswith(":root") and report.html.stylesheet() in (tmp_path / "report.html").read_text()
