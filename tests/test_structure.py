"""The package's structure: imports run one way, no import cycles, a small top level.

Read from the source with ``ast`` (nothing is imported), so a new module is checked without a
test being written for it. Only module-level imports count: imports inside functions (lazy
loading) and under ``if TYPE_CHECKING:`` do not create a load-time dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SIM = ROOT / "sim"

# Which layer may import which (a layer may always import itself and the ones listed).
LAYERS = {
    "sim.config": {"sim.strategies"},
    "sim.strategies": set(),  # data only: the configuration reads it
    "sim.engine": {"sim.config", "sim.strategies"},
    "sim.reference": {"sim.config", "sim.strategies", "sim.engine"},
    "sim.analysis": {"sim.config", "sim.strategies", "sim.engine", "sim.reference", "sim.sweeps"},
    "sim.sweeps": {"sim.config", "sim.strategies", "sim.engine", "sim.analysis"},
    "sim.game": {"sim.config", "sim.strategies", "sim.engine", "sim.analysis"},
    "sim.cli": {
        "sim.game",
        "sim.config",
        "sim.strategies",
        "sim.engine",
        "sim.reference",
        "sim.analysis",
        "sim.sweeps",
    },
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def load_time_imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``path`` imports when it is loaded."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)

    visit(tree.body)
    return {name for name in found if name in known}


def import_graph() -> nx.DiGraph:
    mods = modules()
    graph = nx.DiGraph()
    for name, path in mods.items():
        graph.add_node(name)
        for target in load_time_imports(path, set(mods)):
            if target != name:
                graph.add_edge(name, target)
    return graph


def layer(name: str) -> str | None:
    for prefix in LAYERS:
        if name == prefix or name.startswith(prefix + "."):
            return prefix
    return None


def test_no_import_cycle_among_sims_modules():
    graph = import_graph()
    # a package's __init__ importing its own modules is how re-exports work, not a cycle
    # between jobs; drop the edges from a module up to a package that contains it
    for a, b in list(graph.edges):
        if a.startswith(b + "."):
            graph.remove_edge(a, b)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_imports_run_one_way_between_layers():
    wrong = []
    for a, b in import_graph().edges:
        la, lb = layer(a), layer(b)
        if la is None or lb is None or la == lb:
            continue
        if lb not in LAYERS[la]:
            wrong.append(f"{a} -> {b}")
    assert not wrong, "imports against the layering: " + ", ".join(sorted(wrong))


def test_sim_never_imports_streamlit_or_the_ui():
    offenders = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            offenders += [f"{name}: {m}" for m in mods if m.split(".")[0] in ("streamlit", "ui")]
    assert not offenders


def test_the_ui_does_not_import_the_command_line():
    offenders = []
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sim.cli"):
                offenders.append(f"{path.name}: {node.module}")
    assert not offenders


def test_sim_top_level_holds_at_most_eight_modules():
    top = sorted(p.name for p in SIM.glob("*.py"))
    assert len(top) <= 8, top


@pytest.mark.parametrize("name", ["PartyModel", "Scenario", "ScenarioError", "load", "sweep"])
def test_documented_top_level_names_still_import(name):
    import sim

    assert getattr(sim, name) is not None


def every_import(path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``path`` imports anywhere: at load time, inside functions
    (lazy loading) and for type hints alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in found if name in known}


def test_no_import_circle_inside_any_folder_counting_every_import():
    """Within each folder, its files and subfolders (a subfolder counted as one) import one
    another one way only, counting imports inside functions and under TYPE_CHECKING too:
    a rule module names ``Party`` (sim/engine/party.py), never the model that calls it."""
    mods = modules()
    folders = {name.rsplit(".", 1)[0] for name in mods if "." in name}
    circles = []
    for folder in sorted(folders):
        graph = nx.DiGraph()

        def room(name: str, folder: str = folder) -> str | None:
            """The file or subfolder of ``folder`` that holds module ``name``."""
            if not name.startswith(folder + "."):
                return None
            return folder + "." + name[len(folder) + 1 :].split(".")[0]

        for name, path in mods.items():
            here = room(name)
            if here is None or name == folder:
                continue
            for target in every_import(path, set(mods)):
                there = room(target)
                if there is not None and there != here:
                    graph.add_edge(here, there)
        circles += list(nx.simple_cycles(graph))
    assert not circles, f"import circles: {circles[:5]}"


def test_the_rule_mute_lives_in_at_most_eight_source_files():
    """docs/CONTRIBUTING.md's example of a rule's cost: mute (7.28) is named in code (not in
    docstrings or comments) by its parameter, its event code, its edge flag or its function in
    at most eight files of ``sim/``; a ninth means a copy of a rule that should be made to serve
    (the profile check's offer once was one)."""
    names = {"mute_instead_prob", "MUTE", "muted", "mute_instead"}
    files = set()
    for path in SIM.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            name = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else node.value
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
                else node.name
                if isinstance(node, ast.FunctionDef | ast.alias)
                else None
            )
            if name in names:
                files.add(str(path.relative_to(ROOT)))
    assert "sim/engine/ties.py" in files and "sim/engine/loops/feed.py" in files
    assert len(files) <= 8, sorted(files)
