"""Reading and writing TOML input files safely: bounded size, UTF-8 (a BOM is fine), no
traceback for any byte sequence; writing with tomli-w, so every name is quoted as TOML needs.

Every reading problem raises the caller's error class with a one-line message naming the
file (or upload) and what is wrong.
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

MAX_FILE_BYTES = 1 << 20  # 1 MiB: the largest shipped scenario is ~3 KiB
MAX_DEPTH = 32  # tables and arrays nested deeper than this are not a scenario


def read_toml(path: str | os.PathLike, error: type[Exception], what: str = "scenario") -> dict:
    """Parse the TOML file ``path``; raise ``error`` with the reason if it cannot be used."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error(
                f"{path}: {size:,} bytes is too large for a {what} file "
                f"(limit: {MAX_FILE_BYTES // 1024} KiB)"
            )
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # a file that grows while read stays bounded
    except OSError as err:
        raise error(f"{path}: cannot read the {what} file: {err.strerror or err}") from None
    if len(data) > MAX_FILE_BYTES:
        raise error(f"{path}: too large for a {what} file (limit: {MAX_FILE_BYTES // 1024} KiB)")
    return parse_toml(data, str(path), error)


def parse_toml(data: bytes | str, source: str, error: type[Exception]) -> dict:
    """Parse TOML bytes or text as data; ``error`` names ``source`` and the reason."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise error(
                f"{source}: not a UTF-8 text file (byte {err.start}: "
                f"{data[err.start : err.start + 1]!r}); save it as UTF-8"
            ) from None
    text = data.removeprefix("\ufeff")  # a byte-order mark some editors write
    if "\x00" in text:
        raise error(f"{source}: holds a NUL character: not a text file")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{source}: not valid TOML: {one_line(err)}") from None
    except RecursionError:
        raise error(f"{source}: arrays or tables nested too deeply (limit {MAX_DEPTH})") from None
    except ValueError as err:  # an integer of more than 4,300 digits (Python's limit)
        raise error(f"{source}: {_number_error(err)}") from None
    if _depth(table) > MAX_DEPTH:
        raise error(f"{source}: arrays or tables nested too deeply (limit {MAX_DEPTH})")
    return table


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def parse_value(raw: str) -> Any:
    """A ``--set`` or link value as TOML reads it (numbers, booleans, quoted strings), else
    the bare text. One line only: a value can never add keys or tables."""
    text = raw.strip()
    if any(c in text for c in "\n\r\x00"):
        return text
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return text  # ValueError: an integer past 4,300 digits; the key's check refuses it


def _number_error(err: ValueError) -> str:
    if "digits" in str(err):
        return (
            "holds an integer of more than 4,300 digits; no parameter takes a number that "
            "large (seeds go to 2**63-1)"
        )
    return f"not valid TOML: {one_line(err)}"


def one_line(err: BaseException) -> str:
    """An exception's text on one line."""
    return " ".join(str(err).split())


def dumps(table: dict[str, Any], tables: dict[str, list[dict]] | None = None) -> str:
    """TOML text for ``table`` (keys quoted where needed; floats keep their exact value;
    multi-line text stays readable), then each ``tables`` entry as ``[[NAME]]`` blocks."""
    for value in _leaves([table, tables or {}]):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a scenario value")
    parts = [tomli_w.dumps(table, multiline_strings=True)]
    for name, rows in (tables or {}).items():
        header = tomli_w.dumps({name: {}}).strip().replace("[", "[[", 1).replace("]", "]]", 1)
        parts += [f"\n{header}\n" + tomli_w.dumps(row, multiline_strings=True) for row in rows]
    return "".join(parts)


def _leaves(value: Any):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value
