"""RAVDESS file names: ``MM-VV-EE-II-SS-RR-AA.wav|.flac`` parsed into named fields.

Fields (Livingstone & Russo 2018): modality (01 audio-video, 02 video-only, 03 audio-only),
vocal channel (01 speech, 02 song), emotion (codes in :data:`moodrec.core.emotions.RAVDESS_CODES`),
intensity (01 normal, 02 strong), statement (01 "Kids are talking by the door",
02 "Dogs are sitting by the door"), repetition (01, 02), actor (01-24; odd male, even female).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import PurePath

from moodrec.core.emotions import RAVDESS_CODES

_NAME = re.compile(r"^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$")
_ALLOWED = {
    "modality": {"01": "audio-video", "02": "video-only", "03": "audio-only"},
    "vocal_channel": {"01": "speech", "02": "song"},
    "intensity": {"01": "normal", "02": "strong"},
    "statement": {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"},
    "repetition": {"01": "1", "02": "2"},
}


class RavdessNameError(ValueError):
    """A file name that is not RAVDESS-shaped; the message names the file and the field."""


@dataclass(frozen=True)
class RavdessClip:
    """The fields of one RAVDESS file name."""

    clip_id: str
    modality: str
    vocal_channel: str
    emotion: str  # canonical name, or a dropped class ("calm", "disgust")
    intensity: str
    statement: int
    repetition: int
    actor: int
    sex: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def parse_ravdess_name(name: str | PurePath) -> RavdessClip:
    """Parse a RAVDESS file name (a path or a bare name; the extension is ignored).

    Raises:
        RavdessNameError: the stem is not seven two-digit fields, or a field holds a code
            RAVDESS does not define (the message says which).
    """
    stem = PurePath(str(name)).name.split(".")[0]
    match = _NAME.match(stem)
    if match is None:
        raise RavdessNameError(
            f"{name}: not a RAVDESS file name; expected MM-VV-EE-II-SS-RR-AA "
            "(seven two-digit codes, e.g. 03-01-05-02-01-01-12.wav)"
        )
    modality, channel, emotion, intensity, statement, repetition, actor = match.groups()
    fields = {
        "modality": modality,
        "vocal_channel": channel,
        "intensity": intensity,
        "statement": statement,
        "repetition": repetition,
    }
    for field, code in fields.items():
        if code not in _ALLOWED[field]:
            raise RavdessNameError(
                f"{name}: {field} code {code!r} is not one of {sorted(_ALLOWED[field])}"
            )
    if emotion not in RAVDESS_CODES:
        raise RavdessNameError(
            f"{name}: emotion code {emotion!r} is not one of {sorted(RAVDESS_CODES)}"
        )
    actor_number = int(actor)
    if not 1 <= actor_number <= 24:
        raise RavdessNameError(f"{name}: actor {actor!r} is not in 01-24")
    return RavdessClip(
        clip_id=stem,
        modality=_ALLOWED["modality"][modality],
        vocal_channel=_ALLOWED["vocal_channel"][channel],
        emotion=RAVDESS_CODES[emotion],
        intensity=_ALLOWED["intensity"][intensity],
        statement=int(statement),
        repetition=int(repetition),
        actor=actor_number,
        sex="male" if actor_number % 2 else "female",
    )
