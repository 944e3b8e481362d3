"""Golden values: one seeded run of the default party, pinned exactly.

A failure here means the model's output changed. If the change was deliberate (a rule or a
default changed), regenerate with ``python tests/make_golden.py`` and say why in the commit.
"""

import json

import pytest
from make_golden import GOLDEN, golden_run


def test_default_party_seed_7_matches_the_golden_values():
    expected = json.loads(GOLDEN.read_text())
    actual = json.loads(json.dumps(golden_run(), sort_keys=True))
    for name, row in expected["strategies"].items():
        for key, value in row.items():
            assert actual["strategies"][name][key] == pytest.approx(value, rel=1e-12), (name, key)
    assert actual == expected
