"""The page's answer: each sense's emotion with its probabilities, the mood on the
valence-arousal plane among the catalogue's excerpts, and the top-k offers with their reasons
and a like / skip each. Catalogue text is shown literally (:func:`moodrec.page.access.plain`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from moodrec.page.access import plain
from moodrec.person.history import History, HistoryError

SENSE_TITLES: dict[str, str] = {"face": "Face", "voice": "Voice"}
#: Where a history problem met while answering or on a like is kept until the history shows it.
HISTORY_PROBLEM_KEY = "history_problem"


def _sense(name: str, reading: Mapping[str, Any]) -> None:
    """One sense: its emotion, then every emotion's probability, largest first."""
    if not reading["used"]:
        st.markdown(f"**{SENSE_TITLES[name]}:** not used (see the message by its input)")
        return
    st.markdown(f"**{SENSE_TITLES[name]}: {reading['emotion']}**")
    for emotion, p in sorted(reading["probabilities"].items(), key=lambda kv: -kv[1]):
        st.progress(float(p), text=f"{emotion} {p:.0%}")
    st.caption(f"confidence {reading['confidence']:.2f}, weight in the mix "
               f"{reading['weight']:.2f}, point: valence {reading['point'][0]:.2f}, "
               f"arousal {reading['point'][1]:.2f}")


def _feedback(history: History, person: str, mood_id: int, rank: int,
              choice: str | None) -> None:
    """Keep ``person``'s like / skip; a history that cannot be written is said by the history."""
    try:
        history.set_feedback(person, mood_id, rank, choice)
    except (HistoryError, KeyError) as err:
        st.session_state[HISTORY_PROBLEM_KEY] = str(err).strip("'\"")


def _offer(offer: Mapping[str, Any], person: str, mood_id: int | None, history: History,
           feedback: str | None) -> None:
    """One offered item with its reason and its like / skip buttons (the chosen one
    highlighted; pressing it again takes it back; none when the answer was not kept)."""
    rank = int(offer["rank"])
    with st.container(border=True, key=f"excerpt-{mood_id}-{rank}"):
        text, like, skip = st.columns([6, 1, 1], vertical_alignment="center")
        text.markdown(f"**{rank}\\.** {plain(offer['title'])}, similarity "
                      f"{offer['similarity']:.3f}  \n{plain(offer['reason'])}")
        for column, choice, label in ((like, "like", "Like"), (skip, "skip", "Skip")):
            chosen = feedback == choice
            column.button(label, key=f"{choice}-{mood_id}-{rank}", disabled=mood_id is None,
                          type="primary" if chosen else "secondary", on_click=_feedback,
                          args=(history, person, mood_id, rank, None if chosen else choice))


def render_answer(answer: Mapping[str, Any], plane: Mapping[str, Any], person: str,
                  history: History) -> None:
    """The whole answer of the person path, as the page shows it (``plane``: the Vega-Lite
    spec of :func:`moodrec.page.charts.mood_plane`, drawn by the browser)."""
    st.header("What we read")
    columns = st.columns(max(len(answer["senses"]), 1) + 1, gap="large")
    for column, (name, reading) in zip(columns, answer["senses"].items(), strict=False):
        with column:
            _sense(name, reading)
    fused = answer["fused"]
    with columns[-1]:
        st.markdown(f"**Your mood: {fused['mood']}** ({fused['emotion']})")
        st.markdown(f"valence {fused['point'][0]:.2f}, arousal {fused['point'][1]:.2f}")
        st.markdown(f"Goal: {plain(answer['target']['description'])}")
    left, music = st.columns(2, gap="large")
    with left:
        st.vega_lite_chart(plane, width="stretch", alt="your mood on the valence-arousal plane")
    with music:
        st.subheader(f"Your top {len(answer['excerpts'])}")
        mood_id = answer.get("mood_id")
        feedback = {}
        if mood_id is not None:
            try:
                feedback = history.feedback(person, mood_id)
            except HistoryError as err:
                st.session_state[HISTORY_PROBLEM_KEY] = str(err)
        for offer in answer["excerpts"]:
            _offer(offer, person, mood_id, history, feedback.get(int(offer["rank"])))
