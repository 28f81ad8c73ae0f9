"""Stand-in voice models for the person tests: the real VoiceModel (speech checks, level,
features) around a classifier that gives a fixed answer, so a test knows which emotion wins."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import yaml

from moodrec.audio.feature_sets import extract
from moodrec.audio.voice_reader import VoiceModel
from moodrec.core.emotions import EMOTIONS
from tests.audio.synthetic import speech_like

ROOT = Path(__file__).resolve().parents[2]


class ConstantClassifier:
    """``predict_proba`` gives ``probabilities`` for every row."""

    def __init__(self, probabilities: list[float]) -> None:
        self.probabilities = np.asarray(probabilities, float)
        self.classes_ = np.arange(len(EMOTIONS))

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return np.repeat(self.probabilities[None, :], len(x), axis=0)


def softmax_of(emotion: str | None, strength: float) -> list[float]:
    """Probabilities where ``emotion`` wins by ``strength`` in logits (None: uniform)."""
    logits = np.array([strength if name == emotion else 0.0 for name in EMOTIONS])
    return (np.exp(logits) / np.exp(logits).sum()).tolist()


def voice_model(probabilities: list[float], relative: list[float] | None = None) -> VoiceModel:
    """A VoiceModel with the project's feature settings (``mfcc_stats``: quick) and fixed
    answers; ``relative`` is what it says for a calibrated person."""
    features = yaml.safe_load((ROOT / "conf/base/parameters_audio_training.yml").read_text())[
        "audio_training"]["features"]
    settings = {"sample_rate": 16000, "target_dbfs": features["target_dbfs"],
                "speech_checks": features["speech_checks"], "feature_set": "mfcc_stats"}
    _, names = extract(speech_like(), 16000, "mfcc_stats")
    return VoiceModel(ConstantClassifier(probabilities),
                      ConstantClassifier(relative or probabilities), settings, names, 1.0)


def save_voice_model(path: Path, probabilities: list[float],
                     relative: list[float] | None = None) -> Path:
    joblib.dump(voice_model(probabilities, relative), path)
    return path
