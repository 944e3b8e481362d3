"""Strategy colours: the Okabe-Ito palette (Okabe & Ito 2008), distinct for the common forms
of colour blindness and on a projector. Every shipped strategy has its own colour."""

from __future__ import annotations

from sim.engine.reasons import EVENT_KINDS

STRATEGY_COLOURS = {
    "regular": "#999999",  # grey: the crowd
    "conversationalist": "#009E73",  # bluish green
    "broadcaster": "#D55E00",  # vermillion
    "over_poster": "#E69F00",  # orange
    "curator": "#0072B2",  # blue
    "scheduler": "#CC79A7",  # reddish purple
    "blaster": "#000000",  # black
}
# custom strategies: the rest of Okabe-Ito, then darker tones that stay apart from the above
_EXTRA = ["#56B4E9", "#F0E442", "#8C510A", "#01665E", "#762A83", "#4D4D4D"]


def strategy_colour(name: str, names: list[str]) -> str:
    """A stable colour per strategy (custom strategies get the spare palette in order)."""
    if name in STRATEGY_COLOURS:
        return STRATEGY_COLOURS[name]
    custom = [n for n in names if n not in STRATEGY_COLOURS]
    return _EXTRA[custom.index(name) % len(_EXTRA)] if name in custom else "#000000"


# Variants of a comparison (A, B, ...) and event kinds of the network picture: colours no
# strategy uses, so a line's colour never reads as a strategy (Tol's muted and dark tones).
VARIANT_COLOURS = ["#332288", "#BB5566", "#999933", "#44AA99", "#661100", "#DDCC77"]


def colour_distance(a: str, b: str) -> float:
    """Euclidean distance of two '#rrggbb' colours in RGB (0-441)."""
    pa = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    pb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return sum((x - y) ** 2 for x, y in zip(pa, pb, strict=True)) ** 0.5


# Follows, unfollows and blocks in the live network picture: colours that no strategy and no
# variant uses (each at least 65 RGB units away; tests/test_network_events.py), besides their
# line styles. Declared with each event kind in sim/engine/reasons.py.
EVENT_COLOURS = {k.name: k.colour for k in EVENT_KINDS}
