"""Party Network Sandbox: an agent-based simulation of a Twitter-like platform as a party."""

from sim.config.errors import ScenarioError

__version__ = "0.1.0"
__all__ = ["PartyModel", "Scenario", "ScenarioError", "load", "sweep", "__version__"]

# imported on first use, so `import sim` (and every command-line error) stays light
_LAZY = {
    "PartyModel": "sim.engine.model",
    "Scenario": "sim.config.scenarios",
    "load": "sim.config.scenarios",
    "sweep": "sim.sweeps",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
