"""The package's layers, checked as plain tests (issue 16).

- no import cycle among the package's modules (imports inside functions count too);
- the library never imports the claims (data flows model -> expectation ->
  gradient -> dynamics -> claims -> report / CLI / API);
- raw precision switches (mpmath, MPFR, Arb) appear only in ``numbers.py``;
- no module over about 500 lines without a reason in its docstring;
- every public definition has a docstring.

The checks read the source with :mod:`ast`; nothing is imported.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "proofs_check"
ROOT = PACKAGE.parent
MAX_LINES = 500
SIZE_REASON = "Over 500 lines because"
# above the claims: the only modules allowed to import ``proofs_check.claims``
ABOVE_CLAIMS = ("proofs_check.claims", "proofs_check.report", "proofs_check.commands",
                "proofs_check.cli", "proofs_check.api")
API = "proofs_check"   # the package's __init__: the public Python API, above everything
RAW_PRECISION = re.compile(
    r"\b(?:mp|mpmath|ctx|flint\.ctx)\.(?:workdps|workprec|extradps|extraprec)\b"
    r"|\b(?:mp|mpmath)\.(?:dps|prec)\s*=[^=]"
    r"|\bctx\.(?:dps|prec)\s*=[^=]"
    r"|\bgmpy2\.(?:context|local_context|set_context|ieee)\s*\(")


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(current: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The package modules an import statement loads (submodules named in ``from x import y`` too)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "proofs_check"]
    if node.level:
        base = current.split(".") if is_package else current.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != "proofs_check":
        return []
    found = [target]
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        if sub in MODULES:
            found.append(sub)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its body), parents excluded."""
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        is_package = path.name == "__init__.py"
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(name, is_package, node):
                    # importing a submodule runs its parent packages' __init__ first; that is
                    # the package's public face, not a dependency of the library module itself
                    if target in MODULES and not name.startswith(target + ".") and target != name:
                        deps.add(target)
        graph[name] = deps
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _is_library(name: str) -> bool:
    """True for the modules below the claims (everything but the claims, report, CLI and API)."""
    return name != API and not any(name == top or name.startswith(top + ".") for top in ABOVE_CLAIMS)


def test_no_import_cycle():
    cycles = _cycles(import_graph())
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_library_never_imports_claims():
    bad = sorted(f"{name} imports {dep}" for name, deps in import_graph().items() if _is_library(name)
                 for dep in deps if dep == "proofs_check.claims" or dep.startswith("proofs_check.claims."))
    assert not bad, "the library imports the claims: " + "; ".join(bad)


def test_raw_precision_switches_only_in_numbers():
    bad = []
    for name, path in MODULES.items():
        if name == "proofs_check.numbers":
            continue
        for i, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if RAW_PRECISION.search(code):
                bad.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not bad, f"{len(bad)} raw precision switches outside numbers.py:\n" + "\n".join(bad)


def test_modules_are_short_or_say_why():
    bad = []
    for name, path in MODULES.items():
        text = path.read_text()
        lines = text.count("\n") + 1
        doc = ast.get_docstring(ast.parse(text)) or ""
        if lines > MAX_LINES and SIZE_REASON not in doc:
            bad.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not bad, f"modules over {MAX_LINES} lines without '{SIZE_REASON} ...' in the docstring: " + ", ".join(bad)


def _public_definitions(tree: ast.Module):
    """(name, node) of public module-level functions and classes, and public methods of public classes."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            yield node.name, node
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if (isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                            and not item.name.startswith("_")):
                        yield f"{node.name}.{item.name}", item


def test_every_public_definition_has_a_docstring():
    bad = []
    total = 0
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        for qual, node in _public_definitions(tree):
            total += 1
            if not ast.get_docstring(node):
                bad.append(f"{name}.{qual}")
    assert not bad, f"{len(bad)} of {total} public definitions have no docstring: " + ", ".join(bad)


# -- the checks themselves must be able to fail -------------------------------------------------
def test_cycle_finder_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("line", ["with mp.workdps(30):", "with mpmath.workprec(200):", "mp.dps = 50",
                                  "with gmpy2.context(gmpy2.get_context(), precision=99):",
                                  "with ctx.workprec(bits + 30):", "gmpy2.set_context(c)"])
def test_raw_switch_pattern_catches(line):
    assert RAW_PRECISION.search(line)


@pytest.mark.parametrize("line", ["with working(dps):", "if mp.dps == 30:", "with at_digits(dps + 25):",
                                  "p = Precision(30)"])
def test_raw_switch_pattern_allows(line):
    assert not RAW_PRECISION.search(line)


def test_resolve_reads_relative_imports():
    node = ast.parse("from ..numbers import working").body[0]
    assert _resolve("proofs_check.claims.threshold", False, node) == ["proofs_check.numbers"]
    node = ast.parse("from . import gradient").body[0]
    assert "proofs_check.gradient" in _resolve("proofs_check.cli", False, node)
    node = ast.parse("from .. import gradient").body[0]
    assert "proofs_check.gradient" in _resolve("proofs_check.commands", True, node)


def test_layer_test_knows_the_library():
    assert _is_library("proofs_check.stress") and _is_library("proofs_check.bench_cases.dynamics")
    assert not _is_library("proofs_check.claims.threshold") and not _is_library("proofs_check")
    assert not _is_library("proofs_check.commands.report")


def test_test_files_have_unique_basenames():
    """pytest imports test files by basename (no packages): tests/X.py and verify/X.py cannot both exist."""
    seen = {}
    for p in sorted(ROOT.glob("tests/**/test_*.py")) + sorted(ROOT.glob("verify/**/test_*.py")):
        assert p.name not in seen, f"{p.relative_to(ROOT)} and {seen[p.name].relative_to(ROOT)} share a basename"
        seen[p.name] = p
