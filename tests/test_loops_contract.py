"""The compiled loops' contract: named constants generated from the declarations, a few
blocks per loop, and every rule's fast code findable from docs/MODEL.md (read without
importing numba)."""

import ast
import re

from sim.config import docs
from sim.engine import loop_names as names

LOOPS = names.HERE  # sim/engine/loops


def _kernels():
    """(file, function, argument names) of every numba function of sim/engine/loops."""
    for path in sorted(LOOPS.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(
                "njit" in ast.unparse(d) for d in node.decorator_list
            ):
                yield path.name, node.name, [a.arg for a in node.args.args]


def test_each_loop_files_constants_are_the_declared_values():
    """numba's cache checks only a function's own file: the constants (and the stamp of the
    loop files it calls into) are written into each file; `python -m sim.engine.loop_names`
    rewrites them after a declaration or a shared loop changes."""
    assert names.write(check_only=True) == [], "run `python -m sim.engine.loop_names`"


def test_no_loop_takes_more_than_a_handful_of_blocks():
    for file, name, args in _kernels():
        assert len(args) <= 13, f"{file}::{name} takes {len(args)} arguments"


def test_no_loop_indexes_parameters_or_blocks_by_a_bare_number():
    pattern = re.compile(r"\b(p|params|acct_p|state_[fib]|counts)\[\d")
    for path in LOOPS.glob("*.py"):
        assert not pattern.search(path.read_text()), path.name


def test_every_fast_code_pointer_in_model_md_names_a_loop():
    text = docs.MODEL_MD.read_text()
    pointers = re.findall(r"`sim/engine/loops/(\w+)\.py::(\w+)`", text)
    assert len(pointers) >= 20
    defined = {(file, name) for file, name, _ in _kernels()}
    for module, function in pointers:
        assert (f"{module}.py", function) in defined, f"{module}.py::{function}"


def test_the_loops_ties_name_the_edge_sets_arrays_in_order():
    """Ties(*edges.loop_arrays()) names each of the follow edges' arrays by what it is: the
    look-up arrays, the degrees and every attribute of state.FOLLOW_EDGE_ATTRS."""
    import numpy as np

    from sim.engine.edges import EdgeSet
    from sim.engine.state import FOLLOW_EDGE_ATTRS, Lookup, Ties

    follows = EdgeSet(4, attrs=FOLLOW_EDGE_ATTRS)
    follows.add(np.array([0, 1, 2]), np.array([1, 2, 0]))
    ties = Ties(*follows.loop_arrays())
    assert Lookup(*follows.lookup_arrays()).keys is ties.keys is follows.keys
    assert ties.in_degree is follows.in_degree and ties.out_degree is follows.out_degree
    for name in FOLLOW_EDGE_ATTRS:
        assert getattr(ties, name) is follows.attrs[name]


def test_a_new_follow_edge_attribute_reaches_the_loops_and_recompiles_them(monkeypatch):
    """A follow-edge attribute added to the declaration changes the generated block of every
    loop file that names Ties (numba's cache then compiles it again) and of no other file."""
    from collections import namedtuple

    from sim.engine import state

    names_ = names.declared()
    texts = {f: (LOOPS / f"{f}.py").read_text() for f in names.ORDER}
    before = {f: names.block_for(f, t, names_) for f, t in texts.items()}
    monkeypatch.setattr(state, "Ties", namedtuple("Ties", (*state.Ties._fields, "hushed")))
    after = {f: names.block_for(f, t, names_) for f, t in texts.items()}
    changed = {f for f in names.ORDER if after[f] != before[f]}
    assert changed == {f for f, t in texts.items() if "Ties(*" in t}
    assert {"feed", "reactions", "ties"} <= changed
