"""Parsing FER2013 tables (moodrec.core.faces): valid input, the real file, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.core.faces import (
    FaceDataError,
    check_usage,
    parse_face_table,
    parse_pixels,
    to_model_input,
)
from tests.pipelines.face_training.conftest import CODE_OF, face_table


def test_parse_pixels_is_row_major_uint8():
    values = np.arange(48 * 48) % 256
    images = parse_pixels(pd.Series([" ".join(map(str, values)), " ".join(["7"] * 2304)]))
    assert images.shape == (2, 48, 48) and images.dtype == np.uint8
    assert images[0, 0, :3].tolist() == [0, 1, 2]
    assert images[0, 1, 0] == 48  # second image row starts at pixel 48
    assert (images[1] == 7).all()


def test_parse_face_table_labels_follow_emotions(table):
    images, labels = parse_face_table(table)
    assert images.shape == (len(table), 48, 48, 1)
    assert [EMOTIONS[i] for i in labels] == table["emotion"].tolist()


def test_kaggle_schema_numeric_emotion_and_disgust_dropped():
    table = face_table().drop(columns="emotion").rename(columns={"emotion_label": "emotion"})
    table.loc[0, "emotion"] = 1  # disgust: dropped, as the study did
    images, labels = parse_face_table(table)
    assert len(labels) == len(table) - 1
    assert labels[0] == EMOTIONS.index(table["emotion"].map(
        {c: n for n, c in CODE_OF.items()}).iloc[1])


@pytest.mark.parametrize(
    ("pixels", "message"),
    [
        (" ".join(["1"] * 2303), "row 4 .* has 2303 pixel values; expected 2304"),
        (" ".join(["1"] * 2305), "row 4 .* has 2305 pixel values"),
        (" ".join(["1"] * 2303 + ["1.5"]), "row 4 .* non-integer value '1.5'"),
        (" ".join(["1"] * 2303 + ["x"]), "row 4 .* non-integer value 'x'"),
        (" ".join(["1"] * 2303 + ["256"]), "row 4 .* value 256 at pixel 2303; .* 0-255"),
        (" ".join(["-1"] + ["1"] * 2303), "row 4 .* value -1 at pixel 0"),
        (None, "row 4 .* has no pixels"),
        ("", "row 4 .* non-integer"),
    ],
)
def test_bad_pixels_name_the_row(table, pixels, message):
    table.loc[4, "pixels"] = pixels
    with pytest.raises(FaceDataError, match=message):
        parse_face_table(table)


def test_unknown_emotion_name_and_code_name_the_row(table):
    bad = table.copy()
    bad.loc[3, "emotion"] = "grumpy"
    with pytest.raises(FaceDataError, match=r"emotion: row 3 .*unknown emotion 'grumpy'"):
        parse_face_table(bad)
    bad = table.copy()
    bad.loc[5, "emotion_label"] = 9
    with pytest.raises(FaceDataError, match=r"emotion_label: row 5 .* code 9"):
        parse_face_table(bad)
    bad = table.copy()
    bad.loc[2, "emotion_label"] = CODE_OF[EMOTIONS[0]] if bad.loc[2, "emotion"] != EMOTIONS[0] \
        else CODE_OF[EMOTIONS[1]]
    with pytest.raises(FaceDataError, match=r"row 2 .* disagrees with emotion_label"):
        parse_face_table(bad)


def test_usage_missing_or_unknown_names_the_row(table):
    bad = table.copy()
    bad.loc[7, "Usage"] = None
    with pytest.raises(FaceDataError, match=r"Usage: row 7 .* has no split"):
        check_usage(bad)
    bad.loc[7, "Usage"] = "Validation"
    with pytest.raises(FaceDataError, match=r"Usage: row 7 .* 'Validation'"):
        check_usage(bad)
    with pytest.raises(FaceDataError, match="no Usage column"):
        check_usage(table.drop(columns="Usage"))


def test_to_model_input_shapes_and_errors():
    face = np.full((48, 48), 255, np.uint8)
    assert to_model_input(face).shape == (1, 48, 48, 1)
    assert to_model_input(face[..., None]).shape == (1, 48, 48, 1)
    assert to_model_input(np.stack([face] * 3)).shape == (3, 48, 48, 1)
    assert to_model_input(face).dtype == np.float32 and to_model_input(face).max() == 255
    with pytest.raises(ValueError, match="48x48"):
        to_model_input(np.zeros((64, 64)))
    with pytest.raises(ValueError, match="0-255"):
        to_model_input(np.full((48, 48), 300.0))


@pytest.mark.real_data
def test_real_file_splits_and_labels(real_face_data):
    usage = check_usage(real_face_data).value_counts().to_dict()
    assert usage == {"Training": 28273, "PublicTest": 3533, "PrivateTest": 3534}
    sample = real_face_data.iloc[::500]
    images, labels = parse_face_table(sample)
    assert images.shape == (len(sample), 48, 48, 1)
    assert [EMOTIONS[i] for i in labels] == sample["emotion"].tolist()
    assert 40 < images.mean() < 200  # real faces, not blank
