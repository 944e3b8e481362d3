"""Memory needed by a run, estimated before anything is allocated, and the memory available.

Measured (numpy engine, 2 steps, peak resident memory): ~190 MB for the interpreter and
libraries, about 1.5 kB per account and about 90 bytes per follow edge (the edge arrays, their
sort and the per-edge temporaries of the first steps). The follower graph grows during a run,
so the estimate counts 25% more edges than the initial ``initial_following`` asks for.
Parties of 2,049 to 16,384 accounts also keep a membership bit per possible edge (n^2 / 8
bytes, 30 MiB at 16,000 accounts).
"""

from __future__ import annotations

import os
import resource
from typing import TYPE_CHECKING

from sim.config.errors import ScenarioError
from sim.engine.edges import BIT_NODES, DENSE_NODES

if TYPE_CHECKING:
    from sim.config.scenarios import Scenario

BASE_BYTES = 200 * 2**20
BYTES_PER_ACCOUNT = 1_500
BYTES_PER_EDGE = 90
EDGE_GROWTH = 1.25


def estimate_bytes(scenario: Scenario) -> int:
    """Peak memory a run of ``scenario`` is expected to need, in bytes."""
    n = scenario.n_accounts
    edges = sum(g.count * min(g.values["initial_following"], n - 1) for g in scenario.groups)
    # mid-sized parties keep one membership bit per possible follow edge (sim/engine/edges.py)
    bits = n * n // 8 if DENSE_NODES < n <= BIT_NODES else 0
    return int(BASE_BYTES + BYTES_PER_ACCOUNT * n + BYTES_PER_EDGE * EDGE_GROWTH * edges + bits)


def available_bytes() -> int | None:
    """Memory this process may still use: the least of the machine's available memory, the
    cgroup's limit (containers, CI) and the process's own limit; None if none is known."""
    limits = []
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    limits += _cgroup_room()
    for which in (resource.RLIMIT_AS, resource.RLIMIT_DATA):
        soft, _ = resource.getrlimit(which)
        if soft != resource.RLIM_INFINITY:
            limits.append(max(0, soft - _own_bytes()))
    return min(limits) if limits else None


def _cgroup_room() -> list[int]:
    pairs = [
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),  # cgroup v2
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",  # cgroup v1
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ]
    for limit_file, usage_file in pairs:
        try:
            with open(limit_file, encoding="ascii") as f:
                raw = f.read().strip()
            if raw == "max" or int(raw) >= 2**60:
                return []
            with open(usage_file, encoding="ascii") as f:
                used = int(f.read().strip())
            return [max(0, int(raw) - used)]
        except (OSError, ValueError):
            continue
    return []


def _own_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def check_memory(scenario: Scenario, where: str = "") -> None:
    """Refuse a run that would not fit in memory, before it allocates anything."""
    need, have = estimate_bytes(scenario), available_bytes()
    if have is not None and need > have:
        prefix = f"{where}: " if where else f"{scenario.source}: "
        raise ScenarioError(
            f"{prefix}this run needs about {_gib(need)} of memory ({scenario.n_accounts:,} "
            f"accounts, about {_edges(scenario):,} follow edges) but {_gib(have)} is available; "
            "use fewer accounts or a smaller initial_following"
        )


def _edges(scenario: Scenario) -> int:
    n = scenario.n_accounts
    return sum(g.count * min(g.values["initial_following"], n - 1) for g in scenario.groups)


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB"


# Time: a rough, deliberately cautious figure for planning (docs/PERFORMANCE.md: 3.6-10 µs per
# account-hour with the compiled loops on an idle core; more on a busy machine or with numpy),
# so that an estimate errs long rather than short.
SECONDS_PER_ACCOUNT_HOUR = 6e-6
SECONDS_PER_HOUR = 2e-3  # the fixed cost of an hour, whatever the party's size
SECONDS_PER_RUN = 0.5  # set-up and outputs of one run
SAY_ESTIMATE_S = 60  # a run or check estimated longer than this prints its estimate first
# an account that left (quit_prob) is never online: it costs a session draw and its share of
# the hour's passes over every account, put at a tenth of an account there (an assumption;
# with it the town square's million-account week is estimated at 9.3 minutes against 7.6 to
# 9.1 measured, docs/PERFORMANCE.md; counted as a whole account it was 18)
GONE_ACCOUNT_COST = 0.1
# building the initial network grows with its ties (measured: 43 s for the town square's 35
# million at a million accounts, 3.8 s for 3.5 million: about 1.2 us a tie)
SECONDS_PER_START_EDGE = 1.5e-6


def estimate_seconds(scenario: Scenario, steps: int | None = None) -> float:
    """Roughly how long one run of ``scenario`` (``steps`` hours, default its own) takes,
    its set-up (the initial network) included."""
    hours = scenario.steps if steps is None else steps
    per_hour = SECONDS_PER_HOUR + SECONDS_PER_ACCOUNT_HOUR * _costed_accounts(scenario)
    set_up = SECONDS_PER_RUN + SECONDS_PER_START_EDGE * _edges(scenario)
    return set_up + hours * per_hour


def _costed_accounts(scenario: Scenario) -> float:
    """The accounts an hour costs, counting one that left (``quit_prob``) as
    :data:`GONE_ACCOUNT_COST` of one there."""
    return sum(
        g.count * (1 - g.values.get("quit_prob", 0.0) * (1 - GONE_ACCOUNT_COST))
        for g in scenario.groups
    )


def duration(seconds: float) -> str:
    """A duration in words for an estimate: ``40 s``, ``12 min``, ``3.5 h``, ``9 days``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:,.0f} days"


def gib(n_bytes: int) -> str:
    """Bytes as GiB for a message (one decimal)."""
    return _gib(n_bytes)
