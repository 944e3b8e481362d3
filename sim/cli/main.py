"""The ``partysim`` command line (also ``python -m sim``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sim.analysis.outdir import LARGE_RUN_ACCOUNTS, MARKER
from sim.cli import check as check_commands
from sim.cli import game as game_commands
from sim.cli import sweep as sweep_commands
from sim.cli.errors import CliError
from sim.config.errors import OutputError, SettingError
from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS, ParamError
from sim.config.paths import printable
from sim.config.scenarios import (
    ScenarioError,
    load,
    parse_overrides,
    scenario_names,
    scenarios_dir,
)
from sim.config.tomlio import one_line
from sim.engine.interrupts import Terminated, terminate_raises
from sim.engine.resources import check_memory

EXIT_USAGE = 2
DESCRIPTION = (
    "Party Network Sandbox: run a scenario, a sweep, the reality check or the claims (the "
    "behaviours the model demonstrates). Also runs as: python -m sim."
)


class RunStopped(Exception):
    """A run stopped by a signal between two hours: a message and the exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def parse_set(items: list[str]) -> dict[str, Any]:
    """``--set key=value`` pairs (see :func:`sim.config.scenarios.parse_overrides`)."""
    try:
        return parse_overrides(items)
    except ScenarioError as err:
        raise CliError(str(err)) from None


RUN_CONFIRM_S = 3600  # a run estimated longer than this needs --yes


def cmd_run(args: argparse.Namespace) -> int:
    # every check first (arguments, file, memory, time, --out), then the heavy imports and the
    # run; the output directory is claimed before the run and held until its files are in place
    scenario = load(args.scenario).with_overrides(parse_set(args.set))
    for flag in ("steps", "seed"):
        if getattr(args, flag) is not None:
            scenario = scenario.with_overrides({flag: getattr(args, flag)}, where=f"--{flag}")
    if args.reads and args.out is None:
        raise CliError("--reads writes reads.parquet into the --out directory: give --out DIR")
    if args.all_files and args.out is None:
        raise CliError("--all-files says what --out writes: give --out DIR")
    check_memory(scenario)
    _check_time(scenario, args)
    claim = None
    if args.out is not None:
        from sim.analysis.outdir import OutputClaim

        claim = OutputClaim(args.out, args.force)
        from sim.analysis.output import large_run_note

        large = scenario.n_accounts >= LARGE_RUN_ACCOUNTS
        if large and not args.all_files and not args.quiet:
            print(f"partysim: {large_run_note(scenario.n_accounts)}", file=sys.stderr)
    try:
        return _run(scenario, args, claim)
    finally:
        if claim is not None:
            claim.release()


def _check_time(scenario, args: argparse.Namespace) -> None:
    """The run's estimated time and memory on stderr when it is long; --yes above an hour."""
    from sim.engine.resources import (
        SAY_ESTIMATE_S,
        duration,
        estimate_bytes,
        estimate_seconds,
        gib,
    )

    seconds = estimate_seconds(scenario)
    what = (
        f"{printable(scenario.name)}: {scenario.n_accounts:,} accounts x {scenario.steps:,} "
        f"hours, about {duration(seconds)} and {gib(estimate_bytes(scenario))} of memory"
    )
    if seconds > RUN_CONFIRM_S and not args.yes:
        raise CliError(f"{what} (a rough estimate); add --yes to start it")
    if seconds > SAY_ESTIMATE_S and not args.quiet:
        print(f"partysim: {what} (a rough estimate)", file=sys.stderr)


def _run(scenario, args: argparse.Namespace, claim) -> int:
    from sim.analysis import metrics
    from sim.engine.model import PartyModel

    model = PartyModel(scenario, seed=scenario.seed, record_reads=args.reads)
    try:
        model.run(progress=_progress_bar(scenario.steps, model.n, args.quiet))
    except KeyboardInterrupt as err:  # held until the end of an hour: the run stops cleanly
        how = "terminated" if isinstance(err, Terminated) else "interrupted"
        kept = " (nothing written to --out)" if claim is not None else ""
        raise RunStopped(
            f"{how} after {model.steps} of {scenario.steps} hours{kept}",
            143 if how == "terminated" else 130,
        ) from None
    result = metrics.summary(model)
    if claim is not None:
        from sim.analysis.output import write_outputs

        files = write_outputs(model, claim, all_files=args.all_files)
        result["files"] = {k: str(v) for k, v in files.items()}
    if args.json:
        print(json.dumps(result))
    else:
        print(format_summary(result, scenario))
    return 0


def _progress_bar(steps: int, n: int, quiet: bool):
    """A progress bar on stderr (never stdout, so --json stays clean) for runs of more than
    about two million account-steps; updates at most every 5 s when stderr is not a terminal."""
    if quiet or n * steps < 2_000_000:
        return None
    from tqdm import tqdm

    tty = sys.stderr.isatty()
    bar = tqdm(
        total=steps,
        unit="h",
        desc=f"{n:,} accounts",
        file=sys.stderr,
        mininterval=0.5 if tty else 5.0,
        leave=True,
    )

    def progress(done: int, total: int) -> None:
        bar.update(1)
        if done == total:
            bar.close()

    return progress


def format_summary(result: dict, scenario) -> str:
    """The run's outcomes as a plain-text table."""
    cols = (
        "accounts",
        "followers_mean",
        "followers_gained",
        "unfollows_received",
        "blocks_received",
        "retweets_received",
        "replies_received",
        "clicks",
        "posts",
    )
    heads = (
        "accts",
        "followers",
        "gained",
        "unfollowed",
        "blocked",
        "retweeted",
        "replied",
        "clicks",
        "posts",
    )
    lines = [
        f"{printable(result['scenario'])} (seed {result['seed']}, {result['steps']} hours)",
        f"{'strategy':<20}" + "".join(f"{h:>11}" for h in heads),
    ]
    ranked = sorted(result["strategies"].items(), key=lambda kv: -kv[1]["followers_mean"])
    for name, row in ranked:
        cells = [f"{row[c]:>11.1f}" if isinstance(row[c], float) else f"{row[c]:>11}" for c in cols]
        lines.append(f"{printable(name):<20}" + "".join(cells))
    lines.append(
        "followers: mean per account at the end; gained to posts: totals over all the "
        "strategy's accounts for the run"
    )
    net, cas = result["network"], result["cascades"]
    lines.append(
        f"network: {net['accounts']} accounts, {net['follow_edges']} follow edges, "
        f"reciprocity {net['reciprocity']:.2f}, followers median "
        f"{net['followers_median']:.0f} / max {net['followers_max']}"
    )
    lines.append(
        f"cascades: {cas['originals']} original posts, "
        f"{cas['share_zero_retweets']:.0%} never retweeted, largest {cas['max_size']}"
    )
    if "files" in result:
        lines.append("wrote: " + ", ".join(result["files"].values()))
    return "\n".join(lines)


def cmd_scenarios(args: argparse.Namespace) -> int:
    """One line per scenario file; a file that cannot be read is named on stderr and
    skipped (exit status 1 at the end), never stopping the list."""
    bad = 0
    for name in scenario_names():
        try:
            sc = load(scenarios_dir() / f"{name}.toml")  # the file, even if ./NAME exists
        except (ScenarioError, ParamError, OSError) as err:
            bad += 1
            print(f"partysim: skipped {printable(one_line(err))}", file=sys.stderr)
            continue
        claim = printable(" ".join(sc.claim.split()))
        print(f"{printable(name):<24} {sc.n_accounts:>6} accounts {sc.steps:>5} h  {claim}")
    return 1 if bad else 0


def cmd_params(args: argparse.Namespace) -> int:
    if args.markdown:
        from sim.config.docs import parameter_tables

        print(parameter_tables())
        return 0
    pools = {"model": MODEL_PARAMS, "account": ACCOUNT_PARAMS}
    for scope in [args.scope] if args.scope else ["model", "account"]:
        for p in pools[scope].values():
            print(f"{scope:<8} {p.name:<28} {p.default!s:<12} {p.describe_range():<36} {p.unit}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line (``partysim run: error: ...``), as every
    other error; a huge value is shortened; ``--help`` shows the usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        text = printable(" ".join(message.split()))
        if len(text) > 300:
            text = text[:297] + "..."
        self.exit(EXIT_USAGE, f"{self.prog}: error: {text} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="partysim", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one scenario")
    run.add_argument("scenario", help="a scenario file, or a name from `partysim scenarios`")
    run.add_argument("--steps", type=int, help="hours to simulate (default: the scenario's)")
    run.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    run.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter: MODEL_PARAM, GROUP.PARAM, GROUP.count, "
        "*.PARAM, steps or seed (repeatable)",
    )
    run.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    run.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    run.add_argument(
        "--out",
        metavar="DIR",
        help="write steps (CSV, Parquet), accounts, events, network "
        "(GraphML, GEXF) and a PNG figure into DIR (a new or empty directory; written "
        f"atomically); from {LARGE_RUN_ACCOUNTS:,} accounts Parquet tables and the figure "
        "only (see --all-files)",
    )
    run.add_argument(
        "--all-files",
        action="store_true",
        help="with --out: every file (CSV, GraphML, GEXF) also from "
        f"{LARGE_RUN_ACCOUNTS:,} accounts, where only Parquet tables are written by default",
    )
    run.add_argument(
        "--reads",
        action="store_true",
        help="with --out: also write reads.parquet, every item read (who, which item, hour, "
        "source, position, age); about 17 bytes per item read",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="with --out: replace a previous run's output in DIR (only the files its "
        f"{MARKER} marker lists; never other files)",
    )
    run.add_argument(
        "--yes",
        action="store_true",
        help="start a run estimated to take more than an hour (the estimate is printed)",
    )
    run.set_defaults(func=cmd_run)
    scen = sub.add_parser("scenarios", help="list the scenario files")
    scen.set_defaults(func=cmd_scenarios)
    params = sub.add_parser("params", help="list every parameter with default and range")
    params.add_argument("--scope", choices=["model", "account"])
    params.add_argument("--markdown", action="store_true")
    params.set_defaults(func=cmd_params)
    # commands defined beside their jobs; their heavy imports happen inside each command
    check_commands.add_commands(sub)
    sweep_commands.add_commands(sub)
    game_commands.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with terminate_raises(), _file_size_limit_as_error():
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    try:
        code = args.func(args)
        sys.stdout.flush()  # a full device fails here, as an error, not at exit
        return code
    except (ScenarioError, ParamError, CliError, OutputError, SettingError) as err:
        print(f"partysim: error: {printable(one_line(err))}", file=sys.stderr)
        return EXIT_USAGE
    except RunStopped as err:
        print(f"partysim: {err}", file=sys.stderr)
        return err.status
    except Terminated:
        print("partysim: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("partysim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `partysim run default | head`
        _silence_stdout()
        sys.stderr.close()
        return 0
    except OSError as err:  # the disk is full, a file-size limit, an I/O error
        _silence_stdout()
        print(f"partysim: error: {printable(_os_error(err))}", file=sys.stderr)
        return 1


def _os_error(err: OSError) -> str:
    from sim.analysis.outdir import _why

    if not err.strerror:
        return one_line(err)
    return _why(err) if err.filename else f"cannot write the output: {_why(err)}"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class _file_size_limit_as_error:
    """Writing past ``ulimit -f`` raises SIGXFSZ, which kills the process with no message;
    ignored, the write fails with EFBIG (an OSError) and gets its one-line error."""

    def __enter__(self):
        import signal
        import threading

        self.old = None
        if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def __exit__(self, *exc):
        import signal

        if self.old is not None:
            signal.signal(signal.SIGXFSZ, self.old)


if __name__ == "__main__":
    sys.exit(main())
