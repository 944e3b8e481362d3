"""The documentation is generated from, and checked against, the code."""

import re

from sim.config import docs
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.engine.state import ACCOUNT_STATE


def test_model_md_tables_are_current():
    text = docs.MODEL_MD.read_text()
    assert docs.generated_block() in text, "docs/MODEL.md is out of date: run `make docs`"


def test_every_parameter_named_in_the_rules_exists():
    """Backticked names in the ODD text that look like parameters must be registry names (or
    declared account state, e.g. ``profile_tolerance``, which the state table lists)."""
    text = docs.MODEL_MD.read_text().split(docs.START)[0]
    params = set(MODEL_PARAMS) | set(ACCOUNT_PARAMS)
    known = params | {c.name for c in ACCOUNT_STATE}
    for name in set(
        re.findall(
            r"`([a-z_]+_(?:prob|boost|steps|weight|appetite|tolerance|"
            r"propensity|penalty|value|spread|relevance|saturation|"
            r"memory_posts|per_hour|per_day))`",
            text,
        )
    ):
        assert name in known, name
    for name in params:
        assert f"`{name}`" in docs.MODEL_MD.read_text(), name


def test_model_md_state_table_is_current():
    from sim.engine import state

    text = docs.MODEL_MD.read_text()
    assert state.state_table() in text, "docs/MODEL.md's state table is out of date: `make docs`"
