"""Issue 27, point 1: who is winning shows in the live chart and the story's headline."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from sim import PartyModel
from sim.engine.reasons import REASON_NAMES
from tests.test_app import new_app, no_exceptions, run_hours
from ui.story import REASON_WORDS, headline, strategy_moves


def followers_chart(at: AppTest):
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if "followers" in json.dumps(spec.get("title", "")).lower():
            return spec, chart.proto
    raise AssertionError("no followers chart")


def chart_values(proto) -> pd.DataFrame:
    """The data the browser draws (Streamlit sends it as Arrow beside the spec)."""
    (named,) = proto.datasets
    return convert_arrow_bytes_to_pandas_df(named.data.data)


def test_live_chart_shows_net_followers_by_default_and_levels_on_a_toggle():
    at = new_app()
    run_hours(at, 48)
    spec, proto = followers_chart(at)
    assert "Net followers" in json.dumps(spec["title"])
    data = chart_values(proto)
    model = at.session_state["model"]
    last = data[data["hour"] == 48].set_index("strategy")["value"]
    moves = strategy_moves(model).set_index("strategy")
    for name in model.strategy_names:  # the chart's last point is the net change per account
        assert abs(last[name] - moves.loc[name, "net_per_account"]) < 1e-9, name
    assert (data[data["hour"] == 0]["value"] == 0).all(), "every line starts at zero"
    # the two ends are apart by more than a follower per account
    spread = last.max() - last.min()
    assert spread >= 1.0, f"net followers per account at hour 48 spread only {spread:.2f}"
    at.toggle(key="live_levels").set_value(True).run()
    no_exceptions(at)
    levels, proto = followers_chart(at)
    assert "Followers per account" in json.dumps(levels["title"])
    assert levels["encoding"]["y"]["scale"]["zero"] is False, "levels: scaled to the data"
    level_values = chart_values(proto)
    assert level_values["value"].min() > 5, "levels, not net changes"


def test_headline_names_the_leader_and_the_biggest_mover_with_a_reason():
    model = PartyModel("default")
    assert "Hour 0" in headline(model)
    for hours in (48, 120):
        model.run(hours)
        text = headline(model)
        moves = strategy_moves(model)
        lead = moves.loc[moves["net_per_account"].idxmax()]
        mover = moves.loc[moves["net_per_account"].abs().idxmax()]
        fall = moves.loc[moves["net_per_account"].idxmin()]
        assert text.startswith("**Leading")
        assert text.split(":**", 1)[1].startswith(f" {lead.strategy.replace('_', '-')}")
        for row in (mover, fall) if fall.net < 0 else (mover,):
            side = "gained" if row.net > 0 else "lost"
            assert f"{side} {abs(row.net)} followers" in text
            assert REASON_WORDS[row[f"{side}_reason"]] in text, "the reason that moved them"
            assert f"{row[f'{side}_reason_n']} of {row[side]} " in text
        assert "." not in text.split("each", 1)[1], "whole counts after the leader's mean"


def test_every_reason_has_headline_words():
    assert set(REASON_WORDS) == set(REASON_NAMES)


def test_headline_shows_on_the_live_and_story_tabs():
    at = new_app()
    run_hours(at, 24)
    no_exceptions(at)
    shown = [m.value for m in at.markdown if m.value.startswith("**Leading")]
    assert len(shown) >= 2, "on the live tab and the story tab"
