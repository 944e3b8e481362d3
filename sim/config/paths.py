"""Paths a user gives (scenario files, sweep files, output directories), checked before use.

A path the operating system cannot take (a component over 255 bytes, a NUL) would otherwise
surface as an ``OSError`` deep inside ``Path.is_file()``; here it is one sentence naming the
argument. No heavy imports: the command line checks its arguments before loading anything.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_COMPONENT_BYTES = 255  # NAME_MAX on Linux, macOS and Windows file systems


def checked_path(path: str | os.PathLike, what: str, error: type[Exception]) -> Path:
    """``path`` as a Path if the operating system can take it, else ``error`` naming
    ``what`` (e.g. ``--out``) and the reason."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise error(f"{what}: the path is empty; give a file or directory name")
    if "\x00" in text:
        raise error(f"{what}: the path holds a NUL character")
    for part in Path(text).parts:
        size = len(os.fsencode(part))
        if size > MAX_COMPONENT_BYTES:
            raise error(
                f"{what}: a path component is {size:,} bytes long ({printable(part)[:40]}...); "
                f"the limit is {MAX_COMPONENT_BYTES} bytes per name"
            )
    return Path(text)


def printable(text: str) -> str:
    """``text`` without control characters (terminal escape codes, bells, carriage
    returns): for printing anything that came from a file. Tabs and newlines become spaces."""
    return "".join(" " if c in "\t\n" else c for c in str(text) if c in "\t\n" or c.isprintable())
