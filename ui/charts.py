"""Charts (Altair) sized and lettered for a projector."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sim.analysis.output import strategy_colour

FONT = 16
LABELS = {
    "followers_mean": "mean followers per account",
    "followers_gained": "followers gained per account",
    "unfollows_received": "unfollows received per account",
    "blocks_received": "blocks received per account",
    "retweets_received": "retweets received per account",
    "replies_received": "replies received per account",
    "impressions": "impressions per account",
    "clicks": "link clicks per account",
    "posts": "posts per account",
}


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


def per_account(table: pd.DataFrame, metric: str) -> pd.Series:
    """Counters are group totals; the mean per account is comparable across strategies."""
    if metric == "followers_mean":
        return table[metric]
    return table[metric] / table["accounts"].clip(lower=1)


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
        {"hour": table["step"], "strategy": table["strategy"], "value": per_account(table, metric)}
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


def band_curves(bands: pd.DataFrame, metric: str, height: int = 200) -> alt.Chart:
    """Mean and 95% band per strategy and variant over hours, one small panel per strategy.

    ``bands`` has columns variant, strategy, step, mean, low, high.
    """
    base = alt.Chart(bands).encode(
        x=alt.X("step:Q", title="hour"),
        color=alt.Color("variant:N", legend=alt.Legend(title="", orient="top")),
    )
    band = base.mark_area(opacity=0.22).encode(
        y=alt.Y("low:Q", title=LABELS.get(metric)), y2="high:Q"
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


def distributions(accounts: pd.DataFrame, names: list[str], height: int = 360) -> alt.Chart:
    """Final followers of every account, per strategy and variant: box plus points."""
    common = {
        "x": alt.X("strategy:N", title=None, sort=names),
        "xOffset": alt.XOffset("variant:N"),
        "color": alt.Color("variant:N", legend=alt.Legend(title="", orient="top")),
    }
    box = (
        alt.Chart(accounts)
        .mark_boxplot(extent="min-max", size=22, opacity=0.6)
        .encode(y=alt.Y("followers:Q", title="followers at the end (each account)"), **common)
    )
    dots = (
        alt.Chart(accounts)
        .mark_circle(size=18, opacity=0.35)
        .encode(y="followers:Q", tooltip=["handle", "variant", "seed", "followers"], **common)
    )
    return _style(alt.layer(box, dots), height)
