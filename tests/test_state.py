"""The account and room state declared in sim/engine/state.py is the state the model carries."""

import numpy as np
import pytest

import sim
from sim.engine.state import ACCOUNT_COLUMNS, ROOM_COLUMNS


@pytest.fixture(scope="module")
def model():
    m = sim.PartyModel("default", seed=5, agents=False, steps=30)
    return m.run(30)


def _arrays_with_rows(model, rows: int) -> dict[str, np.ndarray]:
    return {
        name: value
        for name, value in vars(model.party).items()
        if not name.startswith("_") and isinstance(value, np.ndarray) and len(value) == rows
    }


def test_every_per_account_array_is_declared_and_has_its_declared_type(model):
    found = _arrays_with_rows(model, model.n)
    assert set(found) == set(ACCOUNT_COLUMNS), "declare it in sim/engine/state.py"
    for name, column in ACCOUNT_COLUMNS.items():
        assert found[name].dtype == np.dtype(column.dtype), name
        assert found[name].ndim == (2 if column.width else 1), name


def test_every_per_room_array_is_declared_and_has_its_declared_type(model):
    assert model.n_rooms != model.n
    found = _arrays_with_rows(model, model.n_rooms)
    found.pop("audience_tz", None)  # one per scheduling account, not per room
    assert set(found) == set(ROOM_COLUMNS)
    for name, column in ROOM_COLUMNS.items():
        assert found[name].dtype == np.dtype(column.dtype), name


def test_fixed_columns_do_not_change_while_the_party_runs():
    m = sim.PartyModel("default", seed=6, agents=False)
    fixed = {c.name: getattr(m, c.name).copy() for c in ACCOUNT_COLUMNS.values() if not c.changes}
    m.run(24)
    for name, before in fixed.items():
        assert np.array_equal(getattr(m, name), before), name


def test_changing_columns_start_at_their_declared_value():
    m = sim.PartyModel("default", seed=6, agents=False)
    for c in ACCOUNT_COLUMNS.values():
        if c.filled_by == "allocate":
            assert (getattr(m, c.name) == c.start).all(), c.name
