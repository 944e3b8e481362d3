"""Imported by a sweep's fork server (see ``sim.sweeps.engines._mp_context``): loads the
engine's compiled loops once, so that every worker forked from the server has them ready and
uses them from its first run (instead of loading them itself, or running numpy for the first
two weeks as ``PARTYSIM_KERNELS=auto`` would)."""

from sim.engine import kernels

kernels.warm()
