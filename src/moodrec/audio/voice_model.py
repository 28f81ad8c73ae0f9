"""The voice classifier: scikit-learn pipelines over a features table, scored by actor.

No Kedro and no I/O. A features table has one row per clip and recording variant: ``clip_id``,
``actor``, ``variant`` (``original`` or an augmentation), ``label`` and feature columns named
``<set>.<feature>`` (:mod:`moodrec.audio.feature_sets`). Only original clips are ever scored;
augmented copies only ever train.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio.tempering import tempered
from moodrec.core.emotions import EMOTIONS, labels_to_indices

ID_COLUMNS = ["clip_id", "actor", "variant", "label", "statement"]
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


def actor_folds(actors: Sequence[int], n_folds: int) -> list[list[int]]:
    """Actors cut into ``n_folds`` groups of consecutive numbers (RAVDESS alternates male and
    female, so each group of four holds two of each)."""
    ordered = sorted({int(a) for a in actors})
    if not 2 <= n_folds <= len(ordered):
        raise ValueError(f"folds must be between 2 and the number of actors ({len(ordered)}); "
                         f"got {n_folds}")
    return [list(map(int, group)) for group in np.array_split(ordered, n_folds)]


def reference_rows(table: pd.DataFrame, neutral: str) -> np.ndarray:
    """The rows that stand for each speaker's ordinary voice: their original neutral clips
    of statement 1 (what a person's calibration records)."""
    return ((table["label"] == neutral) & (table["statement"] == 1)
            & (table["variant"] == ORIGINAL)).to_numpy()


def reference_mean(x: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The mean of one speaker's ``reference`` rows (all their rows when they have none)."""
    return (x[reference] if reference.any() else x).mean(axis=0)


def speaker_relative(x: np.ndarray, actors: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Features minus the mean of each actor's ``reference`` rows (their calm, neutral
    speech): what is left is how a clip differs from that speaker's ordinary voice."""
    out = np.array(x, float)
    for actor in np.unique(actors):
        own = actors == actor
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
    speaker-relative features when ``config["speaker_relative"]``, each actor referenced to
    their neutral clips of statement 1)."""
    x = table[feature_columns(table, config["feature_set"])].to_numpy(float)
    if config.get("speaker_relative"):
        x = speaker_relative(x, table["actor"].to_numpy(), reference_rows(table, neutral))
    return x, labels_to_indices(table["label"], where="audio_features.label")


def fit(table: pd.DataFrame, config: Mapping[str, Any], seed: int, neutral: str):
    """The classifier fitted on every row of ``table`` (all variants)."""
    x, y = design(table, config, neutral)
    return build_classifier(config, seed).fit(x, y)


def probabilities(model, x: np.ndarray) -> np.ndarray:
    """Six class probabilities per row, in :data:`EMOTIONS` order (classes absent from the
    training rows get 0)."""
    out = np.zeros((len(x), len(EMOTIONS)))
    out[:, model.classes_] = model.predict_proba(x)
    return out


def cross_validate(table: pd.DataFrame, config: Mapping[str, Any], folds: list[list[int]],
                   seed: int, neutral: str) -> pd.DataFrame:
    """Out-of-fold probabilities of every original clip: for each fold, fit on every variant
    of the other folds' actors, predict the fold's original clips. One row per clip
    (``clip_id``, ``actor``, ``fold``, ``true`` and six probabilities)."""
    x, y = design(table, config, neutral)
    actors = table["actor"].to_numpy()
    original = (table["variant"] == ORIGINAL).to_numpy()
    parts = []
    for number, fold in enumerate(folds):
        held_out = np.isin(actors, fold)
        model = build_classifier(config, seed).fit(x[~held_out], y[~held_out])
        scored = held_out & original
        frame = pd.DataFrame(probabilities(model, x[scored]), columns=list(EMOTIONS))
        frame.insert(0, "true", y[scored])
        frame.insert(0, "fold", number)
        frame.insert(0, "actor", actors[scored])
        frame.insert(0, "clip_id", table["clip_id"].to_numpy()[scored])
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def fold_scores(oof: pd.DataFrame) -> pd.DataFrame:
    """Accuracy and macro-F1 per fold of an out-of-fold table."""
    from sklearn.metrics import f1_score

    rows = []
    for fold, group in oof.groupby("fold"):
        predicted = group[list(EMOTIONS)].to_numpy().argmax(axis=1)
        rows.append({"fold": int(fold), "actors": sorted(map(int, group["actor"].unique())),
                     "accuracy": float(np.mean(predicted == group["true"])),
                     "macro_f1": float(f1_score(group["true"], predicted, average="macro",
                                                labels=range(len(EMOTIONS)), zero_division=0))})
    return pd.DataFrame(rows)


def fit_temperature(probabilities_: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that makes held-out probabilities honest (least log-loss of
    ``softmax(log p / T)``, searched over 0.25-8)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 121))
    losses = [float(-np.mean(np.log(tempered(probabilities_, t)[np.arange(len(truth)), truth]
                                    + 1e-12))) for t in grid]
    return float(grid[int(np.argmin(losses))])
