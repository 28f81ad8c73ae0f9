"""The page as a whole: the token (when the page has one) and the person's name, then the
inputs, the answer and that person's history (Streamlit draws it from the top on every
interaction; what must outlive a rerun is in ``st.session_state``)."""

from __future__ import annotations

import argparse
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from moodrec.page.access import TOKEN_ENV, person_named, plain, token_granted
from moodrec.page.asking import Outcome, ask
from moodrec.page.charts import mood_plane
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
def _start(project: Path, env: str | None) -> tuple[PageSettings, SharedService]:
    """Once per page process: the person service (with the history) and the settings."""
    service = start_service(project, env)
    return check_page_settings(service.params), service


def _answer(request: Request, service: SharedService, person: str) -> None:
    """Ask the person path for ``person`` (it keeps the answer in their history); keep what
    the page shows in the session."""
    with st.spinner("Reading your face and voice ..."):
        outcome = ask(service, request.uploads, request.goal, request.top_k, person,
                      request.keep_media)
        shown: dict = {"outcome": outcome, "given": _given(request)}
        if outcome.answer is not None:
            shown["plane"] = mood_plane(service.catalogue(), outcome.answer)
    st.session_state[OUTCOME_KEY] = shown


def _messages(outcome: Outcome, request: Request) -> None:
    """Each message next to its input; the others above the answer (all shown as text)."""
    for slot, notes in outcome.notes.items():
        for note in notes:
            show = request.notes[slot].warning if outcome.answer else request.notes[slot].error
            show(plain(note))
    for note in outcome.general:
        (st.warning if outcome.answer else st.error)(plain(note))


def _allowed(require_token: bool) -> bool:
    """Whether this session may see the page: always, unless it was started with a token."""
    if not require_token:
        return True
    token = os.environ.get(TOKEN_ENV, "")
    if not token:  # `moodrec serve` refuses this; the page does not open without it either
        st.error(f"This page needs a token and has none: start it with {TOKEN_ENV} set.")
        return False
    return token_granted(token)


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="moodrec page")
    parser.add_argument("--project-dir", type=Path, required=True)
    parser.add_argument("--env", default=None)
    parser.add_argument("--require-token", action="store_true")
    args = parser.parse_args(argv)
    st.set_page_config(page_title="moodrec: music for your mood", layout="wide")
    st.title("Music for your mood")
    st.caption("Your photo and voice are read on this machine; nothing leaves it.")
    if not _allowed(args.require_token):
        return
    person = person_named()
    if person is None:
        return
    settings, service = _start(args.project_dir.resolve(), args.env)
    request = render_inputs(settings)
    if request.asked:
        _answer(request, service, person)
    shown = st.session_state.get(OUTCOME_KEY)
    outcome = shown["outcome"] if shown is not None else None
    if outcome is not None:
        if shown["given"] == _given(request):  # messages about inputs no longer there: gone
            _messages(outcome, request)
        if outcome.answer is not None:
            render_answer(outcome.answer, shown["plane"], person, service.history)
    st.divider()
    render_history(service.history, person, settings.shown_moods,
                   outcome.history if outcome is not None else None)
