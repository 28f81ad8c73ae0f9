"""The ``person`` pipeline's parameters (``person`` in ``conf/base/parameters_person.yml``),
checked once, before anything is read.

The values live only in conf: every setting must be there (a missing one is named, not
replaced by a default in code), and a misspelt one (``min_neighbours``, ``sense_weights:
{vocie: 0}``) is refused instead of ignored. Each error names the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from moodrec.core.adaptation import SETTINGS as ADAPTATION
from moodrec.person.errors import PersonInputError

PREFIX = "parameters person"
#: The settings of ``person`` itself, of ``person.face`` and of ``person.voice`` (what the
#: code reads; all required).
FACE: tuple[str, ...] = ("detect", "margin", "detect_max_side", "scale_factor", "min_neighbors",
                         "min_face_fraction", "contrast", "contrast_mean", "contrast_std",
                         "max_megabytes", "max_pixels")
VOICE: tuple[str, ...] = ("window_seconds", "hop_seconds", "pause_db", "max_seconds")
TOP_LEVEL: tuple[str, ...] = ("goal", "top_k", "similarity", "goal_strength", "sense_weights",
                              "scale", "adapt", "adaptation", "history", "face", "voice")
SENSES: tuple[str, ...] = ("face", "voice")


def settings_problem(settings: Any, known: tuple[str, ...], where: str,
                     source: str) -> str | None:
    """Why ``settings`` (the parameters ``where``, kept in the conf file ``source``) is not a
    mapping of exactly the ``known`` keys: one misspelt or missing, or ``None``."""
    if not isinstance(settings, Mapping):
        return f"{where} = {settings!r}: must be a mapping of settings ({source} has them all)"
    unknown = sorted(str(k) for k in settings if k not in known)
    if unknown:
        return f"{where}: unknown setting(s) {unknown}; known: {', '.join(map(str, known))}"
    missing = [k for k in known if k not in settings]
    if missing:
        return f"{where}: missing setting(s) {missing} ({source} has them all)"
    return None


def _known(settings: Any, known: tuple[str, ...], where: str) -> None:
    problem = settings_problem(settings, known, where, "conf/base/parameters_person.yml")
    if problem:
        raise PersonInputError(problem)


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def check_adaptation_settings(adaptation: Any) -> None:
    """``person.adaptation``: per sense exactly the keys of core.adaptation; top_class_weight
    >= 0, prior_readings > 0, max_shift >= 0, log_floor < 0."""
    _known(adaptation, SENSES, f"{PREFIX}.adaptation")
    for sense, block in adaptation.items():
        where = f"{PREFIX}.adaptation.{sense}"
        _known(block, ADAPTATION, where)
        fits = {"top_class_weight": lambda v: v >= 0, "prior_readings": lambda v: v > 0,
                "max_shift": lambda v: v >= 0, "log_floor": lambda v: v < 0}
        bad = {k: v for k, v in block.items() if not (_number(v) and fits[k](v))}
        if bad:
            raise PersonInputError(f"{where}: {bad}: top_class_weight must be >= 0, "
                                   "prior_readings > 0, max_shift >= 0, log_floor < 0")


def check_person_settings(person: Mapping[str, Any]) -> None:
    """Every key known and present; ``goal_strength`` in [0, 1]; ``sense_weights`` >= 0 per sense;
    ``face.detect`` true or false (not ``maybe``, which would count as true); ``scale`` null
    or ``[min, max]`` with min < max.

    Raises:
        PersonInputError: naming the parameter, its value and what is expected.
    """
    _known(person, TOP_LEVEL, PREFIX)
    _known(person["face"], FACE, f"{PREFIX}.face")
    _known(person["voice"], VOICE, f"{PREFIX}.voice")
    weights = person["sense_weights"]
    _known(weights, SENSES, f"{PREFIX}.sense_weights")
    bad = {s: w for s, w in weights.items() if not (_number(w) and w >= 0)}
    if bad:
        raise PersonInputError(f"{PREFIX}.sense_weights: {bad} must be numbers >= 0")
    check_adaptation_settings(person["adaptation"])
    bounds = {f"{sense}.{name}": person[sense][name] for sense, name in (
        ("face", "max_megabytes"), ("face", "max_pixels"), ("voice", "max_seconds"))}
    bad = {name: value for name, value in bounds.items() if not (_number(value) and value > 0)}
    if bad:
        raise PersonInputError(f"{PREFIX}: {bad} must be numbers > 0")
    strength = person["goal_strength"]
    if not (_number(strength) and 0 <= strength <= 1):
        raise PersonInputError(f"{PREFIX}.goal_strength = {strength!r}: must be from 0 to 1")
    if not isinstance(person["adapt"], bool):
        raise PersonInputError(f"{PREFIX}.adapt = {person['adapt']!r}: must be true or false")
    detect = person["face"]["detect"]
    if not isinstance(detect, bool):
        raise PersonInputError(
            f"{PREFIX}.face.detect = {detect!r} (kedro run --params face_detection=...): must "
            "be true or false"
        )
    scale = person["scale"]
    if scale is not None and not (isinstance(scale, list | tuple) and len(scale) == 2
                                  and all(map(_number, scale)) and scale[0] < scale[1]):
        raise PersonInputError(
            f"{PREFIX}.scale = {scale!r}: must be null (the set's scale) or [min, max], min < max"
        )
