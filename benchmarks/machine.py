"""The machine a benchmark ran on: CPU model, cores, load, Python, numpy, Mesa and numba
versions, and whether the engine's compiled loops may run (``PARTYSIM_KERNELS``).

Absolute times differ from machine to machine (and on a shared machine from minute to
minute); ratios measured in one run do not. Every benchmark prints this first, so a figure is
never quoted without its machine. Usage: ``python benchmarks/machine.py [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux) with its family/model numbers, clock
    and cache (virtual machines often name only "Xeon Processor"), else what ``platform``
    knows."""
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), " ".join(value.split()))
    except OSError:
        pass
    name = fields.get("model name") or platform.processor() or platform.machine() or "unknown CPU"
    details = []
    if "cpu family" in fields and "model" in fields:
        details.append(f"family {fields['cpu family']} model {fields['model']}")
    if "cpu MHz" in fields:
        details.append(f"{float(fields['cpu MHz']):.0f} MHz")
    if "cache size" in fields:
        details.append(f"cache {fields['cache size']}")
    return f"{name} ({', '.join(details)})" if details else name


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    """What the figures depend on: CPU, cores (and those this process may use), load average
    at the time of the call, OS, and the versions of Python, numpy and Mesa."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "load_average_1min": round(load[0], 2),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "mesa": _version("mesa"),
        "numba": _version("numba"),
        # PARTYSIM_KERNELS: whether the engine's compiled loops may run (sim/engine/kernels.py)
        "kernels": os.environ.get("PARTYSIM_KERNELS", "auto"),
    }


def describe(info: dict | None = None) -> str:
    """One line naming the machine, e.g. for the top of a benchmark's output."""
    m = info or machine()
    return (
        f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"load {m['load_average_1min']:.2f}; Python {m['python']}, numpy {m['numpy']}, "
        f"Mesa {m['mesa']}, numba {m['numba']} (compiled loops: {m['kernels']}); {m['os']}"
    )


def print_machine(file=sys.stdout) -> dict:
    """Print :func:`describe` and return the facts (to store beside the figures)."""
    info = machine()
    print(describe(info), file=file, flush=True)
    return info


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the facts as JSON")
    if parser.parse_args().json:
        print(json.dumps(machine()))
    else:
        print_machine()
