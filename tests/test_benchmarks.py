"""The benchmark scripts stay runnable: each one parses its options (``--help``), and the
machine report every benchmark prints first names the CPU and the versions."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name != "machine.py")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=BENCHMARKS
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_benchmark_parses_its_options(script):
    done = _run(script, "--help")
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_the_machine_report_names_cpu_cores_and_versions():
    done = _run("machine.py", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["cpu"] and report["cores"] >= 1
    assert report["python"].count(".") == 2 and report["numpy"][0].isdigit()
