"""Kept for scripts written before the regrouping: ``sim.scenarios`` is now ``sim.config.scenarios``.

Importing either gives the same module object (so patching one patches the other).
"""

import sys

import sim.config.scenarios

sys.modules[__name__] = sim.config.scenarios
