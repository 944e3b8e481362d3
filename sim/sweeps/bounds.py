"""Bounds before work: how big a sweep is, how long and how much memory it will take, and how
many workers this machine can run at once, all known before any run starts.

- A sweep of more than :data:`MAX_RUNS` runs is refused (its task list alone would not fit);
  counting the runs does not build the design, so a 100 x 100 x 100 grid is refused at once.
- A sweep of more than :data:`CONFIRM_RUNS` runs, or estimated to take more than
  :data:`CONFIRM_SECONDS`, starts only when confirmed (``--yes``, ``confirm=True``).
- Local workers are capped by the cores, the memory a run needs and the runs left to do
  (``--jobs 4096`` on two cores starts two processes).

The time is a rough, cautious estimate (:func:`sim.engine.resources.estimate_seconds`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace

from sim.engine.resources import available_bytes, duration, estimate_bytes, estimate_seconds, gib
from sim.sweeps.design import SweepError, SweepSpec

MAX_RUNS = 1_000_000
CONFIRM_RUNS = 10_000
CONFIRM_SECONDS = 3600.0  # "an estimated hour" in the message
SIZE_SAMPLE = 50  # design points whose scenario is read to estimate a run's time and memory


@dataclass(frozen=True)
class Plan:
    """What a sweep will ask of this machine."""

    runs: int
    points: int
    seconds_per_run: float
    bytes_per_run: int
    jobs: int
    asked_jobs: int
    why_fewer: str = ""

    def seconds(self, todo: int | None = None) -> float:
        """Estimated wall time of ``todo`` runs (default all) on :attr:`jobs` workers."""
        todo = self.runs if todo is None else todo
        return self.seconds_per_run * math.ceil(todo / max(self.jobs, 1))

    def describe(self, name: str, todo: int | None = None) -> str:
        """The estimate in one line, for stderr before the sweep starts."""
        todo = self.runs if todo is None else todo
        left = f"{todo:,} runs" + (f" (of {self.runs:,})" if todo != self.runs else "")
        line = (
            f"{name}: {left} ({self.points:,} points x {self.runs // max(self.points, 1):,} "
            f"reps) on {self.jobs} worker{'s' * (self.jobs != 1)}, about "
            f"{duration(self.seconds(todo))} and {gib(self.bytes_per_run)} per worker "
            "(a rough estimate)"
        )
        if self.jobs < self.asked_jobs:
            line += f"; --jobs {self.asked_jobs} lowered to {self.jobs} ({self.why_fewer})"
        return line


def n_points(spec: SweepSpec) -> int:
    """Design points, counted without building them."""
    grid = math.prod(len(v) for v in spec.grid.values()) if spec.grid else 1
    return grid * (spec.n if spec.sample else 1)


def plan_sweep(spec: SweepSpec, jobs: int, remote: bool, confirm: bool) -> Plan:
    """Check the sweep's size and work out its workers; raises :class:`SweepError` if it
    is too large, or large and not confirmed. ``remote``: the workers are a Dask cluster's
    (not capped by this machine)."""
    points = n_points(spec)
    runs = points * spec.reps
    if runs > MAX_RUNS:
        raise SweepError(
            f"{spec.source}: {runs:,} runs ({points:,} design points x {spec.reps:,} reps); "
            f"the limit is {MAX_RUNS:,}: sweep fewer values or fewer reps, or split the sweep"
        )
    seconds, need = _run_size(spec)
    capped, why = (jobs, "") if remote else worker_cap(jobs, need, runs)
    plan = Plan(runs, points, seconds, need, capped, jobs, why)
    if not confirm and (runs > CONFIRM_RUNS or plan.seconds() > CONFIRM_SECONDS):
        raise SweepError(
            f"{plan.describe(spec.name)}; that is more than {CONFIRM_RUNS:,} runs or "
            "an estimated hour: add --yes (confirm=True) to start it"
        )
    return plan


def _run_size(spec: SweepSpec) -> tuple[float, int]:
    """The largest time and memory of a run over (up to ``SIZE_SAMPLE``) design points."""
    import itertools

    # the first points of the design, read without building all of it
    grid = [
        dict(zip(spec.grid, values, strict=True))
        for values in itertools.islice(itertools.product(*spec.grid.values()), SIZE_SAMPLE)
    ]
    few = replace(spec, n=min(spec.n, SIZE_SAMPLE)) if spec.sample else spec
    sample = few._sample_points()  # a small hypercube over the same bounds
    picked = [{**g, **s} for g in grid for s in sample][:SIZE_SAMPLE]
    scenarios = [spec.scenario_at(p) for p in picked] or [spec.scenario_at({})]
    seconds = max(estimate_seconds(sc) for sc in scenarios)
    need = max(estimate_bytes(sc) for sc in scenarios)
    return seconds, need


def worker_cap(jobs: int, bytes_per_run: int, runs: int) -> tuple[int, str]:
    """Workers this machine can run at once: at most its cores, the runs that fit in the
    memory available, and the runs to do; with the reason when fewer than ``jobs``."""
    cores = os.cpu_count() or 1
    have = available_bytes()
    fit = max(1, have // max(bytes_per_run, 1)) if have is not None else jobs
    limits = {
        f"{cores} core{'s' * (cores != 1)}": cores,
        f"memory for {fit} run{'s' * (fit != 1)} at once": fit,
        f"{runs} run{'s' * (runs != 1)}": max(runs, 1),
    }
    cap = min(jobs, *limits.values())
    why = ", ".join(k for k, v in limits.items() if v == cap)
    return cap, why
