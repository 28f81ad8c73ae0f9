"""Evaluation on a hand-checked confusion matrix (moodrec.training.evaluation, face nodes)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.pipelines.face_training.card import model_card
from moodrec.pipelines.face_training.nodes import (
    evaluate_predictions,
    plot_confusion_matrix,
    plot_training_curves,
)
from moodrec.training.evaluation import classification_metrics

A, F, H, S, U, N = range(6)  # indices into EMOTIONS
# 10 faces. Hand count: true anger x3 (2 right, 1 -> fear), true fear x2 (1 right, 1 -> anger),
# true happiness x3 (all right), true sadness x1 (-> neutral), neutral x1 (right); no surprise.
Y_TRUE = [A, A, A, F, F, H, H, H, S, N]
Y_PRED = [A, A, F, F, A, H, H, H, N, N]


def test_hand_checked_confusion_matrix_and_scores():
    m = classification_metrics(np.array(Y_TRUE), np.array(Y_PRED))
    assert m["accuracy"] == pytest.approx(7 / 10)
    cm = np.array(m["confusion_matrix"])
    assert cm[A].tolist() == [2, 1, 0, 0, 0, 0]  # rows: true class
    assert cm[F].tolist() == [1, 1, 0, 0, 0, 0]
    assert cm[S].tolist() == [0, 0, 0, 0, 0, 1]
    assert cm[:, N].tolist() == [0, 0, 0, 1, 0, 1]  # columns: predicted class
    anger = m["per_class"][EMOTIONS[A]]
    assert anger["precision"] == pytest.approx(2 / 3) and anger["recall"] == pytest.approx(2 / 3)
    neutral = m["per_class"][EMOTIONS[N]]
    assert neutral["precision"] == pytest.approx(1 / 2) and neutral["recall"] == 1.0
    assert neutral["f1"] == pytest.approx(2 / 3)
    assert m["per_class"][EMOTIONS[S]]["f1"] == 0.0
    # macro-F1 over all six classes (surprise has no support: F1 0)
    f1 = [2 / 3, 1 / 2, 1.0, 0.0, 0.0, 2 / 3]
    assert m["macro_f1"] == pytest.approx(sum(f1) / 6)


def test_y_true_and_y_pred_order_matters():
    swapped = classification_metrics(np.array(Y_PRED), np.array(Y_TRUE))
    assert swapped["per_class"][EMOTIONS[N]]["recall"] == pytest.approx(1 / 2)


def _summary():
    return {"architecture": "compact", "model": {}, "training": {"epochs": 1}, "augmentation": {},
            "seed": 1, "parameters": 10, "multiply_adds_per_image": 1e6, "epochs_run": 1,
            "best_epoch": 1, "select_accuracy_best_epoch": 0.5, "stopped_by": "epochs",
            "train_rows": 10, "select_rows": 10, "wall_seconds_this_run": 1.0,
            "epochs_this_run": 1,
            "test_time": {"views": [{"flip": False, "shift": [0, 0]},
                                    {"flip": True, "shift": [2, 0]}],
                          "strength": 0.5,
                          "bias": dict.fromkeys(EMOTIONS, 0.0) | {"fear": 0.25},
                          "select_without_bias": {"accuracy": 0.5, "macro_f1": 0.4},
                          "select_with_bias": {"accuracy": 0.52, "macro_f1": 0.45}},
            "train_images_per_second": 10.0, "machine": "test", "finished_utc": "now",
            "tensorflow": "x", "keras": "y"}


def test_evaluate_predictions_reads_the_probability_table():
    table = pd.DataFrame({"pred_label": [EMOTIONS[i] for i in Y_PRED],
                          "true_label": [EMOTIONS[i] for i in Y_TRUE]})
    faces = np.random.default_rng(0).integers(0, 256, (10, 48, 48, 1), dtype=np.uint8)
    # faces 0 and 1 (both true anger, predicted right) also appear in the training split
    training = np.concatenate([faces[:2], 255 - faces[2:3]])
    metrics = evaluate_predictions(table, _summary(), training, faces, "PublicTest")
    assert metrics["accuracy"] == pytest.approx(0.7) and metrics["split"] == "PublicTest"
    unseen = metrics["without_train_repeats"]
    assert unseen["faces_removed"] == 2 and unseen["n"] == 8
    assert unseen["accuracy"] == pytest.approx(5 / 8)
    assert metrics["prediction_share"][EMOTIONS[H]] == pytest.approx(0.3)
    assert metrics["prediction_share"][EMOTIONS[U]] == 0.0
    assert metrics["training"]["architecture"] == "compact"
    assert isinstance(plot_confusion_matrix(metrics), plt.Figure)
    history = pd.DataFrame({"epoch": [1, 2], "loss": [2, 1], "accuracy": [0.2, 0.4],
                            "val_loss": [2, 1.5], "val_accuracy": [0.3, 0.35]})
    assert isinstance(plot_training_curves(history, _summary()), plt.Figure)
    cross_corpus = {"n": 4, "subjects": 2, "accuracy": 0.75, "subject_mean_accuracy": 0.8,
                    "macro_f1_present_classes": 0.7, "recall": {"anger": 0.5, "fear": 1.0},
                    "prediction_share": dict.fromkeys(EMOTIONS, 1 / 6),
                    "dropped": {"contempt": 2, "disgust": 3}}
    card = model_card(metrics, cross_corpus, {"train": "Training", "select": "PrivateTest"})
    assert "Accuracy 0.7000" in card and "| anger | 0.667 | 0.667 |" in card
    assert "Without the 2 faces" in card and "accuracy 0.6250" in card
    assert "happiness 30.0%" in card and "mirrored shifted (2, 0) px" in card
    assert "fear +0.25" in card and "0.4000 -> 0.4500" in card
    assert "CK+48 accuracy 0.7500" in card and "contempt 2, disgust 3" in card
    plt.close("all")
