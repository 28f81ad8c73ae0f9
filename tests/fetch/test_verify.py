"""Verification: every problem is named by file, column and line."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS, FER2013_CODES
from moodrec.fetch import VerificationError
from moodrec.fetch.layout import FACES, SOUNDTRACKS, STUDY, FaceSpec, RavdessSpec
from moodrec.fetch.verify import verify, verify_ravdess
from tests.fetch.builders import face_data_frame, speech_name, tiny_csv, wav_bytes

SET1 = SOUNDTRACKS[0]
FACIAL = STUDY[1]


def _gz(frame: pd.DataFrame, path: Path) -> Path:
    with gzip.open(path, "wt", newline="") as fh:
        frame.to_csv(fh, index=False)
    return path


def _face_error(tmp_path: Path, frame: pd.DataFrame) -> str:
    with pytest.raises(VerificationError) as err:
        verify(FACES.spec, _gz(frame, tmp_path / "f.gz"), name="face-data.csv.gz", strict=False)
    return str(err.value)


def test_face_pixel_count_names_the_line(tmp_path: Path) -> None:
    frame = face_data_frame()
    frame.loc[2, "pixels"] = frame.loc[2, "pixels"].rsplit(" ", 1)[0]
    assert _face_error(tmp_path, frame) == (
        "face-data.csv.gz, line 4, column 'pixels': 2303 values, expected 2304 (48x48)"
    )


def test_face_pixel_values_are_checked(tmp_path: Path) -> None:
    frame = face_data_frame()
    frame.loc[0, "pixels"] = "300" + frame.loc[0, "pixels"][frame.loc[0, "pixels"].index(" ") :]
    assert "line 2, column 'pixels': values must be integers 0-255" in _face_error(tmp_path, frame)


def test_face_name_must_match_code(tmp_path: Path) -> None:
    frame = face_data_frame()
    frame.loc[1, "emotion"] = (
        EMOTIONS[-1] if frame.loc[1, "emotion"] != EMOTIONS[-1] else EMOTIONS[0]
    )
    assert "line 3, column 'emotion'" in _face_error(tmp_path, frame)


def test_face_dropped_class_is_named(tmp_path: Path) -> None:
    frame = face_data_frame()
    frame.loc[0, "emotion_label"] = 1
    message = _face_error(tmp_path, frame)
    assert "line 2, column 'emotion_label': '1'" in message and FER2013_CODES[1] in message


def test_face_missing_column_and_non_gzip(tmp_path: Path) -> None:
    assert "missing column(s) 'Usage'" in _face_error(
        tmp_path, face_data_frame().drop(columns=["Usage"])
    )
    plain = tmp_path / "plain.csv"
    face_data_frame().to_csv(plain, index=False)
    with pytest.raises(VerificationError, match="x.gz: not a gzip file"):
        verify(FaceSpec(), plain, name="x.gz")


def test_face_truncated_gzip_is_reported(tmp_path: Path) -> None:
    path = _gz(face_data_frame(60), tmp_path / "f.gz")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(VerificationError, match="face-data.csv.gz: corrupt gzip data"):
        verify(FACES.spec, path, name="face-data.csv.gz", strict=False)


def test_csv_non_number_names_line_and_column(tmp_path: Path) -> None:
    frame = tiny_csv(SET1.spec)
    frame.loc[1, "valence"] = "n/a"
    frame.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(VerificationError) as err:
        verify(SET1.spec, tmp_path / "s.csv", name=SET1.target, strict=False)
    assert str(err.value) == (
        "soundtracks/mean_ratings_set1.csv, line 3, column 'valence': 'n/a' is not a number"
    )


def test_csv_extra_column_and_order(tmp_path: Path) -> None:
    frame = tiny_csv(SET1.spec)
    frame.assign(extra=1).to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(VerificationError, match="unexpected column.*'extra'"):
        verify(SET1.spec, tmp_path / "a.csv", name=SET1.target, strict=False)
    frame[list(reversed(frame.columns))].to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(VerificationError, match="column order"):
        verify(SET1.spec, tmp_path / "b.csv", name=SET1.target, strict=False)


def test_predictions_need_every_emotion(tmp_path: Path) -> None:
    frame = tiny_csv(FACIAL.spec).drop(columns=[EMOTIONS[2]])
    frame.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(
        VerificationError, match=f"study/facial-recommendation.csv: .*{EMOTIONS[2]}"
    ):
        verify(FACIAL.spec, tmp_path / "p.csv", name=FACIAL.target, strict=False)


def test_empty_csv_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(VerificationError, match="not a readable CSV"):
        verify(SET1.spec, tmp_path / "e.csv", name=SET1.target, strict=False)


def _speech_tree(root: Path, actors=(1, 2), per_actor=2) -> Path:
    for actor in actors:
        for emotion in range(1, per_actor + 1):
            path = root / f"Actor_{actor:02d}" / speech_name(actor, emotion)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(wav_bytes())
    return root


def test_ravdess_checks(tmp_path: Path) -> None:
    root = _speech_tree(tmp_path / "ravdess")
    small = RavdessSpec(actors=2, files_per_actor=2)
    assert verify_ravdess(small, root, name="ravdess") == "4 files in 2 actor folders"
    with pytest.raises(VerificationError, match="2 actor folders, expected 24 .*Actor_03"):
        verify_ravdess(RavdessSpec(), root, name="ravdess")

    moved = root / "Actor_02" / speech_name(1, 3)
    moved.write_bytes(wav_bytes())
    with pytest.raises(VerificationError, match="Actor_02/03-01-03.*: actor 01 in folder Actor_02"):
        verify_ravdess(small, root, name="ravdess", strict=False)
    moved.unlink()

    fake = root / "Actor_01" / speech_name(1, 5)
    fake.write_bytes(b"<html>")
    with pytest.raises(VerificationError, match="not a valid wav file"):
        verify_ravdess(small, root, name="ravdess", strict=False)
    fake.unlink()

    shutil.rmtree(root / "Actor_02")
    (root / "Actor_01" / speech_name(1, 1)).unlink()
    with pytest.raises(VerificationError, match="ravdess/Actor_01: 1 files, expected 2"):
        verify_ravdess(RavdessSpec(actors=1, files_per_actor=2), root, name="ravdess")
