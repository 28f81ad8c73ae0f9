"""Face-emotion CNNs, chosen by name (``params:face_training.architecture``).

Every network takes 48x48x1 images with pixel values 0-255 (uint8 or float) and rescales them
to [0, 1] itself, so inference code feeds raw grey faces. Augmentation is a separate block
(:func:`augmentation`) that the training node puts in front of the network; the network that
is saved and shipped has none; it averages its members over test-time views of the face
(:func:`shipped_model`).

* ``cnn`` and ``dcnn``: the study's two networks, layer for layer (parity).
* ``compact``: this project's design: a VGG-style stack of 3x3 convolutions with batch
  normalisation, global average pooling instead of a large dense head; the widths are
  parameters (shipped: 32-64-128-256, about a fifth of ``dcnn``'s multiply-adds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
from keras import layers

from moodrec.core.emotions import EMOTIONS

from .test_time import view_indices

INPUT_SHAPE = (48, 48, 1)
N_CLASSES = len(EMOTIONS)


def _inputs() -> tuple[keras.KerasTensor, keras.KerasTensor]:
    inputs = keras.Input(INPUT_SHAPE, name="face_48x48_grey_0_255")
    return inputs, layers.Rescaling(1.0 / 255, name="to_unit_range")(inputs)


def build_cnn() -> keras.Model:
    """The study's ``cnn`` (reported 0.596 on PublicTest)."""
    inputs, x = _inputs()
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Dropout(0.25)(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.5)(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(N_CLASSES, activation="softmax", name="emotion")(x)
    return keras.Model(inputs, outputs, name="cnn")


def build_dcnn() -> keras.Model:
    """The study's ``dcnn`` (reported 0.694 on PublicTest): ELU, he_normal, 'same' padding."""
    inputs, x = _inputs()

    def conv(x, filters: int, size: int):
        x = layers.Conv2D(filters, size, activation="elu", padding="same",
                          kernel_initializer="he_normal")(x)
        return layers.BatchNormalization()(x)

    for block, (filters, size, repeats, dropout) in enumerate(
        ((64, 5, 2, 0.4), (128, 3, 3, 0.4), (128, 3, 3, 0.4), (256, 3, 2, 0.5)), start=1
    ):
        for _ in range(repeats):
            x = conv(x, filters, size)
        x = layers.MaxPooling2D(name=f"pool_{block}")(x)
        x = layers.Dropout(dropout)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="elu", kernel_initializer="he_normal")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.6)(x)
    outputs = layers.Dense(N_CLASSES, activation="softmax", name="emotion")(x)
    return keras.Model(inputs, outputs, name="dcnn")


def build_compact(*, widths: tuple[int, ...], head_width: int, dropout: float) -> keras.Model:
    """This project's network: pairs of 3x3 conv + BN + ReLU per stage, max-pooling between
    stages (48 -> 24 -> 12 -> 6), one wide 3x3 conv at 6x6, global average pooling, dropout,
    softmax. Bias-free convolutions (batch normalisation supplies the shift)."""
    inputs, x = _inputs()

    def conv(x, filters: int):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False,
                          kernel_initializer="he_normal")(x)
        x = layers.BatchNormalization()(x)
        return layers.ReLU()(x)

    for filters in widths:
        x = conv(conv(x, filters), filters)
        x = layers.MaxPooling2D()(x)
    x = conv(x, head_width)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(N_CLASSES, activation="softmax", name="emotion")(x)
    return keras.Model(inputs, outputs, name="compact")


ARCHITECTURES: dict[str, Callable[..., keras.Model]] = {
    "cnn": build_cnn,
    "dcnn": build_dcnn,
    "compact": build_compact,
}


def build_model(name: str, **options: Any) -> keras.Model:
    """The named network (uncompiled); ``options`` (``face_training.architectures.<name>.model``)
    go to its builder: ``compact``'s, the study's networks take none."""
    if name not in ARCHITECTURES:
        raise ValueError(
            f"unknown face architecture {name!r}; expected one of {', '.join(ARCHITECTURES)}"
        )
    if options and name != "compact":
        raise ValueError(f"architecture {name!r} is fixed (the study's); got options {options}")
    if "widths" in options:
        options["widths"] = tuple(options["widths"])
    return ARCHITECTURES[name](**options)


def augmentation(*, rotation_degrees: float, shift: float, shear: float, zoom: float,
                 horizontal_flip: bool, erasing: float, seed: int) -> keras.Sequential:
    """Training augmentation as Keras 3 preprocessing layers (active in training only).

    Flip, rotation, shift, shear and zoom (``fill_mode="nearest"`` as the study's
    ``ImageDataGenerator``), then random erasing: ``erasing`` is the largest share of the
    face's side that one erased rectangle may cover (0 = off). Erasing makes the network read
    the whole face instead of one cue (a mouth), which is what a hand, glasses or a shadow take
    away in a real photo. ``shear`` is ``RandomShear``'s intensity (0 = off).
    """
    blocks: list[layers.Layer] = []
    if horizontal_flip:
        blocks.append(layers.RandomFlip("horizontal", seed=seed))
    if rotation_degrees:
        blocks.append(layers.RandomRotation(rotation_degrees / 360.0, fill_mode="nearest",
                                            seed=seed + 1))
    if shift:
        blocks.append(layers.RandomTranslation(shift, shift, fill_mode="nearest", seed=seed + 2))
    if shear:
        blocks.append(layers.RandomShear(x_factor=shear, y_factor=shear, fill_mode="nearest",
                                         seed=seed + 3))
    if zoom:
        blocks.append(layers.RandomZoom(zoom, zoom, fill_mode="nearest", seed=seed + 4))
    if erasing:
        blocks.append(layers.RandomErasing(factor=1.0, scale=(0.02, erasing), fill_value=None,
                                           value_range=(0, 255), seed=seed + 5))
    return keras.Sequential(blocks, name="augmentation")


def _fixed_map(x: keras.KerasTensor, source: np.ndarray, axis: str, name: str
               ) -> keras.KerasTensor:
    """Output pixel ``i`` along ``axis`` (``rows`` or ``cols``) = input pixel ``source[i]``:
    a fixed 0/1 bias-free ``Dense`` on that axis (plain Keras layers, exact, loadable without
    custom code and exported to ONNX as a MatMul)."""
    to_last, back = ((1, 3, 2), (1, 3, 2)) if axis == "cols" else ((3, 2, 1), (3, 2, 1))
    matrix = np.zeros((len(source), len(source)), np.float32)
    matrix[source, np.arange(len(source))] = 1.0
    mapping = layers.Dense(len(source), use_bias=False, trainable=False, name=name)
    x = mapping(layers.Permute(to_last, name=f"{name}_last")(x))
    mapping.set_weights([matrix])
    return layers.Permute(back, name=f"{name}_back")(x)


def _with_logit_bias(network: keras.Model, bias: np.ndarray, name: str) -> keras.Model:
    """A copy of ``network`` whose output layer (``emotion``) adds ``bias`` to its logits."""
    copy = keras.models.clone_model(network)
    copy.set_weights(network.get_weights())
    output = copy.get_layer("emotion")
    kernel, shift = output.get_weights()
    output.set_weights([kernel, shift + bias.astype(np.float32)])
    return keras.Model(copy.input, copy.output, name=name)


def shipped_model(networks: list[keras.Model], views: list[dict[str, Any]],
                  bias: np.ndarray) -> keras.Model:
    """What is saved and shipped: the mean, over the members ``networks`` and the test-time
    ``views`` of the face, of softmax(logits + ``bias``).

    Built into the saved model (and so into its ONNX export), evaluation, ``moodrec`` and the
    person path all use the same test-time augmentation and bias without knowing of them.
    A view is :func:`.test_time.view_indices` (mirror, then a shift with the border repeated).
    """
    inputs = keras.Input(INPUT_SHAPE, name="face_48x48_grey_0_255")
    members = [_with_logit_bias(net, bias, f"member_{i}") for i, net in enumerate(networks)]
    outputs = []
    for v, view in enumerate(views):
        rows, cols = view_indices(view)
        x = inputs
        if not np.array_equal(cols, np.arange(len(cols))):
            x = _fixed_map(x, cols, "cols", f"view_{v}_cols")
        if not np.array_equal(rows, np.arange(len(rows))):
            x = _fixed_map(x, rows, "rows", f"view_{v}_rows")
        outputs += [member(x) for member in members]
    averaged = layers.Average(name="averaged")(outputs) if len(outputs) > 1 else outputs[0]
    return keras.Model(inputs, averaged, name="face_model")


def multiply_adds(model: keras.Model) -> int:
    """Multiply-adds of one forward pass of one image (convolutions and dense layers)."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            _, h, w, c_out = layer.output.shape
            k_h, k_w = layer.kernel_size
            c_in = layer.input.shape[-1]
            total += h * w * c_out * k_h * k_w * c_in
        elif isinstance(layer, layers.Dense):
            total += layer.input.shape[-1] * layer.units
    return int(total)
