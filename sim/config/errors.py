"""The error a user's input raises (scenario files, ``--set``, links, uploads, sweeps).

Kept in a module of its own, with no heavy imports, so the command line can check its
arguments and files before it imports the scientific stack.
"""


class ScenarioError(ValueError):
    """A scenario that cannot be used as written; the message says where and why."""


class SettingError(ValueError):
    """An environment setting (e.g. ``PARTYSIM_KERNELS``) with a value it cannot take."""


class OutputError(ValueError):
    """An output directory that cannot be written as asked; the message says why."""
