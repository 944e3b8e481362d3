"""Issue 27, point 4: follows, unfollows and blocks in a visual language of their own in the
network picture: line styles and symbols, colours no strategy (or variant) uses, one legend."""

from __future__ import annotations

from sim import PartyModel
from sim.analysis.palette import (
    _EXTRA,
    EVENT_COLOURS,
    STRATEGY_COLOURS,
    VARIANT_COLOURS,
    colour_distance,
)
from sim.engine.reasons import EVENT_NAMES
from ui.network import room_layout
from ui.network_live import EVENT_STYLES, network_chart


def test_event_colours_are_nobody_elses():
    taken = [*STRATEGY_COLOURS.values(), *_EXTRA, *VARIANT_COLOURS]
    for kind, colour in EVENT_COLOURS.items():
        assert min(colour_distance(colour, c) for c in taken) >= 60, kind
    assert set(EVENT_COLOURS) == set(EVENT_NAMES) == set(EVENT_STYLES)
    assert len({tuple(s[0]) for s in EVENT_STYLES.values()}) == len(EVENT_NAMES), "line styles"
    assert len({s[1] for s in EVENT_STYLES.values()}) == len(EVENT_NAMES), "symbols"


def test_the_network_has_one_event_legend_with_styles_symbols_and_words():
    model = PartyModel("default")
    model.run(24)
    spec = network_chart(model, room_layout(model))
    flash, rings = spec["layer"][1], spec["layer"][3]
    colour, dash = flash["encoding"]["color"], flash["encoding"]["strokeDash"]
    assert colour["legend"] == dash["legend"], "one legend: colour and dash merge"
    assert "unfollow: dashed, triangle" in colour["legend"]["labelExpr"]
    assert colour["scale"]["range"] == [EVENT_COLOURS[k] for k in EVENT_NAMES]
    assert dash["scale"]["range"] == [EVENT_STYLES[k][0] for k in EVENT_NAMES]
    assert rings["encoding"]["shape"]["scale"]["range"] == [EVENT_STYLES[k][1] for k in EVENT_NAMES]
    assert (
        rings["encoding"]["shape"]["legend"] is None
        and rings["encoding"]["color"]["legend"] is None
    )
    strategy_range = set(spec["layer"][2]["encoding"]["color"]["scale"]["range"])
    assert not strategy_range & set(EVENT_COLOURS.values())
    assert len(spec["datasets"]["flash"]) > 0, "24 hours of the default party: events to draw"
