"""The command line's own error: a user error printed as one line on stderr, exit status 2
(sim/cli/main.py prints it; every command module raises it)."""

from __future__ import annotations


class CliError(Exception):
    """A user error: printed to stderr as one line, exit status 2."""
