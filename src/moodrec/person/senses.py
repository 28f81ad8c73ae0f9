"""Each sense's reading: photos -> face probabilities, clips -> voice probabilities.

A sense that was asked for but cannot answer (no face, silent clip, unreadable file ...)
returns no probabilities and the list of its problems, so the caller can fall back to the
other sense and say so. A missing or unfit *model* is not the person's fault and is raised
(:class:`~moodrec.person.errors.ModelFileError`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from moodrec.core.emotions import EMOTIONS, probability_dict, top_emotion
from moodrec.core.faces import normalise_contrast, to_model_input
from moodrec.core.fusion import confidence
from moodrec.person.errors import UnusableInputError
from moodrec.person.face_detection import crop_face, detect_faces, to_model_size
from moodrec.person.images import decode_grey
from moodrec.person.voice import analysis_windows


@dataclass
class SenseOutcome:
    """A sense's answer: averaged probabilities (or ``None``), per-input details, problems."""

    sense: str
    requested: bool
    probabilities: np.ndarray | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: file -> the model's own probabilities, before adaptation (what a history keeps).
    raw: dict[str, np.ndarray] = field(default_factory=dict)
    adapted_to: int = 0  # how many earlier readings adapted this one

    @property
    def usable(self) -> bool:
        return self.probabilities is not None

    @property
    def confidence(self) -> float:
        return confidence(self.probabilities) if self.usable else 0.0

    def refuse(self, name: str, problem: str, entry: dict[str, Any] | None = None) -> None:
        """Input ``name`` cannot be used: its entry says why, and so do the problems."""
        self.problems.append(problem)
        self.inputs.append({**(entry or {"file": name}), "problem": problem})

    def note(self, notes: list[str]) -> dict[str, str]:
        """What was assumed in reading an input (a first frame, a cut clip): a warning of the
        answer, and the ``note`` of the input's entry."""
        self.warnings.extend(notes)
        return {"note": "; ".join(notes)} if notes else {}


def _predict(model: Any, x: np.ndarray, what: str) -> np.ndarray:
    """Class probabilities from a Keras model (called directly: faster than ``predict``)."""
    out = np.asarray(model(x, training=False), dtype=np.float64)
    if out.ndim != 2 or out.shape != (x.shape[0], len(EMOTIONS)) or not np.all(np.isfinite(out)):
        raise ValueError(f"{what} returned {out.shape} non-finite or mis-shaped probabilities")
    if np.any(out < -1e-6) or not np.allclose(out.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(f"{what} does not end in a softmax: rows sum to {out.sum(axis=1)}")
    return out


Adapter = Callable[[np.ndarray], np.ndarray]


def _adapted(outcome: SenseOutcome, names: list[str], read: np.ndarray, adapt: Adapter,
             earlier: int) -> np.ndarray:
    """``read`` (one row per file of ``names``) kept raw in ``outcome`` and returned adapted."""
    outcome.raw.update(zip(names, read, strict=True))
    outcome.adapted_to = earlier
    return np.array([adapt(p) for p in read])


def read_faces(
    photos: Mapping[str, Callable[[], bytes]], model: Any, settings: Mapping[str, Any],
    adapt: Adapter, earlier: int,
) -> SenseOutcome:
    """Largest face of each photo -> 48x48 grey -> face model -> adapted to the person's
    ``earlier`` readings by ``adapt``; photos averaged.

    ``settings``: the face settings (``person.face`` in conf/base/parameters_person.yml).
    """
    outcome = SenseOutcome("face", requested=bool(photos))
    crops, used = [], []
    for name, load in photos.items():
        try:
            grey, notes = decode_grey(load(max_megabytes=float(settings["max_megabytes"])),
                                      name=name, max_pixels=int(settings["max_pixels"]))
        except UnusableInputError as err:
            outcome.refuse(name, str(err))
            continue
        entry: dict[str, Any] = {"file": name, "size": [int(grey.shape[1]), int(grey.shape[0])],
                                 **outcome.note(notes)}
        if not settings["detect"]:
            entry.update(faces_found=None, box=None)
            crops.append(to_model_size(grey))
        else:
            boxes = detect_faces(
                grey, detect_max_side=int(settings["detect_max_side"]),
                scale_factor=float(settings["scale_factor"]),
                min_neighbors=int(settings["min_neighbors"]),
                min_face_fraction=float(settings["min_face_fraction"]),
            )
            entry["faces_found"] = len(boxes)
            if not boxes:
                outcome.refuse(name, f"photo {name}: no face found (frontal faces only; try a "
                               "larger, well-lit, front-facing photo, or --no-face-detection if "
                               "it is already a face crop)", entry)
                continue
            box = boxes[0]
            entry["box"] = [box.x, box.y, box.w, box.h]
            if len(boxes) > 1:
                outcome.warnings.append(
                    f"photo {name}: {len(boxes)} faces found; using the largest "
                    f"({box.w}x{box.h} px at x={box.x}, y={box.y})"
                )
            crops.append(crop_face(grey, box, margin=float(settings["margin"])))
        used.append(entry)
        outcome.inputs.append(entry)
    if not crops:
        return outcome
    faces = normalise_contrast(np.stack(crops), settings["contrast"],
                               float(settings["contrast_mean"]), float(settings["contrast_std"]))
    x = to_model_input(faces)  # (n, 48, 48, 1) float32, 0-255: as in training
    probabilities = _adapted(outcome, [e["file"] for e in used],
                             _predict(model, x, "face model (catalog face_model)"), adapt, earlier)
    for entry, p in zip(used, probabilities, strict=True):
        entry.update(emotion=top_emotion(p), probabilities=probability_dict(p))
    outcome.probabilities = probabilities.mean(axis=0)
    return outcome


def read_voice(
    clips: Mapping[str, Callable[..., np.ndarray]], voice_model: Any, settings: Mapping[str, Any],
    profile: Any, adapt: Adapter, earlier: int,
) -> SenseOutcome:
    """Sliding windows of each clip -> the voice model's own reading (speech check, level,
    features, tempered probabilities: :meth:`moodrec.audio.voice_reader.VoiceModel.read`, as
    in evaluation); windows without enough speech are left out; clips averaged. ``profile``
    (a :class:`~moodrec.audio.voice_reader.VoiceProfile`) reads the clips relative to the
    person's own calm voice; each clip's reading is adapted to the person's ``earlier``
    readings by ``adapt``. ``settings``: the voice settings (``person.voice``)."""
    from moodrec.audio.extraction import NotSpeechError

    outcome = SenseOutcome("voice", requested=bool(clips))
    if not clips:
        return outcome
    sr = voice_model.sample_rate
    clip_means = []
    for name, load in clips.items():
        try:
            signal, notes = load(sr=sr, max_seconds=float(settings["max_seconds"]))
            voice_model.check(signal)  # the whole clip must hold speech
        except UnusableInputError as err:
            outcome.refuse(name, str(err))
            continue
        except NotSpeechError as err:
            outcome.refuse(name, f"voice clip {name}: {err}")
            continue
        windows = analysis_windows(
            signal, sr, window_seconds=float(settings["window_seconds"]),
            hop_seconds=float(settings["hop_seconds"]), pause_db=float(settings["pause_db"]),
        )
        read, used = [], []
        for window in windows:
            with contextlib.suppress(NotSpeechError):  # a pause-heavy window does not vote
                read.append(voice_model.read(window.signal, profile))
                used.append(window)
        if not read:
            read, used = [voice_model.read(signal, profile)], [windows[0]]
        p = _adapted(outcome, [name], np.mean(read, axis=0)[None, :], adapt, earlier)[0]
        clip_means.append(p)
        outcome.inputs.append({
            "file": name, **outcome.note(notes), "seconds": round(signal.size / sr, 3),
            "windows": [[round(w.start, 2), round(w.end, 2)] for w in used],
            "calibrated": profile is not None,
            "emotion": top_emotion(p), "probabilities": probability_dict(p),
        })
    if clip_means:
        outcome.probabilities = np.mean(clip_means, axis=0)
    return outcome
