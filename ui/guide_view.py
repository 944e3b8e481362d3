"""The 'Things to try' tab: what to notice in the preset, and changes to try, each with a
button that sets the change up in the Compare tab against the preset and runs it."""

from __future__ import annotations

import streamlit as st

from ui.charts import NOUNS
from ui.compare_view import VARIANT_MODE
from ui.guide import (
    LABEL_WORDS,
    MAP_PRESETS,
    POSTING_RATE_MAP,
    Try,
    claim_by_id,
    claims_for,
    guide_for,
)
from ui.story import people

COMPARE_TAB = "Compare"


def _try(lesson: Try) -> None:
    """Set Compare up as the lesson declares (change, outcome, runs, the preset's length)
    and run it."""
    ss = st.session_state
    ss.cmp_mode = VARIANT_MODE
    ss.cmp_base = "the preset without your changes"
    ss.cmp_changes = ", ".join(lesson.sets)
    ss.cmp_param = None  # no menu change on top of the lesson's
    ss.cmp_metric = lesson.outcome
    ss.cmp_reps = lesson.runs
    ss.cmp_steps = int(ss.base.steps)
    ss.cmp_lesson = lesson
    ss.cmp_autorun = True
    ss.main_tab = COMPARE_TAB  # open the Compare tab


def lesson_words(lesson: Try) -> str:
    """What to watch, and what the lesson shows at its settings."""
    noun = NOUNS.get(lesson.outcome, lesson.outcome)
    shows = {"more": f"{people(lesson.about)} end with more", "fewer":
             f"{people(lesson.about)} end with fewer", "none": "no clear difference"}  # fmt: skip
    return (f"Watch: **{noun}** of **{people(lesson.about)}**, {lesson.runs} runs each · "
            f"shows: {shows[lesson.expect]}")  # fmt: skip


def claim_words(lesson: Try) -> str:
    """The claims suite's label for the claim the lesson demonstrates, where one matches."""
    claim = claim_by_id(lesson.claim)
    if claim is None:
        return ""
    rules = ", ".join(claim["rules"])
    return (f"Claim {claim['number']} ({claim['text']}): *{claim['label']}*, "
            f"{LABEL_WORDS.get(claim['label'], '')}; {claim['verdict']} (rules {rules})")  # fmt: skip


def guide(ss) -> None:
    notes = guide_for(ss.base_preset)
    base = ss.base
    st.markdown(f"#### What is it\n{' '.join(base.description.split())}")
    if base.claim:
        st.markdown(f"**What it demonstrates:** {' '.join(base.claim.split())}")
    _claims(ss.base_preset)
    if not notes.notice and not notes.tries:
        st.info("No teaching notes for this scenario: try the Parameter lab and the Compare tab.")
        return
    if notes.notice:
        st.markdown("#### Things to notice\n" + "\n".join(f"- {n}" for n in notes.notice))
    if notes.tries:
        st.markdown("#### Things to try")
    for i, t in enumerate(notes.tries):
        left, right = st.columns([4, 1.2])
        label = claim_words(t)
        left.markdown(f"{t.text}  \n`" + "`, `".join(t.sets) + "`  \n" + lesson_words(t)
                      + (f"  \n{label}" if label else ""))  # fmt: skip
        right.button("Try this: compare", key=f"try{i}", on_click=_try, args=(t,),
                     help="Opens Compare with this change as B and your settings as A, "
                     "and runs it with the same seeds.")  # fmt: skip


def _claims(preset: str | None) -> None:
    """What the claims suite found with this preset, each claim with its computed label and
    the rules it rests on (docs/CLAIMS.md has the figures)."""
    found = claims_for(preset)
    if found:
        st.markdown("#### What the claims suite found here")
    for c in found:
        lo, hi = c["interval95"]
        rules = ", ".join(c["rules"])
        st.markdown(
            f"- **{c['text']}** ({c['a'][1]} vs {c['b'][1]}): **{c['verdict']}**, "
            f"{c['effect']:.3g} {c['unit']} [95%: {lo:.3g} to {hi:.3g}]. "
            f"*{c['label']}*: {LABEL_WORDS.get(c['label'], '')} (rules {rules} in the model "
            "description)."
        )
    if preset in MAP_PRESETS and POSTING_RATE_MAP.exists():
        st.markdown("#### How often should I post? It depends on the audience")
        st.image(
            str(POSTING_RATE_MAP),
            caption="Net followers against posting rate, for audiences of different patience "
            "(flood tolerance), with the two flood rules on (left) and switched off (right): "
            "whether there is a best rate, and where, depends on both (docs/CLAIMS.md).",
        )
