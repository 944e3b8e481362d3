"""Property tests: whatever a user writes, the loader answers with a checked scenario or a
clean one-line ScenarioError -- never another exception; and what it writes, it reads back."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main as cli
from sim.config import scenarios
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS
from sim.config.scenarios import ScenarioError
from sim.config.strategies import STRATEGIES

DEFAULT = tomllib.loads((scenarios.scenarios_dir() / "default.toml").read_text(encoding="utf-8"))
KEYS = [
    *scenarios.TOP_KEYS,
    *MODEL_PARAMS,
    *ACCOUNT_PARAMS,
    "strategy",
    "count",
    "base",
    *STRATEGIES,
    "",
    "a.b",
    "*",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["regular", "chronological", "#a", "nan", "", "a.b"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=12,
)
group = st.dictionaries(
    st.sampled_from(["strategy", "count", "name", *list(ACCOUNT_PARAMS)[:6], "bogus"]),
    values,
    max_size=4,
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "name": values,
        "steps": values,
        "seed": values,
        "rooms": values,
        "params": st.dictionaries(st.sampled_from(list(MODEL_PARAMS)), values, max_size=3),
        "strategies": st.dictionaries(st.text(max_size=6), group, max_size=3),
        "groups": st.lists(group, max_size=3),
        "sweep": values,
    },
)


def _checked(load) -> None:
    try:
        sc = load()
    except ScenarioError as err:
        assert "\n" not in str(err)
        return
    assert 2 <= sc.n_accounts <= scenarios.MAX_ACCOUNTS and 1 <= sc.steps <= 100_000
    assert scenarios.loads(scenarios.to_toml(sc), source=sc.source) == replace(sc, sweep=None)


@SETTINGS
@given(documents)
def test_random_documents_load_or_fail_cleanly(doc):
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):  # e.g. NaN written fine, but some shapes TOML cannot hold
        return
    _checked(lambda: scenarios.loads(text, source="random.toml"))


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_load_or_fail_cleanly(data):
    _checked(lambda: scenarios.loads(data, source="random.toml"))


@SETTINGS
@given(st.sampled_from(list(DEFAULT)), values)
def test_mutated_default_loads_or_fails_cleanly(key, value):
    doc = {**DEFAULT, key: value}
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return
    _checked(lambda: scenarios.loads(text, source="mutated.toml"))


set_keys = st.one_of(
    st.sampled_from(["steps", "seed", "n_rooms", "feed", *MODEL_PARAMS]),
    st.builds(
        lambda g, p: f"{g}.{p}",
        st.sampled_from(["*", "regular", "broadcaster", "nobody", ""]),
        st.sampled_from(["count", *ACCOUNT_PARAMS, "x"]),
    ),
    st.text(max_size=10),
)
set_values = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "0", "-1", "1e400", "2.5", "true", '"x"', "[1]", "{}"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
    st.text(max_size=10),
)


@SETTINGS
@given(st.lists(st.tuples(set_keys, set_values), max_size=4))
def test_random_set_strings_apply_or_fail_cleanly(pairs):
    base = scenarios.load("default")
    items = [f"{k}={v}" for k, v in pairs]

    def load():
        try:
            overrides = cli.parse_set(items)
        except cli.CliError as err:
            raise ScenarioError(str(err)) from None
        return base.with_overrides(overrides)

    _checked(load)


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda s: s.strip() and s.isprintable() and s not in STRATEGIES
)


@SETTINGS
@given(names, st.sampled_from(list(STRATEGIES)), st.floats(0.0, 3.0), st.integers(2, 50))
def test_custom_strategy_names_round_trip(name, base, propensity, count):
    """A strategy may be named anything printable (spaces, dots, quotes, any script);
    the written file quotes it and loads back to the same scenario."""
    doc = {
        "strategies": {name: {"base": base, "reply_propensity": propensity}},
        "groups": [{"strategy": name, "count": count, "name": "g"}],
    }
    sc = scenarios.loads(tomli_w.dumps(doc), source="named.toml")
    again = scenarios.loads(scenarios.to_toml(sc), source="named.toml")
    assert again == sc
