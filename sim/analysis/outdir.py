"""Writing a run's output directory safely: checked before the run, written into a temporary
directory beside it and renamed into place, so a half-written or mixed directory never exists.

- A directory that is not empty is refused unless ``force``; with ``force`` it is replaced
  only if every file in it is one that ``partysim run --out`` writes (never delete files that
  are not ours).
- Two runs writing the same directory at once: the first to finish takes it; the other is
  refused and says where its results are (nothing is mixed or overwritten).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.config.errors import OutputError

# every file `partysim run --out` writes (tests check write_outputs against this list)
OUTPUT_NAMES = frozenset(
    {
        "steps.csv",
        "steps.parquet",
        "accounts.csv",
        "events.csv",
        "items.csv",
        "items.parquet",
        "network.graphml",
        "network.gexf",
        "followers.png",
        "followers.svg",
        "data_dictionary.md",
        "summary.json",
    }
)


def check_out_dir(out: str | os.PathLike, force: bool = False) -> Path:
    """Raise :class:`OutputError` now if ``out`` could not take a run's results later."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out}: a file of that name exists; --out takes a directory")
    if out.is_dir():
        entries = sorted(p.name for p in out.iterdir())
        if entries and not force:
            raise OutputError(
                f"--out {out} is not empty ({len(entries)} entries, e.g. {entries[0]!r}); "
                "choose another directory, or add --force to replace a previous run's output"
            )
        foreign = [p.name for p in out.iterdir() if p.name not in OUTPUT_NAMES or not p.is_file()]
        if foreign:
            raise OutputError(
                f"--out {out} holds files that `partysim run` did not write "
                f"({', '.join(sorted(foreign)[:3])}); not replacing them even with --force"
            )
    parent = _existing_ancestor(out.absolute().parent)
    if not parent.is_dir():
        raise OutputError(f"--out {out}: {parent} is a file, not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: cannot write in {parent} (permission denied)")
    return out


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def write_dir(
    out: str | os.PathLike, write: Callable[[Path], dict[str, Path]], force: bool = False
) -> dict[str, Path]:
    """Call ``write(tmp_dir)`` and move what it wrote to ``out`` in one rename."""
    out = check_out_dir(out, force)
    try:
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(
            tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.absolute().parent)
        )
    except OSError as err:
        raise OutputError(f"--out {out}: cannot create it: {err.strerror or err}") from None
    try:
        files = write(tmp)
        for path in tmp.iterdir():
            with open(path, "rb") as f:
                os.fsync(f.fileno())  # the data is on disk before the rename makes it visible
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _place(tmp, out, force)
    return {kind: out / path.name for kind, path in files.items()}


def _place(tmp: Path, out: Path, force: bool) -> None:
    try:
        os.rename(tmp, out)  # atomic; succeeds if out is missing or an empty directory
        return
    except OSError:
        if not force or not out.is_dir():
            raise OutputError(
                f"--out {out} was written by another run while this one ran; nothing was "
                f"overwritten; this run's results are in {tmp}"
            ) from None
    try:
        check_out_dir(out, force=True)
    except OutputError as err:
        raise OutputError(f"{err}; this run's results are in {tmp}") from None
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=tmp.parent))
    try:
        os.rename(out, old / "previous")
        os.rename(tmp, out)
    except OSError as err:
        raise OutputError(
            f"--out {out}: could not replace it ({err.strerror or err}); this run's results "
            f"are in {tmp}, the previous ones in {old / 'previous'}"
        ) from None
    shutil.rmtree(old, ignore_errors=True)  # the previous run's files (checked to be ours)
