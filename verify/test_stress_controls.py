"""Negative controls for the stress harness (issue 5): deliberately wrong variants of every
inequality and identity (a constant too small, a flipped sign, a missing term) must be caught by the
same harness, with a shrunk counterexample, and the claims' own judge must call the result a FAIL.
This is the evidence the stress tests and the stress claims can fail."""
import json

import pytest

from proofs_check import stress
from proofs_check.claims import FAIL
from proofs_check.claims.inequalities import judge_probe, probe_outcome


@pytest.mark.parametrize("cid", list(stress.CONTROLS))
def test_wrong_variant_is_caught(cid):
    ctrl = stress.get(cid)
    rep = stress.run(ctrl, examples=60, seed=0, max_shrinks=25, confirm=False, shrink_seconds=3)
    print("\n" + rep.explain())
    assert rep.counterexample is not None, f"negative control {cid} ({ctrl.wrong}) was NOT caught:\n{rep.explain()}"
    # the claims' judge maps the caught counterexample to FAIL (never PASS, never INCONCLUSIVE)
    v = judge_probe(probe_outcome(rep))
    assert v.verdict == FAIL and json.dumps(rep.counterexample) in v.reason, v.reason
    # the shrunk counterexample really is one: evaluating it alone reproduces the failure
    _, checks = stress.evaluate_input(ctrl, json.dumps(rep.counterexample))
    assert any(c.bad for c in checks)
    assert "--seed 0" in rep.command
    # and the correct statement holds at that same input
    _, good = stress.evaluate_input(stress.get(ctrl.control_of), json.dumps(rep.counterexample))
    assert not any(c.bad for c in good), [c.describe() for c in good]
