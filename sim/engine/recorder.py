"""Per-hour outcomes recorded into one preallocated array, served through Mesa's DataCollector.

Mesa's ``DataCollector`` calls every model reporter once per step and deep-copies each value:
with ~100 reporters ("metric|strategy") that cost about as much per hour as a whole phase of a
small party. :class:`Recorder` is a ``mesa.DataCollector`` that computes the same values with a
few array operations per hour and writes them into one row of a preallocated float array. Its
``model_vars``, ``get_model_vars_dataframe()`` and ``_collection_steps`` are what Mesa's own
collector would hold, so ``mesa.batch_run`` and :func:`sim.analysis.metrics.tidy_steps` work unchanged.

The reporters themselves stay named module-level functions (:func:`sim.engine.reporters.reporters`,
kept in ``Recorder.model_reporters``): they define each column, and
tests/test_recorder.py checks that the recorded columns equal what Mesa's ``DataCollector``
records with them. To collect your own reporters, give the model a ``mesa.DataCollector``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim.engine import kernels, reporters
from sim.engine.reporters import SEP, STEP_METRICS, SUM_METRICS

INT_COLUMNS = ("follow_edges",)  # recorded as floats, served as ints (as the reporter returns)


def column_names(strategies: Sequence[str]) -> list[str]:
    """The recorded columns, in the order of :func:`sim.engine.reporters.reporters`."""
    return [f"{m}{SEP}{s}" for m in STEP_METRICS for s in strategies] + [
        "follow_edges",
        "reciprocity",
    ]


class Recorder(mesa.DataCollector):
    """A ``mesa.DataCollector`` for :class:`sim.PartyModel` that records every step metric per
    strategy, ``follow_edges`` and ``reciprocity`` into preallocated arrays.

    Args:
        model: the model whose outcomes are recorded (its strategies and size fix the columns).
        agent_reporters, tables: passed to ``mesa.DataCollector`` (collected the Mesa way).
    """

    def __init__(
        self,
        model: mesa.Model,
        agent_reporters: dict[str, Any] | None = None,
        tables: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(agent_reporters=agent_reporters, tables=tables)
        strategies = list(model.strategy_names)
        self.columns = column_names(strategies)
        # named reporters, one per column: documentation and Mesa's API, not called per hour
        self.model_reporters = reporters.reporters(strategies)
        self.model_vars = RecordedVars(self)
        self._k = len(strategies)
        self._rows = np.zeros((int(model.spec.steps) + 1, len(self.columns)))
        self.n_rows = 0
        self._init_groups(np.asarray(model.strategy_id))

    def _init_groups(self, strategy_id: np.ndarray) -> None:
        """Accounts are summed per run of equal strategy ids (one ``reduceat`` per counter),
        then runs are merged into strategies (a no-op when each strategy is one run)."""
        n, k = len(strategy_id), self._k
        self._starts = np.flatnonzero(np.r_[True, strategy_id[1:] != strategy_id[:-1]])
        if n == 0:
            self._starts = np.zeros(0, dtype=np.int64)
        run_strategy = strategy_id[self._starts]
        self._run_strategy = run_strategy.astype(np.int64)
        self._merge = None
        if not np.array_equal(run_strategy, np.arange(k)):
            self._merge = np.zeros((len(self._starts), k), dtype=np.int64)
            self._merge[np.arange(len(self._starts)), run_strategy] = 1
        # row 0: followers (in-degree), then one row per counter: the layout of STEP_METRICS
        self._sums = np.zeros((len(SUM_METRICS) + 1, len(self._starts)), dtype=np.int64)
        accounts = np.bincount(strategy_id, minlength=k)
        self._accounts_safe = np.maximum(accounts, 1)
        self._standard = STEP_METRICS == ("followers_mean", *SUM_METRICS)

    # ------------------------------------------------------------------ recording
    def collect(self, model: mesa.Model) -> None:
        """Record this step's outcomes (one row) and the step, as Mesa's collector does."""
        if self.n_rows == len(self._rows):  # more steps than the scenario's: grow, amortised
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        row = self._rows[self.n_rows]
        mesa_model, model = model, getattr(model, "party", model)  # the state, read directly
        rows = getattr(model, "_count_rows", None)  # model.count's arrays, as one
        count = model.count
        if rows is not None and not all(count[k].base is rows for k in SUM_METRICS):
            rows = None  # model.count was replaced: read each counter by name
        if kernels.enabled() and self._standard and rows is not None:  # one compiled loop
            from sim.engine.loops import recorder as loops

            loops.recorded_row(
                model.follows.in_degree,
                rows,
                self._starts,
                self._run_strategy,
                self._accounts_safe,
                row,
                len(model.follows),
                model.follows.n_mutual,
            )
            self._close_row(mesa_model)
            return
        sums = self._sums
        if len(self._starts):
            np.add.reduceat(model.follows.in_degree, self._starts, out=sums[0])
            if rows is not None:
                np.add.reduceat(rows, self._starts, axis=1, out=sums[1:])
            else:
                for i, name in enumerate(SUM_METRICS, start=1):
                    np.add.reduceat(model.count[name], self._starts, out=sums[i])
        if self._standard:  # write straight into the row: metric-major, as the reporters
            block = row[: len(sums) * self._k].reshape(len(sums), self._k)
            if self._merge is None:
                block[...] = sums
            else:
                np.matmul(sums, self._merge, out=block)
            block[0] /= self._accounts_safe
        else:
            self._collect_by_name(
                mesa_model, row, sums if self._merge is None else sums @ self._merge
            )
        row[-2] = len(model.follows)
        row[-1] = model.follows.reciprocity()
        self._close_row(mesa_model)

    def _close_row(self, model: mesa.Model) -> None:
        """The row is written: count it, note the step, collect agent reporters if any."""
        self.n_rows += 1
        self._collection_steps.append(model.time)
        if self.agent_reporters:
            self._agent_records[model.time] = list(self._record_agents(model))

    def _collect_by_name(self, model: mesa.Model, row: np.ndarray, per_strategy) -> None:
        """Any layout of STEP_METRICS; a metric that is not a plain sum is read the slow way."""
        k = self._k
        for j, name in enumerate(STEP_METRICS):
            if name == "followers_mean":
                value = per_strategy[0] / self._accounts_safe
            elif name in SUM_METRICS:
                value = per_strategy[1 + SUM_METRICS.index(name)]
            else:
                value = reporters.strategy_totals(model)[name]
            row[j * k : (j + 1) * k] = value

    # ------------------------------------------------------------------ reading
    @property
    def values(self) -> np.ndarray:
        """The recorded rows (step x column), read-only view."""
        view = self._rows[: self.n_rows]
        view.flags.writeable = False
        return view

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """One column per reporter, one row per collected step (as ``mesa.DataCollector``)."""
        table = pd.DataFrame(self._rows[: self.n_rows], columns=self.columns, copy=True)
        for name in INT_COLUMNS:
            table[name] = table[name].astype(np.int64)
        return table

    def tidy(self, model: mesa.Model) -> pd.DataFrame:
        """:func:`sim.analysis.metrics.tidy_steps` from the array: one row per step x strategy (sorted
        by step, then strategy), with scenario and seed; same columns, types and values."""
        steps, k = self.n_rows, self._k
        names = list(model.strategy_names)
        order = np.array(sorted(range(k), key=names.__getitem__), dtype=np.int64)
        rows = self._rows[:steps]
        accounts = reporters.strategy_totals(model)["accounts"].astype(np.int64)
        table: dict[str, Any] = {
            "step": np.repeat(np.arange(steps, dtype=np.int64), k),
            "strategy": np.tile(np.array(names, dtype=object)[order], steps),
            "accounts": np.tile(accounts[order], steps),
        }
        for j, name in enumerate(STEP_METRICS):
            values = rows[:, j * k : (j + 1) * k][:, order].ravel()
            table[name] = values.astype(np.int64) if name in SUM_METRICS else values
        out = pd.DataFrame(table)
        out["strategy"] = out["strategy"].astype(pd.Series(names).dtype)
        out.insert(0, "seed", model.seed)
        out.insert(0, "scenario", model.spec.name)
        return out

    def column(self, name: str) -> np.ndarray:
        """The recorded values of one column (a read-only view)."""
        return self.values[:, self.columns.index(name)]


class RecordedVars(Mapping):
    """``model_vars`` as Mesa's collector holds it (name -> values per collected step), read
    from the recorder's array without copying."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder
        self._index = {name: j for j, name in enumerate(recorder.columns)}

    def __getitem__(self, name: str) -> _Column:
        return _Column(self._recorder, self._index[name], name in INT_COLUMNS)

    def __iter__(self) -> Iterator[str]:
        return iter(self._recorder.columns)

    def __len__(self) -> int:
        return len(self._recorder.columns)


class _Column(Sequence):
    """One recorded column as a sequence of Python numbers (what Mesa's lists hold)."""

    def __init__(self, recorder: Recorder, j: int, as_int: bool) -> None:
        self._recorder, self._j, self._as_int = recorder, j, as_int

    def __len__(self) -> int:
        return self._recorder.n_rows

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[x] for x in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        value = self._recorder._rows[i, self._j].item()
        return int(value) if self._as_int else value
