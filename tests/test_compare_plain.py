"""Issue 27, point 2: Compare in plain words: net followers first, B built with menus from
the registry, one-sentence verdicts, human outcome names, variant colours apart from the
strategies'."""

from __future__ import annotations

from sim.analysis.palette import _EXTRA, STRATEGY_COLOURS, VARIANT_COLOURS, colour_distance
from sim.config.params import ACCOUNT_PARAMS
from sim.config.scenarios import load
from tests.test_app import new_app, no_exceptions
from ui import charts, compare


def test_every_outcome_has_a_human_name_and_net_followers_comes_first():
    assert compare.OUTCOMES[0] == "net_followers"
    for metric in compare.OUTCOMES:
        assert "_" not in charts.LABELS[metric] and "_" not in charts.NOUNS[metric], metric


def test_variant_colours_are_not_strategy_colours():
    strategies = [*STRATEGY_COLOURS.values(), *_EXTRA]
    for colour in VARIANT_COLOURS:
        nearest = min(colour_distance(colour, s) for s in strategies)
        assert nearest >= 60, f"{colour} is {nearest:.0f} from a strategy colour"
    assert charts.variant_colours(8)[:6] == VARIANT_COLOURS


def test_the_verdict_is_one_plain_sentence():
    change = compare.describe_change(load("default"), "over_poster.posts_per_hour", 0.5)
    text = compare.verdict_sentence("over_poster", 2.1, 1.2, 3.0, "net_followers", 168, change)
    assert text == (
        "Over-posters with posts per hour at 0.5 posts per active hour instead of 3 end the "
        "week with 2.1 more net followers each; the middle 95% of what we would see again "
        "lies between 1.2 and 3 more."
    )
    other = compare.verdict_sentence("regular", -0.31, -0.52, -0.1, "unfollows_received", 48,
                                     change)  # fmt: skip
    assert other.startswith("When over-posters have posts per hour at 0.5")
    assert "regulars end the first 2 days with 0.31 fewer unfollows received each" in other
    assert "between 0.1 and 0.52 fewer" in other
    unclear = compare.unclear_sentence("broadcaster", 0.3, -0.5, 1.1, "net_followers", 5)
    assert "No clear difference for broadcasters" in unclear and "includes no change" in unclear


def test_b_is_built_with_menus_within_the_registry_range():
    at = new_app()
    assert at.selectbox(key="cmp_metric").value == "net_followers"
    at.selectbox(key="cmp_group").set_value("over_poster").run()
    param = at.selectbox(key="cmp_param")
    assert "Posts per hour (posts per active hour)" in param.options
    param.set_value("posts_per_hour").run()
    slider = at.slider(key="cmp_value:over_poster.posts_per_hour")
    spec = ACCOUNT_PARAMS["posts_per_hour"]
    assert (slider.min, slider.max) == (spec.low, spec.high)
    assert slider.value == load("default").groups[3].values["posts_per_hour"]
    slider.set_value(0.5).run()
    at.selectbox(key="cmp_metric").set_value("unfollows_received").run()  # clear in a week
    # with 10 runs: at 5 the interval ended 0.0002 above zero after the link and week rules
    # (-2.01 [-4.03, +0.0002]); at 10, -1.63 [-2.54, -0.73]
    at.slider(key="cmp_reps").set_value(10).run()
    at.button(key="cmp_run").click().run()
    no_exceptions(at)
    result = at.session_state["compare_result"]
    assert result["labels"][1] == "B: default + over_poster.posts_per_hour=0.5"
    assert result["change"].key == "over_poster.posts_per_hour"
    texts = [m.value for m in at.markdown]
    verdict = next(t for t in texts if "middle 95% of what we would see again" in t)
    assert verdict.startswith("- Over-posters with posts per hour at 0.5 posts per active hour "
                              "instead of 3 end the week with")  # fmt: skip
    assert "fewer unfollows received each" in verdict.split("\n")[0]
    assert not any("followers_lost_to_blocks" in t for t in texts)
    assert any(e.label.startswith("Seeds") for e in at.expander), "seeds in an expander"
    assert not any(str(result["seeds"][0]) in t for t in texts), "not in the page's text"
