"""What a participant may change: their own account's behaviour, within the registry's ranges.

A participant's choices are account parameters (declared once, in :mod:`sim.config.params`)
plus two choices: ``follow_back``, the account's follow-back policy, and ``rooms``, the
hashtag rooms it likes (the party's room names; at most as many as the widest account has).
Nothing else can be sent: an unknown key, a value of the wrong type or out of its range is
refused with the range. Applying a choice writes the account's row of ``model.acct`` (and
the columns derived from it at build time: the content mix, the follow-back policy, the
rooms and their member lists) between two hours; the shared reaction rules then treat the
account like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config.params import ACCOUNT_PARAMS, CONTENT_WEIGHTS, ParamError

if TYPE_CHECKING:
    from sim.engine.model import PartyModel

# account parameters a participant controls, with the words the phone screen uses
PARAM_CONTROLS: dict[str, str] = {
    "posts_per_hour": "How often you post (posts per hour online)",
    "social_weight": "Chat (jokes, personal news)",
    "info_weight": "Information (news, tips, links)",
    "promo_weight": "Promotion (your own product)",
    "question_weight": "Questions to your readers",
    "hashtag_prob": "Share of posts tagged with a hashtag room",
    "reply_propensity": "Reply to mentions and posts (0 = never)",
    "thank_prob": "Thank those who retweet you (chance)",
}
FOLLOW_BACK = "follow_back"
# follow-back choice -> (follow_back_auto_prob, follow_back_screen_prob); the policy codes of
# sim.engine.ties (AUTO, SCREEN, NEVER = 0, 1, 2) in the same order
FOLLOW_BACK_CHOICES: dict[str, tuple[float, float]] = {
    "everyone": (1.0, 0.0),
    "after_a_look": (0.0, 1.0),
    "never": (0.0, 0.0),
}
ROOMS = "rooms"  # the hashtag rooms one likes: browsed, tagged, met in (by name)
CONTROLS = (*PARAM_CONTROLS, FOLLOW_BACK, ROOMS)


class ChoiceError(ValueError):
    """A participant's choice the game does not accept (the message says why)."""


def check_settings(settings: Any, room_names=(), max_rooms: int = 0) -> dict[str, Any]:
    """``settings`` checked: a dict of 1 to len(CONTROLS) known controls, each value within
    the registry's range (or one of the follow-back choices; ``rooms``: 1 to ``max_rooms``
    distinct names of ``room_names``, the party's). Raises :class:`ChoiceError`."""
    if not isinstance(settings, dict) or not settings:
        raise ChoiceError("send at least one setting")
    checked: dict[str, Any] = {}
    for key, value in settings.items():
        if key == ROOMS:
            checked[key] = _checked_rooms(value, list(room_names), max_rooms)
        elif key == FOLLOW_BACK:
            if not isinstance(value, str) or value not in FOLLOW_BACK_CHOICES:
                raise ChoiceError(
                    f"'{FOLLOW_BACK}' must be one of {', '.join(FOLLOW_BACK_CHOICES)}"
                )
            checked[key] = value
        elif key in PARAM_CONTROLS:
            try:
                checked[key] = ACCOUNT_PARAMS[key].coerce(value, "your settings")
            except ParamError as err:
                raise ChoiceError(str(err)) from None
        else:
            raise ChoiceError(
                f"{str(key)[:40]!r} is not one of your account's controls ({', '.join(CONTROLS)})"
            )
    return checked


def _checked_rooms(value: Any, names: list[str], most: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ChoiceError(f"'{ROOMS}' must be a list of room names")
    if not 1 <= len(value) <= most or len(set(value)) != len(value):
        raise ChoiceError(f"choose 1 to {most} different rooms")
    unknown = [v for v in value if v not in names]
    if unknown:
        raise ChoiceError(f"{unknown[0][:40]!r} is not a room of this party ({', '.join(names)})")
    return list(value)


def room_limits(model: PartyModel) -> tuple[list[str], int]:
    """(the party's room names, how many a participant may choose: as many as the widest
    account likes)."""
    return list(model.room_names), int(model.interests.shape[1])


def apply_settings(model: PartyModel, account: int, settings: dict[str, Any]) -> None:
    """Write checked ``settings`` into ``account``'s row (between two hours)."""
    from sim.engine.population import choose_rooms

    acct = model.acct
    for key, value in settings.items():
        if key == ROOMS:
            choose_rooms(model.party, account, [model.room_names.index(v) for v in value])
        elif key == FOLLOW_BACK:
            auto, screen = FOLLOW_BACK_CHOICES[value]
            acct["follow_back_auto_prob"][account] = auto
            acct["follow_back_screen_prob"][account] = screen
            model.follow_back[account] = list(FOLLOW_BACK_CHOICES).index(value)
        else:
            acct[key][account] = value
    if any(k in CONTENT_WEIGHTS for k in settings):
        weights = np.array([acct[w][account] for w in CONTENT_WEIGHTS], dtype=float)
        total = weights.sum()
        # as sim.engine.population.build_accounts: no weight at all posts chat
        shares = weights / total if total > 0 else np.array([1.0, 0.0, 0.0, 0.0])
        model.content_cum[account] = np.cumsum(shares)


def current_settings(model: PartyModel, account: int) -> dict[str, Any]:
    """The account's present value of every control."""
    out: dict[str, Any] = {k: float(model.acct[k][account]) for k in PARAM_CONTROLS}
    out[FOLLOW_BACK] = list(FOLLOW_BACK_CHOICES)[int(model.follow_back[account])]
    out[ROOMS] = [model.room_names[r] for r in model.interests[account] if r >= 0]
    return out
