"""Fixtures for face_training tests: small tables built from EMOTIONS, and the real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS, FER2013_CODES

CODE_OF = {name: code for code, name in FER2013_CODES.items()}


def face_table(n_per_split: int = 6, seed: int = 0) -> pd.DataFrame:
    """A valid table in the project's face-data.csv schema, every emotion in every split."""
    rng = np.random.default_rng(seed)
    rows = []
    for usage in ("Training", "PublicTest", "PrivateTest"):
        for i in range(n_per_split):
            name = EMOTIONS[i % len(EMOTIONS)]
            pixels = " ".join(map(str, rng.integers(0, 256, 48 * 48)))
            rows.append({"emotion_label": CODE_OF[name], "Usage": usage, "pixels": pixels,
                         "emotion": name})
    return pd.DataFrame(rows)


@pytest.fixture()
def table() -> pd.DataFrame:
    return face_table()


@pytest.fixture(scope="session")
def real_face_data(shared_data) -> pd.DataFrame:
    """The real face-data.csv.gz, read as the catalog reads it."""
    return pd.read_csv(shared_data / "face-data.csv.gz",
                       dtype={"emotion_label": "Int64", "Usage": str, "pixels": str,
                              "emotion": str})
