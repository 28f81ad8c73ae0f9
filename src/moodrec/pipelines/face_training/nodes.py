"""Nodes of the ``face_training`` pipeline: pure functions, no I/O (the catalog does that)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from moodrec.emotions import labels_to_indices
from moodrec.evaluation import (
    classification_metrics,
    confusion_matrix_figure,
    prediction_table,
    training_curves_figure,
)
from moodrec.faces import FaceDataError, check_usage, parse_face_table

logger = logging.getLogger(__name__)

SPLIT_ROLES: tuple[str, ...] = ("train", "select", "report")


# --- data ----------------------------------------------------------------------------------

def split_face_table(
    face_data: pd.DataFrame, splits: dict[str, Any], seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The train, select and report tables (FER2013's own ``Usage`` splits).

    ``splits`` names the ``Usage`` value of each role (``train: Training``, ``select:
    PrivateTest``, ``report: PublicTest``) and optionally ``max_rows`` per role (a seeded
    random sample, for smoke runs). Every row must have a known ``Usage``; every split must
    have rows.
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
        limit = (splits.get("max_rows") or {}).get(role)
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


def check_face_sharpness(train_images: np.ndarray, select_images: np.ndarray,
                         matching: dict[str, Any], seed: int) -> dict[str, Any]:
    """Compare the sharpness of the train and select faces; decide the input blur.

    ``matching.mode``: ``auto`` (blur only when the train faces' median sharpness is below
    ``min_ratio`` times the select faces'; sigma estimated on up to ``sample`` faces of each
    split), ``fixed`` (``sigma`` as given) or ``off``. Returns a report with per-split
    sharpness, the decision and the estimate (``sigma`` 0 = no blur); a blurrier training split
    is logged as a warning because it changes what the model can learn.
    """
    from moodrec.face_sharpness import estimate_blur_sigma, sharpness

    mode = matching.get("mode", "auto")
    if mode not in ("auto", "fixed", "off"):
        raise ValueError(f"face_training.sharpness_matching.mode must be auto, fixed or off; "
                         f"got {mode!r}")
    rng = np.random.default_rng(seed)

    def sample(images: np.ndarray) -> np.ndarray:
        limit = int(matching.get("sample", 2000))
        return images[np.sort(rng.choice(len(images), limit, replace=False))] \
            if len(images) > limit else images

    train, select = sample(train_images), sample(select_images)
    medians = {"train": float(np.median(sharpness(train))),
               "select": float(np.median(sharpness(select)))}
    ratio = medians["train"] / medians["select"] if medians["select"] > 0 else 1.0
    report: dict[str, Any] = {
        "median_sharpness": {k: round(v, 3) for k, v in medians.items()},
        "train_to_select_ratio": round(ratio, 4),
        "min_ratio": float(matching.get("min_ratio", 0.5)),
        "mode": mode,
        "faces_measured": {"train": len(train), "select": len(select)},
        "sigma": 0.0,
        "search": [],
    }
    if mode == "fixed":
        report["sigma"] = float(matching["sigma"])
    elif mode == "auto" and ratio < report["min_ratio"]:
        sigma, table = estimate_blur_sigma(train, select, matching["sigma_grid"])
        report["sigma"], report["search"] = sigma, table
        logger.warning(
            "the training faces are much blurrier than the selection faces (median sharpness "
            "%.2f vs %.2f, ratio %.3f < %.2f): the model gets a built-in Gaussian blur of "
            "sigma %.2f px in front, so the faces it sees match what it was trained on",
            medians["train"], medians["select"], ratio, report["min_ratio"], sigma)
    logger.info("face sharpness: train %.2f, select %.2f; input blur sigma %.2f",
                medians["train"], medians["select"], report["sigma"])
    return report


# --- training ------------------------------------------------------------------------------

def _dataset(images: np.ndarray, labels: np.ndarray, batch_size: int, shuffle_seed: int | None):
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((images, labels))
    if shuffle_seed is not None:
        data = data.shuffle(len(labels), seed=shuffle_seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size).map(lambda x, y: (tf.cast(x, tf.float32), y))
    return data.prefetch(tf.data.AUTOTUNE)


def _optimizer(training: dict[str, Any], steps_per_epoch: int):
    import keras

    rate: Any = float(training["learning_rate"])
    if training.get("schedule") == "cosine":
        warmup = int(training.get("warmup_epochs", 0)) * steps_per_epoch
        rate = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=rate / 10 if warmup else rate,
            decay_steps=max(1, int(training["epochs"]) * steps_per_epoch - warmup),
            warmup_target=rate if warmup else None,
            warmup_steps=warmup,
        )
    weight_decay = training.get("weight_decay")
    if weight_decay:
        return keras.optimizers.AdamW(rate, weight_decay=float(weight_decay))
    return keras.optimizers.Adam(rate)


def _time_budget(minutes: float):
    """A callback that stops training before an epoch that would end past ``minutes``
    (a safety limit for shared machines; the summary records that it stopped the run)."""
    import keras

    class TimeBudget(keras.callbacks.Callback):
        hit = False

        def on_train_begin(self, logs=None):
            self.start = self.last = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            now = time.perf_counter()
            if now - self.start + (now - self.last) > minutes * 60:
                logger.warning("time budget of %.0f min reached after epoch %d; stopping",
                               minutes, epoch + 1)
                self.hit = True
                self.model.stop_training = True
            self.last = now

    return TimeBudget()


def _machine() -> str:
    import tensorflow as tf

    from moodrec.machine import describe

    return describe(len(tf.config.list_physical_devices("GPU")))


def train_face_model(
    train_images: np.ndarray,
    train_labels: np.ndarray,
    select_images: np.ndarray,
    select_labels: np.ndarray,
    sharpness: dict[str, Any],
    options: dict[str, Any],
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """Train the architecture ``options["architecture"]`` on the train split, selecting on
    the select split (early stopping / best-epoch weights, learning-rate schedule).

    Returns the network without augmentation and without optimizer state (what is shipped:
    it takes 48x48x1 values 0-255), the per-epoch history and a training summary. When
    ``sharpness["sigma"]`` is positive, the shipped network starts with that fixed blur and the
    select faces are blurred the same way for model selection (the train faces are not: they
    are the blurry ones).
    """
    import keras

    from moodrec.keras_support import logging_callback, set_seed

    from .architectures import augmentation, build_model, multiply_adds, sharpness_matching

    name = options["architecture"]
    if name not in options["architectures"]:
        raise ValueError(f"face_training.architecture {name!r} has no entry under "
                         f"face_training.architectures ({', '.join(options['architectures'])})")
    config = options["architectures"][name]
    training = config["training"]
    seed = int(options["seed"])
    set_seed(seed)

    network = build_model(name, **(config.get("model") or {}))
    inputs = keras.Input(network.input_shape[1:], name="face")
    augmented = augmentation(**options["augmentation"], seed=seed)(inputs)
    trainer = keras.Model(inputs, network(augmented), name=f"{name}_with_augmentation")
    batch_size = int(training["batch_size"])
    steps = int(np.ceil(len(train_labels) / batch_size))
    trainer.compile(
        optimizer=_optimizer(training, steps),
        loss=keras.losses.CategoricalCrossentropy(
            label_smoothing=float(training.get("label_smoothing", 0.0))),
        metrics=["accuracy"],
    )
    callbacks: list[Any] = [
        logging_callback(),
        keras.callbacks.EarlyStopping(
            monitor="val_accuracy", min_delta=float(training.get("min_delta", 0.0)),
            patience=int(training.get("early_stopping_patience") or training["epochs"]),
            restore_best_weights=True,
        ),
    ]
    if training.get("schedule") == "plateau":
        callbacks.append(keras.callbacks.ReduceLROnPlateau(
            monitor="val_accuracy", factor=float(training.get("plateau_factor", 0.5)),
            patience=int(training["plateau_patience"]), min_lr=1e-7, verbose=0))
    budget = _time_budget(options["max_wall_minutes"]) if options.get("max_wall_minutes") else None
    if budget is not None:
        callbacks.append(budget)

    sigma = float(sharpness.get("sigma") or 0.0)
    if sigma > 0:
        matching = sharpness_matching(sigma)
        select_images = keras.ops.convert_to_numpy(matching(select_images.astype(np.float32)))
    n_classes = network.output_shape[-1]
    one_hot = np.eye(n_classes, dtype=np.float32)
    train_data = _dataset(train_images, one_hot[train_labels], batch_size, shuffle_seed=seed)
    select_data = _dataset(select_images, one_hot[select_labels], 256, shuffle_seed=None)
    logger.info("training %s (%d parameters) on %d faces, selecting on %d, up to %d epochs",
                name, network.count_params(), len(train_labels), len(select_labels),
                int(training["epochs"]))
    started = time.perf_counter()
    fit = trainer.fit(train_data, validation_data=select_data, epochs=int(training["epochs"]),
                      callbacks=callbacks, shuffle=False, verbose=0)
    wall = time.perf_counter() - started

    core = network
    if sigma > 0:
        network = keras.Model(inputs, core(matching(inputs)), name=f"{name}_sharpness_matched")
    history = pd.DataFrame(fit.history)
    history.insert(0, "epoch", np.arange(1, len(history) + 1))
    best = int(history["val_accuracy"].to_numpy().argmax())
    summary = {
        "architecture": name,
        "model": config.get("model") or {},
        "training": training,
        "augmentation": options["augmentation"],
        "seed": seed,
        "parameters": int(core.count_params()),
        "multiply_adds_per_image": multiply_adds(core),
        "input_blur_sigma": sigma,
        "epochs_run": len(history),
        "best_epoch": best + 1,
        "select_accuracy_best_epoch": float(history["val_accuracy"].iloc[best]),
        "stopped_by": "time budget" if budget is not None and budget.hit else
                      "early stopping" if len(history) < int(training["epochs"]) else "epochs",
        "train_rows": len(train_labels),
        "select_rows": len(select_labels),
        "wall_seconds": round(wall, 1),
        "train_images_per_second": round(len(train_labels) * len(history) / wall, 1),
        "machine": _machine(),
        "finished_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "tensorflow": __import__("tensorflow").__version__,
        "keras": keras.__version__,
    }
    logger.info("trained %s: %d epochs in %.0f s, best select accuracy %.4f at epoch %d",
                name, len(history), wall, summary["select_accuracy_best_epoch"], best + 1)
    return network, history, summary


# --- evaluation ----------------------------------------------------------------------------

def predict_faces(model: Any, report_images: np.ndarray, report_labels: np.ndarray
                  ) -> pd.DataFrame:
    """The probability table on the report split: six emotion columns, ``pred_label`` and
    ``true_label`` (what ``va_mapping`` reads)."""
    probabilities = model.predict(report_images.astype(np.float32), batch_size=256, verbose=0)
    return prediction_table(probabilities, y_true=report_labels)


def evaluate_predictions(predictions: pd.DataFrame, summary: dict[str, Any],
                         report_split: str) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class scores and the confusion matrix of the probability
    table, with the training summary (architecture, parameters, epochs, wall time)."""
    metrics = classification_metrics(
        labels_to_indices(predictions["true_label"], where="face_predictions.true_label"),
        labels_to_indices(predictions["pred_label"], where="face_predictions.pred_label"),
    )
    return {"split": report_split, **metrics, "training": summary}


def plot_confusion_matrix(metrics: dict[str, Any]) -> plt.Figure:
    """Confusion matrix on the report split."""
    name = metrics["training"]["architecture"]
    return confusion_matrix_figure(metrics, f"face model {name!r} on {metrics['split']}")


def plot_training_curves(history: pd.DataFrame, summary: dict[str, Any]) -> plt.Figure:
    """Loss and accuracy per epoch (train with augmentation, validation = select split)."""
    return training_curves_figure(
        history, f"face model {summary['architecture']!r}: train vs select (val_) split")


def _blur_note(sigma: float) -> str:
    if not sigma:
        return "the training faces were as sharp as the selection faces; no input blur."
    return (f"the training faces were much blurrier than the selection faces, so the model "
            f"starts with a fixed Gaussian blur of sigma {sigma:g} px (estimated on the "
            f"selection split, `data/05_model_input/face_sharpness.json`): every face it sees "
            f"is brought to the training faces' sharpness. See `docs/face_training.md`.")


def model_card(metrics: dict[str, Any], splits: dict[str, Any]) -> str:
    """The shipped model's card (Markdown), from this run's measured numbers."""
    t = metrics["training"]
    rows = "\n".join(
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |"
        for name, s in metrics["per_class"].items()
    )
    model_options = ", ".join(f"{k}={v}" for k, v in t["model"].items()) or "as in the study"
    training = ", ".join(f"{k}={v}" for k, v in t["training"].items())
    return f"""# Face-emotion model card (`models/face/face_model.keras`)

Written by the `face_training` pipeline from the run that produced the model; every number
below was measured by that run.

- **Task**: six emotions (`{"`, `".join(metrics["labels"])}`) from a 48x48 grey face.
- **Input**: `float32` or `uint8` array `(n, 48, 48, 1)`, values 0-255 (the model rescales to
  [0, 1] itself); `moodrec.faces.to_model_input` makes one from a grey 48x48 face.
  **Output**: six softmax probabilities in that order.
- **Architecture**: `{t["architecture"]}` ({model_options}); {t["parameters"]:,} parameters,
  {t["multiply_adds_per_image"] / 1e6:.1f} M multiply-adds per image.
- **Data**: FER2013 (`face-data.csv`, disgust removed). Trained on `{splits["train"]}`
  ({t["train_rows"]:,} faces, with augmentation {t["augmentation"]}); model selection
  (best epoch, learning-rate schedule) on `{splits["select"]}` ({t["select_rows"]:,} faces);
  reported on `{metrics["split"]}` ({metrics["n"]:,} faces), never used for training or selection.
- **Input sharpness**: {_blur_note(t.get("input_blur_sigma", 0.0))}
- **Training**: {training}; seed {t["seed"]}; {t["epochs_run"]} epochs run (stopped by
  {t["stopped_by"]}), best epoch {t["best_epoch"]} (select accuracy
  {t["select_accuracy_best_epoch"]:.4f}); {t["wall_seconds"] / 60:.1f} min wall time,
  {t["train_images_per_second"]:.0f} training images/s on {t["machine"]};
  TensorFlow {t["tensorflow"]}, Keras {t["keras"]}; finished {t["finished_utc"]}.

## Results on {metrics["split"]}

**Accuracy {metrics["accuracy"]:.4f}, macro-F1 {metrics["macro_f1"]:.4f}** ({metrics["n"]:,} faces).

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
