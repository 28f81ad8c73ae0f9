"""Unit tests of the va_mapping nodes on small tables built from the vocabulary."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import ALIASES, CATALOGUE_CATEGORY, EMOTIONS
from moodrec.core.valence_arousal import (
    ITEM_COLUMNS,
    PERSON_COLUMNS,
    carry_distribution,
    to_valence_arousal,
)
from moodrec.pipelines.va_mapping.catalogues import (
    choose_catalogue,
    prepare_pmemo,
    prepare_songs1000,
)
from moodrec.pipelines.va_mapping.nodes import (
    emotion_points,
    map_predictions,
    map_table,
    study_emotion_points,
)
from moodrec.pipelines.va_mapping.plot import va_plane_figure
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import (
    pmemo_songs,
    points_of,
    prepare,
    songs1000_tables,
    tracklist_of,
)


def test_prepare_soundtracks_schema_and_emotions(ratings, va_params):
    items = prepare(ratings, va_params)
    assert list(items.columns) == list(ITEM_COLUMNS)
    # the six emotions' excerpts only: HIGH TENSION (the last row) stands for no emotion
    assert items["number"].tolist() == list(range(1, len(ratings)))  # "001" -> 1
    assert items["item"].iloc[0] == "soundtracks_set1:001"
    assert items["title"].iloc[0] == "#1 Album 0, track 1 [00:00-00:15]"
    assert items["arousal"].tolist() == ratings["energy"].iloc[:-1].tolist()
    assert items["emotion"].tolist() == [e for e in EMOTIONS for _ in range(2)]
    assert items["artist"].isna().all()


def test_prepare_catalogue_matches_columns_case_insensitively(ratings, va_params):
    upper = ratings.rename(columns={"number": "Number", "valence": "Valence", "energy": "Energy"})
    assert prepare(upper, va_params, tracklist_of(ratings)).equals(prepare(ratings, va_params))


def test_derived_points_are_category_means(ratings, va_params):
    points = points_of(prepare(ratings, va_params), va_params)
    assert points["emotion"].tolist() == list(EMOTIONS)
    for i, row in points.iterrows():
        assert row["valence"] == pytest.approx(1.5 + i + 0.25)
        assert row["arousal"] == pytest.approx(6.5 - i - 0.25)


def test_study_map_points(va_params):
    # the catalogue's spellings; map.csv writes the sixth as CATEGORY(Name) with a full-width
    # closing bracket (U+FF09)
    full_width = f"{CATALOGUE_CATEGORY[EMOTIONS[5]]}({EMOTIONS[5].title()}\uff09"
    table = pd.DataFrame({
        "Mood": [CATALOGUE_CATEGORY[e] for e in EMOTIONS[:5]] + [full_width, "HIGH ENERGY"],
        "Valence": [1, 2, 3, 4, 5, 6, 7.0], "Arousal": [7, 6, 5, 4, 3, 2, 1.0],
    })
    params = dict(va_params, emotion_points="study_map")
    points = points_of(pd.DataFrame(), params, table)
    assert points["emotion"].tolist() == list(EMOTIONS)
    assert points["valence"].tolist() == [1, 2, 3, 4, 5, 6]
    assert study_emotion_points(table).equals(points)


def test_unknown_emotion_points_choice(ratings, va_params):
    with pytest.raises(ValueError, match="emotion_points"):
        points_of(prepare(ratings, va_params), dict(va_params, emotion_points="nearest"))


def test_weighted_mean_matches_a_loop(probabilities):
    points = pd.DataFrame({"emotion": list(EMOTIONS)[::-1], "valence": np.arange(6.0)[::-1],
                           "arousal": np.arange(6.0)[::-1] ** 2})  # order must not matter
    va = to_valence_arousal(probabilities, points)
    for p, (v, a) in zip(probabilities, va, strict=True):
        assert v == pytest.approx(sum(p[i] * i for i in range(6)))
        assert a == pytest.approx(sum(p[i] * i * i for i in range(6)))


def test_one_hot_rows_land_on_the_emotion_points(ratings, va_params):
    points = points_of(prepare(ratings, va_params), va_params)
    table = prediction_table(np.eye(6), y_true=np.arange(6))
    persons = map_table(table, points, dataset="t", source="face")
    np.testing.assert_allclose(persons[["valence", "arousal"]], points[["valence", "arousal"]])
    assert persons["pred_label"].tolist() == list(EMOTIONS)
    assert persons["true_label"].tolist() == list(EMOTIONS)


@pytest.mark.parametrize("truth_column", ["true_label", "emotion", "label", None])
def test_map_table_accepts_every_format(probabilities, ratings, va_params, truth_column):
    """The project's table and the study's two: other spellings, other orders, no true label."""
    points = points_of(prepare(ratings, va_params), va_params)
    # other spellings of the six (aliases, as in the study's audio table)
    spelled = [next(alias for alias, name in ALIASES.items() if name == e and alias != e)
               for e in EMOTIONS]
    names = spelled if truth_column == "label" else list(EMOTIONS)
    table = pd.DataFrame(probabilities, columns=names).iloc[:, ::-1]
    truth = [names[i % 6] for i in range(len(table))]
    if truth_column:
        table.insert(0, truth_column, truth)
    persons = map_table(table, points, dataset="t", source="audio")
    assert list(persons.columns) == list(PERSON_COLUMNS)
    np.testing.assert_allclose(persons[["valence", "arousal"]],
                               to_valence_arousal(probabilities, points))
    assert persons["pred_label"].tolist() == [EMOTIONS[i] for i in probabilities.argmax(1)]
    expected = [EMOTIONS[i % 6] for i in range(len(table))] if truth_column else [None] * 20
    assert persons["true_label"].tolist() == expected
    assert persons["record"].tolist() == list(range(len(table)))


def test_map_predictions_stacks_face_and_audio(probabilities, ratings, va_params):
    points = points_of(prepare(ratings, va_params), va_params)
    face = prediction_table(probabilities, y_true=np.zeros(20, int))
    audio = prediction_table(probabilities[:5])
    persons = map_predictions(face, audio, points, va_params)
    assert persons["source"].tolist() == ["face"] * 20 + ["audio"] * 5
    assert persons["record"].tolist() == list(range(20)) + list(range(5))


def test_plot(probabilities, ratings, va_params):
    catalogue = prepare(ratings, va_params)
    points = points_of(catalogue, va_params)
    persons = map_predictions(prediction_table(probabilities), prediction_table(probabilities),
                              points, va_params)
    figure = va_plane_figure(catalogue, points, persons, va_params)
    assert isinstance(figure, plt.Figure)
    assert figure.axes[0].get_xlim() == (1.0, 7.0)
    plt.close(figure)


def test_song_catalogues_without_categories_get_the_reference_points_carried(ratings,
                                                                             va_params):
    """A catalogue without categories: each emotion point lands at the same share of the
    catalogue's valence (and arousal) as the reference's point has of the reference's."""
    reference = prepare(ratings, va_params)
    params = dict(va_params, catalogue="pmemo")
    songs = prepare_pmemo(pmemo_songs(), params, name="pmemo")
    points = emotion_points(params, pd.DataFrame(), pmemo=songs, soundtracks_set1=reference)
    own = points_of(reference, va_params).set_index("emotion")
    for axis in ("valence", "arousal"):
        carried = points.set_index("emotion")[axis]
        assert carried.rank().equals(own[axis].rank())  # the order of the emotions is kept
        share = [(reference[axis] < v).mean() for v in own[axis]]
        landed = [(songs[axis] < v).mean() for v in carried]
        np.testing.assert_allclose(landed, share, atol=1 / len(songs) + 1 / len(reference))


def test_carry_distribution_matches_ranks():
    source, target = np.array([3.0, 1.0, 2.0, 2.0]), np.array([10.0, 40.0, 20.0, 30.0])
    np.testing.assert_allclose(carry_distribution(np.array([1.0, 3.0]), source, target),
                               [10.0, 40.0])
    assert carry_distribution(np.array([2.0]), source, target)[0] == pytest.approx(25.0)


def test_song_items(va_params):
    pmemo = prepare_pmemo(pmemo_songs(), va_params, name="pmemo")
    assert pmemo["item"].tolist()[:2] == ["pmemo:001", "pmemo:002"]
    assert pmemo["title"].iat[0] == "Artist 0 - Song 1" and pmemo["emotion"].isna().all()
    songs = prepare_songs1000(*songs1000_tables(), va_params, name="songs1000")
    assert songs["number"].tolist()[:2] == [2, 4]  # the annotations' order
    assert songs["title"].iat[0] == "Band 2 - Track 2"  # tabs stripped, joined by id
    assert songs["genre"].iat[0] == "Blues" and songs["valence"].iat[1] == pytest.approx(4.0)


def test_a_list_of_catalogues_is_one_scale(ratings, va_params):
    """pmemo+soundtracks_set1: the second carried onto the first's distribution, ids kept."""
    params = dict(va_params, catalogue="pmemo+soundtracks_set1")
    songs = prepare_pmemo(pmemo_songs(), params, name="pmemo")
    excerpts = prepare(ratings, params)
    both = choose_catalogue(params, pmemo=songs, soundtracks_set1=excerpts, songs1000=None)
    assert both["item"].tolist() == songs["item"].tolist() + excerpts["item"].tolist()
    carried = both.iloc[len(songs):]
    assert carried["valence"].between(songs["valence"].min(), songs["valence"].max()).all()
    assert carried["valence"].rank().tolist() == excerpts["valence"].rank().tolist()
