"""FER2013 in its published forms -> ``face-data.csv.gz``, and the face table's blur check."""

from __future__ import annotations

import gzip
import tarfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy.ndimage import gaussian_filter

from moodrec.core.emotions import FER2013_CODES
from moodrec.core.faces import sharpness
from moodrec.fetch.faces import check_face_table, prepare_face_data
from moodrec.fetch.sources import VerificationError
from tests.fetch.conftest import USAGES, fer2013_frame

SPLITS = dict.fromkeys(USAGES, 6)


def _check(path: Path, strict: bool = True) -> str:
    return check_face_table(path, name="face-data.csv.gz", splits=SPLITS, sample=300,
                            min_ratio=0.5, strict=strict)


def test_seven_class_fer2013_is_converted(tmp_path: Path) -> None:
    original = fer2013_frame(per_code=3)
    original.to_csv(tmp_path / "fer2013.csv", index=False)
    out = tmp_path / "face-data.csv.gz"
    assert "3 disgust left out" in prepare_face_data(tmp_path / "fer2013.csv", out, tmp_path / "s")
    faces = pd.read_csv(out)
    kept = original[original["emotion"] != 1].reset_index(drop=True)
    assert faces["emotion_label"].tolist() == kept["emotion"].tolist()
    assert faces["emotion"].tolist() == [FER2013_CODES[c] for c in kept["emotion"]]
    assert faces[["Usage", "pixels"]].equals(kept[["Usage", "pixels"]])
    assert _check(out).startswith("18 rows (Training 6, PublicTest 6, PrivateTest 6)")
    prepare_face_data(tmp_path / "fer2013.csv", tmp_path / "again.gz", tmp_path / "s")
    assert (tmp_path / "again.gz").read_bytes() == out.read_bytes()  # fixed gzip timestamp


def test_an_unknown_code_names_file_and_line(tmp_path: Path) -> None:
    frame = fer2013_frame()
    frame.loc[4, "emotion"] = 9
    frame.to_csv(tmp_path / "fer2013.csv", index=False)
    with pytest.raises(VerificationError, match=r"fer2013.csv, line 6, column 'emotion': '9'"):
        prepare_face_data(tmp_path / "fer2013.csv", tmp_path / "out.gz", tmp_path / "s")


def test_the_image_folder_release_is_converted(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    names = {"train": ["Training_1.jpg", "Training_2.jpg"],
             "test": ["PublicTest_1.jpg", "PrivateTest_1.jpg"]}
    for top, files in names.items():
        for folder in ("angry", "disgust", "happy"):
            (tmp_path / "fer" / top / folder).mkdir(parents=True)
            for name in files:
                Image.fromarray(rng.integers(0, 256, (48, 48), np.uint8)).save(
                    tmp_path / "fer" / top / folder / name)
    with zipfile.ZipFile(tmp_path / "fer.zip", "w") as zf:  # as Kaggle gives it
        for path in (tmp_path / "fer").rglob("*.jpg"):
            zf.write(path, path.relative_to(tmp_path).as_posix())
    out = tmp_path / "face-data.csv.gz"
    assert "4 disgust left out" in prepare_face_data(tmp_path / "fer.zip", out, tmp_path / "s")
    faces = pd.read_csv(out)
    assert faces["Usage"].tolist() == ["Training"] * 4 + ["PublicTest"] * 2 + ["PrivateTest"] * 2
    assert set(faces["emotion"]) == {"anger", "happiness"}
    assert faces["pixels"].str.split().str.len().eq(2304).all()
    Image.new("L", (64, 64)).save(tmp_path / "fer/train/angry/Training_3.jpg")
    with pytest.raises(VerificationError, match="Training_3.jpg: 64x64 pixels"):
        prepare_face_data(tmp_path / "fer", out, tmp_path / "s")
    (tmp_path / "fer/train/angry/Training_3.jpg").write_bytes(b"<html>not a JPEG</html>")
    with pytest.raises(VerificationError, match="fer: cannot read it as FER2013"):
        prepare_face_data(tmp_path / "fer", out, tmp_path / "s")


def test_archives_and_the_projects_own_table(tmp_path: Path) -> None:
    fer2013_frame().to_csv(tmp_path / "fer2013.csv", index=False)
    with tarfile.open(tmp_path / "fer2013.tar.gz", "w:gz") as tf:
        tf.add(tmp_path / "fer2013.csv", "fer2013/fer2013.csv")
    out = tmp_path / "face-data.csv.gz"
    assert prepare_face_data(tmp_path / "fer2013.tar.gz", out, tmp_path / "s").startswith(
        "converted from fer2013.csv")
    plain = tmp_path / "face-data.csv"
    plain.write_bytes(gzip.decompress(out.read_bytes()))
    assert prepare_face_data(plain, tmp_path / "c.gz", tmp_path / "s") == "compressed"
    assert gzip.decompress((tmp_path / "c.gz").read_bytes()) == plain.read_bytes()
    assert prepare_face_data(out, tmp_path / "copy.gz", tmp_path / "s") == "copied"
    pd.DataFrame({"label": [0], "image": ["1 2"]}).to_csv(tmp_path / "faces.csv", index=False)
    with pytest.raises(VerificationError, match=r"faces.csv: neither .*\['label', 'image'\]"):
        prepare_face_data(tmp_path / "faces.csv", out, tmp_path / "s")


def test_sharpness_of_flat_and_edged_images() -> None:
    flat = np.full((1, 48, 48), 100.0)
    step = flat.copy()
    step[:, :, 24:] = 200.0
    assert sharpness(flat)[0] == 0
    # one column of 46 interior pixels on each side of the edge, |laplacian| = 100 each
    assert sharpness(step)[0] == pytest.approx(2 * 46 * 100 / (46 * 46))
    assert sharpness(step[..., None])[0] == sharpness(step)[0]


def _faces(tmp_path: Path, blur: float) -> Path:
    frame = fer2013_frame(per_code=3)
    frame = frame[frame["emotion"] != 1].rename(columns={"emotion": "emotion_label"})
    frame["emotion"] = frame["emotion_label"].map(FER2013_CODES)

    def blurred(row: str) -> str:
        face = np.array(row.split(), np.float32).reshape(48, 48)
        return " ".join(map(str, np.rint(gaussian_filter(face, blur)).astype(int).ravel()))

    training = frame["Usage"].eq("Training")
    if blur:
        frame.loc[training, "pixels"] = frame.loc[training, "pixels"].map(blurred)
    path = tmp_path / f"faces-{blur}.csv.gz"
    frame[["emotion_label", "Usage", "pixels", "emotion"]].to_csv(path, index=False)
    return path


def test_a_blurred_training_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VerificationError, match="face-data.csv.gz: the Training faces .*blurrier"):
        _check(_faces(tmp_path, 2.5))
    with pytest.warns(UserWarning, match="Training faces are much blurrier"):
        _check(_faces(tmp_path, 2.5), strict=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "median sharpness Training" in _check(_faces(tmp_path, 0))


def test_split_counts_and_format_are_checked(tmp_path: Path) -> None:
    path = _faces(tmp_path, 0)
    with pytest.raises(VerificationError, match="column 'Usage'"):
        check_face_table(path, name="f", splits=dict.fromkeys(USAGES, 7), sample=300,
                         min_ratio=0.5, strict=True)
    plain = tmp_path / "plain.csv"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    with pytest.raises(VerificationError, match="face-data.csv.gz: not a gzip file"):
        _check(plain)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a truncated copy
    with pytest.raises(VerificationError, match="face-data.csv.gz: not a readable face table"):
        _check(path)
