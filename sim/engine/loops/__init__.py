"""The compiled loops (numba) of the hour's busiest rules, one module per rule module.

``loops/feed.py`` speeds up ``sim/engine/feed.py``, ``loops/reactions.py``
``sim/engine/reactions.py``, and so on; ``loops/rng.py`` and ``loops/base.py`` hold the
generator plumbing and the helpers they share. Importing any of them imports numba: the
rule modules import them inside their ``if kernels.enabled():`` branch only
(:mod:`sim.engine.kernels`).
"""
