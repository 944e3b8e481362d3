"""Party Network Sandbox: an agent-based simulation of a Twitter-like platform as a party."""

from sim.model import PartyModel
from sim.scenarios import Scenario, ScenarioError, load

__version__ = "0.1.0"
__all__ = ["PartyModel", "Scenario", "ScenarioError", "load", "sweep", "__version__"]


def __getattr__(name: str):
    # sim.sweep(...) runs a sweep; imported lazily so `import sim` stays light
    if name == "sweep":
        from sim.sweeps import sweep

        return sweep
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
