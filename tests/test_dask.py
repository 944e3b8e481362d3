"""The Dask engine on a real cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, started and stopped by the test. The same sweep must give the same rows as the
local engine, whichever worker ran each run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim import sweeps
from sim.engine import kernels
from sim.sweeps import engines

pytestmark = pytest.mark.dask
DASK = Path(sys.executable).with_name("dask")
SWEEP = """
name = "dask_small"
scenario = "default"

[sweep]
reps = 2
root_seed = 9
steps = 12
record_every = 6

[sweep.set]
"regular.count" = 60

[sweep.grid]
follow_base_prob = [0.01, 0.04]
"broadcaster.count" = [5, 10]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not DASK.exists():
        pytest.fail(f"the dask command is missing ({DASK}); install partysim[dask]")
    logs = tmp_path_factory.mktemp("dask-logs")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []

    def start(name: str, *args: str) -> None:
        log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        procs.append(
            subprocess.Popen(
                [str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )

    try:
        start(
            "scheduler",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-address",
            "127.0.0.1:0",  # its HTTP server too, not 0.0.0.0:8787
        )
        wait_for_port(port)
        for i in range(2):
            start(
                f"worker{i}",
                "worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--host",
                "127.0.0.1",
                "--dashboard-address",
                "127.0.0.1:0",
                "--name",
                f"w{i}",
            )
        from dask.distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for proc in reversed(procs):
            stop(proc)


def test_dask_cluster_gives_the_same_rows_as_the_local_engine(cluster, tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP)
    local = sim.sweep(file, jobs=1, out=tmp_path / "local", progress=False)
    remote = sim.sweep(file, engine="dask", address=cluster, out=tmp_path / "dask", progress=False)
    assert remote.attrs["failed"] == []
    assert len(remote) == 4 * 2 * 7  # points x reps x strategies
    pd.testing.assert_frame_equal(local, remote)
    pd.testing.assert_frame_equal(
        sweeps.read_results(tmp_path / "local", "steps"),
        sweeps.read_results(tmp_path / "dask", "steps"),
    )


def test_runs_are_spread_over_both_workers(cluster, tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP.replace("reps = 2", "reps = 4"))
    sim.sweep(file, engine="dask", address=cluster, out=tmp_path / "out", progress=False)
    manifest = pd.read_json(tmp_path / "out" / "manifest.jsonl", lines=True)
    from dask.distributed import Client

    with Client(cluster, timeout="30s") as client:
        worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2
    assert set(manifest["pid"]) == worker_pids  # every run ran on a worker, both took part
    assert (manifest["status"] == "ok").all() and len(manifest) == 16


def test_a_long_sweep_loads_the_compiled_loops_on_every_worker_first(cluster, monkeypatch):
    """Workers of a sweep long enough (two default weeks per worker, as for the local pool)
    use the compiled loops from their first run, not after two weeks of numpy."""
    from dask.distributed import Client

    if not kernels.available():
        pytest.skip("numba is not installed")
    monkeypatch.setattr(engines, "_work", lambda tasks: 2 * kernels.AUTO_AFTER)
    with Client(cluster, timeout="30s") as client:
        # as a fresh worker under auto (earlier tests may have run enough to switch them on)
        client.run(lambda: kernels._state.update(on=False, work=0, mode="auto", pinned=False))
        assert not any(client.run(lambda: kernels._state["on"]).values())
        engines._warm_dask_workers(client, [])
        states = client.run(lambda: kernels._state["on"])
    assert len(states) == 2 and all(states.values())


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP)
    with pytest.raises(sweeps.SweepError, match="cannot reach the Dask scheduler"):
        sim.sweep(file, engine="dask", address=f"tcp://127.0.0.1:{free_port()}", progress=False)


def test_scheduler_without_workers_is_a_clear_error_and_a_rerun_may_go_on(tmp_path, monkeypatch):
    from dask.distributed import LocalCluster

    from sim.sweeps import engines

    monkeypatch.setattr(engines, "WORKER_WAIT_S", 2.0)
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP)
    out = tmp_path / "out"
    with LocalCluster(n_workers=0, processes=False, dashboard_address="127.0.0.1:0") as empty:
        for _ in range(2):  # the set-up files left by the first try do not block the second
            with pytest.raises(sweeps.SweepError, match="no Dask worker joined"):
                sim.sweep(file, engine="dask", address=empty.scheduler_address, out=out,
                          progress=False)  # fmt: skip
    assert not list((out / "summary").glob("*"))


def test_every_worker_gone_mid_sweep_stops_with_a_message(tmp_path, monkeypatch):
    """The only worker leaves once the first run's result is in (a real event, not a timer
    racing the sweep: a warm worker could finish every run before a timer fired)."""
    from dask.distributed import LocalCluster

    from sim.sweeps import engines

    monkeypatch.setattr(engines, "WORKER_WAIT_S", 3.0)
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP.replace("reps = 2", "reps = 20").replace("steps = 12", "steps = 48"))
    seen = []
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        first_result = engines._result

        def result_then_leave(future):
            out = first_result(future)
            if not seen:
                seen.append(out)
                cluster.scale(0)  # every worker gone, 79 runs still to do
            return out

        monkeypatch.setattr(engines, "_result", result_then_leave)
        with pytest.raises(sweeps.SweepAborted, match="no Dask worker left.*--resume"):
            sim.sweep(file, engine="dask", address=cluster.scheduler_address,
                      out=tmp_path / "out", progress=False)  # fmt: skip
    assert len(seen) == 1  # the worker left after the first result, not before it


def listening(root: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket listening in ``root`` and its descendants."""
    import psutil

    proc = psutil.Process(root)
    pids = {root} | {c.pid for c in proc.children(recursive=True)}
    return {
        (c.laddr.ip, c.laddr.port)
        for c in psutil.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.pid in pids
    }


LOCAL = {"127.0.0.1", "::1"}


def test_the_test_cluster_listens_on_this_machine_only(cluster):
    seen = listening(os.getpid())
    assert any(port == int(cluster.rsplit(":", 1)[1]) for _, port in seen)  # it sees the scheduler
    assert {ip for ip, _ in seen} <= LOCAL, seen


def test_a_local_dask_sweep_listens_on_this_machine_only(tmp_path):
    """The LocalCluster a sweep starts (scheduler, workers, their HTTP servers)."""
    import threading

    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP.replace("reps = 2", "reps = 1"))
    thread = threading.Thread(
        target=sim.sweep,
        args=(file,),
        kwargs={"engine": "dask", "jobs": 1, "out": tmp_path / "out", "progress": False},
    )
    seen: set[tuple[str, int]] = set()
    thread.start()
    while thread.is_alive():
        seen |= listening(os.getpid())
        time.sleep(0.1)
    assert (tmp_path / "out" / "manifest.jsonl").exists()
    assert seen, "no listening socket seen while the sweep ran"
    assert {ip for ip, _ in seen} <= LOCAL, seen
