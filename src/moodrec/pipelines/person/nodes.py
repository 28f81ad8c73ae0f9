"""Nodes of the ``person`` pipeline: one person's photos and/or voice clips -> explained music.

Thin wrappers: the readings are :mod:`moodrec.person.senses`, the answer (fusion, goal,
ranking, reasons) is :func:`moodrec.person.answer.build_answer` over the domain core, the same
functions the batch ``recommendation`` pipeline ranks with.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.adaptation import adapt, log_probabilities
from moodrec.core.feedback import check_settings as check_feedback
from moodrec.core.feedback import personal_ranking
from moodrec.core.ranking import rank_excerpts
from moodrec.core.scoring import MODES
from moodrec.core.valence_arousal import (
    catalogue_settings,
    emotion_point_table,
    scale_midpoint,
    to_valence_arousal,
)
from moodrec.person.answer import build_answer, check_request, render_text
from moodrec.person.errors import PersonInputError, PersonUsageError
from moodrec.person.models import checked_face_model, checked_voice_model
from moodrec.person.senses import Adapter, SenseOutcome, read_faces, read_voice
from moodrec.person.settings import check_person_settings

logger = logging.getLogger(__name__)

#: Columns of the catalogue shown for each item besides its ``item`` and ``title``, when present.
SHOWN_COLUMNS: tuple[str, ...] = ("artist", "album", "track", "time_range", "genre", "category")


def check_person_request(
    person: dict[str, Any], photos: dict[str, Any], clips: dict[str, Any],
    catalogue: pd.DataFrame,
) -> dict[str, Any]:
    """The request checked before any file is read: inputs given, goal and ``k`` (against
    the catalogue), every setting; the reading nodes take their settings from it.

    Raises:
        PersonInputError: no photo and no clip, or a person setting misspelt, missing or out
            of range; its PersonUsageError: unknown goal or similarity mode, ``k`` outside
            1 .. catalogue size.
    """
    check_person_settings(person)
    if not (photos or clips):
        raise PersonInputError(
            "no input: give a photo and/or a voice clip (kedro run --pipelines person --params "
            "face_image=me.jpg,voice_clip=me.wav, or moodrec recommend --face me.jpg)"
        )
    goal, k = check_request(person["goal"], person["top_k"], len(catalogue))
    similarity = person["similarity"]
    if similarity is not None and similarity not in MODES:
        raise PersonUsageError(
            f"unknown similarity mode {similarity!r}; choose one of {', '.join(MODES)}"
        )
    logger.info("person request: %d photo(s), %d voice clip(s), goal %s, top %d",
                len(photos), len(clips), goal, k)
    return {"goal": goal, "k": k, "face": dict(person["face"]), "voice": dict(person["voice"]),
            "adapt": person["adapt"], "adaptation": person["adaptation"]}


def _adapter(request: dict[str, Any], history: dict[str, Any], sense: str) -> tuple[Adapter, int]:
    """The person's earlier readings of ``sense`` as an adapter of a new reading's
    probabilities, and how many they are; none (or ``adapt: false``): read as it is."""
    earlier = history[sense]
    if not request["adapt"] or len(earlier) == 0:
        return (lambda p: p), 0
    settings = request["adaptation"][sense]
    return (lambda p: adapt(log_probabilities(p), earlier, settings)), len(earlier)


def read_person_face(request: dict[str, Any], photos: dict[str, Any], face_model: Any,
                     history: dict[str, Any]) -> SenseOutcome:
    """Largest face per photo -> face model -> adapted to the person's earlier readings ->
    averaged probabilities (or the problems)."""
    model = checked_face_model(face_model) if photos else None
    return read_faces(photos, model, request["face"], *_adapter(request, history, "face"))


def read_person_voice(request: dict[str, Any], clips: dict[str, Any], audio_model: Any,
                      profile: Any, history: dict[str, Any]) -> SenseOutcome:
    """Sliding windows per clip -> the voice model's reading (relative to the person's own
    calm voice when a calibration ``profile`` exists) -> adapted to the person's earlier
    readings -> averaged probabilities."""
    model = checked_voice_model(audio_model) if clips else None
    return read_voice(clips, model, request["voice"], profile,
                      *_adapter(request, history, "voice"))


def _describe(row: pd.Series) -> dict[str, Any]:
    """The item's shown fields that it has (a song has no album, an excerpt no artist)."""
    return {c: row[c].item() if hasattr(row[c], "item") else row[c]
            for c in SHOWN_COLUMNS if c in row.index and not pd.isna(row[c])}


def recommend_for_person(
    request: dict[str, Any], face: SenseOutcome, voice: SenseOutcome,
    emotion_points: pd.DataFrame, catalogue: pd.DataFrame, history: dict[str, Any],
    person: dict[str, Any], recommendation: dict[str, Any], va_mapping: dict[str, Any],
) -> dict[str, Any]:
    """Fuse the senses, move the point by the goal, rank the items, re-rank them by the
    person's earlier like and skip (``history["offers"]``; :mod:`moodrec.core.feedback`) and
    explain them.

    Raises :class:`~moodrec.person.errors.PersonInputError` when no sense is usable.
    """
    catalogue_scale = catalogue_settings(va_mapping)["scale"]
    scale = tuple(float(v) for v in (person["scale"] or catalogue_scale))
    points = emotion_point_table(emotion_points)  # the one check every reader of it makes
    mode = person["similarity"] or recommendation["mode"]
    feedback = check_feedback(recommendation["feedback"])
    item_points = catalogue[["valence", "arousal"]].to_numpy(float)

    def choose(target: np.ndarray) -> pd.DataFrame:
        order, similarity = rank_excerpts(target[None, :], item_points, mode, len(catalogue),
                                          scale_midpoint(catalogue_scale))
        ranked = catalogue.iloc[order[0]].assign(similarity=similarity[0])
        return personal_ranking(ranked, history["offers"], request["k"], feedback, scale)

    answer = build_answer(
        face, voice, goal=request["goal"], k=request["k"],
        to_point=lambda p: to_valence_arousal(np.asarray(p)[None, :], points)[0],
        choose=choose, mode=mode, scale=scale,
        strength=float(person["goal_strength"]), reliability=person["sense_weights"],
        describe=_describe,
    )
    answer["catalogue"] = recommendation["catalogue"]
    for sense in answer["senses"].values():
        for problem in sense["problems"]:
            logger.warning(problem)
    for warning in answer["warnings"]:
        logger.warning(warning)
    logger.info("person recommendation:\n%s", render_text(answer))
    return answer
