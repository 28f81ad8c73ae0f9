"""Nodes of the ``face_training`` pipeline: pure functions, no I/O (the catalog does that)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from moodrec.core.emotions import EMOTIONS, labels_to_indices
from moodrec.core.faces import (
    FaceDataError,
    check_usage,
    parse_ckplus,
    parse_face_table,
    repeated_faces,
)
from moodrec.training.evaluation import (
    classification_metrics,
    confusion_matrix_figure,
    prediction_table,
    training_curves_figure,
)

logger = logging.getLogger(__name__)

SPLIT_ROLES: tuple[str, ...] = ("train", "select", "report")


# --- data ----------------------------------------------------------------------------------

def split_face_table(
    face_data: pd.DataFrame, splits: dict[str, Any], seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The train, select and report tables (FER2013's own ``Usage`` splits).

    ``splits`` names the ``Usage`` value of each role (``train: Training``, ``select:
    PrivateTest``, ``report: PublicTest``) and ``max_rows`` per role (a seeded random
    sample, for smoke runs; ``null``: every row). Every row must have a known ``Usage``;
    every split must have rows.
    """
    usage = check_usage(face_data)
    tables = []
    for role in SPLIT_ROLES:
        name = splits[role]
        table = face_data[usage.eq(name).to_numpy(bool)]
        if table.empty:
            present = ", ".join(f"{k} ({v})" for k, v in usage.value_counts().items())
            raise FaceDataError(
                f"no rows with Usage == {name!r} for the {role} split; the table has {present}"
            )
        limit = splits["max_rows"][role]
        if limit is not None and limit < len(table):
            if limit < 1:
                raise FaceDataError(f"splits.max_rows.{role} must be at least 1; got {limit}")
            picked = np.sort(np.random.default_rng(seed).choice(len(table), limit, replace=False))
            table = table.iloc[picked]
        logger.info("%s split: %d rows of Usage %s", role, len(table), name)
        tables.append(table)
    return tables[0], tables[1], tables[2]


def parse_faces(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Images (n, 48, 48, 1) uint8 and class indices (int64) of one split."""
    usage = table["Usage"].iloc[0] if len(table) else "empty"
    images, labels = parse_face_table(table, where=f"face_data ({usage})")
    if len(labels) == 0:
        raise FaceDataError(f"face_data ({usage}): the split has no usable rows")
    return images, labels


# --- training ------------------------------------------------------------------------------

def _machine() -> str:
    import tensorflow as tf

    from moodrec.training.machine import describe

    return describe(len(tf.config.list_physical_devices("GPU")))


def train_face_model(
    train_images: np.ndarray,
    train_labels: np.ndarray,
    select_images: np.ndarray,
    select_labels: np.ndarray,
    options: dict[str, Any],
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """Train the architecture ``options["architecture"]`` on the train split, keeping the
    epoch with the best select-split accuracy; resumable (see :mod:`.training`).

    Returns the trained network (no augmentation, no optimizer state; it takes 48x48x1
    values 0-255; :func:`assemble_face_model` makes the shipped model of it), the per-epoch
    history and a training summary.
    """
    import keras

    from moodrec.training.keras_support import logging_callback, set_seed

    from .architectures import augmentation, build_model, multiply_adds
    from .training import dataset, optimizer, resumable_fit, run_folder, time_budget

    name = options["architecture"]
    if name not in options["architectures"]:
        raise ValueError(f"face_training.architecture {name!r} has no entry under "
                         f"face_training.architectures ({', '.join(options['architectures'])})")
    config = options["architectures"][name]
    training = config["training"]
    seed = int(options["seed"])
    set_seed(seed)

    network = build_model(name, **(config["model"] or {}))
    inputs = keras.Input(network.input_shape[1:], name="face")
    augmented = augmentation(**options["augmentation"], seed=seed)(inputs)
    trainer = keras.Model(inputs, network(augmented), name=f"{name}_with_augmentation")
    batch_size = int(training["batch_size"])
    steps = int(np.ceil(len(train_labels) / batch_size))
    trainer.compile(
        optimizer=optimizer(training, steps),
        loss=keras.losses.CategoricalCrossentropy(
            label_smoothing=float(training["label_smoothing"])),
        metrics=["accuracy"],
    )
    callbacks: list[Any] = [logging_callback()]
    if training["early_stopping_patience"]:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_accuracy", min_delta=float(training["min_delta"]),
            patience=int(training["early_stopping_patience"])))
    if training["schedule"] == "plateau":
        callbacks.append(keras.callbacks.ReduceLROnPlateau(
            monitor="val_accuracy", factor=float(training["plateau_factor"]),
            patience=int(training["plateau_patience"]), min_lr=1e-7, verbose=0))
    budget = time_budget(options["max_wall_minutes"]) if options["max_wall_minutes"] else None
    if budget is not None:
        callbacks.append(budget)

    one_hot = np.eye(network.output_shape[-1], dtype=np.float32)
    train_data = dataset(train_images, one_hot[train_labels], batch_size, shuffle_seed=seed)
    select_data = dataset(select_images, one_hot[select_labels], 256, shuffle_seed=None)
    folder = run_folder(options["resume_dir"], {
        key: value for key, value in options.items() if key not in ("max_wall_minutes",)
    } | {"train_rows": len(train_labels), "select_rows": len(select_labels)})
    logger.info("training %s (%d parameters) on %d faces, selecting on %d, up to %d epochs",
                name, network.count_params(), len(train_labels), len(select_labels),
                int(training["epochs"]))
    started = time.perf_counter()
    history, epochs_now = resumable_fit(trainer, train_data, select_data,
                                        int(training["epochs"]), folder, callbacks)
    wall = time.perf_counter() - started

    best = int(history["val_accuracy"].to_numpy().argmax())
    summary = {
        "architecture": name,
        "model": config["model"] or {},
        "training": training,
        "augmentation": options["augmentation"],
        "seed": seed,
        "parameters": int(network.count_params()),
        "multiply_adds_per_image": multiply_adds(network),
        "epochs_run": len(history),
        "best_epoch": best + 1,
        "select_accuracy_best_epoch": float(history["val_accuracy"].iloc[best]),
        "stopped_by": "time budget" if budget is not None and budget.hit else
                      "early stopping" if len(history) < int(training["epochs"]) else "epochs",
        "train_rows": len(train_labels),
        "select_rows": len(select_labels),
        "wall_seconds_this_run": round(wall, 1),
        "epochs_this_run": epochs_now,
        "train_images_per_second": round(
            len(train_labels) * epochs_now / max(wall, 1e-9), 1),
        "machine": _machine(),
        "finished_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "tensorflow": __import__("tensorflow").__version__,
        "keras": keras.__version__,
    }
    logger.info("trained %s: %d epochs, best select accuracy %.4f at epoch %d (%.0f s)",
                name, len(history), summary["select_accuracy_best_epoch"], best + 1, wall)
    return network, history, summary


# --- the shipped model: test-time views, logit bias ----------------------------------------

def fit_test_time_bias(network: Any, train_labels: np.ndarray, select_images: np.ndarray,
                       select_labels: np.ndarray, test_time: dict[str, Any]) -> dict[str, Any]:
    """The logit bias of the shipped model: logit adjustment with the train split's class
    shares, its strength chosen on the select split only (macro-F1 of the view-averaged
    prediction, :func:`.test_time.fit_logit_adjustment`), with the select split's figures
    without and with it."""
    from .test_time import averaged_probabilities, fit_logit_adjustment, view_log_probabilities

    log_p = view_log_probabilities([network], select_images, test_time["views"])
    prior = np.bincount(train_labels, minlength=len(EMOTIONS)) / len(train_labels)
    tau, bias, _ = fit_logit_adjustment(log_p, select_labels, prior,
                                        test_time["logit_bias"]["strengths"])

    def scores(b: np.ndarray) -> dict[str, float]:
        m = classification_metrics(select_labels, averaged_probabilities(log_p, b).argmax(1))
        return {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}

    return {"strength": tau,
            "bias": {name: round(float(b), 4) for name, b in zip(EMOTIONS, bias, strict=True)},
            "select_without_bias": scores(np.zeros(len(EMOTIONS))),
            "select_with_bias": scores(bias)}


def assemble_face_model(network: Any, summary: dict[str, Any], bias: dict[str, Any],
                        test_time: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The shipped model (:func:`.architectures.shipped_model`: the network over the
    test-time views, with the logit bias) and the training summary with its test-time part."""
    from .architectures import shipped_model

    vector = np.array([bias["bias"][name] for name in EMOTIONS])
    model = shipped_model([network], test_time["views"], vector)
    return model, {**summary, "test_time": {"views": test_time["views"], **bias}}


# --- cross-corpus check: CK+48 -------------------------------------------------------------

def ckplus_faces(partitions: dict[str, Any], dropped_classes: list[str]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """CK+48 (``<class>/S<subject>_<sequence>_<frame>``) -> images ``(n, 48, 48, 1)``
    uint8, class indices, subjects, and the number of faces of each dropped class."""
    return parse_ckplus(
        {key: np.asarray(load().convert("L")) for key, load in sorted(partitions.items())},
        dropped_classes)


def evaluate_cross_corpus(model: Any, images: np.ndarray, labels: np.ndarray,
                          subjects: np.ndarray, dropped: dict[str, int]) -> dict[str, Any]:
    """The shipped model on CK+48 (never used for training or selection): accuracy per face
    and averaged per subject, macro-F1 over the classes present, per-class recall,
    prediction shares, confusion matrix, the dropped classes' counts."""
    predicted = model.predict(images.astype(np.float32), batch_size=256, verbose=0).argmax(1)
    m = classification_metrics(labels, predicted)
    right = pd.Series(predicted == labels).groupby(subjects)
    present = sorted(set(labels.tolist()))
    return {
        "corpus": "CK+48", "n": m["n"], "subjects": int(right.ngroups),
        "accuracy": m["accuracy"],
        "subject_mean_accuracy": float(right.mean().mean()),
        "macro_f1_present_classes": float(np.mean(
            [m["per_class"][EMOTIONS[c]]["f1"] for c in present])),
        "recall": {EMOTIONS[c]: m["per_class"][EMOTIONS[c]]["recall"] for c in present},
        "support": {EMOTIONS[c]: m["per_class"][EMOTIONS[c]]["support"] for c in present},
        "prediction_share": m["prediction_share"],
        "confusion_matrix": m["confusion_matrix"],
        "dropped": dropped,
    }


# --- evaluation ----------------------------------------------------------------------------

def predict_faces(model: Any, report_images: np.ndarray, report_labels: np.ndarray
                  ) -> pd.DataFrame:
    """The probability table on the report split: six emotion columns, ``pred_label`` and
    ``true_label`` (what ``va_mapping`` reads)."""
    probabilities = model.predict(report_images.astype(np.float32), batch_size=256, verbose=0)
    return prediction_table(probabilities, y_true=report_labels)


def evaluate_predictions(predictions: pd.DataFrame, summary: dict[str, Any],
                         train_images: np.ndarray, report_images: np.ndarray,
                         report_split: str) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class scores, the share of predictions per class and the
    confusion matrix of the probability table, with the training summary; and the same
    figures without the report faces that also appear, pixel-identical, in the train split
    (FER2013 repeats some faces across splits; a model may have memorised those)."""
    y_true = labels_to_indices(predictions["true_label"], where="face_predictions.true_label")
    y_pred = labels_to_indices(predictions["pred_label"], where="face_predictions.pred_label")
    repeated = repeated_faces(report_images, train_images)
    unseen = classification_metrics(y_true[~repeated], y_pred[~repeated])
    return {
        "split": report_split,
        **classification_metrics(y_true, y_pred),
        "without_train_repeats": {
            "faces_removed": int(repeated.sum()),
            **{key: unseen[key] for key in ("n", "accuracy", "macro_f1", "prediction_share")},
        },
        "training": summary,
    }


def plot_confusion_matrix(metrics: dict[str, Any]) -> plt.Figure:
    """Confusion matrix on the report split."""
    name = metrics["training"]["architecture"]
    return confusion_matrix_figure(metrics, f"face model {name!r} on {metrics['split']}")


def plot_training_curves(history: pd.DataFrame, summary: dict[str, Any]) -> plt.Figure:
    """Loss and accuracy per epoch (train with augmentation, validation = select split)."""
    return training_curves_figure(
        history, f"face model {summary['architecture']!r}: train vs select (val_) split")
