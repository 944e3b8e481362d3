"""Strategy colours: the Okabe-Ito palette (Okabe & Ito 2008), distinct for the common forms
of colour blindness and on a projector. Every shipped strategy has its own colour."""

from __future__ import annotations

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
