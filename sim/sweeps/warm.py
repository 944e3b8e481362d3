"""Imported by a sweep's fork server (see ``sim.sweeps.engines._mp_context``): loads the
engine's compiled loops once, so that every worker forked from the server has them ready and
uses them from its first run (instead of loading them itself, or running numpy for the first
two weeks as ``PARTYSIM_KERNELS=auto`` would).

Nothing here may stop a sweep: the fork server dies on any error but ImportError while it
imports its preload list, so a failure (e.g. no "default" scenario where
``PARTYSIM_SCENARIOS`` points) leaves the workers to load the loops themselves."""

from sim.engine.warm import warm

try:
    warm()
except Exception:  # noqa: BLE001 - a speed-up only; the workers' own runs report errors
    pass
