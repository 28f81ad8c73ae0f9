"""The audio classifiers: the study's 1-D CNN over the feature vector (parity), and a small
dense network (an alternative family the search may pick). Built from a plain config dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from moodrec.emotions import EMOTIONS

#: The study's network: 4 x Conv1D 256/256/128/64, kernel 8, tanh, MaxPool 4, dropout 0.1,
#: Dense 32, softmax over the six emotions.
STUDY_CONFIG: dict[str, Any] = {
    "family": "conv1d",
    "filters": 256,            # first two layers; then filters/2 and filters/4 (256/256/128/64)
    "kernel_size": 8,
    "activation": "tanh",
    "pool_size": 4,
    "dropout": 0.1,
    "dense_units": 32,
    "learning_rate": 1e-3,
    "batch_size": 64,
}


def conv_filters(filters: int) -> list[int]:
    """Filters of the four Conv1D layers for a base width (256 -> 256, 256, 128, 64)."""
    f = int(filters)
    return [f, f, max(f // 2, 1), max(f // 4, 1)]


def build_model(n_features: int, config: Mapping[str, Any]):
    """A compiled Keras model for ``(n_features,)`` inputs and six-way softmax output."""
    import keras
    from keras import layers

    c = {**STUDY_CONFIG, **config}
    inputs = keras.Input(shape=(n_features,), name="features")
    if c["family"] == "conv1d":
        x = layers.Reshape((n_features, 1))(inputs)
        for i, width in enumerate(conv_filters(c["filters"])):
            x = layers.Conv1D(width, int(c["kernel_size"]), padding="same",
                              activation=c["activation"], name=f"conv_{i + 1}")(x)
            x = layers.MaxPooling1D(int(c["pool_size"]), padding="same")(x)
            x = layers.Dropout(float(c["dropout"]))(x)
        x = layers.Flatten()(x)
    elif c["family"] == "dense":
        x = inputs
        for i, width in enumerate((int(c["filters"]), max(int(c["filters"]) // 2, 1))):
            x = layers.Dense(width, activation=c["activation"], name=f"hidden_{i + 1}")(x)
            x = layers.Dropout(float(c["dropout"]))(x)
    else:
        raise ValueError(f"unknown model family {c['family']!r}; expected conv1d or dense")
    x = layers.Dense(int(c["dense_units"]), activation=c["activation"], name="dense")(x)
    x = layers.Dropout(float(c["dropout"]))(x)
    outputs = layers.Dense(len(EMOTIONS), activation="softmax", name="emotion")(x)
    model = keras.Model(inputs, outputs, name=f"audio_{c['family']}")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=float(c["learning_rate"])),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def fit_model(
    model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    *,
    batch_size: int,
    epochs: int,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    patience: int | None = None,
    seed: int = 0,
    verbose_every: int = 0,
):
    """Train with ``tf.data`` batches; with ``validation`` and ``patience``, stop early on
    validation loss and keep the best epoch's weights. Returns the Keras ``History``."""
    import keras
    import tensorflow as tf

    from moodrec.keras_support import logging_callback

    train = (
        tf.data.Dataset.from_tensor_slices((x_train, y_train))
        .shuffle(len(x_train), seed=seed, reshuffle_each_iteration=True)
        .batch(int(batch_size))
    )
    val = None
    if validation is not None:
        val = tf.data.Dataset.from_tensor_slices(validation).batch(512)
    callbacks = []
    if val is not None and patience:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=int(patience), restore_best_weights=True))
    if verbose_every:
        callbacks.append(logging_callback(verbose_every))
    return model.fit(train, validation_data=val, epochs=int(epochs), callbacks=callbacks,
                     shuffle=False, verbose=0)
