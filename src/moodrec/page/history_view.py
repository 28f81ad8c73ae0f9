"""The person's mood history: a timeline, the latest moods, the CSV, and "delete my history",
all of this one person's only. A history that cannot be used is said here, in one message
naming the file; the answer above it is still shown."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from moodrec.page.access import GRANTED_KEY, PERSON_KEY, plain
from moodrec.page.charts import mood_timeline
from moodrec.page.results import HISTORY_PROBLEM_KEY
from moodrec.person.history import History, HistoryError

#: The history's columns the timeline draws.
TIMELINE_COLUMNS = ["mood_id", "time", "valence", "arousal", "emotion"]


def _delete(history: History, person: str) -> None:
    try:
        history.forget(person)
    except HistoryError as err:
        st.session_state[HISTORY_PROBLEM_KEY] = str(err)
        return
    for key in [k for k in st.session_state if k not in (PERSON_KEY, GRANTED_KEY)]:
        del st.session_state[key]  # the answer shown was kept in the history deleted
    st.session_state["deleted"] = True


def render_history(history: History, person: str, shown_moods: int,
                   problem: str | None) -> None:
    """``person``'s history; ``problem``: why it could not be used while answering."""
    st.header("Your mood history")
    st.caption(f"Kept on this machine only, in {plain(history.path)}, under your name.")
    problem = st.session_state.pop(HISTORY_PROBLEM_KEY, None) or problem
    if problem:
        st.error(f"Your history could not be used: {plain(problem)}")
    if st.session_state.pop("deleted", False):
        st.success("Your history is deleted: every mood, reading, offer and like/skip kept "
                   "under your name.")
    try:
        table = history.table(person)
    except HistoryError as err:
        if str(err) != problem:
            st.error(f"Your history could not be read: {plain(err)}")
        return
    if table.empty:
        st.info("No moods yet: your answers will be listed here.")
        return
    moods = table[TIMELINE_COLUMNS].drop_duplicates("mood_id").reset_index(drop=True)
    st.vega_lite_chart(mood_timeline(moods), width=760, alt="your mood over time")
    summary = mood_summary(table, shown_moods).map(plain)  # st.table renders Markdown
    st.table(summary.set_index("time"))
    csv, delete = st.columns([1, 2], vertical_alignment="bottom")
    csv.download_button("Download my history (CSV)", data=functools.partial(
        history.to_csv, person), file_name="mood_history.csv", mime="text/csv", key="download")
    with delete:
        sure = st.checkbox("Yes, delete everything", key="delete_sure")
        st.button("Delete my history", disabled=not sure, on_click=_delete,
                  args=(history, person), key="delete")


def _offer_line(row: pd.Series) -> str:
    mark = f" ({row['feedback']})" if isinstance(row["feedback"], str) else ""
    return f"#{int(row['rank'])} {row['title']}{mark}"


def mood_summary(table: pd.DataFrame, latest: int) -> pd.DataFrame:
    """The ``latest`` moods of ``table`` (:meth:`History.table`), newest first, one row each:
    time, senses' emotions, point, goal, and the offers with their feedback on one line."""
    shown = table["mood_id"].drop_duplicates().iloc[-latest:]  # not the whole history
    rows = []
    for _, group in table[table["mood_id"].isin(shown)].groupby("mood_id", sort=False):
        first = group.iloc[0]
        offered = group.dropna(subset=["rank"])
        rows.append({
            "time": first["time"].replace("T", " ")[:16],
            "face": first["face_emotion"] if isinstance(first["face_emotion"], str) else "-",
            "voice": first["voice_emotion"] if isinstance(first["voice_emotion"], str) else "-",
            "mood": f"{first['mood']} ({first['emotion']})",
            "valence, arousal": f"{first['valence']:.2f}, {first['arousal']:.2f}",
            "goal": first["goal"],
            "offers": "; ".join(_offer_line(r) for _, r in offered.iterrows()),
        })
    return pd.DataFrame(rows[::-1])
