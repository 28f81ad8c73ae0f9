"""Voice-corpus file names parsed into their fields (the extension is ignored: ``.wav``,
``.flac``); emotion codes come from :mod:`moodrec.core.emotions`.

* RAVDESS ``MM-VV-EE-II-SS-RR-AA`` (:func:`parse_ravdess_name`, every field);
* EmoDB ``SSTTTEV`` (speaker, text, emotion letter, version);
* EMOVO ``EEE-SS-TT`` (emotion, speaker, sentence);
* URDU ``SGX_FYY_EZZ`` (speaker ``GX``, file number, emotion letter and its number).

:func:`parse_clip_name` reads any of them into one :class:`CorpusClip` (corpus, clip id,
speaker, emotion, sentence), what ``audio_training`` indexes.

RAVDESS fields (Livingstone & Russo 2018): modality (01 audio-video, 02 video-only, 03 audio-only),
vocal channel (01 speech, 02 song), emotion (codes in :data:`moodrec.core.emotions.RAVDESS_CODES`),
intensity (01 normal, 02 strong), statement (01 "Kids are talking by the door",
02 "Dogs are sitting by the door"), repetition (01, 02), actor (01-24; odd male, even female).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from moodrec.core.emotions import EMODB_CODES, EMOVO_CODES, RAVDESS_CODES, URDU_CODES

_NAME = re.compile(r"^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$")
_ALLOWED = {
    "modality": {"01": "audio-video", "02": "video-only", "03": "audio-only"},
    "vocal_channel": {"01": "speech", "02": "song"},
    "intensity": {"01": "normal", "02": "strong"},
    "statement": {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"},
    "repetition": {"01": "1", "02": "2"},
}


class ClipNameError(ValueError):
    """A file name that is not shaped as its corpus names clips; the message names the file
    and the field."""


class RavdessNameError(ClipNameError):
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


@dataclass(frozen=True)
class CorpusClip:
    """One clip of any voice corpus: ``speaker`` is ``<corpus>:<code>`` (unique across
    corpora); ``emotion`` a canonical name or an extra class (``boredom``, ``calm`` ...)."""

    corpus: str
    clip_id: str
    speaker: str
    emotion: str
    sentence: str
    vocal_channel: str = "speech"


_EMODB = re.compile(r"^(\d{2})([ab]\d{2})([A-Z])([a-z])$")
_EMOVO = re.compile(r"^([a-z]{3})-([fm]\d)-([a-z]\d)$")
_URDU = re.compile(r"^S([MF]\d+)_F\d+_([A-Z])\d+$")


def _coded(name: object, corpus: str, shape: str, example: str, pattern: re.Pattern,
           codes: dict[str, str], emotion_group: int) -> tuple[str, tuple[str, ...], str]:
    stem = PurePath(str(name)).name.split(".")[0]
    match = pattern.match(stem)
    if match is None:
        raise ClipNameError(f"{name}: not a {corpus} file name; expected {shape} (e.g. {example})")
    code = match.group(emotion_group)
    if code not in codes:
        raise ClipNameError(f"{name}: {corpus} emotion code {code!r} is not one of "
                            f"{sorted(codes)}")
    return stem, match.groups(), codes[code]


def parse_clip_name(corpus: str, name: str | PurePath) -> CorpusClip:
    """The clip a file of ``corpus`` (``ravdess``, ``emodb``, ``emovo``, ``urdu``) names.

    Raises:
        ClipNameError: an unknown corpus, or a name its corpus does not define (the message
            names the file and the field).
    """
    if corpus == "ravdess":
        clip = parse_ravdess_name(name)
        return CorpusClip(corpus, clip.clip_id, f"ravdess:{clip.actor:02d}", clip.emotion,
                          str(clip.statement), clip.vocal_channel)
    if corpus == "emodb":
        stem, groups, emotion = _coded(name, corpus, "SSTTTEV", "03a01Wa.wav", _EMODB,
                                       EMODB_CODES, 3)
        return CorpusClip(corpus, stem, f"emodb:{groups[0]}", emotion, groups[1])
    if corpus == "emovo":
        stem, groups, emotion = _coded(name, corpus, "EEE-SS-TT", "rab-f1-b1.wav", _EMOVO,
                                       EMOVO_CODES, 1)
        return CorpusClip(corpus, stem, f"emovo:{groups[1]}", emotion, groups[2])
    if corpus == "urdu":
        stem, groups, emotion = _coded(name, corpus, "SGX_FYY_EZZ", "SM1_F10_A010.wav", _URDU,
                                       URDU_CODES, 2)
        return CorpusClip(corpus, stem, f"urdu:{groups[0]}", emotion, "unscripted")
    raise ClipNameError(f"{name}: unknown voice corpus {corpus!r}; expected one of "
                        "ravdess, emodb, emovo, urdu")
