"""The claims suite: every behaviour of the brief as a tested comparison with a verdict.

Each claim compares outcome A with outcome B over the same seeds (common random numbers:
both strategies live in the same runs, or two scenarios run with the same seeds). The effect
is the mean paired difference A - B with a 90% t-interval; the claim is *shown* when the
interval lies above zero (a one-sided test at 95%). ``partysim claims`` writes docs/CLAIMS.md
and one figure per claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.posts import ORIGINAL
from sim.reality import interval, replication_seeds


def strategy_outcomes(model) -> dict[str, dict[str, float]]:
    """Per strategy: the summary's outcomes per account plus a few derived ones."""
    from sim import metrics

    rows = metrics.summary(model)["strategies"]
    posts = model.posts
    out = {}
    for i, name in enumerate(model.strategy_names):
        row, mine = rows[name], model.strategy_id == i
        n = max(row["accounts"], 1)
        originals = (posts["form"] == ORIGINAL) & mine[posts["author"]]
        items = max(len(np.unique(posts["content"][originals])), 1)
        following = np.maximum(model.follows.out_degree[mine], 1)
        out[name] = {
            "net_followers": row["net_followers_mean"],
            "blocks": row["blocks_received"] / n,
            "replies": row["replies_received"] / n,
            "retweets": row["retweets_received"] / n,
            "impressions": row["impressions"] / n,
            "clicks_per_impression": row["clicks"] / max(row["impressions"], 1),
            "impressions_per_item": row["impressions"] / items,
            "read_per_followee": float((model.feed_total[mine] / following).mean()),
            "nets": (model.follows.in_degree[mine] - model.followers_at_start[mine]).tolist(),
        }
    return out


@dataclass(frozen=True)
class Claim:
    """A claim of the brief: outcome A > outcome B, each ``(scenario, strategy)``."""

    number: str
    text: str
    a: tuple[str, str]
    b: tuple[str, str]
    outcome: str
    unit: str
    expected: bool = True  # False where the model is known not to show it
    note: str = ""


CLAIMS = (
    Claim(
        "1",
        "Conversing gains more followers than broadcasting",
        ("billboard_vs_party", "conversationalist"),
        ("billboard_vs_party", "broadcaster"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "2",
        "Posting into hashtag rooms exposes you beyond your followers",
        ("hashtag_rooms", "tagger"),
        ("hashtag_rooms", "untagged"),
        "impressions",
        "impressions per account",
    ),
    Claim(
        "3",
        "Thanking retweeters gains followers",
        ("retweets_and_thanks", "thanker"),
        ("retweets_and_thanks", "no_thanks"),
        "net_followers",
        "net followers per account",
        expected=False,
        note="Retweeters mostly already follow the account they retweet (people retweet "
        "those they know), so a thank-you rarely converts into a new follower here. "
        "Thanks do mark the tie as acknowledged (more trust, likelier future retweets, "
        "fewer one-way unfollows), but the follower effect is not shown.",
    ),
    Claim(
        "3b",
        "Retweets carry engaged accounts' posts: they are retweeted more than the crowd",
        ("retweets_and_thanks", "thanker"),
        ("retweets_and_thanks", "regular"),
        "retweets",
        "retweets received per account",
    ),
    Claim(
        "4",
        "Blasting people with promotional mentions gets you blocked",
        ("blasting", "blaster"),
        ("blasting", "broadcaster"),
        "blocks",
        "blocks received per account",
    ),
    Claim(
        "5",
        "There is an optimum posting rate (1 post an hour online beats 4)",
        ("posting_rate", "rate_1"),
        ("posting_rate", "rate_4"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "5b",
        "...and beats posting rarely (1 an hour vs 0.05)",
        ("posting_rate", "rate_1"),
        ("posting_rate", "rate_0_05"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "6",
        "Replying is how you get noticed",
        ("replies_get_noticed", "replier"),
        ("replies_get_noticed", "silent"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "7",
        "A curator out-gains a broadcaster where the audience wants information",
        ("niche_newspaper", "curator"),
        ("niche_newspaper", "broadcaster"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "7b",
        "The curator's success depends on the audience (news readers vs chatters)",
        ("niche_newspaper", "curator"),
        ("chatty_audience", "curator"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "7c",
        "A broadcaster wins where the audience wants its content",
        ("bargain_hunters", "broadcaster"),
        ("default", "broadcaster"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "9",
        "Being a person raises click-through (vs scheduled automation)",
        ("automation_trust", "person_promoter"),
        ("automation_trust", "scheduler"),
        "clicks_per_impression",
        "clicks per impression",
    ),
    Claim(
        "10",
        "Screeners do not follow back sales-only accounts",
        ("screening", "conversationalist"),
        ("screening", "broadcaster"),
        "net_followers",
        "net followers per account",
    ),
    Claim(
        "11",
        "Posting in the audience's waking hours gets more retweets",
        ("time_zones", "audience_timed"),
        ("time_zones", "own_timed"),
        "retweets",
        "retweets received per account",
    ),
    Claim(
        "12",
        "Re-posting an item with new text reaches more people per item",
        ("repost", "reposter"),
        ("repost", "one_shot"),
        "impressions_per_item",
        "impressions per distinct item",
    ),
    Claim(
        "14",
        "Following hundreds makes the feed useless (each followee is read less)",
        ("following_hundreds", "regular"),
        ("following_hundreds", "follow_everyone"),
        "read_per_followee",
        "items read per followee per day",
    ),
    Claim(
        "15",
        "Asking questions draws replies",
        ("questions", "asker"),
        ("questions", "teller"),
        "replies",
        "replies received per account",
    ),
)

RULES = {
    "8": ("Some engaged accounts stay ghosts: outcomes vary", "ghosts"),
    "13": ("A reply shows in your feed only if you follow both people", None),
}


def run_all(
    reps: int = 8,
    root_seed: int = 2026,
    steps: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Run every scenario the claims need over the same seeds; judge every claim."""
    from sim.model import PartyModel

    seeds = replication_seeds(root_seed, reps)
    scenarios = sorted({c.a[0] for c in CLAIMS} | {c.b[0] for c in CLAIMS} | {"ghosts"})
    runs = {}
    for name in scenarios:
        if progress:
            progress(name)
        runs[name] = [strategy_outcomes(PartyModel(name, seed=s).run(steps)) for s in seeds]
    results = [judge(c, runs) for c in CLAIMS]
    nets = [v for run in runs["ghosts"] for v in run["conversationalist"]["nets"]]
    return {"seeds": seeds, "steps": steps, "claims": results, "ghosts": nets, "runs": runs}


def judge(claim: Claim, runs: dict) -> dict:
    a = np.array([r[claim.a[1]][claim.outcome] for r in runs[claim.a[0]]])
    b = np.array([r[claim.b[1]][claim.outcome] for r in runs[claim.b[0]]])
    mean, low, high = interval(a - b, level=0.90)
    shown = bool(low > 0)
    return {
        "claim": claim,
        "a": a.tolist(),
        "b": b.tolist(),
        "effect": mean,
        "interval90": [low, high],
        "shown": shown,
        "as_expected": shown == claim.expected,
    }


def figure(result: dict, path: Path) -> None:
    """Paired per-seed outcomes of A and B."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    c = result["claim"]
    fig, ax = plt.subplots(figsize=(4.2, 3.2), dpi=100)
    for a, b in zip(result["a"], result["b"], strict=True):
        ax.plot([0, 1], [a, b], color="#9e9e9e", lw=1)
    ax.scatter([0] * len(result["a"]), result["a"], color="#2e7d32", zorder=3)
    ax.scatter([1] * len(result["b"]), result["b"], color="#c62828", zorder=3)
    ax.set_xticks([0, 1], [f"{c.a[1]}\n({c.a[0]})", f"{c.b[1]}\n({c.b[0]})"], fontsize=7)
    ax.set_ylabel(c.unit, fontsize=8)
    ax.set_title(f"{c.number}: {'shown' if result['shown'] else 'not shown'}", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def ghost_figure(nets: list[float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 3.2), dpi=100)
    ax.hist(nets, bins=range(int(min(nets)) - 1, int(max(nets)) + 2), color="#2e7d32")
    ax.axvline(0, color="k", lw=1)
    ax.set_xlabel("net followers in a week (each conversationalist)", fontsize=8)
    ax.set_ylabel("accounts", fontsize=8)
    ax.set_title("8: the spread of engaged accounts' outcomes", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_markdown(result: dict, out: Path) -> Path:
    """docs/CLAIMS.md and docs/claims/*.png."""
    figures = out / "claims"
    figures.mkdir(parents=True, exist_ok=True)
    seeds = result["seeds"]
    lines = [
        "# Claims: what the model shows, and what it does not",
        "",
        "Generated by `partysim claims` (sim/claimsuite.py); do not edit by hand.",
        "",
        f"Each claim compares A with B over {len(seeds)} seeded replications "
        "(common random numbers: the same seeds for A and B). Effect = mean paired "
        "difference A - B with a 90% t-interval; **shown** when the interval lies above "
        "zero (one-sided test at 95%). tests/test_claims.py guards the key claims.",
        "",
        "| # | claim | A vs B | outcome | effect [90% interval] | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["claims"]:
        c = r["claim"]
        verdict = "shown" if r["shown"] else "**not shown**"
        lines.append(
            f"| {c.number} | {c.text} | {c.a[1]} ({c.a[0]}) vs {c.b[1]} ({c.b[0]}) | "
            f"{c.unit} | {r['effect']:.3g} [{r['interval90'][0]:.3g}, "
            f"{r['interval90'][1]:.3g}] | {verdict} |"
        )
        figure(r, figures / f"claim_{c.number}.png")
    nets = np.array(result["ghosts"])
    ghost_figure(list(nets), figures / "claim_8.png")
    share, low, high = interval(
        [
            float(np.mean(np.array(run["conversationalist"]["nets"]) <= 0))
            for run in result["runs"]["ghosts"]
        ]
    )
    ghosts = "shown" if share >= 0.05 else "**partly**: wide spread, few true ghosts"
    lines.append(
        f"| 8 | {RULES['8'][0]} | conversationalists (ghosts) | share with no net "
        f"gain | {share:.0%} [{max(low, 0):.0%}, {high:.0%}] (95%) | {ghosts} |"
    )
    lines.append(
        f"| 13 | {RULES['13'][0]} | feed rule | exact test | "
        "tests/test_engine.py::test_reply_shows_only_to_those_following_both_people "
        "| rule, tested exactly |"
    )
    lines += ["", "## Notes", ""]
    for r in result["claims"]:
        if r["claim"].note:
            lines += [f"**{r['claim'].number}.** {r['claim'].note}", ""]
    lines += [
        f"**8.** Conversationalists' net followers over a week range from "
        f"{nets.min():.0f} to {nets.max():.0f} (median {np.median(nets):.0f}); "
        f"{share:.0%} gain nothing. Same behaviour, different luck and individual "
        "quality and activity: look at distributions, not only means. True ghosts (no "
        "gain at all despite engaging) are rarer here than the seeds suggest: "
        "conversationalists reply and follow a lot, and much of the crowd follows back.",
        "",
    ]
    lines += ["## Figures", ""]
    for r in result["claims"]:
        n = r["claim"].number
        lines.append(f"![claim {n}](claims/claim_{n}.png)")
    lines.append("![claim 8](claims/claim_8.png)")
    path = out / "CLAIMS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
