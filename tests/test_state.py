"""The account and room state declared in sim/engine/state.py is the state the model carries."""

import numpy as np
import pytest

import sim
from sim.engine.state import ACCOUNT_COLUMNS, ACCT_PARAMS, ROOM_COLUMNS, STATE_BLOCKS


@pytest.fixture(scope="module")
def model():
    m = sim.PartyModel("default", seed=5, agents=False, steps=30)
    return m.run(30)


def _arrays_with_rows(model, rows: int) -> dict[str, np.ndarray]:
    return {
        name: value
        for name, value in vars(model.party).items()
        if not name.startswith("_")
        and name not in (*STATE_BLOCKS, "acct_p")  # the blocks the columns are rows of
        and isinstance(value, np.ndarray)
        and len(value) == rows
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


def test_each_column_is_a_view_of_its_block_after_a_run_a_copy_and_unpickling(model):
    """The compiled loops write the blocks (``state_f``, ``state_i``, ``state_b``,
    ``acct_p``, the counters' rows) and the numpy code the names: they must stay one array,
    also in a deep copy or an unpickled model (numpy copies a view as an array of its own:
    ``PartyModel.__setstate__`` names the rows again)."""
    import copy
    import pickle

    for m in (model, copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        for block, names in STATE_BLOCKS.items():
            for i, name in enumerate(names):
                assert getattr(m, name).base is getattr(m, block), name
                assert np.array_equal(getattr(m, name), getattr(m, block)[i]), name
        for name in ACCT_PARAMS:
            assert m.acct[name].base is m.acct_p, name
        assert all(row.base is m._count_rows for row in m.count.values())
