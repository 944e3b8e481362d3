"""Every audience rule of docs/MODEL.md (section 7) names its grounding: a source or an assumption.

Issue 25, point 2: a rule that nothing stands on cannot carry a claim. Each ``### 7.N`` section
ends with one or more paragraphs starting ``*Grounding``: ``*Grounding:* <source(s) and what
they found>`` or ``*Grounding: assumption.* <why it is plausible>`` (a rule with several parts
has one per part, e.g. ``*Grounding (notice boost): assumption.*``). A source is recognised by
a year (a paper, a platform change) or a seed post of the brief (``seed post 002``).
"""

import re
from pathlib import Path

import pytest

MODEL_MD = Path(__file__).resolve().parent.parent / "docs" / "MODEL.md"
RULE_HEADING = re.compile(r"^### (7\.\d+) ", re.M)
YEAR = re.compile(r"\b(19|20)\d\d\b")


def rule_sections() -> dict[str, str]:
    """Section 7's rules: {'7.N': the text from its heading to the next heading}."""
    text = MODEL_MD.read_text(encoding="utf-8")
    text = text[text.index("## 7. Submodels") : text.index("\n## 8.")]
    heads = list(RULE_HEADING.finditer(text))
    return {
        m.group(1): text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        for i, m in enumerate(heads)
    }


def grounding_entries(section: str) -> list[str]:
    """The section's grounding paragraphs, each joined into one line."""
    paragraphs = re.split(r"\n\s*\n", section)
    return [" ".join(p.split()) for p in paragraphs if p.lstrip().startswith("*Grounding")]


def test_section_7_has_the_rules():
    rules = rule_sections()
    assert len(rules) >= 27
    assert [f"7.{i}" for i in range(1, 28)] == list(rules)[:27]


@pytest.mark.parametrize("rule", sorted(rule_sections(), key=lambda r: int(r.split(".")[1])))
def test_every_rule_names_its_grounding(rule):
    entries = grounding_entries(rule_sections()[rule])
    assert entries, f"rule {rule} of docs/MODEL.md has no *Grounding line"
    for entry in entries:
        grounded = "assumption" in entry.lower() or YEAR.search(entry) or "seed post" in entry
        assert grounded, (
            f"rule {rule}: a grounding line names no source (a year or a seed post) and is "
            f"not marked assumption: {entry[:120]}"
        )


def test_grounding_comes_last():
    """Grounding closes each rule: nothing but grounding paragraphs after the first one."""
    for rule, section in rule_sections().items():
        paragraphs = [p for p in re.split(r"\n\s*\n", section) if p.strip()]
        first = next(i for i, p in enumerate(paragraphs) if p.lstrip().startswith("*Grounding"))
        rest = paragraphs[first:]
        assert all(p.lstrip().startswith("*Grounding") for p in rest), rule


def test_the_checks_bite():
    """The checks fail on a rule without grounding and on an unsourced, unmarked line."""
    assert grounding_entries("A rule.\n\nMore text.\n") == []
    entry = grounding_entries("A rule.\n\n*Grounding:* it seems right.\n")[0]
    assert not ("assumption" in entry.lower() or YEAR.search(entry) or "seed post" in entry)
