"""Kept for scripts written before the regrouping: ``sim.model`` is now ``sim.engine.model``.

Importing either gives the same module object (so patching one patches the other).
"""

import sys

import sim.engine.model

sys.modules[__name__] = sim.engine.model
