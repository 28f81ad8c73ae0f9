"""One person's answer: senses -> fused point -> goal's target -> ranked, explained excerpts.

The ranking (the core's :func:`rank_excerpts`, re-ranked by the person's like and skip in
:mod:`moodrec.core.feedback`) and the (valence, arousal) point of a probability vector
(``va_mapping``'s rule) are passed in by the pipeline node, so this module holds no second
implementation of either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.emotions import probability_dict
from moodrec.core.fusion import SenseReading, fuse
from moodrec.core.goals import check_goal, target_point
from moodrec.core.reasons import excerpt_reason, mood_words
from moodrec.person.errors import PersonInputError, PersonUsageError
from moodrec.person.senses import SenseOutcome

#: target point (2,) -> the chosen catalogue rows, best first, with ``similarity`` and
#: ``because`` (why the person's feedback put the item there, or None).
Chooser = Callable[[np.ndarray], pd.DataFrame]


def check_top_k(k: object, catalogue_size: int) -> int:
    """``k`` as an int in [1, catalogue size]; :class:`PersonUsageError` otherwise."""
    if isinstance(k, bool) or not isinstance(k, int | np.integer | str):
        raise PersonUsageError(f"top k must be a whole number; got {k!r}")
    try:
        value = int(k)
    except ValueError:
        raise PersonUsageError(f"top k must be a whole number; got {k!r}") from None
    if not 1 <= value <= catalogue_size:
        raise PersonUsageError(
            f"top k must be from 1 to the catalogue's {catalogue_size} excerpts; got {value}"
        )
    return value


def check_request(goal: object, k: object, catalogue_size: int) -> tuple[str, int]:
    """Validate the request's goal and ``k`` before any file or model is touched."""
    try:
        goal = check_goal(goal)
    except ValueError as err:
        raise PersonUsageError(str(err)) from None
    return goal, check_top_k(k, catalogue_size)


def _round(values: Sequence[float], digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in values]


def build_answer(
    face: SenseOutcome,
    voice: SenseOutcome,
    *,
    goal: str,
    k: int,
    to_point: Callable[[np.ndarray], np.ndarray],
    choose: Chooser,
    mode: str,
    scale: tuple[float, float],
    strength: float,
    reliability: Mapping[str, float],
    describe: Callable[[pd.Series], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole answer as plain JSON-ready data (see ``docs/person.md`` for the fields).

    Args:
        face, voice: the senses' outcomes (either may be not requested or unusable).
        to_point: probabilities (6,) -> (valence, arousal): the va_mapping rule.
        choose: the target point -> the k items offered (catalogue rows with ``item``,
            ``title``, ``valence``, ``arousal`` (the answer calls it energy), ``similarity``,
            ``because``): the core ranking re-ranked by the person's feedback.
        mode: the similarity mode ``choose`` ranks with (shown in the answer).
        describe: item row -> the fields shown for it (artist, album, track, time range ...).

    Raises:
        PersonInputError: no sense is usable (every problem is listed).
    """
    outcomes = [o for o in (face, voice) if o.requested]
    usable = [o for o in outcomes if o.usable]
    problems = [p for o in outcomes for p in o.problems]
    warnings = [w for o in outcomes for w in o.warnings]
    if not usable:  # (no input at all is refused before any file is read)
        raise PersonInputError("no usable input: nothing to recommend from", problems)
    for o in outcomes:
        if not o.usable:
            other = "voice" if o.sense == "face" else "face"
            warnings.append(f"the {o.sense} could not be used; recommending from the {other} alone")
        elif o.problems:
            warnings.append(f"the {o.sense} reading uses only the inputs that could be read")

    readings = [
        SenseReading(o.sense, o.probabilities, np.asarray(to_point(o.probabilities), float),
                     o.confidence)
        for o in usable
    ]
    fusion = fuse(readings, dict(reliability))
    target = target_point(fusion.point, goal, scale=scale, strength=strength)
    chosen = choose(target.point)

    senses: dict[str, Any] = {}
    for o in outcomes:
        reading = next((r for r in readings if r.sense == o.sense), None)
        senses[o.sense] = {
            "used": reading is not None,
            "emotion": reading.emotion if reading else None,
            "probabilities": probability_dict(o.probabilities) if reading else None,
            "confidence": round(reading.confidence, 4) if reading else None,
            "point": _round(reading.point) if reading else None,
            "weight": round(fusion.weights[o.sense], 4) if reading else 0.0,
            "adapted_to": o.adapted_to,  # earlier readings of the person that adapted it
            "inputs": o.inputs,
            "problems": o.problems,
        }
    excerpts = []
    for rank_no, (_, row) in enumerate(chosen.iterrows(), start=1):
        valence, energy = float(row["valence"]), float(row["arousal"])
        reason = excerpt_reason(goal, fusion.point, target.point, (valence, energy), scale=scale)
        excerpts.append({
            "rank": rank_no,
            "item": str(row["item"]),  # the id the history keys offers on
            "title": str(row["title"]),
            **(describe(row) if describe else {}),
            "valence": round(valence, 2),
            "energy": round(energy, 2),
            "similarity": round(float(row["similarity"]), 6),
            "reason": reason if row["because"] is None else f"{row['because']}; {reason}",
        })
    return {
        "senses": senses,
        "fused": {
            "emotion": fusion.emotion,
            "probabilities": probability_dict(fusion.probabilities),
            "point": _round(fusion.point),
            "mood": mood_words(fusion.point, scale=scale),
            "rule": "confidence-weighted mean of the senses' (valence, arousal) points; "
                    "confidence = 1 - entropy/ln 6",
        },
        "goal": goal,
        "target": {
            "point": _round(target.point),
            "moved": _round(target.moved),
            "description": target.description,
        },
        "similarity": mode,
        "k": k,
        "excerpts": excerpts,
        "warnings": warnings,
    }


def _adapted_note(earlier: int) -> str:
    return f"; adapted to {earlier} earlier reading{'s' * (earlier != 1)}" if earlier else ""


def top_shares(probabilities: Mapping[str, float], count: int = 3) -> str:
    """``"neutral 64%, happiness 26%, sadness 3%"``: the most probable emotions, in order."""
    top = sorted(probabilities.items(), key=lambda kv: -kv[1])[:count]
    return ", ".join(f"{name} {p:.0%}" for name, p in top)


def render_text(answer: Mapping[str, Any]) -> str:
    """The answer as a few readable lines for a person."""
    lines = []
    for sense, info in answer["senses"].items():
        if not info["used"]:
            why = "; ".join(info["problems"]) or "unusable"
            lines.append(f"{sense.capitalize()}: not used ({why})")
            continue
        lines.append(
            f"{sense.capitalize()}: {info['emotion']} ({top_shares(info['probabilities'])}); "
            f"confidence {info['confidence']:.2f}, "
            f"weight {info['weight']:.2f}, point valence {info['point'][0]:.2f}, "
            f"arousal {info['point'][1]:.2f}{_adapted_note(info['adapted_to'])}"
        )
    fused = answer["fused"]
    lines.append(
        f"Your mood: {fused['mood']} ({fused['emotion']}), valence {fused['point'][0]:.2f}, "
        f"arousal {fused['point'][1]:.2f}"
    )
    lines.append(f"Goal: {answer['target']['description']}")
    lines.append(f"Top {answer['k']} ({answer['similarity']} similarity):")
    for e in answer["excerpts"]:
        lines.append(f"  {e['rank']}. {e['title']} (similarity {e['similarity']:.3f}): "
                     f"{e['reason']}")
    for w in answer.get("warnings", []):
        lines.append(f"Warning: {w}")
    return "\n".join(lines)
