"""Classification metrics, probability tables and plots shared by both training pipelines."""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from moodrec.core.emotions import EMOTIONS, indices_to_labels, probability_frame  # noqa: E402


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support, the share of predictions
    per class (a model that collapses onto one class shows here) and the confusion matrix.

    ``y_true`` and ``y_pred`` are class indices into :data:`EMOTIONS` (true first, as in
    scikit-learn). Confusion-matrix rows are true classes, columns predicted classes;
    scikit-learn's ``ValueError`` for arrays of different lengths or empty ones.
    """
    y_true, y_pred = np.asarray(y_true, int), np.asarray(y_pred, int)
    labels = list(range(len(EMOTIONS)))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    return {
        "n": int(y_true.size),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(
            f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "per_class": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, name in enumerate(EMOTIONS)
        },
        "prediction_share": {
            name: float(np.mean(y_pred == i)) for i, name in enumerate(EMOTIONS)
        },
        "labels": list(EMOTIONS),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def prediction_table(
    probabilities: np.ndarray, y_true: np.ndarray | None = None, index: pd.Index | None = None
) -> pd.DataFrame:
    """The probability table that ``va_mapping`` reads: six emotion columns, ``pred_label``
    and, when known, ``true_label`` (all spelled by the vocabulary module)."""
    probabilities = np.asarray(probabilities, float)
    table = probability_frame(probabilities, index=index)
    table["pred_label"] = indices_to_labels(probabilities.argmax(axis=1))
    if y_true is not None:
        table["true_label"] = indices_to_labels(y_true)
    return table


def confusion_matrix_figure(metrics: dict[str, Any], title: str) -> plt.Figure:
    """A confusion-matrix heat map (counts, with row-normalised recall shading)."""
    matrix = np.asarray(metrics["confusion_matrix"], float)
    labels = metrics["labels"]
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(matrix):
        ax.text(j, i, f"{int(count)}", ha="center", va="center",
                color="white" if shares[i, j] > 0.5 else "black", fontsize=9)
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{title}\naccuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}")
    fig.colorbar(image, ax=ax, label="share of true class")
    fig.tight_layout()
    return fig


def training_curves_figure(history: pd.DataFrame, title: str) -> plt.Figure:
    """Loss and accuracy per epoch (train and validation) from a Keras history table."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    epochs = np.arange(1, len(history) + 1)
    for ax, metric in zip(axes, ("loss", "accuracy"), strict=True):
        for prefix, style in (("", "-"), ("val_", "--")):
            column = prefix + metric
            if column in history:
                ax.plot(epochs, history[column], style, label=column)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig
