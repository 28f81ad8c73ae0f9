"""Keras helpers shared by the training pipelines: seeding and progress logging."""

from __future__ import annotations

import logging
import os
import random

import numpy as np

logger = logging.getLogger(__name__)


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and Keras/TensorFlow; ask TensorFlow for deterministic kernels."""
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    random.seed(seed)
    np.random.seed(seed)
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    try:
        tf.config.experimental.enable_op_determinism()
    except (AttributeError, RuntimeError):  # pragma: no cover - older TF or already running
        pass


def logging_callback(every: int = 1):
    """A Keras callback that logs each epoch's metrics to the ``moodrec`` logger.

    Keras' own progress bar is unreadable in log files and kedro-viz; this gives one line
    per epoch instead.
    """
    import keras

    class _EpochLogger(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if (epoch + 1) % every == 0:
                shown = ", ".join(f"{k}={v:.4f}" for k, v in sorted((logs or {}).items())
                                  if isinstance(v, int | float))
                logger.info("epoch %d: %s", epoch + 1, shown)

    return _EpochLogger()
