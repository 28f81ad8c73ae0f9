"""The vocabulary module: every spelling the sources use maps to one of six names."""

import numpy as np
import pandas as pd
import pytest

from moodrec.core import emotions
from moodrec.core.emotions import EMOTIONS, UnknownEmotionError


def test_six_emotions_in_model_order():
    assert len(EMOTIONS) == 6 and len(set(EMOTIONS)) == 6
    assert set(emotions.CATALOGUE_CATEGORY) == set(EMOTIONS)


@pytest.mark.parametrize(
    ("spelling", "expected_index"),
    [("angry", 0), ("ANGER", 0), ("fearful", 1), ("HAPPY", 2), ("happy", 2), ("sad", 3),
     ("SURPRISE", 4), ("surprised", 4), ("TENDER", 5), ("TENDER(Neutral）", 5),
     (" Neutral ", 5)],
)
def test_aliases(spelling, expected_index):
    assert emotions.canonical(spelling) == EMOTIONS[expected_index]
    assert emotions.labels_to_indices([spelling]).tolist() == [expected_index]


@pytest.mark.parametrize("bad", ["disgust", "calm", "bored", "", None, 3])
def test_unknown_or_dropped_labels_raise(bad):
    with pytest.raises(UnknownEmotionError):
        emotions.canonical(bad)


def test_dropped_labels_allowed_on_request():
    assert emotions.canonical("DISGUST", allow_dropped=True) == "disgust"


def test_error_names_the_row():
    with pytest.raises(UnknownEmotionError, match=r"my.csv, row 2"):
        emotions.labels_to_indices([EMOTIONS[0], EMOTIONS[1], "bored"], where="my.csv")


def test_indices_round_trip():
    indices = emotions.labels_to_indices(list(reversed(EMOTIONS)))
    np.testing.assert_array_equal(indices, np.arange(5, -1, -1))
    assert emotions.indices_to_labels(indices) == list(reversed(EMOTIONS))


def test_probability_columns_missing_and_duplicate():
    with pytest.raises(UnknownEmotionError, match="missing probability column"):
        emotions.probability_columns(list(EMOTIONS[:5]) + ["pred_label"])
    with pytest.raises(UnknownEmotionError, match="two columns"):
        emotions.probability_columns(list(EMOTIONS) + ["HAPPY"])


def test_every_spelling_in_the_real_sources_is_known(shared_data):
    """All label spellings found in the study's files and the catalogue resolve."""
    face = pd.read_csv(shared_data / "seed" / "facial-recommendation.csv")
    audio = pd.read_csv(shared_data / "seed" / "audio-recommendation.csv")
    study_map = pd.read_csv(shared_data / "seed" / "map.csv", encoding="utf-8-sig")
    ratings = pd.read_csv(shared_data / "soundtracks" / "mean_ratings_set1.csv",
                          encoding="utf-8-sig")
    for table in (face, audio):
        mapping = emotions.probability_columns(table.columns)
        assert sorted(mapping.values()) == sorted(EMOTIONS)
    labels = [*face["emotion"], *face["pred_label"], *audio["label"], *audio["pred_label"]]
    assert set(emotions.canonical_labels(labels)) == set(EMOTIONS)
    map_emotions = {emotions.emotion_of_category(m) for m in study_map["Mood"]} - {None}
    assert map_emotions == set(EMOTIONS)
    catalogue = {emotions.emotion_of_category(t) for t in ratings["TARGET"]} - {None}
    assert catalogue == set(EMOTIONS)
    for emotion in EMOTIONS:
        assert emotions.CATALOGUE_CATEGORY[emotion] in set(ratings["TARGET"])


def test_top_emotion_and_probability_dict():
    p = np.eye(len(emotions.EMOTIONS))[2] * 0.7 + 0.05
    assert emotions.top_emotion(p) == emotions.EMOTIONS[2]
    shown = emotions.probability_dict(p / p.sum(), digits=3)
    assert list(shown) == list(emotions.EMOTIONS) and shown[emotions.EMOTIONS[2]] == 0.75
    with pytest.raises(ValueError):
        emotions.probability_dict([0.5, 0.5])


def test_label_key_ignores_case_width_and_spaces():
    assert emotions.label_key("TENDER(Neutral）") == emotions.label_key(" tender (neutral)")
    assert emotions.label_key("TENSION POS MODERATE") == "tensionposmoderate"
