"""The live reality badge: how many of the reality check's facts the party on screen is
inside right now, and which ones it leaves, in words.

Cheap per-hour estimates on the one party being played (the facts measured on this
scenario at the moment, not over replications, and without the long-run tie facts): the
full check, with replications and intervals, stays in the Reality check tab. Measured at
most once per simulated day (about 20 ms at the default party)."""

from __future__ import annotations

import numpy as np

from sim.analysis.check import FACTS, measure_run

# not judged live: the weekend's delay needs a whole local weekend day (from day 6 of a
# party); the links' retweet ratio, the cascades' virality and the one-way followers'
# retweets are decided by a few cascades in one run (the check's replications judge them);
# attachment compares a run's growth with its start, and clustering shuffles the graph
# (about 0.4 s at the default party, against the badge's 20 ms)
NOT_LIVE = {
    "weekend_delay", "link_retweet_ratio", "cascade_virality", "one_way_retweet_ratio",
    "attachment_exponent", "clustering_ratio",
}  # fmt: skip
LIVE_FACTS = tuple(
    f for f in FACTS if f.scenario is None and not f.long_run and f.name not in NOT_LIVE
)
# before two days the fresh posts of the last hours weigh too much (not yet retweeted: the
# default party reads "cascades too small" at hour 24), and night and burstiness are thin
FIRST_HOUR = 48
# what leaving a fact's band means, below it and above it
LEAVES = {  # short: the badge's second line is one narrow column wide
    "reciprocity": ("too few ties returned", "too many ties returned"),
    "followers_mean_median": ("followers too even", "followers too uneven"),
    "followers_max_median": ("no stand-out account", "a star too far ahead"),
    "never_retweeted": ("cascades too big", "cascades too small"),
    "largest_cascade": ("no big cascade", "a cascade too big"),
    "not_followed_back": ("all followed back", "too few followed back"),
    "followers_top1_share": ("fame too even", "fame too concentrated"),
    "night_trough": ("nights too quiet", "nights too busy"),
    "burstiness": ("too regular", "too bursty"),
    "one_retweet": ("too few single retweets", "too many single retweets"),
}


def live_facts(model) -> list[dict]:
    """Each live fact: name, measure, band, this party's value and, if outside, why."""
    values = measure_run(model, LIVE_FACTS)
    out = []
    for fact in LIVE_FACTS:
        v = float(values[fact.name])
        below, above = LEAVES.get(fact.name, ("below its band", "above its band"))
        leaves = (
            "" if not np.isfinite(v) else below if v < fact.low else above if v > fact.high else ""
        )
        out.append({"fact": fact.name, "measure": fact.measure, "band": (fact.low, fact.high),
                    "value": v, "inside": not leaves and np.isfinite(v), "leaves": leaves})  # fmt: skip
    return out


def badge(ss) -> tuple[str, str, str]:
    """(value, what it leaves, help) for the live tab's metric; measured once a day."""
    model = ss.model
    if model.steps < FIRST_HOUR:
        days = FIRST_HOUR // 24
        return f"after day {days}", "", f"The badge measures the party after {days} days."
    key = (id(model), ss.get("model_key"), model.steps // 24)
    if ss.get("badge_key") != key:
        ss.badge_facts, ss.badge_key = live_facts(model), key
    facts = ss.badge_facts
    inside = sum(f["inside"] for f in facts)
    leaves = ", ".join(f["leaves"] for f in facts if f["leaves"])
    lines = [f"- {'inside' if f['inside'] else 'OUT (' + f['leaves'] + ')'}: {f['measure']} = "
             f"{f['value']:.3g} (band {f['band'][0]:g} to {f['band'][1]:g})" for f in facts]  # fmt: skip
    help_text = (
        f"This party (one run, measured on day {model.steps // 24}) against the published "
        "facts of the Reality check tab, without their replications: one party can leave a "
        "band by chance; the tab's replications decide.\n\n" + "\n".join(lines)
    )
    return f"{inside} of {len(facts)} facts", leaves, help_text
