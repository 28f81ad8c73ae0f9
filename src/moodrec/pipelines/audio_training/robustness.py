"""Nodes that measure the voice model where the product meets it: other recording
conditions, and a person's own calibration. Both on the fixed split's held-out speakers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio import conditions
from moodrec.audio import voice_model as vm
from moodrec.audio.extraction import NotSpeechError, variant_rng
from moodrec.audio.voice_reader import VoiceModel, VoiceProfile
from moodrec.core.emotions import EMOTIONS, labels_to_indices

logger = logging.getLogger(__name__)


def _read_clip(load: Callable[..., np.ndarray], clip_id: str, model: VoiceModel,
               suite: list[dict[str, Any]], seed: int) -> list[np.ndarray | None]:
    """The model's probabilities for one clip under every condition (None: refused)."""
    signal = load(sr=model.sample_rate)
    out: list[np.ndarray | None] = []
    for number, condition in enumerate(suite):
        settings = {k: v for k, v in condition.items() if k != "name"}
        recorded = conditions.apply(signal, model.sample_rate, settings,
                                    variant_rng(clip_id, 1000 + number, seed))
        try:
            out.append(model.read(recorded))
        except NotSpeechError:
            out.append(None)
    return out


def evaluate_robustness(clips: Mapping[str, Callable[..., np.ndarray]],
                        clip_index: pd.DataFrame, model: VoiceModel,
                        params: Mapping[str, Any]) -> pd.DataFrame:
    """Accuracy and the share of predictions per class of the fixed-split model on its test
    speakers' clips under each recording condition (``evaluation.robustness``); clips the
    speech check refuses are counted apart (``refused``), never scored as right."""
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    suite = list(params["evaluation"]["robustness"])
    test = clip_index[clip_index.kept & clip_index.speaker.isin(
        params["evaluation"]["fixed_split"]["test_speakers"])]
    jobs = (delayed(_read_clip)(clips[f], c, model, suite, int(params["seed"]))
            for f, c in zip(test.file, test.clip_id, strict=True))
    results = list(tqdm(Parallel(n_jobs=int(params["features"]["n_jobs"]),
                                 return_as="generator")(jobs),
                        total=len(test), desc="robustness suite", unit="clip"))
    truth = labels_to_indices(test.label, where="audio_clip_index.label")
    rows = []
    for number, condition in enumerate(suite):
        answered = [(p, t) for p, t in zip((r[number] for r in results), truth, strict=True)
                    if p is not None]
        predicted = np.array([p.argmax() for p, _ in answered], int)
        right = np.array([t for _, t in answered], int)
        shares = np.bincount(predicted, minlength=len(EMOTIONS)) / max(len(predicted), 1)
        rows.append({"condition": condition["name"], "clips": len(test),
                     "refused": len(test) - len(answered),
                     "accuracy": float(np.mean(predicted == right)) if len(answered) else 0.0,
                     "top_share": float(shares.max()),
                     **{f"share_{e}": float(s) for e, s in zip(EMOTIONS, shares, strict=True)}})
        logger.info("robustness %-20s accuracy %.3f, largest class share %.2f, refused %d",
                    condition["name"], rows[-1]["accuracy"], rows[-1]["top_share"],
                    rows[-1]["refused"])
    return pd.DataFrame(rows)


def evaluate_calibration(features: pd.DataFrame, model: VoiceModel,
                         params: Mapping[str, Any]) -> dict[str, Any]:
    """Calibration to a person's voice, measured on the fixed split's test speakers: each is
    calibrated with their neutral clips of one sentence (RAVDESS: two clips, the profile
    ``moodrec calibrate`` would make of them); every other original clip of theirs is read
    without and with that profile, through :meth:`VoiceModel.read_features` as the person
    path does."""
    speakers = params["evaluation"]["fixed_split"]["test_speakers"]
    test = features[features["speaker"].isin(speakers) & features["variant"].eq(vm.ORIGINAL)]
    right = {"without": 0, "with": 0}
    for _, own in test.groupby("speaker"):
        x = own[model.feature_names].to_numpy(float)
        calm = vm.reference_rows(own, params["neutral_label"])
        profile = VoiceProfile(model.settings["feature_set"], list(model.feature_names),
                               vm.reference_mean(x, calm).tolist(), 0.0)
        y = labels_to_indices(own["label"][~calm], where="audio_features.label")
        for key, used in (("without", None), ("with", profile)):
            right[key] += int(np.sum(model.read_features(x[~calm], used).argmax(axis=1) == y))
    scored = int((~vm.reference_rows(test, params["neutral_label"])).sum())
    return {"protocol": "fixed-split test speakers; calibration = their neutral clips of one "
                        "sentence; scored = their other original clips",
            "clips_scored": scored,
            "accuracy_without_calibration": right["without"] / scored,
            "accuracy_with_calibration": right["with"] / scored}
