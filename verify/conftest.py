"""pytest plumbing for the claim checks: run a claim once, record its outcome.

``--claim-scale full`` runs the full sweeps (default: quick);
``--claims-json PATH`` writes every claim result of the run to PATH, which
``proofs-check report --from-pytest PATH`` renders.
"""
from __future__ import annotations

import json

import pytest

from proofs_check import claims
from proofs_check.strategies import load_default_profile

load_default_profile()  # hypothesis profile 'ci' unless --hypothesis-profile names another (issue 5)

_RESULTS: dict = {}


def pytest_addoption(parser):
    parser.addoption("--claim-scale", default="quick", choices=claims.SCALES,
                     help="scale of the claim checks (default quick)")
    parser.addoption("--claims-json", default=None, help="write the claim results of this run to this JSON file")


@pytest.fixture(scope="session")
def run_claim(request):
    """``run_claim(id)`` -> Result, computed once per session."""
    scale = request.config.getoption("--claim-scale")

    def _run(cid: str):
        if cid not in _RESULTS:
            _RESULTS[cid] = claims.run(cid, scale=scale, seed=0)
        return _RESULTS[cid]
    return _run


def _entries() -> list:
    reg = claims.registry()
    out = []
    for cid, res in _RESULTS.items():
        d = res.to_json()
        c = reg[cid]
        d.update({"paper": c.paper, "status": c.status, "statement": c.statement, "method": c.method})
        out.append(d)
    return out


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("--claims-json", default=None)
    if not path:
        return
    out = _entries()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the results to the controller
        workeroutput["claims_json"] = json.dumps(out, default=str)
        return
    out += _FROM_WORKERS
    if out:
        order = list(claims.registry())
        out.sort(key=lambda d: order.index(d["claim_id"]) if d["claim_id"] in order else len(order))
        doc = {"source": "pytest verify", "results": out}
        try:  # the report renders this environment (versions, precision, git revision)
            from proofs_check import report
            doc["environment"] = report.environment(session.config.getoption("--claim-scale"), 0)
        except Exception:
            pass
        with open(path, "w") as f:
            json.dump(doc, f, indent=2, default=str)


_FROM_WORKERS: list = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist controller: collect each worker's claim results (else -n 2 would lose them)."""
    data = getattr(node, "workeroutput", {}).get("claims_json")
    if data:
        _FROM_WORKERS.extend(json.loads(data))
