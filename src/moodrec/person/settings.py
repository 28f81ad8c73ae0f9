"""The person path's parameters (``recommendation.person`` in
``conf/base/parameters_recommendation.yml``), checked before anything is read.

A misspelt setting (``min_neighbours``, ``sense_weights: {vocie: 0}``) would otherwise be
ignored without a word and its default used; a value outside its range would skew every
answer. Each error names the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from moodrec.person.errors import PersonInputError
from moodrec.person.senses import FACE_DEFAULTS, VOICE_DEFAULTS

PREFIX = "parameters recommendation.person"
#: The settings of ``recommendation.person`` itself; ``face`` and ``voice`` take the keys of
#: :data:`~moodrec.person.senses.FACE_DEFAULTS` and ``VOICE_DEFAULTS`` (what the code reads).
TOP_LEVEL: tuple[str, ...] = ("goal", "top_k", "similarity", "goal_strength", "sense_weights",
                              "scale", "face", "voice")
SENSES: tuple[str, ...] = ("face", "voice")


def _known(settings: Mapping[str, Any] | None, known: Any, where: str) -> None:
    if settings is None:
        return
    if not isinstance(settings, Mapping):
        raise PersonInputError(f"{where} = {settings!r}: must be a mapping of settings")
    unknown = sorted(str(k) for k in settings if k not in known)
    if unknown:
        raise PersonInputError(
            f"{where}: unknown setting(s) {unknown}; known: {', '.join(map(str, known))}"
        )


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def check_person_settings(person: Mapping[str, Any]) -> None:
    """Every key known; ``goal_strength`` in [0, 1]; ``sense_weights`` >= 0 per sense;
    ``face.detect`` true or false (not ``maybe``, which would count as true); ``scale`` null
    or ``[min, max]`` with min < max.

    Raises:
        PersonInputError: naming the parameter, its value and what is expected.
    """
    _known(person, TOP_LEVEL, PREFIX)
    _known(person.get("face"), FACE_DEFAULTS, f"{PREFIX}.face")
    _known(person.get("voice"), VOICE_DEFAULTS, f"{PREFIX}.voice")
    weights = person.get("sense_weights")
    _known(weights, SENSES, f"{PREFIX}.sense_weights")
    bad = {s: w for s, w in (weights or {}).items() if not (_number(w) and w >= 0)}
    if bad:
        raise PersonInputError(f"{PREFIX}.sense_weights: {bad} must be numbers >= 0")
    strength = person.get("goal_strength")
    if strength is not None and not (_number(strength) and 0 <= strength <= 1):
        raise PersonInputError(f"{PREFIX}.goal_strength = {strength!r}: must be from 0 to 1")
    detect = (person.get("face") or {}).get("detect", True)
    if not isinstance(detect, bool):
        raise PersonInputError(
            f"{PREFIX}.face.detect = {detect!r} (kedro run --params face_detection=...): must "
            "be true or false"
        )
    scale = person.get("scale")
    if scale is not None and not (isinstance(scale, list | tuple) and len(scale) == 2
                                  and all(map(_number, scale)) and scale[0] < scale[1]):
        raise PersonInputError(
            f"{PREFIX}.scale = {scale!r}: must be null (the set's scale) or [min, max], min < max"
        )
