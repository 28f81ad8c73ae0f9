"""The page's inputs: a photo (camera or file), a voice (microphone or file), the goal, k, and
whether to keep the photo and recording in the person's history (not kept unless ticked)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from moodrec.core.goals import GOALS
from moodrec.page.asking import Upload
from moodrec.page.settings import PageSettings


@dataclass
class Request:
    """What the person gave and chose; ``notes`` are the places next to each input where the
    messages about it go."""

    uploads: list[Upload]
    goal: str
    top_k: int
    keep_media: bool
    asked: bool
    notes: dict[str, DeltaGenerator]


def _sense_inputs(slot: str, title: str, tabs: tuple[str, str], take, upload_label: str,
                  taken_name: str) -> tuple[list[Upload], DeltaGenerator]:
    """One sense's inputs: a tab to take it live (``take``: camera or microphone), a tab to
    upload a file; returns what was given and the place for its messages."""
    st.subheader(title)
    live, from_file = st.tabs(list(tabs))
    with live:
        taken = take(tabs[0], key=f"{slot}_live")
    with from_file:
        # Any file: the person path itself says what is wrong with one that is not usable.
        uploaded = st.file_uploader(upload_label, key=f"{slot}_file")
    given = [Upload(slot, taken_name, taken.getvalue())] if taken is not None else []
    if uploaded is not None:
        given.append(Upload(slot, uploaded.name, uploaded.getvalue()))
    return given, st.container()


def render_inputs(settings: PageSettings) -> Request:
    """Draw the inputs; returns the request (``asked``: the button was pressed this run)."""
    face_column, voice_column = st.columns(2, gap="large")
    with face_column:
        photos, photo_notes = _sense_inputs(
            "photo", "Your face", ("Take a photo", "Upload a photo"), st.camera_input,
            "A photo of your face (JPEG, PNG, ...)", "camera.jpg")
    with voice_column:
        clips, voice_notes = _sense_inputs(
            "voice", "Your voice", ("Record your voice", "Upload a clip"),
            # the browser's own rate (16 kHz by default would cut what the voice model hears)
            functools.partial(st.audio_input, sample_rate=None),
            "A recording of your voice (WAV, FLAC, OGG, MP3; a sentence or two)",
            "microphone.wav")
    goal_column, k_column, keep_column = st.columns([2, 1, 3], vertical_alignment="bottom")
    goal = goal_column.radio("Goal", GOALS, index=GOALS.index(settings.goal), horizontal=True,
                             help="match your mood, uplift it (more pleasant) or calm it "
                             "(less energetic)", key="goal")
    top_k = k_column.number_input("Excerpts (k)", min_value=1, value=settings.top_k, step=1,
                                  key="top_k")
    keep = keep_column.checkbox("Keep my photo and recording in my history (on this machine)",
                                value=False, key="keep_media")
    asked = st.button("Recommend music", type="primary", key="ask")
    return Request(photos + clips, str(goal), int(top_k), bool(keep), asked,
                   {"photo": photo_notes, "voice": voice_notes})
