"""Unit tests of the va_mapping nodes on small tables built from the vocabulary."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import ALIASES, CATALOGUE_CATEGORY, EMOTIONS
from moodrec.core.valence_arousal import PERSON_COLUMNS, to_valence_arousal
from moodrec.pipelines.va_mapping.nodes import (
    emotion_points,
    map_predictions,
    map_table,
    prepare_catalogue,
    study_emotion_points,
)
from moodrec.pipelines.va_mapping.plot import va_plane_figure
from moodrec.training.evaluation import prediction_table


def test_prepare_catalogue_schema_and_emotions(ratings, va_params):
    catalogue = prepare_catalogue(ratings, va_params)
    assert list(catalogue.columns) == ["number", "valence", "arousal", "category", "emotion"]
    assert catalogue["number"].tolist() == list(range(1, len(ratings) + 1))  # "001" -> 1
    assert catalogue["arousal"].tolist() == ratings["energy"].tolist()
    assert catalogue["emotion"].iloc[:-1].tolist() == [e for e in EMOTIONS for _ in range(2)]
    assert pd.isna(catalogue["emotion"].iloc[-1])  # HIGH TENSION stands for no emotion


def test_prepare_catalogue_matches_columns_case_insensitively(ratings, va_params):
    upper = ratings.rename(columns={"number": "Number", "valence": "Valence", "energy": "Energy"})
    assert prepare_catalogue(upper, va_params).equals(prepare_catalogue(ratings, va_params))


def test_derived_points_are_category_means(ratings, va_params):
    points = emotion_points(prepare_catalogue(ratings, va_params), pd.DataFrame(), va_params)
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
    points = emotion_points(pd.DataFrame(), table, params)
    assert points["emotion"].tolist() == list(EMOTIONS)
    assert points["valence"].tolist() == [1, 2, 3, 4, 5, 6]
    assert study_emotion_points(table).equals(points)


def test_unknown_emotion_points_choice(ratings, va_params):
    with pytest.raises(ValueError, match="emotion_points"):
        emotion_points(prepare_catalogue(ratings, va_params), pd.DataFrame(),
                       dict(va_params, emotion_points="nearest"))


def test_weighted_mean_matches_a_loop(probabilities):
    points = pd.DataFrame({"emotion": list(EMOTIONS)[::-1], "valence": np.arange(6.0)[::-1],
                           "arousal": np.arange(6.0)[::-1] ** 2})  # order must not matter
    va = to_valence_arousal(probabilities, points)
    for p, (v, a) in zip(probabilities, va, strict=True):
        assert v == pytest.approx(sum(p[i] * i for i in range(6)))
        assert a == pytest.approx(sum(p[i] * i * i for i in range(6)))


def test_one_hot_rows_land_on_the_emotion_points(ratings, va_params):
    points = emotion_points(prepare_catalogue(ratings, va_params), pd.DataFrame(), va_params)
    table = prediction_table(np.eye(6), y_true=np.arange(6))
    persons = map_table(table, points, dataset="t", source="face")
    np.testing.assert_allclose(persons[["valence", "arousal"]], points[["valence", "arousal"]])
    assert persons["pred_label"].tolist() == list(EMOTIONS)
    assert persons["true_label"].tolist() == list(EMOTIONS)


@pytest.mark.parametrize("truth_column", ["true_label", "emotion", "label", None])
def test_map_table_accepts_every_format(probabilities, ratings, va_params, truth_column):
    """The project's table and the study's two: other spellings, other orders, no true label."""
    points = emotion_points(prepare_catalogue(ratings, va_params), pd.DataFrame(), va_params)
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
    points = emotion_points(prepare_catalogue(ratings, va_params), pd.DataFrame(), va_params)
    face = prediction_table(probabilities, y_true=np.zeros(20, int))
    audio = prediction_table(probabilities[:5])
    persons = map_predictions(face, audio, points, va_params)
    assert persons["source"].tolist() == ["face"] * 20 + ["audio"] * 5
    assert persons["record"].tolist() == list(range(20)) + list(range(5))


def test_plot(probabilities, ratings, va_params):
    catalogue = prepare_catalogue(ratings, va_params)
    points = emotion_points(catalogue, pd.DataFrame(), va_params)
    persons = map_predictions(prediction_table(probabilities), prediction_table(probabilities),
                              points, va_params)
    figure = va_plane_figure(catalogue, points, persons, va_params)
    assert isinstance(figure, plt.Figure)
    assert figure.axes[0].get_xlim() == (1.0, 7.0)
    plt.close(figure)
