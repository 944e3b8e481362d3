"""The reality check: does a party land near published facts about Twitter?

Each :class:`Fact` is measured over seeded replications and reported with a 95% interval,
the band it should fall in, pass or warn, and its source. The metric functions work on plain
arrays so they can be checked on small hand-made graphs and cascades.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.posts import ORIGINAL

KWAK = "Kwak, Lee, Park, Moon 2010, What is Twitter, a social network or a news media? (WWW)"
GOEL = "Goel, Watts, Goldstein 2012, The structure of online diffusion networks (EC)"
HUTTO = "Hutto, Yardi, Gilbert 2013, A longitudinal study of follow predictors on Twitter (CHI)"
NAAMAN = "Naaman, Boase, Lai 2010, Is it really about me? Message content in social awareness streams (CSCW)"


def reciprocity_of_edges(src: np.ndarray, dst: np.ndarray) -> float:
    """Share of directed edges whose reverse edge exists (networkx's ``reciprocity``)."""
    edges = {(int(u), int(v)) for u, v in zip(src, dst, strict=True) if u != v}
    if not edges:
        return 0.0
    return sum((v, u) in edges for u, v in edges) / len(edges)


def tail_ratios(followers: np.ndarray) -> tuple[float, float]:
    """(mean / median, max / median) of follower counts: both well above 1 for a heavy tail."""
    followers = np.asarray(followers, dtype=float)
    median = max(float(np.median(followers)), 1.0)
    return float(followers.mean()) / median, float(followers.max()) / median


def cascade_stats(retweets_of_originals: np.ndarray) -> tuple[float, int]:
    """(share of original posts never retweeted, largest number of retweets of one post)."""
    r = np.asarray(retweets_of_originals)
    if len(r) == 0:
        return 0.0, 0
    return float((r == 0).mean()), int(r.max())


def interval(values, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): a t-interval for the mean of per-seed values."""
    v = np.asarray(values, dtype=float)
    mean = float(v.mean())
    if len(v) < 2 or v.std(ddof=1) == 0:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return mean, mean - half, mean + half


@dataclass(frozen=True)
class Fact:
    """A published fact: what is measured, the band it should land in, and the source."""

    name: str
    measure: str  # what the number is
    low: float
    high: float
    source: str
    scenario: str | None = None  # measured on another scenario than the one checked

    def judge(self, values) -> dict:
        mean, lo, hi = interval(values)
        ok = self.low <= mean <= self.high
        return {
            "fact": self.name,
            "measure": self.measure,
            "band": [self.low, self.high],
            "mean": mean,
            "interval95": [lo, hi],
            "status": "pass" if ok else "warn",
            "source": self.source,
            "scenario": self.scenario,
            "values": list(values),
        }


FACTS = (
    Fact(
        "reciprocity",
        "share of follow edges reciprocated",
        0.30,
        0.60,
        f"{KWAK}: about 22% of connected pairs (about 36% of edges) mutual in the 2009 "
        "graph; conversational communities are more reciprocal",
    ),
    Fact("heavy_tail_mean", "mean / median followers", 1.15, 10.0, KWAK),
    Fact("heavy_tail_max", "max / median followers", 5.0, 1000.0, KWAK),
    Fact(
        "never_retweeted",
        "share of original posts never retweeted",
        0.80,
        0.95,
        f"{GOEL}: most cascades end at the seed; roughly nine in ten posts get no retweet",
    ),
    Fact(
        "largest_cascade",
        "retweets of the most retweeted post / mean over originals",
        10.0,
        1e6,
        f"{GOEL}: a few cascades are much larger than the typical one",
    ),
    Fact(
        "engaging_beats_broadcasting",
        "net followers per account: conversationalist - broadcaster",
        0.0,
        1e6,
        f"{HUTTO}: engagement predicts follower growth, broadcasting does not",
    ),
    Fact(
        "informers_beat_promoters",
        "net followers per account in an information audience: curator - broadcaster",
        0.0,
        1e6,
        f"{NAAMAN}: 'informers' have more followers than 'meformers'",
        scenario="niche_newspaper",
    ),
)


def measure_run(model) -> dict[str, float]:
    """Every fact's measure for one finished run (strategy comparisons need both strategies;
    a missing one gives NaN)."""
    from sim import metrics

    f = model.follows
    mean_ratio, max_ratio = tail_ratios(f.in_degree)
    retweets = model.posts["retweets"][model.posts["form"] == ORIGINAL]
    share_zero, largest = cascade_stats(retweets)
    rows = metrics.summary(model)["strategies"]

    def gap(a: str, b: str) -> float:
        if a in rows and b in rows:
            return rows[a]["net_followers_mean"] - rows[b]["net_followers_mean"]
        return float("nan")

    return {
        "reciprocity": f.reciprocity(),
        "heavy_tail_mean": mean_ratio,
        "heavy_tail_max": max_ratio,
        "never_retweeted": share_zero,
        "largest_cascade": largest / max(float(retweets.mean()), 1e-9) if len(retweets) else 0.0,
        "engaging_beats_broadcasting": gap("conversationalist", "broadcaster"),
        "informers_beat_promoters": gap("curator", "broadcaster"),
    }


def replication_seeds(root: int, reps: int) -> list[int]:
    """Seeds for ``reps`` replications from one root seed (numpy SeedSequence)."""
    return [
        int(s.generate_state(1, dtype=np.uint32)[0])
        for s in np.random.SeedSequence(root).spawn(reps)
    ]


def reality_check(
    scenario: str = "default", reps: int = 5, steps: int | None = None, root_seed: int = 2010
) -> list[dict]:
    """Run ``reps`` replications and judge every fact (facts that name another scenario are
    measured there, with the same seeds)."""
    from sim.model import PartyModel

    seeds = replication_seeds(root_seed, reps)
    measured: dict[str, list[dict]] = {}
    for name in {scenario, *(f.scenario for f in FACTS if f.scenario)}:
        measured[name] = [measure_run(PartyModel(name, seed=s).run(steps)) for s in seeds]
    return [
        fact.judge([m[fact.name] for m in measured[fact.scenario or scenario]]) for fact in FACTS
    ]


def format_check(results: list[dict], scenario: str, reps: int) -> str:
    """The check as a plain-text table."""
    lines = [
        f"reality check: {scenario}, {reps} replications (mean and 95% interval)",
        f"{'fact':<29} {'band':<15} {'measured':<26} status",
    ]
    for r in results:
        lo, hi = r["band"]
        band = f"{lo:g}-{hi:g}" if hi < 1e5 else f">= {lo:g}"
        got = f"{r['mean']:.3g} [{r['interval95'][0]:.3g}, {r['interval95'][1]:.3g}]"
        lines.append(f"{r['fact']:<29} {band:<15} {got:<26} {r['status'].upper()}")
    lines.append("sources:")
    lines += sorted({f"  {r['fact']}: {r['source']}" for r in results})
    return "\n".join(lines)
