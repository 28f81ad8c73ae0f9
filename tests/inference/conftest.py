"""Real faces and clips for the parity tests, and the shipped models' paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models"
FACE_ONNX = MODELS / "face" / "face_model.onnx"
VOICE_ONNX = MODELS / "audio" / "voice_model.onnx"


@pytest.fixture(scope="session")
def public_test_faces(shared_data) -> np.ndarray:
    """160 FER2013 PublicTest faces (every 20th row: all emotions), (n, 48, 48, 1) float32."""
    from moodrec.core.faces import parse_face_table

    table = pd.read_csv(shared_data / "face-data.csv.gz", dtype={"pixels": str})
    images, _ = parse_face_table(table[table["Usage"] == "PublicTest"].iloc[::20].head(160),
                                 where="PublicTest")
    return images.astype(np.float32)


@pytest.fixture(scope="session")
def ravdess_signals(shared_data) -> dict[str, np.ndarray]:
    """Every 40th RAVDESS clip (36 clips of all 24 actors) at the voice model's 16 kHz."""
    from moodrec.audio.io import load_audio

    paths = sorted((shared_data / "ravdess").rglob("*.flac"))[::40]
    assert len(paths) >= 30
    return {path.name: load_audio(path, sr=16000) for path in paths}
