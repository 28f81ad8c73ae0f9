"""The voice classifier: scikit-learn pipelines over a features table, scored by speaker.

No Kedro and no I/O. A features table has one row per clip and recording variant: ``clip_id``,
``corpus``, ``speaker`` (``<corpus>:<code>``, unique across corpora), ``variant``
(``original`` or an augmentation), ``label``, ``sentence`` and feature columns named
``<set>.<feature>`` (:mod:`moodrec.audio.feature_sets`). Only original clips are ever scored;
augmented copies only ever train. Folds are lists of speakers: grouped cross-validation cuts
each corpus's speakers into groups (:func:`speaker_folds`), leave-one-corpus-out holds out
one corpus's speakers (:func:`corpus_folds`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio.tempering import tempered
from moodrec.core.emotions import EMOTIONS, labels_to_indices

ID_COLUMNS = ["file", "clip_id", "corpus", "speaker", "variant", "label", "sentence"]
ORIGINAL = "original"


def feature_columns(table: pd.DataFrame, feature_set: str) -> list[str]:
    """The table's columns that belong to ``feature_set`` (``egemaps+mfcc_stats``)."""
    parts = feature_set.split("+")
    columns = [c for c in table.columns if c.split(".", 1)[0] in parts and "." in c]
    missing = [p for p in parts if not any(c.startswith(f"{p}.") for c in columns)]
    if missing:
        present = sorted({c.split(".", 1)[0] for c in table.columns if "." in c})
        raise ValueError(f"the features table has no {', '.join(missing)} columns; it has "
                         f"{', '.join(present)} (features.feature_set in "
                         f"parameters_audio_training.yml)")
    return columns


def speaker_folds(speakers: Sequence[str], n_folds: int) -> list[list[str]]:
    """Each corpus's speakers (in sorted order) cut into ``n_folds`` groups of consecutive
    ones; fold k joins every corpus's k-th group (RAVDESS alternates male and female actors,
    so each of its groups of four holds two of each)."""
    corpora: dict[str, list[str]] = {}
    for speaker in sorted(set(map(str, speakers))):
        corpora.setdefault(speaker.split(":", 1)[0], []).append(speaker)
    fewest = min(len(group) for group in corpora.values())
    if not 2 <= n_folds <= fewest:
        raise ValueError(f"evaluation.folds must be between 2 and the fewest speakers of a "
                         f"corpus ({fewest}); got {n_folds}")
    return [sorted(s for group in corpora.values()
                   for s in np.array_split(np.array(group), n_folds)[k].tolist())
            for k in range(n_folds)]


def corpus_folds(table: pd.DataFrame) -> list[list[str]]:
    """Leave-one-corpus-out: one fold per corpus (in sorted order), holding its speakers."""
    return [sorted(map(str, group.unique())) for _, group in table.groupby("corpus")["speaker"]]


def reference_rows(table: pd.DataFrame, neutral: str) -> np.ndarray:
    """The rows that stand for each speaker's ordinary voice: their original neutral clips
    of one sentence, the first of theirs in sorted order (RAVDESS: statement 1, two clips;
    what a person's calibration records)."""
    calm = ((table["label"] == neutral) & (table["variant"] == ORIGINAL)).to_numpy()
    sentence = table["sentence"].astype(str)
    first = sentence[calm].groupby(table["speaker"][calm]).min()
    return calm & (sentence == table["speaker"].map(first)).to_numpy()


def reference_mean(x: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The mean of one speaker's ``reference`` rows (all their rows when they have none)."""
    return (x[reference] if reference.any() else x).mean(axis=0)


def speaker_relative(x: np.ndarray, speakers: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Features minus the mean of each speaker's ``reference`` rows (their calm, neutral
    speech): what is left is how a clip differs from that speaker's ordinary voice."""
    out = np.array(x, float)
    for speaker in np.unique(speakers):
        own = speakers == speaker
        out[own] -= reference_mean(x[own], reference[own])
    return out


def build_classifier(config: Mapping[str, Any], seed: int):
    """Standardisation + the configured family: ``logreg``, ``svm`` (RBF) or ``mlp``."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    family = config["family"]
    if family == "logreg":
        model = LogisticRegression(C=float(config["C"]), max_iter=2000)
    elif family == "svm":
        model = CalibratedClassifierCV(SVC(C=float(config["C"]), gamma=float(config["gamma"])),
                                       method="sigmoid", cv=3, ensemble=False)
    elif family == "mlp":
        model = MLPClassifier(hidden_layer_sizes=(int(config["hidden_units"]),),
                              alpha=float(config["alpha"]), max_iter=400, early_stopping=True,
                              random_state=seed)
    else:
        raise ValueError(f"unknown voice model family {family!r}; expected logreg, svm or mlp")
    return make_pipeline(StandardScaler(), model)


def design(table: pd.DataFrame, config: Mapping[str, Any], neutral: str
           ) -> tuple[np.ndarray, np.ndarray]:
    """The model's inputs and class indices for ``table`` under ``config`` (feature set;
    speaker-relative features when ``config["speaker_relative"]``, each speaker referenced to
    their neutral clips of one sentence)."""
    x = table[feature_columns(table, config["feature_set"])].to_numpy(float)
    if config.get("speaker_relative"):
        x = speaker_relative(x, table["speaker"].to_numpy(), reference_rows(table, neutral))
    return x, labels_to_indices(table["label"], where="audio_features.label")


def sample_weights(table: pd.DataFrame, y: np.ndarray, balance: str) -> np.ndarray | None:
    """Training weights: ``none``; ``class`` (every class weighs the same in total);
    ``corpus_class`` (every corpus and class pair present weighs the same)."""
    from sklearn.utils.class_weight import compute_sample_weight

    if balance == "none":
        return None
    if balance == "class":
        return compute_sample_weight("balanced", y)
    if balance == "corpus_class":
        return compute_sample_weight("balanced", table["corpus"].astype(str) + "/" + y.astype(str))
    raise ValueError(f"unknown balance {balance!r}; expected none, class or corpus_class")


def _fitted(table: pd.DataFrame, x: np.ndarray, y: np.ndarray, config: Mapping[str, Any],
            seed: int):
    model = build_classifier(config, seed)
    weights = sample_weights(table, y, config["balance"])
    extra = {} if weights is None else {f"{model.steps[-1][0]}__sample_weight": weights}
    return model.fit(x, y, **extra)


def fit(table: pd.DataFrame, config: Mapping[str, Any], seed: int, neutral: str):
    """The classifier fitted on every row of ``table`` (all variants), weighted by
    ``config["balance"]``."""
    x, y = design(table, config, neutral)
    return _fitted(table, x, y, config, seed)


def probabilities(model, x: np.ndarray) -> np.ndarray:
    """Six class probabilities per row, in :data:`EMOTIONS` order (classes absent from the
    training rows get 0)."""
    out = np.zeros((len(x), len(EMOTIONS)))
    out[:, model.classes_] = model.predict_proba(x)
    return out


def cross_validate(table: pd.DataFrame, config: Mapping[str, Any], folds: list[list[str]],
                   seed: int, neutral: str) -> pd.DataFrame:
    """Out-of-fold probabilities of every original clip: for each fold (a list of
    speakers), fit on every variant of the other speakers, predict the fold's original clips.
    One row per clip (``clip_id``, ``corpus``, ``speaker``, ``fold``, ``true`` and six
    probabilities)."""
    x, y = design(table, config, neutral)
    speakers = table["speaker"].astype(str).to_numpy()
    original = (table["variant"] == ORIGINAL).to_numpy()
    parts = []
    for number, fold in enumerate(folds):
        held_out = np.isin(speakers, fold)
        model = _fitted(table[~held_out], x[~held_out], y[~held_out], config, seed)
        scored = held_out & original
        frame = pd.DataFrame(probabilities(model, x[scored]), columns=list(EMOTIONS))
        frame.insert(0, "true", y[scored])
        frame.insert(0, "fold", number)
        for column in ("speaker", "corpus", "clip_id"):
            frame.insert(0, column, table[column].to_numpy()[scored])
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def scores_by(oof: pd.DataFrame, column: str) -> pd.DataFrame:
    """Accuracy, macro-F1 (over the classes the group holds) and the largest share of
    predictions per value of ``column`` (``fold``, ``corpus``) of an out-of-fold table."""
    from sklearn.metrics import f1_score

    rows = []
    for value, group in oof.groupby(column):
        predicted = group[list(EMOTIONS)].to_numpy().argmax(axis=1)
        truth = group["true"].to_numpy()
        shares = np.bincount(predicted, minlength=len(EMOTIONS)) / len(predicted)
        rows.append({column: value.item() if hasattr(value, "item") else value,
                     "clips": len(group), "speakers": int(group["speaker"].nunique()),
                     "accuracy": float(np.mean(predicted == truth)),
                     "macro_f1": float(f1_score(truth, predicted, average="macro",
                                                labels=np.unique(truth), zero_division=0)),
                     "largest_share": float(shares.max()),
                     "shares": {e: float(v) for e, v in zip(EMOTIONS, shares, strict=True)}})
    return pd.DataFrame(rows)


def fit_temperature(probabilities_: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that makes held-out probabilities honest (least log-loss of
    ``softmax(log p / T)``, searched over 0.25-8)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 121))
    losses = [float(-np.mean(np.log(tempered(probabilities_, t)[np.arange(len(truth)), truth]
                                    + 1e-12))) for t in grid]
    return float(grid[int(np.argmin(losses))])
