"""Stand-in voice models for the person tests: the real VoiceModel (speech checks, level,
features) around a classifier that gives a fixed answer, so a test knows which emotion wins."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from moodrec.audio.feature_sets import extract
from moodrec.audio.voice_reader import VoiceModel
from moodrec.core.emotions import EMOTIONS
from tests.audio.synthetic import speech_like

ROOT = Path(__file__).resolve().parents[2]


def constant_classifier(probabilities: list[float], width: int) -> LogisticRegression:
    """A real scikit-learn classifier (so it exports to ONNX like the shipped one) whose
    ``predict_proba`` is ``probabilities`` for every row: no weights, the softmax of its
    intercepts alone."""
    classifier = LogisticRegression()
    classifier.classes_ = np.arange(len(EMOTIONS))
    classifier.coef_ = np.zeros((len(EMOTIONS), width))
    classifier.intercept_ = np.log(np.asarray(probabilities, float))
    return classifier


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
    return VoiceModel(constant_classifier(probabilities, len(names)),
                      constant_classifier(relative or probabilities, len(names)), settings,
                      names, 1.0)


def save_voice_model(path: Path, probabilities: list[float],
                     relative: list[float] | None = None) -> Path:
    """The stand-in as the catalog's ``audio_model_onnx`` reads it (``.onnx``) or pickled."""
    model = voice_model(probabilities, relative)
    if path.suffix == ".onnx":
        from moodrec.inference.export import voice_to_onnx

        path.write_bytes(voice_to_onnx(model))
    else:
        joblib.dump(model, path)
    return path
