"""Kept for scripts written before the regrouping: ``sim.params`` is now ``sim.config.params``.

Importing either gives the same module object (so patching one patches the other).
"""

import sys

import sim.config.params

sys.modules[__name__] = sim.config.params
