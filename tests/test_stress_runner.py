"""The stress harness is reproducible: a seed gives the same inputs whatever else is loaded."""
from __future__ import annotations

import subprocess
import sys

import pytest

from proofs_check import stress

_SCRIPT = """
import sys, contextlib
from proofs_check import stress
from proofs_check.stress import runner
if sys.argv[1] == "unguarded":
    runner.without_source_constants = contextlib.nullcontext
if sys.argv[2] == "more":   # more local modules loaded: more literals for hypothesis to draw
    import proofs_check.report, proofs_check.claims.threshold, proofs_check.claims.far_initialisation
rep = stress.run("lemD.1", 40, seed=0)
print(sorted((n, str(w.value), str(w.input)) for n, w in rep.worst.items()))
"""


def _worst_in_fresh_process(guard: str, modules: str) -> str:
    out = subprocess.run([sys.executable, "-c", _SCRIPT, guard, modules], capture_output=True, text=True,
                         check=True)
    return out.stdout


def test_a_seed_means_the_same_inputs_whatever_modules_are_loaded():
    """Hypothesis draws literals from loaded local modules' source; the harness must not."""
    assert _worst_in_fresh_process("guarded", "few") == _worst_in_fresh_process("guarded", "more")


def test_the_probe_above_would_see_the_defect():
    """Without the guard the same seed gives other inputs (so the test above can fail)."""
    providers = pytest.importorskip("hypothesis.internal.conjecture.providers")
    if not hasattr(providers, "_get_local_constants"):
        pytest.skip("this hypothesis draws no literals from source files: nothing to guard against")
    assert _worst_in_fresh_process("unguarded", "few") != _worst_in_fresh_process("unguarded", "more")


def test_the_switch_is_undone():
    from hypothesis.internal.conjecture import providers
    saved = providers._get_local_constants
    with stress.runner.without_source_constants():
        assert providers._get_local_constants is not saved
        assert len(providers._get_local_constants()) == 0
    assert providers._get_local_constants is saved
