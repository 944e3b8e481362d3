"""The claims re-tested in the town square (``partysim claims --population town_square``): do
the party's verdicts hold when your audience is the whole platform?

Each claim compares two strategies of a party scenario (sim/analysis/claims.py). Here those
strategies' groups are taken out of their parties, with every account value they have there
(time zone included), at most ``GROUP_CAP`` accounts a group, and embedded together in one
town square (scenarios/town_square.toml, resized to ``TOWN_ACCOUNTS`` accounts): readers who
rarely post, ordinary posters, popular accounts that follow nobody back, spam and bots. Their
audience is no longer a party built for the claim but the platform's crowd. Each run holds
every claim's groups, so all comparisons share the same runs (common random numbers), and
each comparison is judged exactly as in the party (sim/analysis/claims_suite.py: paired
differences over seeds, a 95% t-interval, a verdict per root seed, shown only where both root
seeds agree). Claims that compare two audiences (7b, 7e) do not apply: the town square is
one audience. Claim 3c (an influencer's retweet) is measured over all the town square's
accounts. The posting-rate sweep and the ghosts are embedded too.

No knock-outs are run here (as for the per-feed column): a label says what a verdict owes to
a rule, and that is measured in the party.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from sim.analysis.claims import (
    CLAIMS,
    FRAGILE,
    GHOSTS,
    NOT_SHOWN,
    REPS,
    REVERSED,
    ROOT_SEEDS,
    SHOWN,
    SWEEP,
    THANKS_SCENARIO,
    Claim,
    scenario_ref,
)
from sim.analysis.claims_feeds import effect_cell
from sim.analysis.claims_outcomes import BOTTOM, TOP
from sim.analysis.claims_report import TOWN_SECTION, load_summary, town_lines

TOWN = "town_square"
TOWN_ACCOUNTS = 10_000  # the size the column is measured at (the tests use it too)
GROUP_CAP = 20  # accounts per embedded group: a party's group size, 0.2% of the square
SEP = "/"  # an embedded strategy is named SCENARIO/STRATEGY
NOT_APPLICABLE = "n/a"
AUDIENCE_NOTE = "compares two audiences; the town square is one"
GHOST_STRATEGY = "conversationalist"


def compares_audiences(claim: Claim) -> bool:
    """A claim between two scenarios compares their audiences (7b, 7e): not re-testable in
    one population."""
    return claim.a[0] != claim.b[0]


def embedded(claims=CLAIMS) -> list[tuple[str, str]]:
    """The (scenario, strategy) pairs embedded in the town square: both sides of every claim
    that compares strategies, the posting-rate sweep's rates and the ghosts."""
    from sim.config.scenarios import load

    pairs = []
    for c in claims:
        if compares_audiences(c):
            continue
        pairs += [side for side in (c.a, c.b) if side[1] not in (TOP, BOTTOM)]
    sweep = load(scenario_ref(SWEEP))
    pairs += [(SWEEP, g.strategy) for g in sweep.groups if g.strategy.startswith("rate_")]
    pairs += [(GHOSTS, GHOST_STRATEGY), (THANKS_SCENARIO, "thanker")]
    return list(dict.fromkeys(pairs))


def town_scenario(n_accounts: int = TOWN_ACCOUNTS, claims=CLAIMS, cap: int = GROUP_CAP):
    """The town square at ``n_accounts`` with every embedded group added (each at most ``cap``
    accounts, named ``SCENARIO/GROUP``, its strategy ``SCENARIO/STRATEGY`` with the values its
    party gives it), checked by reading it back as a scenario file."""
    from sim.analysis.town_square import resize
    from sim.config.scenario_parts import Group
    from sim.config.scenarios import load, loads, to_toml
    from sim.config.strategies import STRATEGIES

    base = resize(TOWN, n_accounts)
    strategies, groups = dict(base.strategies), list(base.groups)
    for scenario, strategy in embedded(claims):
        party = load(scenario_ref(scenario))
        for g in party.groups:
            if g.strategy != strategy:
                continue
            name = f"{scenario}{SEP}{strategy}"
            if name not in strategies:
                what = f"{strategy} of the scenario {scenario}, embedded in the town square"
                strategies[name] = STRATEGIES["regular"].derive(name, what, g.values)
            groups.append(
                Group(f"{scenario}{SEP}{g.name}", name, min(g.count, cap), dict(g.values))
            )
    added = sum(g.count for g in groups) - base.n_accounts
    sc = replace(
        base,
        name="town_square_claims",
        description=f"The town square ({base.n_accounts:,} accounts) with the claims' groups "
        f"embedded ({added:,} accounts, at most {cap} a group): sim/analysis/claims_town.py.",
        strategies=strategies,
        groups=groups,
    )
    return loads(to_toml(sc), source="the town square with the claims' groups")


def split_outcomes(outcomes: dict) -> dict[str, dict]:
    """One run's outcomes per strategy (``SCENARIO/STRATEGY``) as scenario -> strategy ->
    outcomes, the shape the party's suite judges; 3c's accounts by followers under
    ``default`` (the whole town square)."""
    out: dict[str, dict] = {}
    for name, values in outcomes.items():
        if SEP in name:
            scenario, strategy = name.split(SEP, 1)
            out.setdefault(scenario, {})[strategy] = values
    out.setdefault("default", {}).update({k: outcomes[k] for k in (TOP, BOTTOM) if k in outcomes})
    return out


def _one_run(scenario_toml: str, seed: int, steps: int | None) -> dict:
    from sim.analysis.claims_outcomes import strategy_outcomes
    from sim.config.scenarios import loads
    from sim.engine.model import PartyModel

    model = PartyModel(loads(scenario_toml), seed=seed, agents=False)
    return split_outcomes(strategy_outcomes(model.run(steps)))


def _here(fn: Callable, items: list) -> Iterator[tuple[int, object]]:
    for i, item in enumerate(items):
        yield i, fn(*item)


def run_town_claims(
    reps: int = REPS,
    root_seeds=ROOT_SEEDS,
    n_accounts: int = TOWN_ACCOUNTS,
    steps: int | None = None,
    claims=CLAIMS,
    progress: Callable[[str], None] | None = None,
    map_runs: Callable | None = None,
) -> dict:
    """Every claim judged in the town square under each root seed (``reps`` runs each, the
    party suite's seeds), and combined over the root seeds. ``map_runs(fn, items)`` yields
    ``(index, fn(*item))`` as runs finish: the sweeps' process pool
    (:func:`sim.sweeps.engines.map_local`); by default the runs are made here, one by one."""
    from sim.analysis.claims_suite import combine, ghost_result, judge, sweep_result
    from sim.analysis.stats import interval, replication_seeds
    from sim.config.scenarios import to_toml

    scenario = town_scenario(n_accounts, claims)
    text = to_toml(scenario)
    testable = [c for c in claims if not compares_audiences(c)]
    by_root = {}
    for root in root_seeds:
        seeds = replication_seeds(root, reps)
        outcomes: list = [None] * len(seeds)
        items = [(text, seed, steps) for seed in seeds]
        mapped = (map_runs or _here)(_one_run, items)
        for done, (i, result) in enumerate(mapped, 1):
            outcomes[i] = result
            if progress:
                progress(f"town square, root seed {root}: run {done} of {len(seeds)}")
        runs = {name: [o.get(name, {}) for o in outcomes] for name in outcomes[0]}
        thanked = [r["thanker"]["thanked_already_following"] for r in runs[THANKS_SCENARIO]]
        by_root[root] = {
            "root_seed": root,
            "seeds": seeds,
            "comparisons": [judge(c, runs) for c in testable],
            "sweep": sweep_result(runs[SWEEP]),
            "ghosts": ghost_result(runs[GHOSTS], GHOST_STRATEGY),
            "thanked_already_following": list(interval(thanked, bounds=(0.0, 1.0))),
        }
    sweeps = {r["sweep"]["verdict"] for r in by_root.values()}
    ghosts = {r["ghosts"]["verdict"] for r in by_root.values()}
    return {
        "reps": reps,
        "root_seeds": list(root_seeds),
        "accounts": scenario.n_accounts,
        "town_accounts": n_accounts,
        "embedded_groups": sum(SEP in g.name for g in scenario.groups),
        "steps": steps or scenario.steps,
        "by_root": by_root,
        "claims": combine(by_root),
        "not_applicable": [c for c in claims if compares_audiences(c)],
        "sweep_verdict": sweeps.pop() if len(sweeps) == 1 else FRAGILE,
        "ghosts_verdict": ghosts.pop() if len(ghosts) == 1 else FRAGILE,
    }


# ----------------------------------------------------------------------------- the report
def fate(party: str | None, town: str) -> str:
    """How a claim fares in the town square against its verdict in the party."""
    if party is None:
        return ""
    if town == party:
        return "holds" if town == SHOWN else f"{town} in both"
    if {party, town} == {SHOWN, REVERSED}:
        return "turns around"
    if party == SHOWN:
        return "weakens"
    if party == NOT_SHOWN and town in (SHOWN, REVERSED):
        return "appears" if town == SHOWN else "goes the other way"
    return "changes"


def _share(m) -> str:
    return f"{m[0]:.0%} [{m[1]:.0%}, {m[2]:.0%}]"


def town_table(town: dict, party: dict[str, str]) -> list[str]:
    """Markdown rows: per claim its verdict in the party (docs/claims/claims.json), the town
    square's effect per root seed, its verdict there and how it fares."""
    roots = town["root_seeds"]
    lines = [
        "| claim | party | "
        + " | ".join(f"town square, root {r}" for r in roots)
        + " | town square | in the town square |",
        "|---|---|" + "---|" * len(roots) + "---|---|",
    ]
    for row in town["claims"]:
        c = row["claim"]
        cells = " | ".join(effect_cell(r) for r in row["per_root"].values())
        p = party.get(c.number)
        lines.append(f"| {c.number} {c.text} ({c.unit}) | {p or ''} | {cells} | "
                     f"{row['verdict']} | {fate(p, row['verdict'])} |")  # fmt: skip
    blank = " | ".join("" for _ in roots)
    for c in town["not_applicable"]:
        lines.append(f"| {c.number} {c.text} | {party.get(c.number, '')} | {blank} | "
                     f"{NOT_APPLICABLE} | {AUDIENCE_NOTE} |")  # fmt: skip
    sweep = [r["sweep"] for r in town["by_root"].values()]
    cells = " | ".join(f"{s['verdict']}, best seen at {s['peak']:g}/hour" for s in sweep)
    p = party.get("5-sweep")
    lines.append(f"| 5 posting-rate optimum (curvature test) | {p or ''} | {cells} | "
                 f"{town['sweep_verdict']} | {fate(p, town['sweep_verdict'])} |")  # fmt: skip
    ghosts = [r["ghosts"] for r in town["by_root"].values()]
    cells = " | ".join(f"{g['verdict']}, {g['share_no_gain'][0]:.2f} gain nothing" for g in ghosts)
    p = party.get("8")
    lines.append(f"| 8 engaged ghosts exist | {p or ''} | {cells} | {town['ghosts_verdict']} | "
                 f"{fate(p, town['ghosts_verdict'])} |")  # fmt: skip
    return lines


def sides_table(town: dict) -> list[str]:
    """Markdown rows: per claim the mean outcome of A and of B over all runs (both root
    seeds), so a difference can be read as who gained and who lost."""
    lines = ["| claim | A | mean A | B | mean B |", "|---|---|---|---|---|"]
    for row in town["claims"]:
        c = row["claim"]
        a = [x for r in row["per_root"].values() for x in r["a"]]
        b = [x for r in row["per_root"].values() for x in r["b"]]
        lines.append(f"| {c.number} ({c.unit}) | {c.a[1]} ({c.a[0]}) | {sum(a) / len(a):.3g} "
                     f"| {c.b[1]} ({c.b[0]}) | {sum(b) / len(b):.3g} |")  # fmt: skip
    return lines


# Why a verdict differs from the party's: what the town square's set-up makes of the claim
# (read with the table of the two sides; written from the measured run, checked at each one).
NOTES = {
    "5": "In the town square posting four times an hour does at least as well as once an "
    "hour: it wins under one root seed and neither wins under the other. Runs of this set-up "
    "measured before the accounts that left were added showed the mechanism: the accounts "
    "posting 4 an hour were followed by about twice as many strangers who met them in a room, "
    "and lost about twice as many followers to floods; in a crowd of readers who browse rooms "
    "every post meets new strangers, and only the few who already follow are flooded. In the "
    "party the two balance (not shown there; the posting-rate map in docs/CLAIMS.md).",
    "7d": "The claim is about a chatty audience (in chatty_audience the crowd's social "
    "appetite is 0.8, its appetite for information 0.15); the town square's crowd has the "
    "default appetites (0.6 and 0.5), and most of its follow edges are one-way, so most "
    "readers discount chat (rule 7.11: a social post is worth less to a reader who does not "
    "follow its author, or follows without a relationship) while information is worth the "
    "same from anyone. So the conversationalists' edge is gone (the curator wins under one "
    "root seed, neither under the other): the advice 'know your audience' holds; the winner "
    "belongs to its audience.",
    "7f": "The claim is about bargain hunters (promotional appetite 0.9 in bargain_hunters); "
    "the town square's crowd has 0.1, so offers are what most of it does not want: the "
    "broadcaster loses followers there while the conversationalists gain.",
    "7f-eq": "As 7f: with equal quality the offers lose to chat in a crowd that does not "
    "want offers.",
    "7c-eq": "With equal quality the curator and the conversationalists gain alike: it was "
    "the party's audience of news readers (appetite for information 0.9) that made "
    "information win there.",
    "11": "The schedulers live at UTC-5 and are timed for an audience nine hours ahead of "
    "UTC (time_zones); the town square's crowd is spread over time zones (tz_spread 12), so "
    "there is no one audience day to aim at.",
    "12": "Re-posts reach more readers per distinct content under both root seeds' means, "
    "but reads per item vary widely from run to run in the town square: shown under one root "
    "seed only.",
}


def party_verdicts(docs) -> dict[str, str]:
    """The party's verdicts as last written (docs/claims/claims.json and the behaviour table
    of docs/CLAIMS.md for the sweep and the ghosts)."""
    out = {c["number"]: c["verdict"] for c in load_summary(docs)}
    path = Path(docs) / "CLAIMS.md"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        marker = "Over both root seeds: **"
        if marker in text:
            out["5-sweep"] = text.split(marker, 1)[1].split("**", 1)[0]
        marker = "Verdict: **"
        ghosts = text.split("## 8. Ghosts", 1)
        if len(ghosts) == 2 and marker in ghosts[1]:
            out["8"] = ghosts[1].split(marker, 1)[1].split("**", 1)[0]
    return out


def summary_words(town: dict, party: dict[str, str]) -> list[str]:
    """Plain words: which verdicts hold in the town square, which weaken or turn around."""
    groups: dict[str, list[str]] = {}
    for row in town["claims"]:
        c = row["claim"]
        groups.setdefault(fate(party.get(c.number), row["verdict"]), []).append(
            f"{c.number} ({c.text})"
        )
    words = {
        "holds": "Hold in the town square (shown in the party and there)",
        "weakens": "Weaken (shown in the party, not shown or fragile in the town square)",
        "turns around": "Turn around (the town square reverses the party's verdict)",
        "appears": "Appear (not shown in the party, shown in the town square)",
        "goes the other way": "Go the other way (not shown in the party, reversed in the town "
        "square: B wins)",
        f"{NOT_SHOWN} in both": "Not shown in either",
        "changes": "Change otherwise",
    }
    return [f"- **{words[k]}**: " + "; ".join(v) + "." for k, v in groups.items() if k in words]


def splice(claims_md: Path, lines: list[str], before: str = "## 5. The posting-rate sweep") -> None:
    """Put the town-square section into an existing CLAIMS.md: in place of the one there, or
    before the section ``before`` (at the end if that is missing)."""
    text = claims_md.read_text(encoding="utf-8").splitlines()
    if TOWN_SECTION in text:
        start = text.index(TOWN_SECTION) - 1  # the blank line before it
        end = next((i for i in range(start + 2, len(text)) if text[i].startswith("## ")),
                   len(text))  # fmt: skip
        text[start:end] = lines + [""] if end < len(text) else lines
    else:
        at = next((i - 1 for i, line in enumerate(text) if line.startswith(before)), len(text))
        text[at:at] = lines
    claims_md.write_text("\n".join(text).rstrip("\n") + "\n", encoding="utf-8")


def write_town_report(town: dict, out, command: str, notes: dict[str, str] = NOTES) -> Path:
    """Write OUT/claims/town_square.md (the table, plain words, the set-up) and put its table
    into OUT/CLAIMS.md when that exists; returns the .md path."""
    out = Path(out)
    party = party_verdicts(out)
    roots = town["root_seeds"]
    lines = [
        "# Claims in the town square: does the party advice hold on the whole platform?",
        "",
        f"Generated by `{command}` (sim/analysis/claims_town.py); do not edit by hand.",
        "",
        f"The town square (scenarios/town_square.toml) at {town['town_accounts']:,} accounts "
        f"for {town['steps']} hours, with {town['embedded_groups']} groups embedded "
        f"({town['accounts'] - town['town_accounts']:,} accounts, at most {GROUP_CAP} a "
        "group): both strategies of every claim, the posting-rate sweep's rates and the "
        "ghosts, each with the values its party scenario gives it. "
        f"{town['reps']} runs under each root seed ({', '.join(map(str, roots))}), the party "
        "suite's seeds; each claim judged as in docs/CLAIMS.md (paired difference A - B over "
        "seeds, 95% t-interval; shown only where both root seeds agree). The column *party* "
        "is the verdict in docs/CLAIMS.md.",
        "",
        *town_table(town, party),
        "",
        "## In plain words",
        "",
        *summary_words(town, party),
        "",
        "## The two sides",
        "",
        "Mean outcome per account of each side over all runs of both root seeds.",
        "",
        *sides_table(town),
    ]
    fates = {r["claim"].number: fate(party.get(r["claim"].number), r["verdict"])
             for r in town["claims"]}  # fmt: skip
    shown_notes = {k: v for k, v in notes.items() if fates.get(k, "holds") != "holds"}
    thanked = [r["thanked_already_following"] for r in town["by_root"].values()]
    lines += ["", "## Why", ""]
    lines += [f"**{k}.** {v}\n" for k, v in shown_notes.items()]
    lines.append(
        "**3b.** As in the party, most thanked retweeters already followed the thanker when "
        "thanked: "
        + "; ".join(f"root {root}: {_share(t)}" for root, t in zip(roots, thanked, strict=True))
        + "."
    )
    path = out / "claims" / "town_square.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    claims_md = out / "CLAIMS.md"
    if claims_md.exists():
        splice(claims_md, town_lines(path))
    return path
