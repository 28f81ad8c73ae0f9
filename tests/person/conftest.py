"""Fixtures of the person path: photos and clips made here, tiny stand-in models.

The stand-in models keep the real models' contract (face: (N, 48, 48, 1) grey 0-255 ->
6 softmax, every weight zero and the bias alone setting the output; voice: a real
VoiceModel around a constant classifier, :mod:`tests.person.stand_ins`) and give fixed,
known answers, so a test knows which emotion "wins".
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest
import soundfile

from moodrec.core.emotions import EMOTIONS
from tests.audio.synthetic import speech_like
from tests.person.stand_ins import save_voice_model, softmax_of

SR = 22050

#: Files that are not usable photos, and what the person path says of each: (name, bytes,
#: message). Shared by the pipeline and the command tests.
BAD_PHOTOS = [
    ("zero.jpg", b"", "the file is empty (0 bytes)"),
    ("notes.png", b"a text file, not a picture\n" * 20, "not a readable image"),
    ("cut.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "not a readable image"),
    ("cut.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a readable image"),
]
BAD_PHOTO_IDS = ["zero-byte", "non-image", "corrupt-jpeg", "corrupt-png"]


def constant_model(input_shape: tuple[int, ...], logits: list[float], path: Path) -> Path:
    """A Keras model whose softmax output is ``softmax(logits)`` for any input, saved."""
    import keras

    inputs = keras.Input(input_shape)
    x = keras.layers.Rescaling(1.0 / 255)(inputs) if len(input_shape) == 3 else inputs
    x = keras.layers.Flatten()(x)
    dense = keras.layers.Dense(len(EMOTIONS), activation="softmax")
    outputs = dense(x)
    model = keras.Model(inputs, outputs)
    kernel, _ = dense.get_weights()
    dense.set_weights([np.zeros_like(kernel), np.asarray(logits, np.float32)])
    model.save(path)
    return path


def logits_for(emotion: str, strength: float) -> list[float]:
    """Logits that make ``emotion`` win by ``strength`` (0: uniform)."""
    return [strength if name == emotion else 0.0 for name in EMOTIONS]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def happy_face_model(model_dir) -> Path:
    """Says happiness with p = e^5 / (e^5 + 5) = 0.967 for every face."""
    return constant_model((48, 48, 1), logits_for(EMOTIONS[2], 5.0), model_dir / "face_model.keras")


@pytest.fixture(scope="session")
def sad_voice_model(model_dir) -> Path:
    """Says sadness with p = e^5 / (e^5 + 5) = 0.967 for every window; a calibrated person
    reads neutral."""
    return save_voice_model(model_dir / "voice_sad.pkl", softmax_of(EMOTIONS[3], 5.0),
                            relative=softmax_of(EMOTIONS[5], 5.0))


@pytest.fixture(scope="session")
def unsure_voice_model(model_dir) -> Path:
    """Uniform answer (confidence 0) for every window (ONNX, as the catalog reads it)."""
    return save_voice_model(model_dir / "voice_uniform.onnx", softmax_of(None, 0.0))


@pytest.fixture(scope="session")
def sad_voice_onnx(model_dir) -> Path:
    """:func:`sad_voice_model` exported for ONNX Runtime, as the catalog reads it."""
    return save_voice_model(model_dir / "voice_sad.onnx", softmax_of(EMOTIONS[3], 5.0),
                            relative=softmax_of(EMOTIONS[5], 5.0))


@pytest.fixture(scope="session")
def happy_face_onnx(happy_face_model) -> Path:
    """:func:`happy_face_model` exported for ONNX Runtime, as the catalog reads it."""
    import keras

    from moodrec.inference.export import face_to_onnx

    path = happy_face_model.with_suffix(".onnx")
    path.write_bytes(face_to_onnx(keras.saving.load_model(happy_face_model)))
    return path


def paste_on_canvas(face: np.ndarray, *, upscale: int = 4, canvas: tuple[int, int] = (480, 640),
                    at: tuple[int, int] = (60, 120), colour: bool = True) -> np.ndarray:
    """A 48x48 grey face enlarged and pasted into a larger (colour) picture."""
    big = cv2.resize(face, (48 * upscale, 48 * upscale), interpolation=cv2.INTER_CUBIC)
    picture = np.full(canvas, 128, np.uint8)
    y, x = at
    picture[y : y + big.shape[0], x : x + big.shape[1]] = big
    return cv2.cvtColor(picture, cv2.COLOR_GRAY2BGR) if colour else picture


@pytest.fixture(scope="session")
def fer_faces(shared_data) -> np.ndarray:
    """The first 200 FER2013 faces of the real data, (200, 48, 48) uint8."""
    table = pd.read_csv(shared_data / "face-data.csv.gz", nrows=200)
    return np.stack([np.array(p.split(), np.uint8).reshape(48, 48) for p in table["pixels"]])


@pytest.fixture(scope="session")
def detectable_faces(fer_faces) -> list[np.ndarray]:
    """FER2013 faces that the Haar cascade finds once enlarged 4x on a canvas (about 45%
    of them; a 48x48 crop often lacks the context the cascade needs)."""
    from moodrec.person.face_detection import detect_faces

    found = [f for f in fer_faces
             if detect_faces(cv2.cvtColor(paste_on_canvas(f), cv2.COLOR_BGR2GRAY))]
    assert len(found) >= 20, f"only {len(found)} of {len(fer_faces)} FER faces detected"
    return found


@pytest.fixture
def face_jpeg(tmp_path, detectable_faces) -> Path:
    """A colour JPEG, 640x480, holding one real FER2013 face enlarged to 192x192."""
    path = tmp_path / "me.jpg"
    cv2.imwrite(str(path), paste_on_canvas(detectable_faces[0]), [cv2.IMWRITE_JPEG_QUALITY, 90])
    return path


def speech(seconds: float, sr: int = 44100, channels: int = 2, amplitude: float = 0.3
           ) -> np.ndarray:
    """Speech-like sound (:func:`tests.audio.synthetic.speech_like`) at peak ``amplitude``."""
    y = speech_like(seconds=seconds, sr=sr)
    y = amplitude * y / np.max(np.abs(y))
    return np.repeat(y[:, None], channels, axis=1) if channels > 1 else y


@pytest.fixture
def voice_wav(tmp_path) -> Path:
    """3 s of speech-like sound, stereo, 44.1 kHz WAV."""
    path = tmp_path / "me.wav"
    soundfile.write(path, speech(3.0), 44100)
    return path


@pytest.fixture(scope="session")
def project_params(project_root) -> dict:
    """The project's own parameters (conf/base), as a run without runtime parameters sees them."""
    from kedro.config import OmegaConfigLoader

    loader = OmegaConfigLoader(str(project_root / "conf"), base_env="base", default_run_env="local")
    return loader["parameters"]


@pytest.fixture(scope="session")
def real_catalogue(shared_data, project_params) -> dict[str, pd.DataFrame]:
    """Set 1's recommendable excerpts and emotion points, made by va_mapping's own nodes from
    the real files."""
    from moodrec.pipelines.va_mapping.catalogues import choose_catalogue
    from moodrec.pipelines.va_mapping.nodes import emotion_points
    from tests.pipelines.va_mapping.params import real_items

    study_map = pd.read_csv(shared_data / "seed" / "map.csv", encoding="utf-8-sig")
    va = project_params["va_mapping"]
    items = real_items(shared_data, va)
    return {
        "emotion_va_points": emotion_points(va, study_map, **items),
        "recommendable_excerpts": choose_catalogue(va, **items),
    }


def copy_project(root: Path, project_root: Path, shared_data: Path) -> Path:
    """A copy of the project in ``root``: pyproject, conf (base, empty local), the real raw
    soundtrack and study files (writable), no ``models/``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(project_root / "pyproject.toml", root)
    shutil.copytree(project_root / "conf" / "base", root / "conf" / "base")
    (root / "conf" / "local").mkdir()
    (root / "src").mkdir()  # bootstrap_project wants it; moodrec itself is the installed one
    shutil.copytree(shared_data / "soundtracks", root / "data" / "01_raw" / "soundtracks")
    shutil.copytree(shared_data / "seed", root / "data" / "01_raw" / "study")
    shutil.copytree(shared_data / "music", root / "data" / "01_raw" / "music")
    for path in (root / "data" / "01_raw").rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory, project_root, shared_data) -> Path:
    """A copy of the project (:func:`copy_project`), shared by a test module."""
    return copy_project(tmp_path_factory.mktemp("project"), project_root, shared_data)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, project_root, shared_data, happy_face_onnx, sad_voice_onnx):
    """A project copy whose catalog model files are the stand-ins (as if trained)."""
    project = copy_project(tmp_path_factory.mktemp("trained"), project_root, shared_data)
    for model, path in ((happy_face_onnx, "models/face/face_model.onnx"),
                        (sad_voice_onnx, "models/audio/voice_model.onnx")):
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(model, project / path)
    return project


@pytest.fixture
def restore_process_state(monkeypatch):
    """Run a Kedro session in this process and leave the process as it was.

    The session adds the project's src to sys.path and PYTHONPATH. It also re-applies the
    logging configuration, which closes every existing handler; absl's (made when TensorFlow
    is first imported) then closes the stream it was made with, pytest's capture if it was
    made under pytest, unless that stream is a real standard stream.
    """
    from absl import logging as absl_logging

    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    monkeypatch.chdir(Path.cwd())
    monkeypatch.setattr(absl_logging.get_absl_handler().python_handler, "stream", sys.__stderr__)


@pytest.fixture
def models(happy_face_onnx, sad_voice_onnx) -> list[str]:
    return ["--face-model", str(happy_face_onnx), "--audio-model", str(sad_voice_onnx)]
