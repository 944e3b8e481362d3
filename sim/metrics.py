"""Kept for scripts written before the regrouping: ``sim.metrics`` is now ``sim.analysis.metrics``.

Importing either gives the same module object (so patching one patches the other).
"""

import sys

import sim.analysis.metrics

sys.modules[__name__] = sim.analysis.metrics
