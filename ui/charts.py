"""Charts (Altair) sized and lettered for a projector."""

from __future__ import annotations

import functools
import json

import altair as alt
import pandas as pd

from sim.analysis import metrics
from sim.analysis.palette import VARIANT_COLOURS, strategy_colour

FONT = 16
LABELS = {
    "followers_mean": "mean followers per account",
    "net_followers": "net followers per account (now minus at the start)",
    "followers_gained": "followers gained per account",
    "unfollows_received": "unfollows received per account",
    "blocks_received": "blocks received per account",
    "retweets_received": "retweets received per account",
    "replies_received": "replies received per account",
    "impressions": "impressions per account",
    "clicks": "link clicks per account",
    "posts": "posts per account",
    "followers_lost_to_blocks": "followers lost to blocks per account",
}
# what one account has of each outcome, for sentences ("2.1 more net followers each")
NOUNS = {
    "followers_mean": "followers",
    "net_followers": "net followers",
    "followers_gained": "followers gained",
    "unfollows_received": "unfollows received",
    "blocks_received": "blocks received",
    "retweets_received": "retweets received",
    "replies_received": "replies received",
    "impressions": "impressions",
    "clicks": "link clicks",
    "posts": "posts",
    "followers_lost_to_blocks": "followers lost to blocks",
}


SHORT = {
    "followers_mean": "Followers per account",
    "net_followers": "Net followers per account",
    "unfollows_received": "Unfollows received",
    "blocks_received": "Blocks received",
    "retweets_received": "Retweets received",
}
AXIS_FORMAT = ",.3~g"  # 0.05, 1.25, 12 - never "0.000000"


def colour_scale(names: list[str]) -> alt.Scale:
    return alt.Scale(domain=list(names), range=[strategy_colour(n, names) for n in names])


def _style(chart: alt.Chart, height: int) -> alt.Chart:
    return (
        chart.properties(height=height)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, symbolSize=200)
        .configure_title(fontSize=FONT + 2)
        .configure_header(labelFontSize=FONT, titleFontSize=FONT)
    )


def strategy_lines(
    table: pd.DataFrame,
    metric: str,
    names: list[str],
    height: int = 380,
    title: str = "",
    x_max: int | None = None,
) -> alt.Chart:
    """One line per strategy over hours (``table`` is ``sim.analysis.metrics.tidy_steps``)."""
    data = pd.DataFrame(
        {
            "hour": table["step"],
            "strategy": table["strategy"],
            "value": metrics.per_account(table, metric),
        }
    )
    chart = (
        alt.Chart(data, title=title or "")
        .mark_line(strokeWidth=3.5)
        .encode(
            x=alt.X(
                "hour:Q",
                title="hour",
                scale=alt.Scale(domain=[0, x_max]) if x_max else alt.Undefined,
            ),
            y=alt.Y("value:Q", title=LABELS.get(metric, metric)),
            color=alt.Color("strategy:N", scale=colour_scale(names), legend=alt.Legend(title="")),
            tooltip=["strategy", "hour", alt.Tooltip("value:Q", format=".2f")],
        )
    )
    return _style(chart, height)


def variant_colours(n: int) -> list[str]:
    """Colours for n variants, none a strategy's (sim.analysis.palette)."""
    return [VARIANT_COLOURS[i % len(VARIANT_COLOURS)] for i in range(n)]


def variant_scale(labels: list[str]) -> alt.Scale:
    """A and B (and further variants) in clearly different colours, none a strategy's."""
    return alt.Scale(domain=list(labels), range=variant_colours(len(labels)))


def band_curves(bands: pd.DataFrame, metric: str, labels: list[str], height: int = 200):
    """Mean and 95% band per strategy and variant over hours, one small panel per strategy.

    ``bands`` has columns variant, strategy, step, mean, low, high.
    """
    base = alt.Chart(bands).encode(
        x=alt.X("step:Q", title="hour"),
        color=alt.Color(
            "variant:N",
            scale=variant_scale(labels),
            legend=alt.Legend(title="", orient="top", labelLimit=600),
        ),  # fmt: skip
    )
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("low:Q", title=LABELS.get(metric, metric), axis=alt.Axis(format=AXIS_FORMAT)),
        y2="high:Q",
    )
    line = base.mark_line(strokeWidth=3).encode(y="mean:Q")
    chart = (
        alt.layer(band, line, data=bands)
        .properties(width=300, height=height)
        .facet(facet=alt.Facet("strategy:N", title=None), columns=3)
        .resolve_scale(y="independent")
    )
    return (
        chart.configure_axis(labelFontSize=FONT - 2, titleFontSize=FONT - 2)
        .configure_legend(labelFontSize=FONT, symbolSize=200)
        .configure_header(labelFontSize=FONT)
    )


def paired_plot(diffs: pd.DataFrame, metric: str, labels: list[str]):
    """Each variant minus the first, per strategy: the mean paired difference and its 95%
    interval (what the verdicts use), with the zero line. Clear = the bar misses zero."""
    title = f"difference in {LABELS.get(metric, metric)} (vs {labels[0]})"
    others = list(labels[1:])
    # a row height per strategy (the total follows the rows, and no name is dropped as
    # overlapping), given as a number: a discrete height (alt.Step) made Vega warn that it
    # drops fit-y in the app's layout
    row = max(40, 24 * len(others)) * max(diffs["strategy"].nunique(), 1)
    offset = {"yOffset": alt.YOffset("variant:N")} if len(others) > 1 else {}
    base = alt.Chart(diffs).encode(
        y=alt.Y("strategy:N", title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        color=alt.Color(
            "variant:N",
            scale=alt.Scale(domain=others, range=variant_colours(len(labels))[1:]),
            legend=alt.Legend(title="", orient="top", labelLimit=600),
        ),
        **offset,
    )
    bars = base.mark_rule(strokeWidth=4).encode(
        x=alt.X("low:Q", title=title, axis=alt.Axis(format=AXIS_FORMAT)), x2="high:Q"
    )
    dots = base.mark_point(filled=True, size=140).encode(
        x="mean:Q", tooltip=["strategy", "variant", alt.Tooltip("mean:Q", format=".2f"),
                             alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")],
    )  # fmt: skip
    zero = (
        alt.Chart(pd.DataFrame({"x": [0.0]}))
        .mark_rule(color="#555", strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    fit_x = alt.AutoSizeParams(type="fit-x", contains="padding")  # the height is the rows'
    return _style(alt.layer(zero, bars, dots), row).properties(autosize=fit_x)


def distributions(accounts: pd.DataFrame, names: list[str], labels: list[str],
                  height: int = 360) -> alt.Chart:  # fmt: skip
    """Final followers of every account, per strategy and variant: box plus points, on a
    symmetric-log axis so that a few very popular accounts do not squash the boxes."""
    y = alt.Y("followers:Q", title="followers at the end (each account; log scale)",
              scale=alt.Scale(type="symlog"), axis=alt.Axis(format=",d"))  # fmt: skip
    common = {
        # orders as domains, not sorts: the boxplot's own layers sort differently from the
        # points', and Vega warned of conflicting sorts when it unioned the domains
        "x": alt.X("strategy:N", title=None, scale=alt.Scale(domain=list(names))),
        "xOffset": alt.XOffset("variant:N", scale=alt.Scale(domain=list(labels))),
        "color": alt.Color(
            "variant:N",
            scale=variant_scale(labels),
            legend=alt.Legend(title="", orient="top", labelLimit=600),
        ),  # fmt: skip
    }
    box = alt.Chart(accounts).mark_boxplot(extent=1.5, size=22, opacity=0.6).encode(y=y, **common)
    dots = (
        alt.Chart(accounts)
        .mark_circle(size=18, opacity=0.35)
        .encode(y=y, tooltip=["handle", "variant", "seed", "followers"], **common)
    )
    return _style(alt.layer(box, dots), height)


@functools.lru_cache(maxsize=64)
def _line_template(metric: str, names: tuple[str, ...], height: int, title: str,
                   x_max: int, legend: bool) -> str:  # fmt: skip
    chart = (
        alt.Chart(alt.Data(name="lines"), title=alt.Title(title, anchor="start"))
        .mark_line(strokeWidth=3.5)
        .encode(
            x=alt.X(
                "hour:Q",
                title=None,
                scale=alt.Scale(domain=[0, x_max], nice=False),
                axis=alt.Axis(tickCount=7),
            ),  # fmt: skip
            # scaled to the data: a net change includes its zero (where every line starts),
            # a level does not (zero would squash followers of 14-28 into a flat band)
            y=alt.Y(
                "value:Q",
                title=None,
                axis=alt.Axis(format=AXIS_FORMAT, tickCount=4),
                scale=alt.Scale(zero=metric != "followers_mean"),
            ),  # fmt: skip
            color=alt.Color(
                "strategy:N",
                scale=colour_scale(list(names)),
                legend=alt.Legend(title=None, orient="right")
                if legend
                else None,  # beside: no height
            ),
            tooltip=["strategy:N", "hour:Q", alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT)
        .configure_legend(labelFontSize=FONT - 1, symbolSize=220, symbolStrokeWidth=4, rowPadding=0)
        .configure_title(fontSize=FONT + 2)
    )
    spec = chart.to_dict(validate=False)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}  # height = the plot's height
    return json.dumps(spec)


def live_lines(
    table: pd.DataFrame,
    metric: str,
    names: list[str],
    height: int,
    title: str,
    x_max: int,
    legend: bool = False,
) -> dict:
    """A Vega-Lite spec for one live chart: the template is built once (Altair's validation
    costs tens of milliseconds), each frame only attaches its data."""
    spec = json.loads(_line_template(metric, tuple(names), height, title, int(x_max), legend))
    data = pd.DataFrame(
        {
            "hour": table["step"],
            "strategy": table["strategy"],
            "value": metrics.per_account(table, metric),
        }
    )
    spec["datasets"] = {"lines": data}
    return spec
