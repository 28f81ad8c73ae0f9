"""The shipped voice model: a classifier plus everything needed to read a new signal the way
training did. Evaluation, the robustness suite and the person path all call :meth:`read`.

A person may calibrate once with their ordinary, calm speech (:meth:`profile`); their clips
are then read by a second classifier, trained on features relative to each actor's own
neutral speech.

:class:`VoiceReader` holds the reading (speech check, features, profile, tempering); its
subclasses only say how a features table becomes class probabilities: :class:`VoiceModel`
with the scikit-learn classifiers training fitted (the ``.pkl``),
:class:`moodrec.inference.voice.OnnxVoiceModel` with their ONNX export (no scikit-learn).
Nothing here imports scikit-learn or pandas, so the light path does not pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from moodrec.audio.extraction import check_speech, voice_features
from moodrec.audio.level import Activity
from moodrec.audio.tempering import tempered


@dataclass
class VoiceProfile:
    """A person's ordinary voice: the mean features of their calm speech."""

    feature_set: str
    feature_names: list[str]
    mean: list[float]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"feature_set": self.feature_set, "feature_names": self.feature_names,
                "mean": self.mean, "seconds": self.seconds}


class VoiceReader:
    """Reads a voice the way training did. Subclasses set ``settings`` (sample_rate,
    target_dbfs, feature_set, speech_checks), ``feature_names`` and ``temperature`` and
    implement :meth:`classify`."""

    settings: dict[str, Any]
    feature_names: list[str]
    temperature: float

    def classify(self, x: np.ndarray, relative: bool) -> np.ndarray:
        """Six untempered probabilities per row of features, in EMOTIONS order, from the
        plain classifier or (``relative``) the speaker-relative one."""
        raise NotImplementedError

    @property
    def sample_rate(self) -> int:
        return int(self.settings["sample_rate"])

    def check(self, signal: np.ndarray) -> Activity:
        """The speech check of training (raises NotSpeechError); the measured figures."""
        return check_speech(signal, self.sample_rate, self.settings["speech_checks"])

    def features(self, signal: np.ndarray) -> np.ndarray:
        """Checked speech -> the model's features (raises NotSpeechError)."""
        self.check(signal)
        values, names = voice_features(signal, self.sample_rate, self.settings)
        chosen = [names.index(n) for n in self.feature_names]
        return values[chosen]

    def read_features(self, x: np.ndarray, profile: VoiceProfile | None = None) -> np.ndarray:
        """Six tempered probabilities per row of features (n x features); with a profile,
        relative to the person's calm voice."""
        if profile is None:
            return tempered(self.classify(x, relative=False), self.temperature)
        self.check_profile(profile)
        relative = x - np.asarray(profile.mean)[None, :]
        return tempered(self.classify(relative, relative=True), self.temperature)

    def read(self, signal: np.ndarray, profile: VoiceProfile | None = None) -> np.ndarray:
        """Six calibrated probabilities for one signal at :attr:`sample_rate`."""
        return self.read_features(self.features(signal)[None, :], profile)[0]

    def profile(self, signals: list[np.ndarray]) -> VoiceProfile:
        """A person's profile from one or more clips of their calm speech."""
        rows = np.vstack([self.features(s) for s in signals])
        return VoiceProfile(self.settings["feature_set"], list(self.feature_names),
                            rows.mean(axis=0).tolist(),
                            round(sum(s.size for s in signals) / self.sample_rate, 2))

    def check_profile(self, profile: VoiceProfile) -> None:
        if list(profile.feature_names) != list(self.feature_names):
            raise ValueError(
                f"the voice profile was made for features {profile.feature_set!r} "
                f"({len(profile.feature_names)}), the voice model reads "
                f"{self.settings['feature_set']!r} ({len(self.feature_names)}): calibrate again")


@dataclass
class VoiceModel(VoiceReader):
    """Classifiers (plain and speaker-relative), the feature settings, the temperature."""

    classifier: Any
    relative_classifier: Any
    settings: dict[str, Any]  # sample_rate, target_dbfs, feature_set, speech_checks
    feature_names: list[str]
    temperature: float

    def classify(self, x: np.ndarray, relative: bool) -> np.ndarray:
        from moodrec.audio.voice_model import probabilities

        return probabilities(self.relative_classifier if relative else self.classifier, x)
