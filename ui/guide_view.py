"""The 'Things to try' tab: what to notice in the preset, and changes to try, each with a
button that sets the change up in the Compare tab against the preset and runs it."""

from __future__ import annotations

import streamlit as st

from ui.guide import guide_for

COMPARE_TAB = "Compare"


def _try(sets: tuple[str, ...]) -> None:
    ss = st.session_state
    ss.cmp_base = "the preset without your changes"
    ss.cmp_changes = ", ".join(sets)
    ss.cmp_autorun = True
    ss.main_tab = COMPARE_TAB  # open the Compare tab


def guide(ss) -> None:
    notes = guide_for(ss.base_preset)
    base = ss.base
    st.markdown(f"#### What is it\n{' '.join(base.description.split())}")
    if base.claim:
        st.markdown(f"**What it demonstrates:** {' '.join(base.claim.split())}")
    if not notes.notice and not notes.tries:
        st.info("No teaching notes for this scenario: try the Parameter lab and the Compare tab.")
        return
    if notes.notice:
        st.markdown("#### Things to notice\n" + "\n".join(f"- {n}" for n in notes.notice))
    if notes.tries:
        st.markdown("#### Things to try")
    for i, t in enumerate(notes.tries):
        left, right = st.columns([4, 1.2])
        left.markdown(f"{t.text}  \n`" + "`, `".join(t.sets) + "`")
        right.button("Try this: compare", key=f"try{i}", on_click=_try, args=(t.sets,),
                     help="Opens Compare with this change as B and your settings as A, "
                     "and runs it with the same seeds.")  # fmt: skip
