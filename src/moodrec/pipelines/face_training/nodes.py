"""Nodes of the ``face_training`` pipeline: pure functions, no I/O (the catalog does that)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from moodrec.core.emotions import labels_to_indices
from moodrec.core.faces import FaceDataError, check_usage, parse_face_table, repeated_faces
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

    Returns what is shipped (no augmentation, no optimizer state; it takes 48x48x1 values
    0-255 and, when ``options["flip_averaging"]``, averages the face and its mirror image),
    the per-epoch history and a training summary.
    """
    import keras

    from moodrec.training.keras_support import logging_callback, set_seed

    from .architectures import augmentation, build_model, multiply_adds, with_flip_averaging
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

    shipped = with_flip_averaging(network) if options["flip_averaging"] else network
    best = int(history["val_accuracy"].to_numpy().argmax())
    summary = {
        "architecture": name,
        "model": config["model"] or {},
        "training": training,
        "augmentation": options["augmentation"],
        "flip_averaging": bool(options["flip_averaging"]),
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
    return shipped, history, summary


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


def model_card(metrics: dict[str, Any], splits: dict[str, Any]) -> str:
    """The shipped model's card (Markdown), from this run's measured numbers."""
    t = metrics["training"]
    rows = "\n".join(
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |"
        for name, s in metrics["per_class"].items()
    )
    model_options = ", ".join(f"{k}={v}" for k, v in t["model"].items()) or "as in the study"
    training = ", ".join(f"{k}={v}" for k, v in t["training"].items())
    flip = ("built in: the model averages its probabilities for the face and its mirror "
            "image" if t["flip_averaging"] else "none")
    shares = ", ".join(f"{k} {v:.1%}" for k, v in metrics["prediction_share"].items())
    unseen = metrics["without_train_repeats"]
    return f"""# Face-emotion model card (`models/face/face_model.keras`)

Written by the `face_training` pipeline from the run that produced the model; every number
below was measured by that run.

- **Task**: six emotions (`{"`, `".join(metrics["labels"])}`) from a 48x48 grey face.
- **Input**: `float32` or `uint8` array `(n, 48, 48, 1)`, values 0-255 (the model rescales to
  [0, 1] itself); `moodrec.core.faces.to_model_input` makes one from a grey 48x48 face.
  **Output**: six softmax probabilities in that order.
- **Architecture**: `{t["architecture"]}` ({model_options}); {t["parameters"]:,} parameters,
  {t["multiply_adds_per_image"] / 1e6:.1f} M multiply-adds per image.
- **Data**: FER2013 (`face-data.csv`, disgust removed). Trained on `{splits["train"]}`
  ({t["train_rows"]:,} faces, with augmentation {t["augmentation"]}); model selection
  (best epoch, learning-rate schedule) on `{splits["select"]}` ({t["select_rows"]:,} faces);
  reported on `{metrics["split"]}` ({metrics["n"]:,} faces), never used for training or selection.
- **Test-time augmentation**: {flip}
- **Light copy**: `models/face/face_model.onnx`, this model (mirror averaging included)
  exported for ONNX Runtime by the `export_onnx` node (`moodrec.inference.face.OnnxFaceModel`:
  the same probabilities to 1e-4 without TensorFlow; the person path reads it).
- **Training**: {training}; seed {t["seed"]}; {t["epochs_run"]} epochs run (stopped by
  {t["stopped_by"]}), best epoch {t["best_epoch"]} (select accuracy
  {t["select_accuracy_best_epoch"]:.4f}); {t["wall_seconds_this_run"] / 60:.1f} min wall time for
  the last {t["epochs_this_run"]} epoch(s) (a resumed run counts only its own),
  {t["train_images_per_second"]:.0f} training images/s on {t["machine"]};
  TensorFlow {t["tensorflow"]}, Keras {t["keras"]}; finished {t["finished_utc"]}.

## Results on {metrics["split"]}

**Accuracy {metrics["accuracy"]:.4f}, macro-F1 {metrics["macro_f1"]:.4f}** ({metrics["n"]:,} faces).
Without the {unseen["faces_removed"]} faces that also appear, pixel-identical, in
`{splits["train"]}`: accuracy {unseen["accuracy"]:.4f}, macro-F1 {unseen["macro_f1"]:.4f}
({unseen["n"]:,} faces).

Share of predictions per class: {shares}.

| emotion | precision | recall | F1 | support |
|---|---|---|---|---|
{rows}

Confusion matrix (rows true, columns predicted, order as above):
`{metrics["confusion_matrix"]}`

## Reproduce

    kedro run --pipelines face_training

(parameters in `conf/base/parameters_face_training.yml`; see `docs/face_training.md` for the
exact command of the shipped run and the comparison with the study's networks.)

## Limits

FER2013 faces are small, grey, mostly frontal web images; accuracy on webcam faces with other
lighting, pose or demographics will differ. Not for decisions about people.
"""
