"""Data for analysts: the item table, the accounts' reader columns, the files `--out`
writes, and docs/DATA.md naming every column of every table."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import small_model

import sim
from sim.analysis import metrics, output

DATA_MD = Path(__file__).resolve().parent.parent / "docs" / "DATA.md"


@pytest.fixture(scope="module")
def model():
    return small_model(seed=4).run(48)


def documented_columns() -> set[str]:
    """Every `name` in the first cell of a table row of docs/DATA.md."""
    names = set()
    for line in DATA_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]))
    return names


def test_every_column_of_every_table_is_documented():
    model = small_model(seed=5).run(12)
    for name in ("utc_offset", *metrics.READER_COLUMNS):  # the engine's per-account counters
        assert hasattr(model, name), name
    documented = documented_columns()
    for name, table in output.run_tables(model).items():
        missing = [c for c in table.columns if c not in documented]
        if name == "accounts":  # documented as a range "followers_gained ... "
            missing = [c for c in missing if c not in metrics.SUM_METRICS]
        assert missing == [], (name, missing)


def test_item_table_matches_the_posts(model):
    items = metrics.item_table(model)
    posts = model.posts
    assert len(items) == len(posts) and items["item"].tolist() == list(range(len(posts)))
    assert (items["hour"].to_numpy() == posts["step"]).all()
    assert items["reads"].sum() == posts["reads"].sum() > 0
    assert set(items["form"]) <= {"post", "reply", "retweet", "mention", "thanks"}
    rt = items[items["form"] == "retweet"]
    assert len(rt) > 0
    # a retweet shows another item, and its target is that item's author
    assert (rt["original_item"] != rt["item"]).all()
    assert (rt["target"] == items["author"].to_numpy()[rt["original_item"]]).all()
    originals = items[items["form"] == "post"]
    assert (originals["original_item"] == originals["item"]).all()
    assert (originals["target"] == -1).all() and (originals["target_handle"] == "").all()
    replies = items[items["form"] == "reply"]
    assert (replies["target"] >= 0).all() and (replies["target_handle"] != "").all()
    tagged = items["room"] != ""
    assert set(items.loc[tagged, "room"]) <= set(model.room_names)


def test_accounts_gain_time_zone_and_reader_columns_when_the_model_has_them():
    model = small_model(seed=6).run(12)
    table = metrics.account_table(model)
    assert "utc_offset" in table
    for name in metrics.READER_COLUMNS:  # written exactly when the model keeps the array
        assert (name in table) == hasattr(model, name)
    values = {name: np.arange(model.n) * (i + 1) for i, name in enumerate(metrics.READER_COLUMNS)}
    model.utc_offset = np.full(model.n, -5)
    for name, v in values.items():
        setattr(model, name, v)
    table = metrics.account_table(model)
    assert (table["utc_offset"] == -5).all()
    for name, v in values.items():
        assert (table[name].to_numpy() == v).all()


def test_out_writes_the_item_table_as_csv_and_parquet(model, tmp_path):
    files = output.write_outputs(model, tmp_path)
    csv = pd.read_csv(files["items_csv"], keep_default_na=False)
    parquet = pd.read_parquet(files["items_parquet"])
    assert len(csv) == len(parquet) == len(model.posts)
    assert list(csv.columns) == list(parquet.columns) == list(metrics.item_table(model).columns)
    assert parquet["reads"].tolist() == model.posts["reads"].tolist()


@pytest.mark.parametrize(("scenario", "seed"), [("blasting", 2), ("default", 3)])
def test_the_follow_graph_rebuilds_from_the_start_edges_and_the_event_log(scenario, seed, tmp_path):
    """edges_start.csv plus events.csv, applied in order (follows add, unfollows remove, a
    block removes the ties it says it cut, a mute changes no tie), give the final graph of
    network.graphml."""
    import networkx as nx

    model = sim.PartyModel(scenario, seed=seed).run(72)
    files = output.write_outputs(model, tmp_path / "out")
    start = pd.read_csv(files["edges_start_csv"])
    events = pd.read_csv(files["events_csv"])
    edges = set(zip(start["follower"], start["followee"], strict=True))
    assert len(edges) == len(start)  # no edge twice
    blocks = 0
    for row in events.itertuples():
        tie = (row.actor, row.target)
        if row.event == "follow":
            assert tie not in edges
            edges.add(tie)
        elif row.event == "unfollow":
            edges.remove(tie)
        elif row.event == "mute":  # the tie stays (rule mute)
            assert tie in edges
        else:
            blocks += 1
            for cut, pair in ((row.cut_my_follow, tie), (row.cut_their_follow, tie[::-1])):
                assert (pair in edges) == (cut == 1), (row, pair)
                edges.discard(pair)
    graph = nx.read_graphml(files["graphml"])
    final = {(int(u), int(v)) for u, v in graph.edges()}
    assert edges == final
    if scenario == "blasting":
        assert blocks > 0 and (events["cut_their_follow"] == 1).any()


def test_steps_name_the_weekday_from_a_monday_start(model):
    steps = metrics.tidy_steps(model)
    days = steps.drop_duplicates("step").set_index("step")["weekday"]
    assert days[0] == "Mon" and days[23] == "Mon" and days[24] == "Tue" and days[47] == "Tue"


def test_a_cascade_tree_rebuilds_from_parent_items():
    """Every retweet points at the item it was made from: published before it, showing the
    same original; following parents always reaches the original. A post's `retweets` is
    the size of its whole cascade (retweets of retweets credited to the root); a retweet's
    own count stays 0. Identical with the compiled loops on and off (tests/test_kernels.py
    compares the whole post store)."""
    model = sim.PartyModel("default", seed=11).run(96)
    items = metrics.item_table(model)
    rt = items[items["form"] == "retweet"]
    assert len(rt) > 50 and (items.loc[items["form"] != "retweet", "parent_item"] == -1).all()
    parent = items["parent_item"].to_numpy()
    orig = items["original_item"].to_numpy()
    assert (rt["parent_item"] < rt["item"]).all()
    assert (orig[rt["parent_item"]] == rt["original_item"]).all()
    depth = {}
    for i in rt["item"]:
        d, j = 0, i
        while parent[j] >= 0:
            j, d = parent[j], d + 1
        assert j == orig[i]
        depth[i] = d
    assert max(depth.values()) >= 2, "some retweets are made from retweets"
    sizes = rt.groupby("original_item").size()
    assert (items.set_index("item").loc[sizes.index, "retweets"] == sizes).all()
    assert (rt["retweets"] == 0).all()


def test_the_read_log_records_every_item_read_at_10000_accounts(tmp_path):
    """At 10,000 accounts over a day: one row per item read (notifications included, so the
    rows equal the accounts' n_items_read), ages never negative, each (hour, reader, source)
    numbered from 0 without gaps, at most 17 bytes a row; the run itself is unchanged by
    recording (same summary as without the log)."""
    big = {"regular.count": 9_920}  # with the default party's other 80 accounts: 10,000
    model = sim.PartyModel("default", seed=5, record_reads=True, **big).run(24)
    log = model.read_log.table()
    assert model.n == 10_000 and len(log) == model.n_items_read.sum() > 100_000
    assert (log["age_hours"] >= 0).all() and set(log["source"].unique()) <= {
        "notification", "home", "room", "recommended"
    }  # fmt: skip
    per = log.groupby(["hour", "reader", "source"], observed=True)["position"]
    assert (per.min() == 0).all() and (per.max() + 1 == per.size()).all()
    home = log[log["source"] == "home"]
    assert (home.merge(metrics.item_table(model)[["item", "hour"]], on="item",
                       suffixes=("", "_published"))
            .eval("hour - hour_published == age_hours").all())  # fmt: skip
    size = sum(c.nbytes for chunk in model.read_log._chunks for c in chunk)
    assert size / len(log) <= 17
    plain = sim.PartyModel("default", seed=5, **big).run(24)
    assert metrics.summary(plain) == metrics.summary(model)
    files = output.write_outputs(model, tmp_path / "out")
    assert len(pd.read_parquet(files["reads_parquet"])) == len(log)
