"""A published fact as the reality check declares it (:class:`Fact`): what is measured, the
band it should land in, the source, and how it is judged over replications. The populations'
fact lists are in :mod:`sim.analysis.check` (the default party) and
:mod:`sim.analysis.town_square`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.analysis.stats import FEW_REPS, interval

INF = float("inf")
SHARE = (0.0, 1.0)  # the ranges a measure can take: its interval never leaves them
POSITIVE = (0.0, INF)
SHARE_GAP = (-1.0, 1.0)
ANY = (-INF, INF)


@dataclass(frozen=True)
class Fact:
    """A published fact: what is measured, the band it should land in, and the source.

    A fact passes when the mean over replications lies in the band; a ``directional`` fact
    (a comparison, band "> 0") also needs its whole 95% interval above the lower bound.
    ``value_range`` is the range the measure can take (a share: 0 to 1); the interval is cut
    there."""

    name: str
    measure: str
    low: float
    high: float
    source: str
    scenario: str | None = None  # measured on this scenario, not on the one checked
    directional: bool = False
    compares: tuple[str, str] = field(default=("", ""))
    long_run: bool = False  # measured over ``LONG_RUN_HOURS`` (or run_check's long_steps)
    value_range: tuple[float, float] = ANY

    def judge(self, values) -> dict:
        mean, lo, hi = interval(values, bounds=self.value_range)
        n = int(np.isfinite(np.asarray(values, dtype=float)).sum())
        ok = bool(self.low <= mean <= self.high)
        if self.directional:
            ok = ok and lo > self.low
        return {
            "fact": self.name,
            "measure": self.measure,
            "band": [self.low, self.high],
            "mean": mean,
            "interval95": [lo, hi],
            "range": list(self.value_range),
            "few_reps": n < FEW_REPS,
            "status": "pass" if ok else "warn",
            "source": self.source,
            "scenario": self.scenario,
            "long_run": self.long_run,
            "values": [float(v) for v in values],
        }
