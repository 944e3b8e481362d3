"""The engine: :class:`PartyModel` and the rules it applies each simulated hour.

Imports :mod:`sim.config` and :mod:`sim.strategies`; never the analysis layer, the CLI or the UI.
"""
