"""Writing a run's output directory safely: checked and claimed before the run, written into a
temporary directory beside it and renamed into place, so a half-written or mixed directory
never exists, and it owns exactly what it deletes.

- The directory is **claimed** before the run: created if missing and locked (``flock`` on
  the directory, released by the system if the process dies). A second run asking for the
  same directory while the first runs is refused at once, with a message.
- Every directory written holds a marker, :data:`MARKER`, listing the files the run wrote.
  A directory that is not empty is refused unless ``force``; with ``force`` it is replaced only
  if it holds the marker and nothing but the files the marker lists (a user's own
  ``steps.csv`` beside or instead of a run's is never deleted).
- Refused before anything runs: an empty path, ``.`` or ``..`` (or the current directory or
  one of its parents), a directory inside the scenarios folder, a name that would hide a
  scenario of the same name (``--out default``), a symbolic link, a path the system cannot
  take (a name over 255 bytes).
- The temporary directory is removed on every exit (an error, Ctrl-C, SIGTERM raised as
  :class:`sim.engine.interrupts.Terminated`); a failed final rename reports its real cause.
- Directories are created with the user's umask (``mkdtemp`` alone would leave them 0700).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.config.errors import OutputError
from sim.config.paths import checked_path
from sim.engine.interrupts import HeldSignals

# every file `partysim run --out` writes (tests check write_outputs against this list)
OUTPUT_NAMES = frozenset(
    {
        "steps.csv",
        "steps.parquet",
        "accounts.csv",
        "events.csv",
        "edges_start.csv",
        "reads.parquet",
        "items.csv",
        "items.parquet",
        "network.graphml",
        "network.gexf",
        "followers.png",
        "accounts.parquet",
        "events.parquet",
        "edges_start.parquet",
        "edges_end.parquet",
        "followers.svg",
        "data_dictionary.md",
        "summary.json",
    }
)
# from this many accounts `--out` writes Parquet tables and the figure only
# (sim/analysis/output.py: LARGE_RUN_FILES); here so the command line's help can say it
LARGE_RUN_ACCOUNTS = 100_000
MARKER = ".partysim-run"  # JSON: which program wrote the directory and the files it wrote


def check_out_path(out: str | os.PathLike, flag: str = "--out") -> Path:
    """Where ``out`` would be written, as an absolute path with ``..`` and symbolic links
    of its parents resolved (``a/../b`` is ``b``: no stray ``a/``); refused with the reason
    if it is no place for results (see the module docstring). Any command's ``--out``."""
    given = checked_path(out, flag, OutputError)
    name = os.path.basename(os.path.normpath(os.fspath(given)))
    if name in ("", ".", "..") or os.fspath(given).rstrip("/\\") in ("", ".", ".."):
        raise OutputError(
            f"{flag} {given}: names the current or a parent directory; give a directory "
            "for the results, e.g. runs/today"
        )
    parent = Path(os.path.realpath(os.path.dirname(os.path.abspath(given))))
    target = parent / name
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        raise OutputError(f"{flag} {given}: is the current directory or one of its parents")
    if os.path.islink(target):
        raise OutputError(
            f"{flag} {given}: is a symbolic link; give the directory it points to, or a new one"
        )
    _not_among_scenarios(given, target, flag)
    return target


def _not_among_scenarios(given: Path, target: Path, flag: str) -> None:
    from sim.config.scenarios import ScenarioError, scenario_names, scenarios_dir

    try:
        folder = scenarios_dir().resolve()
        names = set(scenario_names())
    except (ScenarioError, OSError):  # no scenarios folder: nothing to protect
        return
    if target == folder or folder in target.parents:
        raise OutputError(
            f"{flag} {given}: is inside the scenarios folder {folder}; results there would "
            "be read as scenarios (`partysim scenarios`); choose a directory elsewhere"
        )
    stem = target.name.removesuffix(".toml")
    if target.parent == Path.cwd().resolve() and stem in names:
        raise OutputError(
            f"{flag} {given}: a directory named {target.name!r} here would hide the scenario "
            f"{stem!r} from commands run in this directory (a path wins over a name); "
            f"choose another name, e.g. {stem}-results"
        )


def check_out_dir(out: str | os.PathLike, force: bool = False) -> Path:
    """Raise :class:`OutputError` now if ``out`` could not take a run's results later;
    returns the absolute directory (:func:`check_out_path`)."""
    target = check_out_path(out)
    if target.exists() and not target.is_dir():
        raise OutputError(f"--out {out}: a file of that name exists; --out takes a directory")
    if target.is_dir():
        _check_replaceable(target, out, force)
    parent = _existing_ancestor(target.parent)
    if not parent.is_dir():
        raise OutputError(f"--out {out}: {parent} is a file, not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: cannot write in {parent} (permission denied)")
    return target


def _check_replaceable(target: Path, shown: str | os.PathLike, force: bool) -> None:
    entries = sorted(p.name for p in target.iterdir())
    if not entries:
        return
    if not force:
        raise OutputError(
            f"--out {shown} is not empty ({len(entries)} entries, e.g. {entries[0]!r}); "
            "choose another directory, or add --force to replace a previous run's output"
        )
    ours = written_here(target)
    if ours is None:
        raise OutputError(
            f"--out {shown} holds files that `partysim run` did not write "
            f"({', '.join(entries[:3])}; no {MARKER} marker listing its files); "
            "not replacing them even with --force"
        )
    foreign = [n for n in entries if n != MARKER and (n not in ours or not _plain_file(target / n))]
    if foreign:
        raise OutputError(
            f"--out {shown} holds files that `partysim run` did not write "
            f"({', '.join(foreign[:3])}); not replacing them even with --force"
        )


def written_here(directory: Path) -> set[str] | None:
    """The files a run's marker says it wrote into ``directory``; None without a marker."""
    try:
        data = json.loads((directory / MARKER).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class OutputClaim:
    """An output directory held for one run, from before the run until its files are in
    place (:meth:`write`) or the claim is let go (:meth:`release`; also on ``with`` exit)."""

    def __init__(self, out: str | os.PathLike, force: bool = False) -> None:
        self.shown, self.force = os.fspath(out), force
        self.target = check_out_dir(out, force)
        self.created = self.placed = False
        self._fd: int | None = None
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)  # honours the umask
            try:
                self.target.mkdir()
                self.created = True
            except FileExistsError:
                pass
            self._fd = os.open(self.target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as err:
            self.release()
            raise OutputError(f"--out {self.shown}: cannot create it: {_why(err)}") from None
        self._lock()

    def _lock(self) -> None:
        import fcntl

        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.created = False  # the other run's, not ours to remove
            self.release()
            raise OutputError(
                f"--out {self.shown}: another partysim run is writing there now; wait for it "
                "to finish or choose another directory (nothing was run)"
            ) from None
        if not self._still_ours():
            self.created = False
            self.release()
            raise OutputError(
                f"--out {self.shown}: was replaced by another run just now; try again"
            )
        try:  # another run may have finished there between the check and the lock
            _check_replaceable(self.target, self.shown, self.force)
        except OutputError:
            self.created = False
            self.release()
            raise

    def _still_ours(self) -> bool:
        try:
            return os.stat(self.target, follow_symlinks=False).st_ino == os.fstat(self._fd).st_ino
        except OSError:
            return False

    def write(self, write: Callable[[Path], dict[str, Path]]) -> dict[str, Path]:
        """Call ``write(tmp_dir)``, then move what it wrote to the directory in one rename."""
        parent = self.target.parent
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=parent))
        except OSError as err:
            raise OutputError(
                f"--out {self.shown}: cannot write in {parent}: {_why(err)}"
            ) from None
        try:
            files = write(tmp)
            names = sorted(p.name for p in tmp.iterdir())
            marker = {"written_by": "partysim run", "sim_version": _version(), "files": names}
            (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
            for path in tmp.iterdir():
                with open(path, "rb") as f:
                    os.fsync(f.fileno())  # the data is on disk before the rename shows it
            os.chmod(tmp, 0o777 & ~_umask())
            with HeldSignals():  # Ctrl-C or SIGTERM between the renames: acted on after
                self._place(tmp)
        except OSError as err:
            raise OutputError(
                f"--out {self.shown}: could not write the results: {_why(err)}; nothing was "
                "written there"
            ) from None
        finally:  # any exit, Ctrl-C and SIGTERM (raised as Terminated) included
            shutil.rmtree(tmp, ignore_errors=True)
        return {kind: Path(self.shown) / path.name for kind, path in files.items()}

    def _place(self, tmp: Path) -> None:
        target = self.target
        if not self._still_ours():
            raise OutputError(
                f"--out {self.shown} was removed or replaced by another program while this run "
                "ran; nothing was overwritten"
            )
        if any(target.iterdir()):  # a previous run's files (checked now, under the lock)
            _check_replaceable(target, self.shown, force=True)
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=tmp.parent))
            try:
                os.rename(target, old / "previous")
                try:
                    os.rename(tmp, target)
                except OSError:
                    os.rename(old / "previous", target)  # put the previous run back
                    raise
            finally:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, target)  # atomic; replaces the empty directory claimed
        self.placed = True

    def release(self) -> None:
        """Let the directory go; remove it if this claim created it and nothing was written."""
        if self.created and not self.placed and self._fd is not None and self._still_ours():
            with contextlib.suppress(OSError):
                os.rmdir(self.target)
        if self._fd is not None:
            os.close(self._fd)  # also releases the lock
            self._fd = None

    def __enter__(self) -> OutputClaim:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _why(err: OSError) -> str:
    """An OSError's cause in words, with the file when it names one."""
    text = err.strerror or str(err)
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        text += " (the disk or your file-size limit is full)"
    return f"{text}: {err.filename}" if err.filename else text


def _version() -> str:
    import sim

    return sim.__version__


def write_dir(
    out: str | os.PathLike | OutputClaim,
    write: Callable[[Path], dict[str, Path]],
    force: bool = False,
) -> dict[str, Path]:
    """Claim ``out`` (unless given a claim already), call ``write(tmp_dir)`` and move what it
    wrote into place in one rename; the claim is let go either way."""
    if isinstance(out, OutputClaim):
        return out.write(write)
    with OutputClaim(out, force) as claim:
        return claim.write(write)
