"""Nodes of the person path of ``recommendation``: a photo and/or voice clip -> explained music.

The work is done by :mod:`moodrec.person`; these nodes wire it to the catalog and to the
pipeline's own ranking (:func:`~moodrec.core.ranking.rank_excerpts`)
and va_mapping's probability -> point rule (:func:`~moodrec.pipelines.va_mapping.nodes.
to_valence_arousal`). Without a person request (no ``face_image`` / ``voice_clip``) every node
returns an empty result at once and nothing is loaded or written: that is batch mode.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from moodrec.person.answer import build_answer, check_request, render_text
from moodrec.person.errors import PersonInputError
from moodrec.person.models import ModelLoader
from moodrec.person.senses import SenseOutcome, read_faces, read_voice
from moodrec.person.settings import check_person_settings
from moodrec.core.scoring import MODES
from moodrec.pipelines.recommendation.settings import scale_centre
from moodrec.core.ranking import rank_excerpts
from moodrec.core.valence_arousal import catalogue_settings, to_valence_arousal

logger = logging.getLogger(__name__)

#: Columns of the ranking catalogue shown for each excerpt, when present.
SHOWN_COLUMNS: tuple[str, ...] = ("number", "album", "track", "time_range", "category")


def check_person_request(
    person: dict[str, Any], photos: dict[str, Any], clips: dict[str, Any],
    catalogue: pd.DataFrame,
) -> dict[str, Any]:
    """The request's goal and ``k`` checked against the catalogue, before any file is read.

    Raises:
        PersonInputError: unknown goal or similarity mode, ``k`` outside 1 .. catalogue size,
            or a person setting misspelt or out of range (checked in batch mode too).
    """
    check_person_settings(person)
    requested = bool(photos or clips)
    goal, k = check_request(person["goal"], person["top_k"], len(catalogue))
    similarity = person.get("similarity")
    if similarity is not None and similarity not in MODES:
        raise PersonInputError(
            f"unknown similarity mode {similarity!r}; choose one of {', '.join(MODES)}"
        )
    if requested:
        logger.info("person request: %d photo(s), %d voice clip(s), goal %s, top %d",
                    len(photos), len(clips), goal, k)
    return {"requested": requested, "goal": goal, "k": k}


def read_person_face(
    request: dict[str, Any], photos: dict[str, Any], face_model: ModelLoader,
    person: dict[str, Any],
) -> SenseOutcome:
    """Largest face per photo -> face model -> averaged probabilities (or the problems)."""
    if not request["requested"]:
        return SenseOutcome("face", requested=False)
    return read_faces(photos, face_model, person.get("face"))


def read_person_voice(
    request: dict[str, Any], clips: dict[str, Any], audio_model: ModelLoader,
    profile: Any, person: dict[str, Any],
) -> SenseOutcome:
    """Sliding windows per clip -> the voice model's reading (relative to the person's own
    calm voice when a calibration ``profile`` exists) -> averaged probabilities."""
    if not request["requested"]:
        return SenseOutcome("voice", requested=False)
    return read_voice(clips, audio_model, person.get("voice"), profile)


def _describe(row: pd.Series) -> dict[str, Any]:
    return {c: (None if pd.isna(row[c]) else row[c].item() if hasattr(row[c], "item") else row[c])
            for c in SHOWN_COLUMNS if c in row.index}


def recommend_for_person(
    request: dict[str, Any], face: SenseOutcome, voice: SenseOutcome,
    emotion_points: pd.DataFrame, catalogue: pd.DataFrame, person: dict[str, Any],
    recommendation: dict[str, Any], va_mapping: dict[str, Any],
) -> dict[str, Any]:
    """Fuse the senses, move the point by the goal, rank and explain the excerpts.

    Returns the answer (``{"requested": false}`` in batch mode, which the catalog does not
    write). Raises :class:`~moodrec.person.errors.PersonInputError` when no sense is usable.
    """
    if not request["requested"]:
        return {"requested": False}
    scale = tuple(float(v) for v in
                  (person.get("scale") or catalogue_settings(va_mapping)["scale"]))
    mode = person.get("similarity") or recommendation["mode"]
    answer = build_answer(
        face, voice, goal=request["goal"], k=request["k"],
        to_point=lambda p: to_valence_arousal(np.asarray(p)[None, :], emotion_points)[0],
        catalogue=catalogue, rank=rank_excerpts,
        mode=mode, centre=scale_centre(recommendation), scale=scale,
        strength=float(person.get("goal_strength", 0.5)),
        reliability=person.get("sense_weights"), describe=_describe,
    )
    answer["soundtrack_set"] = recommendation["soundtrack_set"]
    for sense in answer["senses"].values():
        for problem in sense["problems"]:
            logger.warning(problem)
    for warning in answer["warnings"]:
        logger.warning(warning)
    logger.info("person recommendation:\n%s", render_text(answer))
    return answer
