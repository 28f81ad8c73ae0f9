"""The shipped models give the accuracy their model cards state, on the real held-out data.

This is the one-command check that ``models/`` is what the cards say (``pytest
tests/test_shipped_models.py``): the face model on FER2013 ``PublicTest``, the voice model on
the original clips of the test actors. Retraining is ``kedro run --pipelines <name>``.
"""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models"


def _card_accuracy(card: str) -> float:
    found = re.search(r"\*\*[Aa]ccuracy (0\.\d{3,4})", card)  # the headline figure
    assert found, "the model card states no accuracy"
    return float(found.group(1))


@pytest.mark.real_data
def test_face_model_accuracy_on_public_test(shared_data):
    import keras

    from moodrec.emotions import EMOTIONS
    from moodrec.faces import parse_face_table

    card = (MODELS / "face" / "MODEL_CARD.md").read_text()
    table = pd.read_csv(shared_data / "face-data.csv.gz", dtype={"pixels": str})
    images, labels = parse_face_table(table[table.Usage == "PublicTest"], where="PublicTest")
    model = keras.models.load_model(MODELS / "face" / "face_model.keras")
    probabilities = model.predict(images.astype(np.float32), batch_size=512, verbose=0)
    assert probabilities.shape == (len(labels), len(EMOTIONS))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
    assert accuracy == pytest.approx(_card_accuracy(card), abs=5e-4)


@pytest.mark.real_data
def test_voice_model_accuracy_on_test_actors(shared_data):
    import keras

    from moodrec.audio.features import FEATURE_NAMES, clip_features
    from moodrec.audio.io import load_audio
    from moodrec.audio.naming import parse_ravdess_name
    from moodrec.audio.scaling import apply_scaler
    from moodrec.emotions import EMOTIONS

    params = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_audio_training.yml").read_text())
    settings = params["audio_training"]["features"]
    test_actors = set(params["audio_training"]["split"]["test_actors"])
    scaler = json.loads((MODELS / "audio" / "audio_scaler.json").read_text())
    columns = [FEATURE_NAMES.index(name) for name in scaler["feature_names"]]
    rows, labels = [], []
    for path in sorted((shared_data / "ravdess").rglob("*.flac")):
        clip = parse_ravdess_name(path.name)
        if clip.actor not in test_actors or clip.emotion not in EMOTIONS:
            continue
        features = clip_features(functools.partial(load_audio, path), clip.clip_id,
                                 ["original"], settings)
        assert not isinstance(features, str), f"{path.name}: {features}"
        rows.append(features[0][columns])
        labels.append(EMOTIONS.index(clip.emotion))
    model = keras.models.load_model(MODELS / "audio" / "audio_model.keras")
    probabilities = model.predict(apply_scaler(np.array(rows), scaler), verbose=0)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == np.array(labels)))
    card = (MODELS / "audio" / "MODEL_CARD.md").read_text()
    assert len(labels) == 176
    assert accuracy == pytest.approx(_card_accuracy(card), abs=5e-4)
