"""The shipped models give the accuracy their model cards state, on the real held-out data.

This is the one-command check that ``models/`` is what the cards say (``pytest
tests/test_shipped_models.py``): the face model on FER2013 ``PublicTest``, the voice model on
the original clips of the test actors. Retraining is ``kedro run --pipelines <name>``.
"""

from __future__ import annotations

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

    from moodrec.core.emotions import EMOTIONS
    from moodrec.core.faces import parse_face_table

    card = (MODELS / "face" / "MODEL_CARD.md").read_text()
    table = pd.read_csv(shared_data / "face-data.csv.gz", dtype={"pixels": str})
    images, labels = parse_face_table(table[table.Usage == "PublicTest"], where="PublicTest")
    model = keras.models.load_model(MODELS / "face" / "face_model.keras")
    probabilities = model.predict(images.astype(np.float32), batch_size=512, verbose=0)
    assert probabilities.shape == (len(labels), len(EMOTIONS))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
    assert accuracy == pytest.approx(_card_accuracy(card), abs=5e-4)


@pytest.mark.real_data
def test_face_model_on_ckplus_as_its_card_says(shared_data):
    """The light copy the person path reads (ONNX, test-time views and bias inside) reads
    CK+48's five shared classes (never trained on) at the accuracy the card states."""
    from PIL import Image

    from moodrec.core.faces import parse_ckplus
    from moodrec.inference.face import OnnxFaceModel

    params = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_face_training.yml")
                            .read_text())["face_training"]
    files = sorted((shared_data / "ckplus48").glob("*/*.png"))
    faces = {f"{path.parent.name}/{path.stem}": np.asarray(Image.open(path).convert("L"))
             for path in files}
    images, labels, _, dropped = parse_ckplus(faces, params["ckplus"]["dropped_classes"])
    assert len(labels) + sum(dropped.values()) == len(files) == 981
    predicted = OnnxFaceModel(MODELS / "face" / "face_model.onnx")(images).argmax(axis=1)
    card = (MODELS / "face" / "MODEL_CARD.md").read_text()
    stated = re.search(r"\*\*CK\+48 accuracy (0\.\d{4})", card)
    assert stated, "the model card states no CK+48 accuracy"
    assert float(np.mean(predicted == labels)) == pytest.approx(float(stated.group(1)), abs=5e-4)


@pytest.mark.real_data
def test_voice_model_reads_the_test_actors_as_its_card_says(shared_data):
    """The fixed-split model (shipped beside the product model, trained on every speaker but
    RAVDESS actors 21-24) reads the FLAC files of actors 21-24 through ``VoiceModel.read``
    (the person path's code) and must reach the fixed-split accuracy the card states
    (computed by the pipeline from its features table): training and inference compute the
    same features."""
    import joblib

    from moodrec.audio.io import load_audio
    from moodrec.audio.naming import parse_ravdess_name
    from moodrec.core.emotions import EMOTIONS

    params = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_audio_training.yml")
                            .read_text())["audio_training"]
    test_actors = {int(s.split(":")[1]) for s in params["evaluation"]["fixed_split"]
                   ["test_speakers"] if s.startswith("ravdess:")}
    model = joblib.load(MODELS / "audio" / "voice_model_fixed_split.pkl")
    right, total = 0, 0
    for path in sorted((shared_data / "ravdess").rglob("*.flac")):
        clip = parse_ravdess_name(path.name)
        if clip.actor not in test_actors or clip.emotion not in EMOTIONS:
            continue
        probabilities = model.read(load_audio(path, sr=model.sample_rate))
        right += int(EMOTIONS[int(np.argmax(probabilities))] == clip.emotion)
        total += 1
    card = (MODELS / "audio" / "MODEL_CARD.md").read_text()
    stated = re.search(r"Fixed split .*?accuracy (0\.\d{3})", card, flags=re.S)
    assert stated and total == 176
    assert right / total == pytest.approx(float(stated.group(1)), abs=5e-4)


@pytest.mark.real_data
def test_the_shipped_models_answer_a_person_in_one_process(shared_data, tmp_path):
    """`moodrec recommend` with both shipped models: TensorFlow (face) and openSMILE (voice)
    in one process (openSMILE aborts if its library loads after TensorFlow's; moodrec loads
    it first), a real held-out voice and a FER2013 face in a photo."""
    import json
    import subprocess
    import sys

    import cv2

    from moodrec.core.faces import parse_face_table

    table = pd.read_csv(shared_data / "face-data.csv.gz", dtype={"pixels": str})
    images, _ = parse_face_table(table[table.Usage == "PublicTest"].head(1), where="PublicTest")
    photo = tmp_path / "me.jpg"
    big = cv2.resize(images[0, ..., 0], (192, 192), interpolation=cv2.INTER_CUBIC)
    canvas = np.full((480, 640), 128, np.uint8)
    canvas[60:252, 120:312] = big
    cv2.imwrite(str(photo), cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR))
    clip = shared_data / "ravdess" / "Actor_22" / "03-01-03-01-01-01-22.flac"
    done = subprocess.run(
        [sys.executable, "-m", "moodrec", "recommend", "--face", str(photo), "--voice",
         str(clip), "--json", "--no-face-detection", "--project-dir", str(PROJECT_ROOT)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 3), done.stderr[-3000:]
    answer = json.loads(done.stdout)
    assert answer["senses"]["voice"]["used"] and answer["senses"]["face"]["used"]
