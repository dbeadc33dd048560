"""One executor for all parallel work: the report's claims and the claims' own sweeps.

Two kinds of work share it:

- :func:`pool_map` (a claim's sweep: one seeded task per sample, results in
  order).  Every task is seeded by its own inputs, so the results are the same
  whether the tasks run one after another, in local processes or on a Dask
  cluster, and whatever the nesting.
- :func:`run` (the report's claims: each task isolated in its own process, with a
  per-task timeout; a task that raises, dies or runs out of time becomes an
  :class:`Outcome` saying so instead of stopping the others).

Where the work runs:

- by default on local processes: :class:`concurrent.futures.ProcessPoolExecutor`
  with the ``fork`` context (the children inherit the parent's imports and
  registrations; the workers are not daemons, so a claim running in one may start
  its own pool for its sweep);
- on a Dask cluster (``dask.distributed``, the optional extra ``dask``) when a
  scheduler address is given (``proofs-check report --scheduler tcp://host:port``).
  A sweep started by a task that itself runs on a Dask worker goes to the same
  cluster (``distributed.worker_client``: the task leaves its thread slot while it
  waits), because Dask's worker processes are daemons and may not fork.

Nesting stays bounded as before: ``report --jobs N`` runs N claims at once and a
claim's sweep uses every core (the operating system shares the 2 cores of the
machine); on Dask the cluster's threads bound everything.

No files are written and no global state is shared, so the pools are safe under
pytest-xdist and inside ``report --jobs``.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .errors import InputError

DONE, RAISED, TIMED_OUT, DIED = "done", "raised", "timed out", "died"
_POLL = 1.0   # seconds between timeout checks
CONNECT_TIMEOUT = "20s"   # how long a Client waits for the scheduler named by --scheduler


@dataclass(frozen=True)
class Outcome:
    """What became of one task of :func:`run`.

    ``status`` is ``"done"`` (``value`` holds the result), ``"raised"`` (the task
    raised; ``message`` is ``"Type: text"`` and ``detail`` the traceback),
    ``"timed out"`` (stopped after ``timeout`` s) or ``"died"`` (its process
    ended without an answer; ``message`` says how).  ``seconds`` is wall time.
    """

    status: str
    value: Any = None
    message: str = ""
    detail: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the task returned a value."""
        return self.status == DONE


def _ctx():
    return multiprocessing.get_context("fork")


# ----------------------------------------------------------------------------- sweeps

def _on_dask_worker() -> bool:
    """True inside a task that a Dask worker runs (only if distributed is already imported)."""
    dist = sys.modules.get("distributed")
    if dist is None:
        return False
    try:
        dist.get_worker()
    except ValueError:
        return False
    return True


def pool_map(fn: Callable, tasks, *, jobs: int | None = None, scheduler: str | None = None) -> list:
    """Map ``fn`` over ``tasks``; results in order; the first task error is raised.

    ``jobs``: local processes (default every core; 1 runs in this process).
    ``scheduler``: a Dask scheduler address to run on instead.  Inside a task
    running on a Dask worker the sweep goes to that worker's cluster.

    >>> pool_map(abs, [-1, 2, -3], jobs=1)
    [1, 2, 3]
    """
    tasks = list(tasks)
    if scheduler is not None:
        with _client(scheduler) as client:
            return client.gather(client.map(fn, tasks, pure=False))
    if _on_dask_worker():
        from distributed import worker_client
        with worker_client() as client:
            return client.gather(client.map(fn, tasks, pure=False))
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return [fn(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_ctx()) as pool:
        return list(pool.map(fn, tasks))


@contextlib.contextmanager
def _client(scheduler: str):
    """A dask.distributed Client connected to ``scheduler`` (InputError if Dask is absent or unreachable)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(f"--scheduler {scheduler}: Dask is not installed "
                         "(pip install 'proofs-check[dask]')") from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise InputError(f"--scheduler {scheduler}: no Dask scheduler answers there ({e})") from None
    try:
        yield client
    finally:
        client.close()


# ----------------------------------------------------------------------------- isolated tasks

def _raised(exc: BaseException, seconds: float) -> Outcome:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).strip()
    return Outcome(RAISED, message=f"{type(exc).__name__}: {exc}", detail=tb, seconds=seconds)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a one-task pool whose task overran: end its worker process, then the pool."""
    terminate = getattr(pool, "terminate_workers", None)   # Python >= 3.14
    if terminate is not None:
        terminate()
    else:   # the same, through the pool's own table of its processes
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _exit_codes(pool: ProcessPoolExecutor) -> list:
    """Exit codes of a broken pool's processes.  The pool's own thread reaps them too: a join that loses
    that race reads None until the other thread has recorded the code, hence the short wait."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    deadline = time.monotonic() + 5
    for proc in procs:
        proc.join(5)
    while any(p.exitcode is None for p in procs) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p.exitcode for p in procs]


@contextlib.contextmanager
def _sigterm_stops():
    """A SIGTERM to this process raises KeyboardInterrupt, so no claim process is left behind."""
    def _stop(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if main else None
    try:
        yield
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _run_local(fn, tasks, jobs, timeout, on_start, on_done) -> list[Outcome]:
    """Each task in its own one-worker process pool, at most ``jobs`` at once."""
    out: list[Outcome | None] = [None] * len(tasks)
    pending, running = list(range(len(tasks))), {}

    def finish(i, outcome):
        out[i] = outcome
        on_done(i, outcome)

    with _sigterm_stops():
        try:
            while pending or running:
                while pending and len(running) < max(jobs, 1):
                    i = pending.pop(0)
                    pool = ProcessPoolExecutor(max_workers=1, mp_context=_ctx())
                    running[pool.submit(fn, tasks[i])] = (i, pool, time.perf_counter())
                    on_start(i)
                done, _ = wait(list(running), timeout=_POLL if timeout else None, return_when=FIRST_COMPLETED)
                for fut in done:
                    i, pool, t0 = running.pop(fut)
                    seconds = time.perf_counter() - t0
                    exc = fut.exception()
                    if exc is None:
                        outcome = Outcome(DONE, fut.result(), seconds=seconds)
                    elif isinstance(exc, BrokenProcessPool):
                        codes = [c for c in _exit_codes(pool) if c is not None]
                        outcome = Outcome(DIED, message=f"exit code {codes[0] if codes else 'unknown'}",
                                          seconds=seconds)
                    else:
                        outcome = _raised(exc, seconds)
                    pool.shutdown(wait=True)
                    finish(i, outcome)
                if timeout:
                    now = time.perf_counter()
                    for fut, (i, pool, t0) in list(running.items()):
                        if now - t0 > timeout:
                            del running[fut]
                            _stop_pool(pool)
                            finish(i, Outcome(TIMED_OUT, seconds=now - t0))
        finally:
            for fut, (i, pool, t0) in running.items():
                _stop_pool(pool)
    return out


def _run_dask(fn, tasks, scheduler, timeout, on_start, on_done) -> list[Outcome]:
    """Tasks on a Dask cluster, as many at once as it has threads; overruns are cancelled.

    Dask cannot stop a task that is already running: a cancelled overrun keeps its
    worker thread until it returns, but its result is dropped and the report goes on.
    """
    out: list[Outcome | None] = [None] * len(tasks)
    finished = threading.Event()   # set by Dask when any task ends
    with _client(scheduler) as client:
        slots = max(1, sum(client.nthreads().values()))
        pending, running = list(range(len(tasks))), {}
        try:
            while pending or running:
                while pending and len(running) < slots:
                    i = pending.pop(0)
                    fut = client.submit(fn, tasks[i], pure=False)
                    running[fut] = (i, time.perf_counter())
                    fut.add_done_callback(lambda f: finished.set())
                    on_start(i)
                finished.wait(_POLL)
                finished.clear()
                for fut in [f for f in running if f.done()]:
                    i, t0 = running.pop(fut)
                    seconds = time.perf_counter() - t0
                    if fut.status == "finished":
                        out[i] = Outcome(DONE, fut.result(), seconds=seconds)
                    else:
                        exc = fut.exception()
                        if type(exc).__name__ == "KilledWorker":
                            out[i] = Outcome(DIED, message=f"the Dask worker died ({exc})", seconds=seconds)
                        else:
                            out[i] = _raised(exc, seconds)
                    on_done(i, out[i])
                if timeout:
                    now = time.perf_counter()
                    for fut, (i, t0) in list(running.items()):
                        if now - t0 > timeout:
                            del running[fut]
                            fut.cancel()
                            out[i] = Outcome(TIMED_OUT, seconds=now - t0)
                            on_done(i, out[i])
        finally:
            for fut in running:
                fut.cancel()
    return out


def run(fn: Callable, tasks: Sequence, *, jobs: int = 1, timeout: float | None = None,
        scheduler: str | None = None, on_start: Callable | None = None,
        on_done: Callable | None = None) -> list[Outcome]:
    """Run ``fn(task)`` for every task, isolated, and return one :class:`Outcome` each, in order.

    Locally each task runs in a process of its own (at most ``jobs`` at once) and
    is stopped after ``timeout`` seconds; with ``jobs == 1`` and no timeout the
    tasks run in this process, one after another.  With ``scheduler`` (a Dask
    address such as ``tcp://127.0.0.1:8786``) they run on that cluster.
    ``on_start(i)`` and ``on_done(i, outcome)`` report progress.

    >>> [o.value for o in run(abs, [-1, -2])]
    [1, 2]
    """
    tasks = list(tasks)
    on_start = on_start or (lambda i: None)
    on_done = on_done or (lambda i, o: None)
    if jobs < 1:
        raise InputError(f"jobs = {jobs}: need at least 1")
    if scheduler is not None:
        return _run_dask(fn, tasks, scheduler, timeout, on_start, on_done)
    if jobs > 1 or timeout:
        return _run_local(fn, tasks, jobs, timeout, on_start, on_done)
    out = []
    for i, t in enumerate(tasks):
        on_start(i)
        t0 = time.perf_counter()
        try:
            outcome = Outcome(DONE, fn(t), seconds=time.perf_counter() - t0)
        except Exception as exc:
            outcome = _raised(exc, time.perf_counter() - t0)
        out.append(outcome)
        on_done(i, outcome)
    return out
