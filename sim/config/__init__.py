"""Configuration: the parameter registry, scenario files and the docs made from them.

Imports only the standard library, numpy and :mod:`sim.strategies` (data only); never the engine.
"""
