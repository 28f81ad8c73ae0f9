"""The page's mood history: a timeline, the latest moods, the CSV, and "delete my history"."""

from __future__ import annotations

import streamlit as st

from moodrec.page.charts import mood_timeline
from moodrec.page.history import History, mood_summary

#: The history's columns the timeline draws.
TIMELINE_COLUMNS = ["mood_id", "time", "valence", "arousal", "emotion"]


def _delete(history: History) -> None:
    history.delete_all()
    st.session_state.clear()  # the answer shown belonged to the history
    st.session_state["deleted"] = True


def render_history(history: History, shown_moods: int) -> None:
    st.header("Your mood history")
    st.caption(f"Kept on this machine only, in {history.path}.")
    if st.session_state.pop("deleted", False):
        st.success("Your history is deleted: every mood, excerpt, like/skip, photo and "
                   "recording.")
    table = history.table()
    if table.empty:
        st.info("No moods yet: your answers will be listed here.")
        return
    moods = table[TIMELINE_COLUMNS].drop_duplicates("mood_id").reset_index(drop=True)
    st.vega_lite_chart(mood_timeline(moods), width=760, alt="your mood over time")
    st.table(mood_summary(table, shown_moods).set_index("time"))
    csv, delete = st.columns([1, 2], vertical_alignment="bottom")
    csv.download_button("Download my history (CSV)", data=history.to_csv,
                        file_name="mood_history.csv", mime="text/csv", key="download")
    with delete:
        sure = st.checkbox("Yes, delete everything", key="delete_sure")
        st.button("Delete my history", disabled=not sure, on_click=_delete, args=(history,),
                  key="delete")
