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
    check.add_argument("--steps", type=int, help="hours (default: the scenario's)")
    check.add_argument("--seed", type=int, default=2010, help="root seed (default 2010)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--strict", action="store_true", help="exit 1 if any fact warns")
    check.add_argument("--feed", help="home feed: chronological, engagement, for_you or all")
    check.set_defaults(func=cmd_check)
    claims = sub.add_parser("claims", help="run every claim of the brief; write CLAIMS.md")
    claims.add_argument("--reps", type=int, default=20, help="replications (default 20)")
    claims.add_argument("--steps", type=int, help="hours (default: each scenario's)")
    claims.add_argument("--seed", type=int, default=2026, help="root seed (default 2026)")
    claims.add_argument("--out", default="docs", help="where CLAIMS.md and claims/ go")
    claims.add_argument(
        "--robustness", action="store_true", help="also re-run the headline claims with shared "
        "parameters x0.5 and x2 and the party x4 (5 replications per cell)"
    )  # fmt: skip
    claims.add_argument("--feed", help="a feed or all: claims per feed, OUT/claims/feeds.md")
    claims.set_defaults(func=cmd_claims)


def _checked(args: argparse.Namespace) -> None:
    from sim.cli.main import CliError

    if not 2 <= args.reps <= 1000:
        raise CliError(f"--reps must be an integer from 2 to 1000 (got {args.reps})")
    if args.steps is not None and not 1 <= args.steps <= 100_000:
        raise CliError(f"--steps must be an integer from 1 to 100000 (got {args.steps})")
    if not 0 <= args.seed <= 2**63 - 1:
        raise CliError(f"--seed must be an integer from 0 to {2**63 - 1:,} (got {args.seed})")
    if getattr(args, "out", None) is not None:  # claims: checked before the suite runs
        from sim.analysis.outdir import _existing_ancestor
        from sim.config.errors import OutputError
        from sim.config.paths import checked_path

        out = checked_path(args.out, "--out", OutputError)
        if out.exists() and not out.is_dir():
            raise CliError(f"--out {out}: a file of that name exists; --out takes a directory")
        where = _existing_ancestor(out.absolute())
        if not where.is_dir() or not os.access(where, os.W_OK | os.X_OK):
            raise CliError(f"--out {out}: cannot write in {where}")


def cmd_check(args: argparse.Namespace) -> int:
    from sim.analysis.check import format_check, run_check
    from sim.config.scenarios import load

    _checked(args)
    if args.feed:  # per feed: sim/analysis/claims_feeds.py
        return _check_by_feed(args)
    name = printable(load(args.scenario).name)  # an unknown scenario: an error before any run
    results = run_check(args.scenario, reps=args.reps, steps=args.steps, root_seed=args.seed)
    if args.json:
        payload = {"scenario": name, "reps": args.reps, "root_seed": args.seed}
        print(json.dumps({**payload, "facts": results}))
    else:
        print(format_check(results, name, args.reps))
    warned = any(r["status"] != "pass" for r in results)
    return 1 if args.strict and warned else 0


def cmd_claims(args: argparse.Namespace) -> int:
    from sim.analysis.claims import run_claims
    from sim.analysis.claims_report import write_report

    _checked(args)
    if args.feed:  # per feed: sim/analysis/claims_feeds.py
        return _claims_by_feed(args)
    result = run_claims(
        reps=args.reps,
        root_seed=args.seed,
        steps=args.steps,
        progress=lambda name: print(f"running {name}", file=sys.stderr),
    )
    robust = None
    if args.robustness:
        from sim.analysis.claims_robustness import run_robustness

        robust = run_robustness(root_seed=args.seed, steps=args.steps, progress=lambda c: print(
            f"robustness: {c}", file=sys.stderr))  # fmt: skip
    path = write_report(result, Path(args.out), robustness=robust)
    for r in result["comparisons"]:
        c = r["claim"]
        lo, hi = r["interval95"]
        print(f"{c.number:>4} {r['verdict']:<10} {r['effect']:>9.3g} [{lo:.3g}, {hi:.3g}] {c.text}")
    print(f"   5 {result['sweep']['verdict']:<10} peak at {result['sweep']['peak']:g} posts/hour")
    print(f"   8 {result['ghosts']['verdict']:<10} share with no gain")
    print(f"wrote {path}")
    return 0


def _check_by_feed(args: argparse.Namespace) -> int:
    """``partysim check --feed NAME|all``: the reality check under each feed named."""
    from sim.analysis.check import format_check
    from sim.analysis.claims_feeds import feeds_named, run_check_by_feed
    from sim.cli.main import CliError
    from sim.config.scenarios import load

    try:
        feeds = feeds_named(args.feed)
    except ValueError as err:
        raise CliError(str(err)) from None
    name = load(args.scenario).name
    by_feed = run_check_by_feed(
        args.scenario, feeds, reps=args.reps, steps=args.steps, root_seed=args.seed
    )
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
    from sim.cli.main import CliError

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
