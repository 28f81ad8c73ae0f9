"""Face sharpness: the measure, the fetch-time check that refuses a blurred training split,
and the shared FER2013 copy (repaired: every split equally sharp)."""

from __future__ import annotations

import gzip
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.ndimage import gaussian_filter

from moodrec.core.faces import parse_face_table, sharpness
from moodrec.fetch import VerificationError
from moodrec.fetch.layout import FACES, FaceSpec
from moodrec.fetch.verify import verify
from tests.fetch.builders import USAGES, face_data_frame


def test_sharpness_of_flat_and_edged_images():
    flat = np.full((1, 48, 48), 100.0)
    step = flat.copy()
    step[:, :, 24:] = 200.0
    assert sharpness(flat)[0] == 0
    # one column of 46 interior pixels on each side of the edge, |laplacian| = 100 each
    assert sharpness(step)[0] == pytest.approx(2 * 46 * 100 / (46 * 46))
    assert sharpness(step[..., None])[0] == sharpness(step)[0]


def _blur_training(frame: pd.DataFrame, sigma: float) -> pd.DataFrame:
    def blur(row: str) -> str:
        face = np.array(row.split(), np.float32).reshape(48, 48)
        return " ".join(map(str, np.rint(gaussian_filter(face, sigma)).astype(int).ravel()))

    training = frame["Usage"].eq("Training")
    return frame.assign(pixels=frame["pixels"].where(~training, frame["pixels"].map(blur)))


def _write(frame: pd.DataFrame, path: Path) -> Path:
    with gzip.open(path, "wt", newline="") as fh:
        frame.to_csv(fh, index=False)
    return path


def test_fetch_refuses_a_blurred_training_split_naming_file_and_medians(tmp_path: Path):
    path = _write(_blur_training(face_data_frame(12), 2.5), tmp_path / "f.gz")
    with pytest.raises(VerificationError) as err:
        verify(FaceSpec(usage_rows=dict.fromkeys(USAGES, 4)), path, name="face-data.csv.gz")
    message = str(err.value)
    assert message.startswith("face-data.csv.gz: the Training faces are much blurrier")
    assert "median sharpness Training " in message and "PublicTest " in message
    with pytest.warns(UserWarning, match="Training faces are much blurrier"):
        verify(FACES.spec, path, name="face-data.csv.gz", strict=False)


def test_fetch_reports_medians_of_equally_sharp_splits(tmp_path: Path):
    path = _write(face_data_frame(12), tmp_path / "f.gz")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summary = verify(FACES.spec, path, name="face-data.csv.gz", strict=False)
    assert "median sharpness Training" in summary


@pytest.mark.real_data
def test_the_shared_splits_are_equally_sharp(shared_data):
    """The repaired shared copy: Training as sharp as the test splits (README: medians
    28.46, 28.59, 28.61); an earlier copy had Training blurred to about 1.9."""
    table = pd.read_csv(shared_data / "face-data.csv.gz", nrows=40_000, dtype={"pixels": str})
    medians = {}
    for usage in ("Training", "PrivateTest", "PublicTest"):
        images, _ = parse_face_table(table[table.Usage == usage].head(500), where=usage)
        medians[usage] = float(np.median(sharpness(images)))
    assert medians["Training"] == pytest.approx(medians["PrivateTest"], rel=0.2)
    assert medians["PublicTest"] == pytest.approx(medians["PrivateTest"], rel=0.2)
    assert medians["Training"] > 20
