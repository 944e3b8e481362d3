"""Documentation generated from the registry: the parameter and strategy tables of
docs/MODEL.md (``make docs`` rewrites them; a test checks they are current)."""

from __future__ import annotations

import re
from pathlib import Path

from sim.config.params import ACCOUNT_PARAMS, MODEL_PARAMS, Param
from sim.config.strategies import STRATEGIES

START, END = "<!-- generated:start -->", "<!-- generated:end -->"
MODEL_MD = Path(__file__).resolve().parents[2] / "docs" / "MODEL.md"


def _row(p: Param) -> str:
    allowed = ", ".join(p.choices) if p.choices else f"{p.low:g} – {p.high:g}"
    return f"| `{p.name}` | {p.default} | {allowed} | {p.unit} | {p.help} |"


def parameter_tables() -> str:
    """Markdown tables of every parameter, grouped by scope and section."""
    out = []
    for title, pool in (
        ("Model parameters (one value per party)", MODEL_PARAMS),
        ("Account parameters (one value per group)", ACCOUNT_PARAMS),
    ):
        out.append(f"### {title}\n")
        sections = dict.fromkeys(p.section for p in pool.values())
        for section in sections:
            out += [
                f"**{section}**\n",
                "| parameter | default | allowed | unit | meaning |",
                "|---|---|---|---|---|",
            ]
            out += [_row(p) for p in pool.values() if p.section == section]
            out.append("")
    return "\n".join(out)


def strategy_table() -> str:
    """Markdown table of the strategies: description and the values each sets."""
    out = [
        "| strategy | what it does | values it sets (others: registry defaults) |",
        "|---|---|---|",
    ]
    for s in STRATEGIES.values():
        values = ", ".join(f"`{k}`={v}" for k, v in s.profile.items()) or "none"
        out.append(f"| `{s.name}` | {s.description} | {values} |")
    return "\n".join(out) + "\n"


def generated_block() -> str:
    return (
        f"{START}\n<!-- made by `make docs` from sim/config/params.py and sim/strategies/; "
        f"edit those, not this block -->\n\n## Strategies\n\n{strategy_table()}\n"
        f"## Parameters\n\n{parameter_tables()}\n{END}"
    )


def replace_block(path: Path, start: str, end: str, block: str) -> bool:
    """Replace the text from ``start`` to ``end`` (markers included) in ``path`` by
    ``block``; True if the file changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    new = pattern.sub(lambda _: block, text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def update_model_md(path: Path = MODEL_MD) -> bool:
    """Rewrite the generated block of docs/MODEL.md; True if it changed."""
    return replace_block(path, START, END, generated_block())


if __name__ == "__main__":
    print("updated" if update_model_md() else "already current", MODEL_MD)
