"""The ``partysim sweep`` and ``partysim plot`` subcommands."""

from __future__ import annotations

import argparse
import os
import sys


def add_commands(sub) -> None:
    """Add ``sweep`` and ``plot`` to the ``partysim`` subcommands."""
    sw = sub.add_parser(
        "sweep",
        help="run a scenario sweep (design x replications) in parallel",
        description="Run a sweep file (or a scenario with a [sweep] table): every design point "
        "x replication, writing Parquet results under --out as runs finish.",
    )
    sw.add_argument("file", help="a sweep file, a name in scenarios/sweeps/, or a scenario")
    sw.add_argument("--reps", type=int, help="replications per design point (default: the file's)")
    sw.add_argument(
        "--jobs", "-j", type=int, default=1, help="worker processes (default 1; 0 = all cores)"
    )
    sw.add_argument("--engine", choices=["local", "dask"], default="local")
    sw.add_argument("--address", metavar="tcp://HOST:PORT", help="a Dask scheduler")
    sw.add_argument("--out", metavar="DIR", help="results directory (default: results/NAME)")
    sw.add_argument("--resume", action="store_true", help="continue the sweep saved in DIR")
    sw.add_argument("--csv", action="store_true", help="also write summary.csv and steps.csv")
    sw.add_argument("--quiet", "-q", action="store_true", help="no estimate, no progress bar")
    sw.add_argument(
        "--yes",
        action="store_true",
        help="start a sweep of more than 10,000 runs or estimated over an hour",
    )
    sw.set_defaults(func=cmd_sweep)

    pl = sub.add_parser("plot", help="figures of a sweep's results (PNG and SVG)")
    pl.add_argument("results", metavar="RESULTS_DIR", help="a directory written by `sweep`")
    pl.add_argument("--out", metavar="DIR", help="where to write (default: RESULTS_DIR/figures)")
    pl.add_argument("--metric", default="followers_mean", help="outcome (default followers_mean)")
    pl.set_defaults(func=cmd_plot)


def cmd_sweep(args: argparse.Namespace) -> int:
    from sim.sweeps import SweepAborted, load_sweep, report, sweep
    from sim.sweeps.design import SweepError

    if args.jobs < 0:
        raise SweepError(f"--jobs must be 0 (all cores) or a number of processes (got {args.jobs})")
    spec = load_sweep(args.file, reps=args.reps)
    _check_points(spec, args.yes)
    out = args.out or os.path.join("results", spec.name)
    jobs = args.jobs if args.jobs > 0 else os.cpu_count() or 1
    try:
        table = sweep(
            spec,
            jobs=jobs,
            engine=args.engine,
            address=args.address,
            out=out,
            resume=args.resume,
            progress=not args.quiet,
            csv=args.csv,
            confirm=args.yes,
        )
    except SweepAborted as err:
        print(f"partysim: {err}", file=sys.stderr)
        return err.status
    print(report(table))
    return 1 if table.attrs["failed"] else 0


def _check_points(spec, confirmed: bool) -> None:
    """Every design point's party, before any run: each swept value is checked alone when
    the file is read, but two swept group sizes can add up to too few (or too many)
    accounts only together (e.g. both 0), which would otherwise fail as runs, or be
    reported as a --set error."""
    if sum(key.endswith(".count") for key in spec.params) < 2:
        return  # one swept size alone was checked with every value when the file was read
    from sim.sweeps.bounds import CONFIRM_RUNS, MAX_RUNS, n_points

    runs = n_points(spec) * spec.reps
    if runs > MAX_RUNS or (runs > CONFIRM_RUNS and not confirmed):
        return  # refused for its size by the sweep itself (until --yes): checked then
    for i, point in enumerate(spec.points()):
        values = ", ".join(f"{k} = {v!r}" for k, v in point.items())
        where = f"{spec.source}: design point #{i + 1} ({values})"
        spec.base.with_overrides({**spec.fixed, "steps": spec.steps, **point}, where=where)


def cmd_plot(args: argparse.Namespace) -> int:
    from sim.cli.check import writable_dir
    from sim.sweeps.plots import plot_sweep

    if args.out is not None:  # an empty, impossible or unwritable path: before any work
        writable_dir(args.out)
    files = plot_sweep(args.results, out=args.out, metric=args.metric)
    print("wrote: " + ", ".join(str(f) for f in files))
    return 0
