"""The partysim command line, run as a user would (separate processes)."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest

from sim.config import scenarios

CONTRACT_STRATEGY_KEYS = {
    "accounts",
    "posts",
    "followers_mean",
    "followers_gained",
    "unfollows_received",
    "blocks_received",
    "retweets_received",
    "replies_received",
    "impressions",
    "clicks",
}


def partysim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=300
    )


def test_json_output_follows_the_contract():
    out = partysim("run", "default", "--steps", "12", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)  # one JSON object, nothing else on stdout
    assert result["scenario"] == "default" and result["steps"] == 12
    assert isinstance(result["seed"], int)
    for row in result["strategies"].values():
        assert CONTRACT_STRATEGY_KEYS <= set(row)
        assert isinstance(row["followers_mean"], float)
        assert all(isinstance(row[k], int) for k in CONTRACT_STRATEGY_KEYS - {"followers_mean"})
    net = result["network"]
    assert {"accounts", "follow_edges", "reciprocity", "followers_median", "followers_max"} <= set(
        net
    )
    assert 0.0 <= net["reciprocity"] <= 1.0
    assert {"originals", "share_zero_retweets", "max_size"} <= set(result["cascades"])


def test_same_seed_same_json_in_separate_processes_other_seed_differs():
    args = ("run", "default", "--steps", "36", "--json", "--seed")
    a, b, c = partysim(*args, "3"), partysim(*args, "3"), partysim(*args, "4")
    assert a.returncode == b.returncode == c.returncode == 0
    assert a.stdout == b.stdout
    assert json.loads(a.stdout) != json.loads(c.stdout)


def test_set_and_scenario_paths(tmp_path):
    path = scenarios.resolve("default")
    out = partysim(
        "run",
        str(path),
        "--steps",
        "6",
        "--json",
        "--set",
        "broadcaster.count=3",
        "--set",
        "follow_base_prob=0.05",
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["strategies"]["broadcaster"]["accounts"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "no_such_party"), "unknown scenario"),
        (("run", "default", "--set", "follow_base_prob=7"), "must be a number from 0 to 1"),
        (("run", "default", "--set", "regulr.count=3"), "did you mean 'regular'"),
        (("run", "default", "--set", "nonsense"), "--set expects key=value"),
    ],
)
def test_errors_go_to_stderr_with_nonzero_exit(args, message):
    out = partysim(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert message in out.stderr


def test_out_writes_tables_network_and_figure(tmp_path):
    out = partysim("run", "default", "--steps", "24", "--out", str(tmp_path), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    steps = pd.read_parquet(tmp_path / "steps.parquet")
    assert len(steps) == 25 * len(result["strategies"])
    assert pd.read_csv(tmp_path / "steps.csv").shape == steps.shape
    events = pd.read_csv(tmp_path / "events.csv")
    assert {"step", "event", "actor_handle", "target_handle", "reason_text"} <= set(events)
    graph = nx.read_graphml(tmp_path / "network.graphml")
    assert graph.number_of_nodes() == result["network"]["accounts"]
    assert graph.number_of_edges() == result["network"]["follow_edges"]
    assert nx.read_gexf(tmp_path / "network.gexf").number_of_edges() == graph.number_of_edges()
    assert (tmp_path / "followers.png").read_bytes()[:4] == b"\x89PNG"


def test_scenarios_and_params_listings():
    out = partysim("scenarios")
    assert out.returncode == 0
    for name in scenarios.scenario_names():
        assert name in out.stdout
    out = partysim("params", "--markdown")
    assert "| `follow_base_prob` |" in out.stdout and "| `posts_per_hour` |" in out.stdout


def test_help_texts_are_plain_words_for_users(capsys):
    """No reStructuredText markup (``x``, :func:) and no talk of "the brief" in any help."""
    from sim.cli import main as cli

    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "run" in a.choices)
    texts = [parser.format_help()] + [p.format_help() for p in subparsers.choices.values()]
    for text in texts:
        assert "``" not in text and ":func:" not in text and ":class:" not in text
        assert "brief" not in text.lower()
    assert "behaviours the model demonstrates" in parser.format_help()


def test_run_table_says_which_column_is_a_mean():
    from sim.analysis import metrics
    from sim.cli.main import format_summary
    from sim.engine.model import PartyModel

    model = PartyModel("default", seed=1).run(3)
    text = format_summary(metrics.summary(model), model.scenario)
    assert "followers: mean per account" in text and "totals" in text


def test_sweep_report_reads_as_english():
    import pandas as pd

    from sim.sweeps import report

    table = pd.DataFrame()
    table.attrs = {"done": 12, "runs": 12, "ran": 12, "failed": [], "elapsed_s": 1.0, "out": ""}
    text = report(table)
    assert "12 ran now, 0 finished earlier" in text and "run now" not in text


def test_reads_writes_the_read_log_beside_the_other_files_and_needs_out(tmp_path):
    alone = partysim("run", "default", "--steps", "3", "--reads")
    assert alone.returncode == 2 and "--out" in alone.stderr and alone.stderr.count("\n") == 1
    out = tmp_path / "with_reads"
    done = partysim("run", "default", "--steps", "6", "--reads", "--out", str(out))
    assert done.returncode == 0, done.stderr
    reads = pd.read_parquet(out / "reads.parquet")
    assert len(reads) > 0 and set(reads["hour"]) <= set(range(6))
    items = pd.read_csv(out / "items.csv")
    assert reads["item"].isin(items["item"]).all()
