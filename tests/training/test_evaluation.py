"""Shared metrics, checked against a confusion matrix worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.training.evaluation import (
    classification_metrics,
    confusion_matrix_figure,
    prediction_table,
    training_curves_figure,
)


def test_metrics_on_a_hand_checked_confusion_matrix():
    # true:  0 0 0 1 1 2 ; pred: 0 0 1 1 2 2
    y_true = np.array([0, 0, 0, 1, 1, 2])
    y_pred = np.array([0, 0, 1, 1, 2, 2])
    m = classification_metrics(y_true, y_pred)
    assert m["accuracy"] == pytest.approx(4 / 6)
    cm = np.array(m["confusion_matrix"])
    assert cm.shape == (6, 6)
    # rows are true classes, columns predicted classes
    assert cm[0].tolist()[:3] == [2, 1, 0]
    assert cm[1].tolist()[:3] == [0, 1, 1]
    assert cm[2].tolist()[:3] == [0, 0, 1]
    c0, c1, c2 = (m["per_class"][EMOTIONS[i]] for i in range(3))
    assert (c0["precision"], c0["recall"]) == (1.0, pytest.approx(2 / 3))
    assert (c1["precision"], c1["recall"]) == (0.5, 0.5)
    assert (c2["precision"], c2["recall"]) == (0.5, 1.0)
    assert c0["f1"] == pytest.approx(0.8)
    # macro-F1 over all six labels: absent classes count as 0
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 6)
    assert c0["support"] == 3 and m["n"] == 6


@pytest.mark.parametrize(("y_true", "y_pred"), [([0, 1], [0]), ([], [])])
def test_metrics_reject_mismatched_or_empty_inputs(y_true, y_pred):
    with pytest.raises(ValueError):
        classification_metrics(np.array(y_true), np.array(y_pred))


def test_prediction_table_columns_and_labels():
    probabilities = np.eye(6)[[2, 5]]
    table = prediction_table(probabilities, y_true=np.array([2, 0]))
    assert list(table.columns) == [*EMOTIONS, "pred_label", "true_label"]
    assert table["pred_label"].tolist() == [EMOTIONS[2], EMOTIONS[5]]
    assert table["true_label"].tolist() == [EMOTIONS[2], EMOTIONS[0]]


def test_figures_render():
    m = classification_metrics(np.arange(6), np.arange(6))
    assert confusion_matrix_figure(m, "t").axes
    history = pd.DataFrame({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7],
                            "accuracy": [0.3, 0.6], "val_accuracy": [0.2, 0.5]})
    assert len(training_curves_figure(history, "t").axes) == 2
