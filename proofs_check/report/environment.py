"""The environment a report ran in: versions, precision settings, seed, git revision (no timestamps)."""
from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = ("mpmath", "sympy", "numpy", "scipy", "gmpy2", "python-flint", "hypothesis", "matplotlib", "tqdm")


def _git(*args) -> str | None:
    root = Path(__file__).resolve().parent.parent.parent
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _version(pkg: str, missing: str = "not installed") -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return missing


def environment(scale: str | None = None, seed: int | None = None) -> dict:
    """Versions, precision settings, seed and git revision (no timestamps)."""
    from .. import numbers
    import mpmath

    versions = {pkg: _version(pkg) for pkg in PACKAGES}
    versions["proofs-check"] = _version("proofs-check", "not installed (run from the source tree)")
    rev = _git("rev-parse", "HEAD")
    # the report's own output files (reports/) do not change what the claims compute: a report updated in
    # place (--update) would otherwise always read 'dirty'
    status = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)reports")
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.machine()}",
        "packages": versions,
        "precision": {
            "default_dps": numbers.DEFAULT_DPS,
            "guard_dps": numbers.GUARD_DPS,
            "dps_range": [numbers.MIN_DPS, numbers.MAX_DPS],
            "mpmath_backend": getattr(mpmath.libmp, "BACKEND", "unknown"),
            "note": "numbers.working(dps) sets mpmath and gmpy2/MPFR to dps + guard_dps digits; "
                    "each claim chooses its dps (see its method); QMC in dimension >= 3 is float64",
        },
        "scale": scale,
        "seed": seed,
        "git": {"revision": rev or "unknown",
                "dirty": None if status is None else bool(status),
                "note": "dirty = tracked files outside reports/ differ from the revision"},
    }


def revision_of(data: dict) -> str | None:
    """The git revision recorded in report data (None if none)."""
    return ((data.get("environment") or {}).get("git") or {}).get("revision")
