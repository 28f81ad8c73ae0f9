"""FER2013 in its published forms -> the project's ``face-data.csv.gz``."""

from __future__ import annotations

import gzip
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from moodrec.core.emotions import DROPPED, EMOTIONS, FER2013_CODES
from moodrec.fetch import FetchError, VerificationError, fetch_data
from moodrec.fetch.face_source import prepare_face_data
from moodrec.fetch.layout import FaceSpec
from moodrec.fetch.verify import verify_face_data
from tests.fetch.builders import face_data_frame, fer2013_frame, leftovers

DROPPED_CODES = [code for code, name in FER2013_CODES.items() if name in DROPPED]


def test_seven_class_fer2013_is_converted(tmp_path: Path) -> None:
    original = fer2013_frame(per_code=3)
    source = tmp_path / "fer2013.csv"
    original.to_csv(source, index=False)
    out = tmp_path / "face-data.csv.gz"
    note = prepare_face_data(source, out)
    assert "3 rows of" in note and FER2013_CODES[DROPPED_CODES[0]] in note

    faces = pd.read_csv(out, compression="gzip")
    kept = original[~original["emotion"].isin(DROPPED_CODES)].reset_index(drop=True)
    assert list(faces.columns) == ["emotion_label", "Usage", "pixels", "emotion"]
    assert faces["emotion_label"].tolist() == kept["emotion"].tolist()
    assert faces["emotion"].tolist() == [FER2013_CODES[c] for c in kept["emotion"]]
    assert set(faces["emotion"]) == set(EMOTIONS)
    assert faces["Usage"].tolist() == kept["Usage"].tolist()
    assert faces["pixels"].tolist() == kept["pixels"].tolist()
    assert verify_face_data(FaceSpec(), out, name="face-data.csv.gz", strict=False)
    # Same input, same bytes (fixed gzip timestamp).
    again = tmp_path / "again.csv.gz"
    prepare_face_data(source, again)
    assert again.read_bytes() == out.read_bytes()


def test_published_split_counts_are_checked_after_conversion(tmp_path: Path) -> None:
    source = tmp_path / "fer2013.csv"
    fer2013_frame(per_code=3).to_csv(source, index=False)  # 21 rows, 3 dropped, 6 per split
    out = tmp_path / "face-data.csv.gz"
    prepare_face_data(source, out)
    right = FaceSpec(usage_rows={"Training": 6, "PublicTest": 6, "PrivateTest": 6})
    assert verify_face_data(right, out, name="f", strict=True).startswith("18 rows")
    wrong = FaceSpec(usage_rows={"Training": 7, "PublicTest": 6, "PrivateTest": 5})
    with pytest.raises(VerificationError, match="column 'Usage': 6 Training rows, expected 7"):
        verify_face_data(wrong, out, name="f", strict=True)


@pytest.mark.parametrize("packing", ["zip", "tar.gz"])
def test_fer2013_inside_an_archive(tmp_path: Path, packing: str) -> None:
    csv = tmp_path / "fer2013.csv"
    fer2013_frame().to_csv(csv, index=False)
    archive = tmp_path / f"fer2013.{packing}"
    if packing == "zip":
        with zipfile.ZipFile(archive, "w") as zf:
            zf.write(csv, "fer2013/fer2013.csv")
            zf.writestr("fer2013/README", "readme")
    else:
        with tarfile.open(archive, "w:gz") as tf:
            tf.add(csv, "fer2013/fer2013.csv")
    out = tmp_path / "face-data.csv.gz"
    assert prepare_face_data(archive, out).startswith("converted")
    assert len(pd.read_csv(out)) == 12


def test_study_face_data_plain_is_compressed_and_gzip_is_copied(tmp_path: Path) -> None:
    plain = tmp_path / "face-data.csv"
    face_data_frame().to_csv(plain, index=False)
    out = tmp_path / "out.csv.gz"
    assert prepare_face_data(plain, out) == "compressed"
    assert gzip.decompress(out.read_bytes()) == plain.read_bytes()
    copied = tmp_path / "copied.csv.gz"
    assert prepare_face_data(out, copied) == "copied"
    assert copied.read_bytes() == out.read_bytes()


def test_fer2013_through_the_command(tmp_path: Path) -> None:
    source = tmp_path / "fer2013.csv"
    fer2013_frame().to_csv(source, index=False)
    dest = tmp_path / "raw"
    [outcome] = fetch_data(dest, only=["faces"], fer2013=source, strict=False)
    assert outcome.status == "fetched", outcome.detail
    assert "12 rows" in outcome.detail and "converted" in outcome.detail
    assert leftovers(dest) == []


def test_unknown_code_names_the_line_and_writes_nothing(tmp_path: Path) -> None:
    frame = fer2013_frame()
    frame.loc[4, "emotion"] = 9
    source = tmp_path / "fer2013.csv"
    frame.to_csv(source, index=False)
    dest = tmp_path / "raw"
    [outcome] = fetch_data(dest, only=["faces"], fer2013=source, strict=False)
    assert outcome.status == "failed"
    assert "fer2013.csv, line 6, column 'emotion': '9'" in outcome.detail
    assert not (dest / "face-data.csv.gz").exists()
    assert leftovers(dest) == []


def test_unknown_format_names_the_header(tmp_path: Path) -> None:
    source = tmp_path / "faces.csv"
    pd.DataFrame({"label": [0], "image": ["1 2"]}).to_csv(source, index=False)
    with pytest.raises(
        FetchError, match=r"faces.csv: neither fer2013.csv .* header is \['label', 'image'\]"
    ):
        prepare_face_data(source, tmp_path / "out.csv.gz")


def test_missing_local_file_is_a_clear_error(tmp_path: Path) -> None:
    [outcome] = fetch_data(tmp_path, only=["faces"], fer2013=tmp_path / "nope.csv")
    assert outcome.status == "failed" and "nope.csv: no such file" in outcome.detail
