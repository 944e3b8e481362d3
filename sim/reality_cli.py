"""`partysim check` (the reality check) and `partysim claims` (the claims suite)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_commands(sub) -> None:
    check = sub.add_parser("check", help="compare a party with published facts about Twitter")
    check.add_argument("scenario", nargs="?", default="default")
    check.add_argument("--reps", type=int, default=5, help="replications (default 5)")
    check.add_argument("--steps", type=int, help="hours (default: the scenario's)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(func=cmd_check)
    claims = sub.add_parser("claims", help="run every claim of the brief; write CLAIMS.md")
    claims.add_argument("--reps", type=int, default=8, help="replications (default 8)")
    claims.add_argument("--steps", type=int, help="hours (default: each scenario's)")
    claims.add_argument("--out", default="docs", help="where CLAIMS.md and claims/ go")
    claims.set_defaults(func=cmd_claims)


def _reps(value: int) -> int:
    from sim.cli import CliError

    if not 2 <= value <= 1000:
        raise CliError(f"--reps must be an integer from 2 to 1000 (got {value})")
    return value


def cmd_check(args: argparse.Namespace) -> int:
    from sim.reality import format_check, reality_check
    from sim.scenarios import load

    load(args.scenario)  # a clear error for an unknown scenario before any run
    results = reality_check(args.scenario, reps=_reps(args.reps), steps=args.steps)
    if args.json:
        print(json.dumps({"scenario": args.scenario, "reps": args.reps, "facts": results}))
    else:
        print(format_check(results, args.scenario, args.reps))
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from sim.claimsuite import run_all, write_markdown

    result = run_all(
        reps=_reps(args.reps),
        steps=args.steps,
        progress=lambda name: print(f"running {name}", file=sys.stderr),
    )
    path = write_markdown(result, Path(args.out))
    for r in result["claims"]:
        c = r["claim"]
        print(f"{c.number:>3} {'shown' if r['shown'] else 'NOT shown':<10} {c.text}")
    print(f"wrote {path}")
    return 0
