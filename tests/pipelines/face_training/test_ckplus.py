"""CK+48, the cross-corpus check: reading its folders, and the evaluation node."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from moodrec.core.emotions import EMOTIONS
from moodrec.core.faces import FaceDataError, parse_ckplus
from moodrec.pipelines.face_training.nodes import ckplus_faces, evaluate_cross_corpus

DROPPED = ["contempt", "disgust"]


def _face(value: int) -> np.ndarray:
    return np.full((48, 48), value, np.uint8)


def test_folders_become_labels_subjects_and_dropped_counts():
    faces = {"happy/S010_006_00000013": _face(1), "anger/S011_004_00000019": _face(2),
             "contempt/S012_001_00000001": _face(3), "sadness/S010_002_00000014": _face(4)}
    images, labels, subjects, dropped = parse_ckplus(faces, DROPPED)
    assert images.shape == (3, 48, 48, 1) and images.dtype == np.uint8
    assert [EMOTIONS[i] for i in labels] == ["happiness", "anger", "sadness"]
    assert subjects.tolist() == ["S010", "S011", "S010"]
    assert dropped == {"contempt": 1, "disgust": 0}


def test_an_unknown_folder_or_a_bad_face_names_the_file():
    with pytest.raises(FaceDataError, match="elation/S001_001_00000001"):
        parse_ckplus({"elation/S001_001_00000001": _face(0)}, DROPPED)
    with pytest.raises(FaceDataError, match="fear/S001_001_00000002"):
        parse_ckplus({"fear/S001_001_00000002": np.zeros((40, 48), np.uint8)}, DROPPED)
    with pytest.raises(FaceDataError, match="no face"):
        parse_ckplus({"disgust/S001_001_00000003": _face(0)}, DROPPED)


def test_the_node_reads_the_partitions_in_order_as_grey():
    colour = Image.fromarray(np.full((48, 48, 3), 200, np.uint8))
    partitions = {"surprise/S002_001_00000002": lambda: colour,
                  "fear/S001_001_00000001": lambda: Image.fromarray(_face(9))}
    images, labels, subjects, _ = ckplus_faces(partitions, DROPPED)
    assert subjects.tolist() == ["S001", "S002"]
    assert [EMOTIONS[i] for i in labels] == ["fear", "surprise"]
    assert images[0].max() == 9 and images[1].min() == 200


class _Fixed:
    """A 'model' answering a fixed class per face."""

    def __init__(self, answers):
        self.answers = answers

    def predict(self, x, batch_size, verbose):
        return np.eye(6)[self.answers[: len(x)]]


def test_cross_corpus_figures_by_face_and_by_subject():
    a, f, h = (EMOTIONS.index(n) for n in ("anger", "fear", "happiness"))
    labels = np.array([a, a, f, h])
    subjects = np.array(["S1", "S1", "S1", "S2"])
    model = _Fixed(np.array([a, EMOTIONS.index("neutral"), f, h]))
    m = evaluate_cross_corpus(model, np.zeros((4, 48, 48, 1), np.uint8), labels, subjects,
                              {"contempt": 2})
    assert m["accuracy"] == pytest.approx(0.75) and m["subjects"] == 2
    assert m["subject_mean_accuracy"] == pytest.approx((2 / 3 + 1) / 2)
    assert m["recall"] == {"anger": 0.5, "fear": 1.0, "happiness": 1.0}
    assert m["prediction_share"]["neutral"] == pytest.approx(0.25)
    assert m["macro_f1_present_classes"] == pytest.approx((2 / 3 + 1 + 1) / 3)
    assert m["dropped"] == {"contempt": 2}
