"""Sharpness of faces, the blur estimate, and the model's built-in blur (same numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.face_sharpness import estimate_blur_sigma, gaussian_blur, sharpness
from moodrec.pipelines.face_training.architectures import sharpness_matching
from moodrec.pipelines.face_training.nodes import check_face_sharpness

GRID = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]


@pytest.fixture(scope="module")
def sharp_faces() -> np.ndarray:
    """Checkerboard-like textures: sharp edges at every scale, 48x48, values 0-255."""
    rng = np.random.default_rng(0)
    blocks = rng.integers(0, 256, (40, 12, 12, 1)).astype(np.float32)
    return np.repeat(np.repeat(blocks, 4, axis=1), 4, axis=2)


def test_sharpness_of_flat_and_edged_images():
    flat = np.full((1, 48, 48), 100.0)
    step = flat.copy()
    step[:, :, 24:] = 200.0
    assert sharpness(flat)[0] == 0
    # one column of 46 interior pixels on each side of the edge, |laplacian| = 100 each
    assert sharpness(step)[0] == pytest.approx(2 * 46 * 100 / (46 * 46))


def test_blur_lowers_sharpness_monotonically(sharp_faces):
    values = [np.median(sharpness(gaussian_blur(sharp_faces, s))) for s in (0, 1, 2, 3)]
    assert values == sorted(values, reverse=True) and values[-1] < values[0] / 5


@pytest.mark.parametrize("true_sigma", [1.5, 2.5])
def test_estimate_recovers_a_known_blur(sharp_faces, true_sigma):
    blurred = gaussian_blur(sharp_faces[:20], true_sigma)
    sigma, table = estimate_blur_sigma(blurred, sharp_faces[20:], GRID)
    assert sigma == pytest.approx(true_sigma, abs=0.5)
    assert [row["sigma"] for row in table] == GRID


def test_model_blur_equals_the_numpy_blur(sharp_faces):
    block = sharpness_matching(2.75)
    got = np.asarray(block(sharp_faces[:4]))
    assert np.abs(got - gaussian_blur(sharp_faces[:4], 2.75)).max() < 1e-2
    assert all(not w.trainable for w in block.weights)
    # a flat image stays flat up to the borders (normalised convolution, no dark frame)
    flat = np.full((1, 48, 48, 1), 80.0, np.float32)
    assert np.abs(np.asarray(block(flat)) - 80.0).max() < 1e-2


def test_check_decides_blur_only_for_a_blurrier_training_split(sharp_faces):
    settings = {"mode": "auto", "min_ratio": 0.5, "sigma_grid": GRID, "sample": 100}
    blurry = gaussian_blur(sharp_faces, 2.0)
    report = check_face_sharpness(blurry, sharp_faces, settings, seed=0)
    assert report["train_to_select_ratio"] < 0.5
    assert report["sigma"] == pytest.approx(2.0, abs=0.5)
    same = check_face_sharpness(sharp_faces, sharp_faces, settings, seed=0)
    assert same["sigma"] == 0.0 and same["search"] == []
    assert check_face_sharpness(blurry, sharp_faces, {**settings, "mode": "off"}, 0)["sigma"] == 0
    fixed = check_face_sharpness(sharp_faces, sharp_faces,
                                 {**settings, "mode": "fixed", "sigma": 1.25}, 0)
    assert fixed["sigma"] == 1.25
    with pytest.raises(ValueError, match="mode must be auto, fixed or off"):
        check_face_sharpness(sharp_faces, sharp_faces, {**settings, "mode": "sometimes"}, 0)


@pytest.mark.real_data
def test_the_shared_training_split_is_blurred(shared_data):
    """Documents the defect of the shared FER2013 copy that the pipeline compensates."""
    import pandas as pd

    from moodrec.faces import parse_face_table

    table = pd.read_csv(shared_data / "face-data.csv.gz", nrows=40_000, dtype={"pixels": str})
    medians = {}
    for usage in ("Training", "PrivateTest", "PublicTest"):
        images, _ = parse_face_table(table[table.Usage == usage].head(500), where=usage)
        medians[usage] = float(np.median(sharpness(images)))
    assert medians["Training"] < 0.2 * medians["PrivateTest"]
    assert medians["PublicTest"] == pytest.approx(medians["PrivateTest"], rel=0.2)
