"""The game's debrief: the leaderboard by net followers, the participants beside the built-in
strategies, each participant's story (the story tab's words), the class's choices against
their outcomes, and the exports (a tidy CSV and a PNG for the trainer's slides)."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from sim.analysis.claims_map import default_cell
from sim.game.results import leaderboard, strategy_rows
from ui.story import account_events

BOARD_COLUMNS = {"rank": "#", "name": "name", "handle": "account",
                 "net_followers": "net followers", "followers_now": "followers",
                 "posts_per_day": "posts a day"}  # fmt: skip


def plain(text) -> str:
    """User text for st.markdown: HTML escaped and Markdown's specials backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>])", r"\\\1", html.escape(str(text), quote=False))


def tables(game) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The leaderboard and the built-in strategies' rows (read under the game's lock)."""
    with game.lock:
        board = pd.DataFrame(leaderboard(game.model, game.player_table()))
        strategies = pd.DataFrame(strategy_rows(game.model))
    return board, strategies


def board_view(board: pd.DataFrame) -> pd.DataFrame:
    """The leaderboard's columns a room reads."""
    if board.empty:
        return pd.DataFrame(columns=list(BOARD_COLUMNS.values()))
    view = board[list(BOARD_COLUMNS)].rename(columns=BOARD_COLUMNS)
    return view.assign(
        **{
            "posts a day": view["posts a day"].map("{:.1f}".format),
            "net followers": view["net followers"].map("{:+d}".format),
        }
    )


def tidy(game, board: pd.DataFrame, strategies: pd.DataFrame) -> pd.DataFrame:
    """One row per participant and per built-in strategy, with the game's seed and preset
    (the export: enough to rerun the game with ``partysim game replay``)."""
    people = board.assign(kind="participant", accounts=1,
                          net_followers_mean=board.get("net_followers"))  # fmt: skip
    built_in = strategies.assign(kind="built-in strategy", name=strategies.get("strategy"))
    out = pd.concat([people, built_in], ignore_index=True)
    return out.assign(game=game.code, preset=game.header["preset"], seed=game.header["seed"],
                      hour=game.model.steps)  # fmt: skip


MAP_DATA = Path(__file__).resolve().parent.parent / "docs" / "claims" / "posting_rate_map.json"


def sweep_curve(path: Path = MAP_DATA) -> tuple[pd.DataFrame, str] | None:
    """The posting-rate map's default cell (written by ``partysim claims``): per posting rate
    the posts a day it gave and the mean net followers with its 95% interval, and a caption;
    None if there is no map."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cell = default_cell(data)
    if cell is None:
        return None
    points = pd.DataFrame(cell["points"])
    hours = data.get("hours") or 168
    caption = (f"Behind the dots: the claims' posting-rate sweep ({data['reps']} runs of "
               f"{hours} h; mean and 95% band of net followers per account at each posting "
               f"rate, audience tolerance {cell['tolerance']:g} a day: {cell['in_words']}). "
               "Net followers grow with the hours played: compare shapes, not heights, "
               f"unless the game lasted {hours} h.")  # fmt: skip
    return points, caption


def choices_chart(
    board: pd.DataFrame, strategies: pd.DataFrame, sweep: pd.DataFrame | None = None
) -> alt.Chart:
    """Posting rate against net followers: each participant a dot, each strategy a cross,
    and behind them (``sweep``, from :func:`sweep_curve`) the posting-rate map's curve."""
    people = board.assign(who=board.get("name"), kind="participant",
                          net=board.get("net_followers"), rate=board.get("posts_per_day"))  # fmt: skip
    built = strategies.assign(who=strategies.get("strategy"), kind="built-in (mean)",
                              net=strategies.get("net_followers_mean"),
                              rate=strategies.get("posts_per_day_mean"))  # fmt: skip
    data = pd.concat([people, built], ignore_index=True)[["who", "kind", "net", "rate"]]
    base = alt.Chart(data).encode(
        x=alt.X("rate:Q", title="posts a day", scale=alt.Scale(type="symlog")),
        y=alt.Y("net:Q", title="net followers"),
        shape=alt.Shape("kind:N", title=None),
        tooltip=["who", "kind", "rate", "net"],
    )
    points = base.mark_point(size=140, filled=True)
    labels = base.mark_text(dx=8, align="left", fontSize=13).encode(text="who:N")
    layers = [points, labels]
    if sweep is not None and not sweep.empty:
        x = alt.X("posts_per_day:Q", scale=alt.Scale(type="symlog"))
        band = alt.Chart(sweep).mark_area(opacity=0.15, color="#00897b").encode(
            x=x, y="low:Q", y2="high:Q")  # fmt: skip
        line = alt.Chart(sweep).mark_line(color="#00897b", point=True).encode(
            x=x, y="net_followers:Q",
            tooltip=[alt.Tooltip("rate:Q", title="posts an hour online"),
                     alt.Tooltip("posts_per_day:Q", title="posts a day", format=".1f"),
                     alt.Tooltip("net_followers:Q", title="net followers (sweep)",
                                 format=".2f")])  # fmt: skip
        layers = [band, line, *layers]
    return alt.layer(*layers).properties(height=360).configure_axis(
        labelFontSize=14, titleFontSize=15)  # fmt: skip


def png(
    board: pd.DataFrame, strategies: pd.DataFrame, title: str, sweep: pd.DataFrame | None = None
) -> bytes:
    """The choices-vs-outcome figure as a PNG for slides (matplotlib, no browser needed),
    with the posting-rate map's curve behind (``sweep``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=120)
    if sweep is not None and not sweep.empty:
        ax.fill_between(sweep["posts_per_day"], sweep["low"], sweep["high"], color="#00897b",
                        alpha=0.15, lw=0)  # fmt: skip
        ax.plot(sweep["posts_per_day"], sweep["net_followers"], "o-", color="#00897b", ms=3,
                label="posting-rate sweep (claims, mean and 95% band)")  # fmt: skip
    if not board.empty:
        ax.scatter(board["posts_per_day"], board["net_followers"], s=60, label="participants")
        for _, r in board.iterrows():
            ax.annotate(str(r["name"]), (r["posts_per_day"], r["net_followers"]), fontsize=9,
                        xytext=(4, 3), textcoords="offset points")  # fmt: skip
    if not strategies.empty:
        ax.scatter(strategies["posts_per_day_mean"], strategies["net_followers_mean"],
                   marker="x", s=80, color="black", label="built-in strategies (mean)")  # fmt: skip
        for _, r in strategies.iterrows():
            ax.annotate(r["strategy"], (r["posts_per_day_mean"], r["net_followers_mean"]),
                        fontsize=9, xytext=(4, -10), textcoords="offset points")  # fmt: skip
    ax.set_xscale("symlog")
    ax.set_xlabel("posts a day")
    ax.set_ylabel("net followers (now minus at the start)")
    ax.set_title(title)
    ax.axhline(0, color="grey", lw=0.8)
    ax.legend(loc="best")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def story_lines(model, account: int, since: int = 0, you: bool = False) -> list[str]:
    """The account's gains and losses from hour ``since``, in the story tab's words."""
    events = account_events(model, account)
    events = events[(events["role"] == "target") & (events["hour"] >= since)]
    me = "@" + model.handle(account)
    return [
        f"hour {row.hour}: " + (row.why.replace(me, "you") if you else row.why)
        for row in events.itertuples()
    ]


def debrief(game, key: str, exports: bool = True) -> None:
    """The whole debrief (the trainer's reveal; participants see it too once revealed)."""
    board, strategies = tables(game)
    st.subheader("Leaderboard: net followers since the start")
    left, right = st.columns([3, 2])
    left.table(board_view(board).set_index("#"))  # an HTML table: crisp on a projector
    right.markdown("**Beside the built-in strategies** (mean per account)")
    if not strategies.empty:
        right.dataframe(
            strategies[["strategy", "net_followers_mean", "posts_per_day_mean"]]
            .rename(columns={"net_followers_mean": "net followers",
                             "posts_per_day_mean": "posts a day"})
            .round(1),
            hide_index=True, width="stretch",
        )  # fmt: skip
    st.markdown("**The class's choices against the outcome**")
    found = sweep_curve()
    sweep = found[0] if found else None
    st.altair_chart(choices_chart(board, strategies, sweep), width="stretch")
    if found:
        st.caption(found[1])
    title = f"Game {game.code}: posting rate vs net followers"
    if not exports:
        return
    c1, c2, c3 = st.columns(3)
    c1.download_button("Download the table (CSV)", tidy(game, board, strategies).to_csv(
        index=False), f"game_{game.code}.csv", "text/csv", key=f"{key}_csv")  # fmt: skip
    c2.download_button("Download the figure (PNG)", png(board, strategies, title, sweep),
                       f"game_{game.code}.png", "image/png", key=f"{key}_png")  # fmt: skip
    with game.lock:  # the experiment: scenario, seed and every move, for the replay
        record = "".join(json.dumps(r, sort_keys=True) + "\n" for r in game.records)
    c3.download_button("Download the game record (JSONL)", record, f"{game.code}.jsonl",
                       "application/x-ndjson", key=f"{key}_jsonl",
                       help="partysim game replay FILE reproduces these numbers")  # fmt: skip
    with st.expander("Each participant's story"):
        with game.lock:
            for row in board.itertuples():
                st.markdown(f"**{int(row.rank)}. {plain(row.name)}** ({plain(row.handle)}, "
                            f"{int(row.net_followers):+d} net)")  # fmt: skip
                lines = story_lines(game.model, int(row.account))
                st.text("\n".join(lines[-12:]) or "no follows or unfollows yet")
