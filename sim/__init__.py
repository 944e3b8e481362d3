"""Party Network Sandbox: an agent-based simulation of a Twitter-like platform as a party."""

from sim.model import PartyModel
from sim.scenarios import Scenario, ScenarioError, load

__version__ = "0.1.0"
__all__ = ["PartyModel", "Scenario", "ScenarioError", "load", "__version__"]
