"""The reality check: does a party land near published facts about Twitter?

Each :class:`Fact` is measured over seeded replications (seeds from
``numpy.random.SeedSequence``) and reported with its band, the mean and 95% t-interval over
replications, pass or warn, and its source. The metric functions take plain arrays, so they
can be checked on small hand-made graphs and cascades.

Two facts compare strategies with equal everything else; they are measured on their own
scenario files (``scenarios/claims/``), which put two groups into the default party's crowd.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats

from sim.posts import INFO, ORIGINAL

CLAIM_SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "claims"

KWAK = "Kwak, Lee, Park, Moon 2010, What is Twitter, a social network or a news media? (WWW)"
GOEL = "Goel, Watts, Goldstein 2012, The structure of online diffusion networks (EC)"
HUTTO = "Hutto, Yardi, Gilbert 2013, A longitudinal study of follow predictors on Twitter (CHI)"
NAAMAN = "Naaman, Boase, Lai 2010, Is it really about me? Message content in social awareness "
NAAMAN += "streams (CSCW)"


def claim_scenario(name: str) -> str:
    """Path of a scenario file under ``scenarios/claims/``."""
    return str(CLAIM_SCENARIOS / f"{name}.toml")


# ---------------------------------------------------------------------- metric functions
def reciprocity_of_edges(src, dst) -> float:
    """Share of directed edges u->v whose reverse v->u exists (``networkx.reciprocity``).

    Self-loops and duplicate edges are ignored. 0.0 for an empty graph."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    keep = src != dst
    edges = np.unique(np.c_[src[keep], dst[keep]], axis=0)
    if len(edges) == 0:
        return 0.0
    n = int(edges.max()) + 1
    code = edges[:, 0] * n + edges[:, 1]
    reverse = edges[:, 1] * n + edges[:, 0]
    return float(np.isin(reverse, code).mean())


def mutual_pair_share(src, dst) -> float:
    """Share of connected (unordered) pairs that follow each other: Kwak et al.'s measure.

    With edge reciprocity r, it equals r / (2 - r)."""
    r = reciprocity_of_edges(src, dst)
    return r / (2 - r) if r < 2 else 0.0


def tail_ratios(followers) -> tuple[float, float]:
    """(mean / median, max / median) of follower counts: both well above 1 for a heavy tail.

    A median below 1 is taken as 1, so a party of isolated accounts does not divide by 0."""
    followers = np.asarray(followers, dtype=float)
    if len(followers) == 0:
        return 0.0, 0.0
    median = max(float(np.median(followers)), 1.0)
    return float(followers.mean()) / median, float(followers.max()) / median


def cascade_stats(retweets_of_originals) -> tuple[float, int, float]:
    """(share of original posts never retweeted, the largest cascade, largest / mean).

    A cascade's size here is the number of retweets of one original post."""
    r = np.asarray(retweets_of_originals, dtype=float)
    if len(r) == 0:
        return 0.0, 0, 0.0
    mean = float(r.mean())
    return float((r == 0).mean()), int(r.max()), float(r.max()) / mean if mean > 0 else 0.0


def info_share_by_author(author, kind, form, n: int) -> np.ndarray:
    """Per account: the share of its original posts that are informational (NaN if none)."""
    author, kind, form = np.asarray(author), np.asarray(kind), np.asarray(form)
    orig = form == ORIGINAL
    total = np.bincount(author[orig], minlength=n).astype(float)
    info = np.bincount(author[orig], weights=kind[orig] == INFO, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, info / total, np.nan)


def interval(values, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): a two-sided Student t-interval for the mean of per-seed values."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(v.mean())
    if len(v) < 2 or v.std(ddof=1) == 0:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return mean, float(mean - half), float(mean + half)


def replication_seeds(root: int, reps: int) -> list[int]:
    """Seeds for ``reps`` replications from one root seed (``SeedSequence(root).spawn``)."""
    return [
        int(s.generate_state(1, dtype=np.uint32)[0])
        for s in np.random.SeedSequence(root).spawn(reps)
    ]


# ---------------------------------------------------------------------- facts
@dataclass(frozen=True)
class Fact:
    """A published fact: what is measured, the band it should land in, and the source.

    A fact passes when the mean over replications lies in the band; a ``directional`` fact
    (a comparison, band "> 0") also needs its whole 95% interval above the lower bound."""

    name: str
    measure: str
    low: float
    high: float
    source: str
    scenario: str | None = None  # measured on this scenario, not on the one checked
    directional: bool = False
    compares: tuple[str, str] = field(default=("", ""))

    def judge(self, values) -> dict:
        mean, lo, hi = interval(values)
        ok = bool(self.low <= mean <= self.high)
        if self.directional:
            ok = ok and lo > self.low
        return {
            "fact": self.name,
            "measure": self.measure,
            "band": [self.low, self.high],
            "mean": mean,
            "interval95": [lo, hi],
            "status": "pass" if ok else "warn",
            "source": self.source,
            "scenario": self.scenario,
            "values": [float(v) for v in values],
        }


INF = float("inf")
FACTS = (
    Fact(
        "reciprocity",
        "share of follow edges reciprocated (networkx)",
        0.30,
        0.60,
        f"{KWAK}: about 22% of connected pairs (about 36% of edges) mutual in the 2009 graph; "
        "conversational communities are more reciprocal (50-60% of pairs)",
    ),
    Fact("followers_mean_median", "mean / median followers", 1.15, INF, f"{KWAK}: heavy tail"),
    Fact("followers_max_median", "max / median followers", 5.0, INF, f"{KWAK}: heavy tail"),
    Fact(
        "never_retweeted",
        "share of original posts never retweeted",
        0.80,
        0.95,
        f"{GOEL}: about nine in ten posts are never retweeted",
    ),
    Fact(
        "largest_cascade",
        "retweets of the most retweeted post / mean retweets per original",
        10.0,
        INF,
        f"{GOEL}: a few cascades are much larger than the typical one",
    ),
    Fact(
        "engaging_beats_broadcasting",
        "net followers per account, engager - billboard (equal content)",
        0.0,
        INF,
        f"{HUTTO}: engagement predicts follower growth, broadcasting does not",
        scenario="engaging_equal_content",
        directional=True,
        compares=("engager", "billboard"),
    ),
    Fact(
        "informers_beat_meformers",
        "net followers per account, informer - meformer (mostly info vs mostly self-talk)",
        0.0,
        INF,
        f"{NAAMAN}: 'informers' have more followers than 'meformers'",
        scenario="informers_meformers",
        directional=True,
        compares=("informer", "meformer"),
    ),
)


def measure_run(model, facts=FACTS) -> dict[str, float]:
    """Every fact's measure for one finished run (a comparison whose strategies are not in
    the run gives NaN)."""
    from sim import metrics

    f = model.follows
    mean_ratio, max_ratio = tail_ratios(f.in_degree)
    posts = model.posts
    share_zero, _, largest = cascade_stats(posts["retweets"][posts["form"] == ORIGINAL])
    rows = metrics.summary(model)["strategies"]
    out = {
        "reciprocity": reciprocity_of_edges(f.src, f.dst),
        "followers_mean_median": mean_ratio,
        "followers_max_median": max_ratio,
        "never_retweeted": share_zero,
        "largest_cascade": largest,
    }
    for fact in facts:
        a, b = fact.compares
        if a:
            ok = a in rows and b in rows
            gap = rows[a]["net_followers_mean"] - rows[b]["net_followers_mean"] if ok else np.nan
            out[fact.name] = float(gap)
    return out


def run_check(
    scenario="default",
    reps: int = 10,
    steps: int | None = None,
    root_seed: int = 2010,
    facts=FACTS,
    progress=None,
    overrides: dict | None = None,
) -> list[dict]:
    """Run ``reps`` replications and judge every fact; facts that name their own scenario
    are measured there, with the same seeds.

    ``scenario`` is a name, a path or a :class:`sim.scenarios.Scenario`; ``progress(done,
    total)`` is called after each run; ``overrides`` (e.g. ``{"feed": "engagement"}``) go to
    every run."""
    from sim.model import PartyModel

    seeds = replication_seeds(root_seed, reps)
    specs = {None: scenario}  # fact.scenario -> what to run
    specs.update({f.scenario: claim_scenario(f.scenario) for f in facts if f.scenario})
    total, measured = len(specs) * len(seeds), {}
    for key, spec in specs.items():
        measured[key] = []
        for s in seeds:
            model = PartyModel(spec, seed=s, **(overrides or {})).run(steps)
            measured[key].append(measure_run(model, facts))
            if progress is not None:
                progress(sum(map(len, measured.values())), total)
    return [fact.judge([m[fact.name] for m in measured[fact.scenario]]) for fact in facts]


def band_text(low: float, high: float) -> str:
    """A fact's band in words: "0.3-0.6", ">= 5" or "> 0"."""
    return f">= {low:g}" if high == INF and low else ("> 0" if high == INF else f"{low:g}-{high:g}")


def format_check(results: list[dict], scenario: str, reps: int) -> str:
    """The check as a plain-text table, then the sources."""
    lines = [
        f"reality check: {scenario}, {reps} replications (mean [95% interval])",
        f"{'fact':<28} {'band':<10} {'measured':<27} {'status':<6} scenario",
    ]
    for r in results:
        got = f"{r['mean']:.3g} [{r['interval95'][0]:.3g}, {r['interval95'][1]:.3g}]"
        lines.append(
            f"{r['fact']:<28} {band_text(*r['band']):<10} {got:<27} {r['status'].upper():<6} "
            f"{r['scenario'] or scenario}"
        )
    lines.append("measures and sources:")
    lines += [f"  {r['fact']}: {r['measure']}. {r['source']}" for r in results]
    return "\n".join(lines)
