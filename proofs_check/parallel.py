"""Process pools for the claims' sweeps: one seeded task per sample, results in order.

No files are written and no global state is shared, so a pool is safe under
pytest-xdist and inside ``report --jobs``.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def pool_map(fn, tasks):
    """Map ``fn`` over ``tasks`` in a process pool (every core); results in order."""
    tasks = list(tasks)
    workers = min(os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return [fn(t) for t in tasks]
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
        return list(ex.map(fn, tasks))
