"""The recorder (sim/engine/recorder.py) records what Mesa's DataCollector would have recorded."""

import dataclasses

import mesa
import pandas as pd
import pytest

import sim
from sim.analysis import metrics
from sim.engine.recorder import Recorder, column_names


def run_with_both(steps: int) -> tuple[sim.PartyModel, mesa.DataCollector]:
    """A model with its recorder, and Mesa's own collector with the named reporters collecting
    alongside it after every step."""
    model = sim.PartyModel("default", seed=3, agents=False)
    mesa_dc = mesa.DataCollector(model_reporters=metrics.reporters(model.strategy_names))
    mesa_dc.collect(model)
    for _ in range(steps):
        model.step()
        mesa_dc.collect(model)
    return model, mesa_dc


@pytest.fixture(scope="module")
def both():
    return run_with_both(12)


def test_recorded_table_equals_mesa_datacollector(both):
    model, mesa_dc = both
    assert isinstance(model.datacollector, Recorder)
    assert isinstance(model.datacollector, mesa.DataCollector)
    expected = mesa_dc.get_model_vars_dataframe()
    actual = model.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(actual, expected, check_exact=True)


def test_model_vars_and_steps_equal_mesa_datacollector(both):
    model, mesa_dc = both
    dc = model.datacollector
    assert dc._collection_steps == mesa_dc._collection_steps
    assert list(dc.model_vars) == list(mesa_dc.model_vars)
    for name, values in mesa_dc.model_vars.items():
        assert list(dc.model_vars[name]) == values, name
        assert type(dc.model_vars[name][-1]) is type(values[-1]), name
    assert list(dc.model_reporters) == column_names(model.strategy_names)


def test_recorded_values_are_read_only_and_growing_past_the_scenario_steps():
    model = sim.PartyModel("default", seed=2, agents=False, steps=3)
    model.run(5)  # more hours than the scenario's steps: the array grows
    dc = model.datacollector
    assert dc.values.shape == (6, len(dc.columns))
    with pytest.raises(ValueError):
        dc.values[0, 0] = 1.0
    assert dc.column("follow_edges")[-1] == len(model.follows)


def test_strategies_spread_over_several_groups_and_a_single_strategy():
    """A strategy in two groups separated by another (sums merged per strategy), and a party
    of one strategy (one run of accounts)."""
    from sim.config.scenarios import load

    base = load("default").with_overrides({"steps": 4})
    regular, broadcaster = base.groups[0], base.groups[2]
    split = dataclasses.replace(
        base,
        groups=[
            dataclasses.replace(regular, count=30),
            dataclasses.replace(broadcaster, count=10),
            dataclasses.replace(regular, name="late_regulars", count=20),
        ],
    )
    alone = dataclasses.replace(base, groups=[dataclasses.replace(regular, count=50)])
    for spec in (split, alone):
        model = sim.PartyModel(spec, seed=1, agents=False)
        mesa_dc = mesa.DataCollector(model_reporters=metrics.reporters(model.strategy_names))
        mesa_dc.collect(model)
        for _ in range(4):
            model.step()
            mesa_dc.collect(model)
        pd.testing.assert_frame_equal(
            model.datacollector.get_model_vars_dataframe(),
            mesa_dc.get_model_vars_dataframe(),
            check_exact=True,
        )
        fast = metrics.tidy_steps(model)
        model.datacollector = mesa_dc
        pd.testing.assert_frame_equal(fast, metrics.tidy_steps(model), check_exact=True)


def test_tidy_steps_reads_the_recorder(both):
    model, _ = both
    table = metrics.tidy_steps(model)
    assert len(table) == 13 * len(model.strategy_names)
    last = table[table.step == 12].set_index("strategy")
    for name, row in metrics.summary(model)["strategies"].items():
        assert last.loc[name, "posts"] == row["posts"]
        assert last.loc[name, "followers_mean"] == row["followers_mean"]


def test_mesa_batch_run_reads_every_step():
    results = mesa.batch_run(
        sim.PartyModel,
        {"scenario": "default", "regular.count": 40},
        rng=[5],
        max_steps=4,
        number_processes=1,
        data_collection_period=1,
        display_progress=False,
    )
    assert [r["Step"] for r in results] == [0, 1, 2, 3, 4]
    model = sim.PartyModel("default", rng=5, **{"regular.count": 40}).run(4)
    table = model.datacollector.get_model_vars_dataframe()
    for r in results:
        for name in table.columns:
            assert r[name] == table.loc[r["Step"], name], name


def test_the_by_name_path_records_the_same():
    """The path for a STEP_METRICS layout other than (followers_mean, *SUM_METRICS)."""
    model, mesa_dc = run_with_both(0)
    dc = sim.PartyModel("default", seed=3, agents=False).datacollector
    dc._standard = False
    dc.n_rows, dc._collection_steps = 0, []
    dc.collect(model)
    pd.testing.assert_frame_equal(
        dc.get_model_vars_dataframe(), mesa_dc.get_model_vars_dataframe(), check_exact=True
    )


def test_tidy_table_from_the_array_equals_the_one_from_mesa_datacollector(both):
    model, mesa_dc = both
    fast = metrics.tidy_steps(model)
    recorder = model.datacollector
    try:
        model.datacollector = mesa_dc  # tidy_steps' general path, from Mesa's collector
        slow = metrics.tidy_steps(model)
    finally:
        model.datacollector = recorder
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
