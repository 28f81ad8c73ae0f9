"""The page as a whole: inputs, then the answer, then the history (Streamlit draws it from
the top on every interaction; what must outlive a rerun is in ``st.session_state``)."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import streamlit as st

from moodrec.page.asking import Outcome, ask
from moodrec.page.charts import mood_plane
from moodrec.page.history import History
from moodrec.page.history_view import render_history
from moodrec.page.inputs import Request, render_inputs
from moodrec.page.results import render_answer
from moodrec.page.service import SharedService, start_service
from moodrec.page.settings import PageSettings, check_page_settings

#: Where the last answer of this browser session is kept between Streamlit's reruns.
OUTCOME_KEY = "outcome"


def _given(request: Request) -> list[tuple[str, str, str]]:
    """What the person gave, told apart by content (a changed input is a new question)."""
    return [(u.slot, u.name, hashlib.sha256(u.data).hexdigest()) for u in request.uploads]


@st.cache_resource(show_spinner="Loading the catalogue and the models ...")
def _start(project: Path, env: str | None) -> tuple[PageSettings, SharedService, History]:
    """Once per page process: the person service, the settings, the history."""
    service = start_service(project, env)
    settings = check_page_settings(service.params, service.project)
    return settings, service, History(settings.history)


def _answer(request: Request, service: SharedService, history: History) -> None:
    """Ask the person path; keep the answer (and the media, when the box is ticked) in the
    history, and what the page shows in the session."""
    with st.spinner("Reading your face and voice ..."):
        outcome = ask(service, request.uploads, request.goal, request.top_k)
        shown: dict = {"outcome": outcome, "given": _given(request)}
        if outcome.answer is not None:
            media = [(u.slot, u.name, u.data) for u in request.uploads] if request.keep_media \
                else []
            shown["mood_id"] = history.record(outcome.answer, datetime.now().astimezone(),
                                              media)
            shown["plane"] = mood_plane(service.catalogue(), outcome.answer)
    st.session_state[OUTCOME_KEY] = shown


def _messages(outcome: Outcome, request: Request) -> None:
    """Each message next to its input; the others above the answer."""
    for slot, notes in outcome.notes.items():
        for note in notes:
            show = request.notes[slot].warning if outcome.answer else request.notes[slot].error
            show(note)
    for note in outcome.general:
        (st.warning if outcome.answer else st.error)(note)


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="moodrec page")
    parser.add_argument("--project-dir", type=Path, required=True)
    parser.add_argument("--env", default=None)
    args = parser.parse_args(argv)
    st.set_page_config(page_title="moodrec: music for your mood", layout="wide")
    st.title("Music for your mood")
    st.caption("Your photo and voice are read on this machine; nothing leaves it.")
    settings, service, history = _start(args.project_dir.resolve(), args.env)
    request = render_inputs(settings)
    if request.asked:
        _answer(request, service, history)
    shown = st.session_state.get(OUTCOME_KEY)
    if shown is not None:
        if shown["given"] == _given(request):  # messages about inputs no longer there: gone
            _messages(shown["outcome"], request)
        if shown["outcome"].answer is not None:
            render_answer(shown["outcome"].answer, shown["plane"], shown["mood_id"], history)
    st.divider()
    render_history(history, settings.shown_moods)
