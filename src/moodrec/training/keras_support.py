"""Keras helpers shared by the training pipelines: seeding and progress logging."""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and Keras/TensorFlow (``keras.utils.set_random_seed`` seeds all
    three); ask TensorFlow for deterministic kernels."""
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    try:
        tf.config.experimental.enable_op_determinism()
    except (AttributeError, RuntimeError):  # pragma: no cover - older TF or already running
        pass


def logging_callback():
    """A Keras callback that logs each epoch's metrics to the ``moodrec`` logger, one line per
    epoch (Keras' own progress bar is unreadable in log files and kedro-viz)."""
    import keras

    return keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logger.info(
        "epoch %d: %s", epoch + 1, ", ".join(f"{k}={v:.4f}" for k, v in sorted((logs or {}).items())
                                             if isinstance(v, int | float))))
