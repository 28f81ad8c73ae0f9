"""Small tables for the recommendation nodes, built from the emotion vocabulary (no names
spelled here): a set-1 style catalogue around the scale's centre, its track list, persons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import CATALOGUE_CATEGORY, EMOTIONS
from moodrec.pipelines.va_mapping.nodes import map_table
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import load_params, points_of, prepare

CENTRE = np.array([4.0, 4.0])
#: Catalogue rows of another category (stands for no emotion: never recommended).
OTHER_CATEGORY = "HIGH TENSION"


@pytest.fixture
def va_params():
    return load_params("va_mapping")


@pytest.fixture
def rec_params():
    return load_params("recommendation")


@pytest.fixture
def ratings() -> pd.DataFrame:
    """Two excerpts per emotion category, in the emotion's own direction from the centre
    (60 degrees apart), at radius 1.5 and 2.5; one excerpt of another category at the end."""
    rows = []
    for i, emotion in enumerate(EMOTIONS):
        angle = np.deg2rad(60 * i + 15)
        for radius in (1.5, 2.5):
            valence, energy = CENTRE + radius * np.array([np.cos(angle), np.sin(angle)])
            rows.append({"number": f"{len(rows) + 1:03d}", "valence": round(valence, 2),
                         "energy": round(energy, 2), "TARGET": CATALOGUE_CATEGORY[emotion]})
    rows.append({"number": f"{len(rows) + 1:03d}", "valence": 4.5, "energy": 4.5,
                 "TARGET": OTHER_CATEGORY})
    return pd.DataFrame(rows)


@pytest.fixture
def tracklist(ratings) -> pd.DataFrame:
    """The track list as published: zero-padded ``Nro``, album, track, time range."""
    return pd.DataFrame({
        "Nro": ratings["number"],
        "Emotion": ratings["TARGET"].str.title(),
        "Album name": [f"Album {i % 4}" for i in range(len(ratings))],
        "Track": [str(i + 1) for i in range(len(ratings))],
        "Min:Sec": [f"00:{i:02d}-00:{i + 15:02d}" for i in range(len(ratings))],
    })


@pytest.fixture
def catalogue(ratings, tracklist, va_params) -> pd.DataFrame:
    """The recommendable excerpts (the six emotions' categories, joined with the track list)."""
    return prepare(ratings, va_params, tracklist)


@pytest.fixture
def points(catalogue, va_params) -> pd.DataFrame:
    return points_of(catalogue, va_params)


@pytest.fixture
def probabilities() -> np.ndarray:
    rng = np.random.default_rng(0)
    p = rng.random((30, len(EMOTIONS))) ** 4  # peaked, like a classifier's output
    return p / p.sum(axis=1, keepdims=True)


@pytest.fixture
def persons(probabilities, points) -> pd.DataFrame:
    """20 face and 10 audio persons (va_mapping's output schema); true labels known."""
    truth = np.arange(30) % len(EMOTIONS)
    face = map_table(prediction_table(probabilities[:20], y_true=truth[:20]), points,
                     dataset="face", source="face")
    audio = map_table(prediction_table(probabilities[20:], y_true=truth[20:]), points,
                      dataset="audio", source="audio")
    return pd.concat([face, audio], ignore_index=True)
