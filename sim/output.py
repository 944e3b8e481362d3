"""Kept for scripts written before the regrouping: ``sim.output`` is now ``sim.analysis.output``.

Importing either gives the same module object (so patching one patches the other).
"""

import sys

import sim.analysis.output

sys.modules[__name__] = sim.analysis.output
