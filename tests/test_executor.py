"""The one executor: the same results serially, in local processes and on a Dask cluster; timeouts and crashes
become outcomes; a report on a local Dask cluster gives the verdicts of a local run."""
import os
import time

import numpy as np
import pytest

from proofs_check import executor, report
from proofs_check.cli import main
from proofs_check.errors import InputError


def _seeded(seed):
    """A sweep task: seeded by its own input, so where it runs cannot change it."""
    return float(np.random.default_rng(seed).standard_normal(3).sum())


def _nested(seed):
    """A task that runs a sweep of its own (as a claim inside a report worker does)."""
    return executor.pool_map(_seeded, [seed, seed + 1, seed + 2])


def _slow(x):
    time.sleep(x)
    return x


def _raise(x):
    raise ValueError(f"bad {x}")


def _die(x):
    os._exit(7)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=40) as c:
        yield c.scheduler_address


def test_pool_map_same_results_serial_pool_and_alias():
    tasks = list(range(6))
    serial = executor.pool_map(_seeded, tasks, jobs=1)
    assert executor.pool_map(_seeded, tasks, jobs=2) == serial
    assert executor.pool_map(_nested, [0, 10], jobs=2) == [serial[0:3], [_seeded(s) for s in (10, 11, 12)]]


def test_run_outcomes_locally():
    out = executor.run(_slow, [0.0, 30.0], jobs=2, timeout=2)
    assert out[0].ok and out[0].value == 0.0
    assert out[1].status == executor.TIMED_OUT and 2 <= out[1].seconds < 20
    raised, died = executor.run(_raise, [1], timeout=30)[0], executor.run(_die, [1], jobs=2)[0]
    assert raised.status == executor.RAISED and raised.message == "ValueError: bad 1" and "Traceback" in raised.detail
    assert died.status == executor.DIED and died.message == "exit code 7"
    serial = executor.run(_raise, [2])[0]          # jobs 1, no timeout: in this process, still an outcome
    assert serial.status == executor.RAISED and serial.message == "ValueError: bad 2"


def test_pool_map_on_dask_same_results(cluster):
    tasks = list(range(6))
    serial = executor.pool_map(_seeded, tasks, jobs=1)
    assert executor.pool_map(_seeded, tasks, scheduler=cluster) == serial
    # a sweep started inside a Dask task goes to the same cluster (Dask's workers may not fork)
    assert executor.pool_map(_nested, [0, 3], scheduler=cluster) == [serial[0:3], serial[3:6]]


def test_run_timeout_on_dask(cluster):
    out = executor.run(_slow, [0.5, 30.0], scheduler=cluster, timeout=2)
    assert out[0].ok and out[0].value == 0.5 and out[1].status == executor.TIMED_OUT
    assert executor.run(_raise, [3], scheduler=cluster)[0].message == "ValueError: bad 3"


def test_no_scheduler_there_is_an_input_error(monkeypatch):
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(InputError, match="--scheduler"):
        executor.pool_map(_seeded, [1], scheduler="tcp://127.0.0.1:9")
    with pytest.raises(InputError):
        executor.run(_seeded, [1], jobs=0)


def _verdicts(path):
    import json
    res = json.loads((path / "results.json").read_text())
    return {c["id"]: (c["verdict"], [m["value"] for m in c["metrics"]]) for c in res["claims"] if c["metrics"]}


def test_report_on_a_local_dask_cluster_matches_a_local_run(tmp_path, cluster):
    """lemA.3 (fast) and lemD.3 (its sweep goes through pool_map, so it nests on the cluster)."""
    ids = "lemA.3,lemD.3"
    assert main(["report", "--quick", "--claims", ids, "--out", str(tmp_path / "local"), "--jobs", "2",
                 "--no-progress"]) == 0
    assert main(["report", "--quick", "--claims", ids, "--out", str(tmp_path / "dask"), "--scheduler", cluster,
                 "--timeout", "120", "--no-progress"]) == 0
    local, dask = _verdicts(tmp_path / "local"), _verdicts(tmp_path / "dask")
    assert set(local) == {"lemA.3", "lemD.3"} and local == dask
    assert local["lemA.3"][0] == "PASS"
    md = (tmp_path / "dask" / "report.md").read_text()
    assert f"--scheduler {cluster}" in md


def test_report_entries_survive_the_trip_back_from_a_worker(cluster):
    data = report.collect(["lemA.1"], "quick", 0, progress=False, scheduler=cluster)
    e = data["claims"][0]
    assert isinstance(e, report.ClaimEntry) and e.verdict == "PASS" and e.command == "proofs-check claim lemA.1 --seed 0"
