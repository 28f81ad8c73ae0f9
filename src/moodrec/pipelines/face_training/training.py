"""Training of the face network: resumable, seeded, with the best select-split epoch kept.

Long CPU runs get interrupted. Every epoch end leaves, in a folder named after a hash of the
run's configuration (under ``face_training.resume_dir``), Keras' ``BackupAndRestore`` state
(weights, optimizer, epoch), the per-epoch log and the best epoch's weights. The next run
with the same configuration resumes after the last completed epoch; a changed configuration
hashes to another folder and starts fresh. A run that completes removes its folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


def run_folder(resume_dir: str | Path, configuration: dict[str, Any]) -> Path:
    """The checkpoint folder of one configuration (a hash of its JSON form)."""
    digest = hashlib.sha256(
        json.dumps(configuration, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return Path(resume_dir) / f"run-{digest}"


def dataset(images: np.ndarray, labels: np.ndarray, batch_size: int, shuffle_seed: int | None):
    """A batched float32 ``tf.data`` pipeline, shuffled per epoch when a seed is given."""
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((images, labels))
    if shuffle_seed is not None:
        data = data.shuffle(len(labels), seed=shuffle_seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size).map(lambda x, y: (tf.cast(x, tf.float32), y))
    return data.prefetch(tf.data.AUTOTUNE)


def optimizer(training: dict[str, Any], steps_per_epoch: int):
    """AdamW (or Adam without ``weight_decay``) with a constant or warm-up + cosine rate."""
    import keras

    rate: Any = float(training["learning_rate"])
    if training["schedule"] == "cosine":
        warmup = int(training["warmup_epochs"]) * steps_per_epoch
        rate = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=rate / 10 if warmup else rate,
            decay_steps=max(1, int(training["epochs"]) * steps_per_epoch - warmup),
            warmup_target=rate if warmup else None,
            warmup_steps=warmup,
        )
    if training["weight_decay"]:
        return keras.optimizers.AdamW(rate, weight_decay=float(training["weight_decay"]))
    return keras.optimizers.Adam(rate)


def time_budget(minutes: float):
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


def _logged_epochs(log: Path) -> pd.DataFrame:
    """The epochs logged so far (one row per epoch, the last write of a repeated one)."""
    if not log.exists() or log.stat().st_size == 0:
        return pd.DataFrame()
    table = pd.read_csv(log)
    return table.drop_duplicates("epoch", keep="last").sort_values("epoch")


def resumable_fit(trainer, train_data, select_data, epochs: int, folder: Path,
                  callbacks: list[Any]) -> tuple[pd.DataFrame, int]:
    """``trainer.fit`` that resumes from ``folder`` and keeps the best ``val_accuracy`` epoch.

    Returns the whole history (earlier, interrupted runs included), one row per epoch, and the
    number of epochs this call ran; the trainer ends with the best epoch's weights. ``folder``
    is removed on success.
    """
    import keras

    folder.mkdir(parents=True, exist_ok=True)
    log, best = folder / "history.csv", folder / "best.weights.h5"
    earlier = _logged_epochs(log)
    if len(earlier):
        logger.info("resuming face training from %s: %d epoch(s) already done",
                    folder, int(earlier["epoch"].max()) + 1)
    best_so_far = float(earlier["val_accuracy"].max()) if len(earlier) else None
    trainer.fit(
        train_data, validation_data=select_data, epochs=epochs, shuffle=False, verbose=0,
        callbacks=[
            keras.callbacks.BackupAndRestore(str(folder / "backup"), delete_checkpoint=False),
            keras.callbacks.ModelCheckpoint(
                str(best), monitor="val_accuracy", mode="max", save_best_only=True,
                save_weights_only=True, initial_value_threshold=best_so_far),
            keras.callbacks.CSVLogger(str(log), append=True),
            *callbacks,
        ],
    )
    history = _logged_epochs(log)
    trainer.load_weights(str(best))
    shutil.rmtree(folder, ignore_errors=True)
    history["epoch"] = history["epoch"].astype(int) + 1
    return history.reset_index(drop=True), len(history) - len(earlier)
