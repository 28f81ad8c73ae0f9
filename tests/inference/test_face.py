"""The exported face model gives the Keras model's probabilities, test-time views and logit
bias included."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.inference.face import OnnxFaceModel
from tests.inference.conftest import FACE_ONNX, MODELS


@pytest.mark.real_data
def test_shipped_export_matches_the_keras_model_on_public_test_faces(public_test_faces):
    import keras

    keras_model = keras.models.load_model(MODELS / "face" / "face_model.keras")
    light = OnnxFaceModel(FACE_ONNX)
    expected = np.asarray(keras_model(public_test_faces, training=False))
    got = light(public_test_faces)
    assert got.shape == (len(public_test_faces), len(EMOTIONS))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-4)
    assert np.array_equal(got.argmax(axis=1), expected.argmax(axis=1))


@pytest.mark.real_data
def test_the_export_reads_a_face_and_its_mirror_image_alike(public_test_faces):
    """Every shipped view comes with its mirrored twin, so the average is mirror-invariant."""
    light = OnnxFaceModel(FACE_ONNX)
    mirrored = public_test_faces[:, :, ::-1]
    np.testing.assert_allclose(light(mirrored), light(public_test_faces), rtol=0, atol=1e-5)


def test_called_and_checked_like_the_keras_model():
    """What the person path uses: ``model(x, training=False)``, ``inputs[0].shape``,
    ``outputs[0].shape``; uint8 faces are accepted as Keras accepts them."""
    light = OnnxFaceModel(FACE_ONNX)
    assert light.inputs[0].shape == (None, 48, 48, 1)
    assert light.outputs[0].shape == (None, len(EMOTIONS))
    faces = np.random.default_rng(0).integers(0, 256, (3, 48, 48, 1), dtype=np.uint8)
    p = light(faces, training=False)
    assert p.shape == (3, 6) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="training mode"):
        light(faces, training=True)


@pytest.mark.slow
def test_export_of_a_freshly_built_network(tmp_path):
    """face_to_onnx on a small untrained compact network with shifted and mirrored views and
    a logit bias: the file reads back with the same probabilities."""
    import keras

    from moodrec.datasets.onnx import OnnxFaceModelDataset
    from moodrec.inference.export import face_to_onnx
    from moodrec.pipelines.face_training.architectures import build_model, shipped_model

    keras.utils.set_random_seed(0)
    views = [{"flip": False, "shift": [0, 0]}, {"flip": True, "shift": [2, -2]}]
    network = shipped_model([build_model("compact", widths=[4, 8], head_width=8, dropout=0.0)],
                            views, np.array([0.3, 0.2, 0.0, -0.1, -0.2, -0.2]))
    dataset = OnnxFaceModelDataset(str(tmp_path / "models" / "face.onnx"))
    dataset.save(face_to_onnx(network))
    light = dataset.load()
    faces = np.random.default_rng(1).uniform(0, 255, (5, 48, 48, 1)).astype(np.float32)
    np.testing.assert_allclose(light(faces), np.asarray(network(faces, training=False)),
                               rtol=0, atol=1e-5)
