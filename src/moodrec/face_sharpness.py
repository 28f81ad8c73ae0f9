"""Image sharpness across FER2013 splits, and the blur that makes two splits alike.

Why this exists: in the FER2013 copy this project is tested on (``../shared/data``), every
``Training`` face is strongly blurred while ``PrivateTest`` and ``PublicTest`` are sharp (median
sharpness 1.9 against 28.6; see ``docs/face_training.md``). A network trained on the blurred
faces scores at chance level on sharp ones. ``face_training`` therefore measures the splits'
sharpness, and when the training split is much blurrier than the selection split it estimates
the Gaussian blur that turns selection faces into training-like faces. That blur is built into
the shipped model's input (:func:`moodrec.pipelines.face_training.architectures.
sharpness_matching`), so every face the model sees at inference is brought to the training
data's sharpness. On sharp training data (Kaggle's ``fer2013.csv``) nothing is changed.

Sharpness = mean absolute 4-neighbour Laplacian of a grey image (pixel levels per pixel).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.ndimage import gaussian_filter


def sharpness(images: np.ndarray) -> np.ndarray:
    """Per-image mean absolute Laplacian of ``(n, h, w)`` or ``(n, h, w, 1)`` grey images."""
    x = np.asarray(images, np.float32)
    if x.ndim == 4:
        x = x[..., 0]
    centre = x[:, 1:-1, 1:-1]
    laplacian = 4 * centre - x[:, :-2, 1:-1] - x[:, 2:, 1:-1] - x[:, 1:-1, :-2] - x[:, 1:-1, 2:]
    return np.abs(laplacian).mean(axis=(1, 2))


def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """Blur each ``(n, h, w[, 1])`` image with a Gaussian of ``sigma`` pixels (float32).

    Borders are handled as a normalised convolution (the mean over the pixels inside the
    image), which is what the model's built-in blur computes too.
    """
    x = np.asarray(images, np.float32)
    if sigma <= 0:
        return x
    spatial = (0, sigma, sigma) + ((0,) if x.ndim == 4 else ())
    truncate = kernel_radius(sigma) / sigma
    blurred = gaussian_filter(x, spatial, mode="constant", cval=0.0, truncate=truncate)
    weight = gaussian_filter(np.ones_like(x[:1]), spatial, mode="constant", cval=0.0,
                             truncate=truncate)
    return blurred / weight


def kernel_radius(sigma: float) -> int:
    """Radius of the Gaussian kernel used for ``sigma`` (three standard deviations)."""
    return max(1, int(np.ceil(3 * sigma)))


def estimate_blur_sigma(
    blurred: np.ndarray, sharp: np.ndarray, grid: Sequence[float]
) -> tuple[float, list[dict[str, float]]]:
    """The ``sigma`` of ``grid`` whose blur brings the median sharpness of ``sharp`` closest
    to that of ``blurred`` (compared on a log scale), and the whole search table."""
    target = float(np.median(sharpness(blurred)))
    table = []
    for sigma in grid:
        value = float(np.median(sharpness(gaussian_blur(sharp, float(sigma)))))
        table.append({"sigma": float(sigma), "median_sharpness": round(value, 4),
                      "log_gap": round(abs(np.log(value / target)), 4)})
    best = min(table, key=lambda row: row["log_gap"])
    return best["sigma"], table
