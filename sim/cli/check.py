"""`partysim check` (the reality check) and `partysim claims` (the claims suite).

Exit status of ``check``: 0 when it ran (facts may warn), 1 with ``--strict`` when any fact
warns, 2 for a usage error (unknown scenario, bad ``--reps``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from sim.config.paths import printable


def add_commands(sub) -> None:
    """Add the ``check`` and ``claims`` subcommands to ``partysim``'s subparsers."""
    check = sub.add_parser("check", help="compare a party with published facts about Twitter")
    check.add_argument("scenario", nargs="?", default="default", help="default: default")
    check.add_argument("--reps", type=int, default=10, help="replications (default 10)")
    check.add_argument(
        "--steps",
        type=int,
        help="hours of the runs the snapshot facts are measured on (default: the scenario's)",
    )
    check.add_argument(
        "--tie-hours",
        type=int,
        metavar="HOURS",
        help="hours of the runs the tie facts (unfollowing, ties breaking) are measured on "
        "(default: 51 days, the window of Kwak, Chun, Moon 2011)",
    )
    check.add_argument("--seed", type=int, default=2010, help="root seed (default 2010)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--strict", action="store_true", help="exit 1 if any fact warns")
    check.add_argument("--feed", help="home feed: chronological, engagement, for_you or all")
    check.add_argument(
        "--population",
        help="whose facts: default (the party) or town_square (the global graph); default: "
        "the population named like the scenario, else the party's",
    )
    check.add_argument(
        "--accounts",
        type=int,
        metavar="N",
        help="resize the scenario to N accounts, every group in the same share (e.g. the town "
        "square at 10000 to 2000000)",
    )
    check.set_defaults(func=cmd_check)
    claims = sub.add_parser(
        "claims", help="run the claims (the behaviours the model demonstrates); write CLAIMS.md"
    )
    claims.add_argument("--reps", type=int, default=20, help="replications (default 20)")
    claims.add_argument("--steps", type=int, help="hours (default: each scenario's)")
    claims.add_argument(
        "--seed", type=int, action="append", help="a root seed; give it twice for the two root "
        "seeds a verdict must hold under (default 2026 and 7; the first one alone for --feed)"
    )  # fmt: skip
    claims.add_argument("--out", default="docs", help="where CLAIMS.md and claims/ go")
    claims.add_argument(
        "--robustness", action="store_true", help="also re-run the headline claims with shared "
        "parameters x0.5 and x2, the party x4 and each tuned rule neutralised (--reps per cell)"
    )  # fmt: skip
    claims.add_argument("--feed", help="a feed or all: claims per feed, OUT/claims/feeds.md")
    claims.add_argument(
        "--population",
        choices=("party", "town_square"),
        default="party",
        help="party (each claim in its own party scenario; default) or town_square (each "
        "claim's strategies embedded in the town square: OUT/claims/town_square.md and its "
        "section of OUT/CLAIMS.md)",
    )
    claims.add_argument(
        "--accounts",
        type=int,
        metavar="N",
        help="with --population town_square: the town square's size (default 10000)",
    )
    claims.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="J",
        help="with --population town_square: runs in parallel (local processes; default 1)",
    )
    claims.set_defaults(func=cmd_claims)


def _checked(args: argparse.Namespace) -> None:
    from sim.cli.errors import CliError

    if not 2 <= args.reps <= 1000:
        raise CliError(f"--reps must be an integer from 2 to 1000 (got {args.reps})")
    if args.steps is not None and not 1 <= args.steps <= 100_000:
        raise CliError(f"--steps must be an integer from 1 to 100000 (got {args.steps})")
    seeds = args.seed if isinstance(args.seed, list) else [args.seed]  # claims: one or two
    for seed in seeds:
        if seed is not None and not 0 <= seed <= 2**63 - 1:
            raise CliError(f"--seed must be an integer from 0 to {2**63 - 1:,} (got {seed})")
    if getattr(args, "out", None) is not None:  # claims: checked before the suite runs
        writable_dir(args.out)


def writable_dir(out: str) -> Path:
    """``--out`` as a Path if a directory can be written there, else a CliError, before any
    work (claims, plot)."""
    from sim.analysis.outdir import _existing_ancestor
    from sim.cli.errors import CliError
    from sim.config.errors import OutputError
    from sim.config.paths import checked_path

    path = checked_path(out, "--out", OutputError)
    if path.exists() and not path.is_dir():
        raise CliError(f"--out {path}: a file of that name exists; --out takes a directory")
    where = _existing_ancestor(path.absolute())
    if not where.is_dir() or not os.access(where, os.W_OK | os.X_OK):
        raise CliError(f"--out {path}: cannot write in {where}")
    return path


def cmd_check(args: argparse.Namespace) -> int:
    from sim.analysis.check import format_check, run_check
    from sim.cli.errors import CliError
    from sim.config.scenarios import load

    _checked(args)
    if args.tie_hours is not None and not 1 <= args.tie_hours <= 100_000:
        raise CliError(f"--tie-hours must be an integer from 1 to 100000 (got {args.tie_hours})")
    if args.feed:  # per feed: sim/analysis/claims_feeds.py
        return _check_by_feed(args)
    name = printable(load(args.scenario).name)  # an unknown scenario: an error before any run
    scenario, population = _population(args)
    _say_how_long(args, scenario, population)
    details = {} if population != "default" else None
    results = run_check(scenario, reps=args.reps, steps=args.steps, root_seed=args.seed,
                        long_steps=args.tie_hours, population=population,
                        details=details)  # fmt: skip
    if args.json:
        payload = {"scenario": name, "reps": args.reps, "root_seed": args.seed}
        if population != "default":  # the party's JSON keeps exactly its keys
            extra = {"population": population, "accounts": load(scenario).n_accounts}
            payload = {**payload, **extra, "details": details}
        print(json.dumps({**payload, "facts": results}))
    else:
        print(format_check(results, name, args.reps))
    warned = any(r["status"] != "pass" for r in results)
    return 1 if args.strict and warned else 0


def _say_how_long(args: argparse.Namespace, scenario, population: str) -> None:
    """A long check prints its rough estimate on stderr first, as a long run does."""
    from sim.analysis.check import estimate_check_seconds
    from sim.config.scenarios import load
    from sim.engine.resources import SAY_ESTIMATE_S, duration

    seconds = estimate_check_seconds(scenario, args.reps, args.steps, args.tie_hours, population)
    if seconds > SAY_ESTIMATE_S:
        n = load(scenario).n_accounts
        print(
            f"partysim check: {args.reps} replications of {n:,} accounts, about "
            f"{duration(seconds)} on one core (a rough estimate)",
            file=sys.stderr,
        )


def _population(args: argparse.Namespace):
    """(the scenario to run, resized with ``--accounts``; the population whose facts apply)."""
    from sim.analysis.check import POPULATIONS, population_of
    from sim.cli.errors import CliError
    from sim.config.scenario_parts import MAX_ACCOUNTS

    scenario = args.scenario
    accounts = getattr(args, "accounts", None)
    if accounts is not None:
        if not 2 <= accounts <= MAX_ACCOUNTS:
            raise CliError(f"--accounts must be an integer from 2 to {MAX_ACCOUNTS:,} "
                           f"(got {accounts})")  # fmt: skip
        from sim.analysis.town_square import resize

        scenario = resize(scenario, accounts)
    population = getattr(args, "population", None)
    if population is not None and population not in POPULATIONS:
        raise CliError(f"--population must be one of {', '.join(POPULATIONS)} (got {population})")
    return scenario, population or population_of(scenario)


def cmd_claims(args: argparse.Namespace) -> int:
    from sim.analysis.claims import ROOT_SEEDS
    from sim.analysis.claims_map import run_map
    from sim.analysis.claims_report import write_report
    from sim.analysis.claims_suite import run_suite

    _checked(args)
    roots = args.seed or list(ROOT_SEEDS)
    args.seed = roots[0]  # --feed and --robustness run under the first root seed
    if args.population == "town_square":  # sim/analysis/claims_town.py
        return _claims_in_town(args, roots)
    if args.feed:  # per feed: sim/analysis/claims_feeds.py
        return _claims_by_feed(args)
    if args.accounts is not None or args.jobs != 1:
        from sim.cli.errors import CliError

        raise CliError("--accounts and --jobs go with --population town_square")

    def say(what: str) -> None:
        print(f"running {what}", file=sys.stderr)

    suite = run_suite(reps=args.reps, root_seeds=roots, steps=args.steps, progress=say)
    posting_map = run_map(reps=args.reps, root_seed=roots[0], steps=args.steps, progress=say)
    robust = None
    if args.robustness:
        from sim.analysis.claims_robustness import run_robustness

        robust = run_robustness(reps=args.reps, root_seed=roots[0], steps=args.steps,
                                progress=lambda c: say(f"robustness: {c}"))  # fmt: skip
    path = write_report(suite, Path(args.out), robustness=robust, posting_map=posting_map)
    print("\n".join(claims_lines(suite)))
    for cell in posting_map["cells"]:
        print(f"   5 {cell['verdict']:<10} posting-rate optimum, flood tolerance "
              f"{cell['tolerance']:g}, {cell['rules']}")  # fmt: skip
    print(f"wrote {path}")
    return 0


def _claims_in_town(args: argparse.Namespace, roots: list[int]) -> int:
    """``partysim claims --population town_square``: every claim's strategies embedded in
    the town square; writes OUT/claims/town_square.md and its section of OUT/CLAIMS.md."""
    from sim.analysis.claims_town import (
        TOWN_ACCOUNTS,
        party_verdicts,
        run_town_claims,
        town_table,
        write_town_report,
    )
    from sim.cli.errors import CliError

    accounts = TOWN_ACCOUNTS if args.accounts is None else args.accounts
    if not 10_000 <= accounts <= 2_000_000:
        raise CliError(f"--accounts must be an integer from 10,000 to 2,000,000 (got {accounts})")
    if not 1 <= args.jobs <= 64:
        raise CliError(f"--jobs must be an integer from 1 to 64 (got {args.jobs})")
    if args.feed or args.robustness:
        raise CliError("--population town_square runs the comparisons only (no --feed, "
                       "no --robustness)")  # fmt: skip
    from functools import partial

    from sim.sweeps.design import SweepAborted
    from sim.sweeps.engines import map_local

    try:
        town = run_town_claims(reps=args.reps, root_seeds=roots, n_accounts=accounts,
                               steps=args.steps, map_runs=partial(map_local, jobs=args.jobs),
                               progress=lambda what: print(what, file=sys.stderr))  # fmt: skip
    except SweepAborted as err:  # as partysim sweep says it
        print(f"partysim: {err}; nothing written", file=sys.stderr)
        return err.status
    seeds = " ".join(f"--seed {s}" for s in roots)
    command = (f"partysim claims --population town_square --accounts {accounts} "
               f"--reps {args.reps} {seeds}")  # fmt: skip
    path = write_town_report(town, args.out, command)
    print("\n".join(town_table(town, party_verdicts(args.out))))
    print(f"wrote {path}")
    return 0


def claims_lines(suite: dict) -> list[str]:
    """The suite as printed: per claim the effect under each root seed, the effect with its
    knock-out, the computed label and the verdict."""
    roots = suite["root_seeds"]
    lines = [
        f"{'#':>5} {'verdict':<10} "
        + " ".join(f"{f'effect (root {s})':<26}" for s in roots)
        + f" {'without its rules':<26} {'label':<20} claim"
    ]
    for row in suite["claims"]:
        c = row["claim"]
        cells = [_effect_cell(r) for r in row["per_root"].values()]
        k = row.get("knockout")
        without = _effect_cell(k) if k else "(restates a rule)"
        lines.append(
            f"{c.number:>5} {row['verdict']:<10} "
            + " ".join(f"{x:<26}" for x in cells)
            + f" {without:<26} {row['label']:<20} {c.text}"
        )
    lines.append(f"{'5':>5} {suite['sweep_verdict']:<10} posting-rate optimum (curvature test)")
    return lines


def _effect_cell(r: dict) -> str:
    lo, hi = r["interval95"]
    return f"{r['effect']:.3g} [{lo:.3g}, {hi:.3g}]"


def _check_by_feed(args: argparse.Namespace) -> int:
    """``partysim check --feed NAME|all``: the reality check under each feed named."""
    from sim.analysis.check import format_check, run_check
    from sim.analysis.claims_feeds import feeds_named
    from sim.cli.errors import CliError
    from sim.config.scenarios import load

    try:
        feeds = feeds_named(args.feed)
    except ValueError as err:
        raise CliError(str(err)) from None
    name = load(args.scenario).name
    scenario, population = _population(args)
    by_feed = {  # as claims_feeds.run_check_by_feed, with the tie facts' window passed on
        feed: run_check(scenario, reps=args.reps, steps=args.steps, root_seed=args.seed,
                        long_steps=args.tie_hours, overrides={"feed": feed},
                        population=population)
        for feed in feeds
    }  # fmt: skip
    if args.json:
        payload = {"scenario": name, "reps": args.reps, "root_seed": args.seed}
        print(json.dumps({**payload, "feeds": by_feed}))
    else:
        for feed, results in by_feed.items():
            print(f"feed: {feed}\n{format_check(results, name, args.reps)}\n")
    warned = any(r["status"] != "pass" for results in by_feed.values() for r in results)
    return 1 if args.strict and warned else 0


def _claims_by_feed(args: argparse.Namespace) -> int:
    """``partysim claims --feed NAME|all``: the claims suite (and the reality check of the
    default party) under each feed named; writes OUT/claims/feeds.md."""
    from sim.analysis.claims_feeds import (
        claims_table,
        feeds_named,
        run_check_by_feed,
        run_claims_by_feed,
        write_feeds_report,
    )
    from sim.cli.errors import CliError

    try:
        feeds = feeds_named(args.feed)
    except ValueError as err:
        raise CliError(str(err)) from None
    claims = run_claims_by_feed(
        feeds,
        reps=args.reps,
        root_seed=args.seed,
        steps=args.steps,
        progress=lambda name: print(f"running {name}", file=sys.stderr),
    )
    check = run_check_by_feed("default", feeds, reps=min(args.reps, 10), steps=args.steps)
    command = f"partysim claims --feed {args.feed} --reps {args.reps} --seed {args.seed}"
    path = write_feeds_report(claims, check, Path(args.out) / "claims" / "feeds.md", command)
    print("\n".join(claims_table(claims)))
    print(f"wrote {path}")
    return 0
