from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import CATALOGUE_CATEGORY, EMOTIONS
from tests.pipelines.va_mapping.params import load_params


@pytest.fixture
def va_params():
    return load_params("va_mapping")


@pytest.fixture
def ratings() -> pd.DataFrame:
    """A small set-1 style catalogue: two excerpts per emotion category, one other category."""
    rows = []
    for i, emotion in enumerate(EMOTIONS):
        for j in range(2):
            rows.append({"number": f"{len(rows) + 1:03d}", "valence": 1.5 + i + j * 0.5,
                         "energy": 6.5 - i - j * 0.5, "TARGET": CATALOGUE_CATEGORY[emotion]})
    rows.append({"number": f"{len(rows) + 1:03d}", "valence": 4.0, "energy": 4.0,
                 "TARGET": "HIGH TENSION"})
    return pd.DataFrame(rows)


@pytest.fixture
def probabilities() -> np.ndarray:
    rng = np.random.default_rng(0)
    p = rng.random((20, len(EMOTIONS)))
    return p / p.sum(axis=1, keepdims=True)
