"""The claims' sweeps in parallel: a thin alias onto :mod:`proofs_check.executor`.

Kept so that ``from proofs_check.parallel import pool_map`` goes on working while
callers move to ``proofs_check.executor.pool_map`` (the one executor).
"""
from __future__ import annotations

from .executor import pool_map

__all__ = ["pool_map"]
