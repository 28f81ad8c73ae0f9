"""Model construction per architecture: parameter counts, input scale, augmentation."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from moodrec.pipelines.face_training.architectures import (
    ARCHITECTURES,
    augmentation,
    build_model,
    multiply_adds,
    shipped_model,
)
from moodrec.pipelines.face_training.test_time import (
    averaged_probabilities,
    view_log_probabilities,
)

# Counted by hand from the layer lists in the issue (weights + biases + 4 per BN channel):
#   cnn: conv 640+256, 36928+256, 36928+256, 36928+256; dense 4096*64+64, 64*6+6
#: compact's options for the counts below (the shipped ones are in parameters_face_training.yml).
OPTIONS = {"compact": {"widths": [16, 32, 64, 128], "head_width": 256, "dropout": 0.4}}
AUGMENTATION = {"rotation_degrees": 15.0, "shift": 0.15, "shear": 0.0, "zoom": 0.15,
                "horizontal_flip": True}
EXPECTED = {
    "cnn": (640 + 36928 * 3 + 4 * 256 + 4096 * 64 + 64 + 64 * 6 + 6, 89_954_944),
    "dcnn": (2_103_110, 547_799_808),
    "compact": (592_150, 32_183_808),
}


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_parameter_counts_and_output(name):
    model = build_model(name, **OPTIONS.get(name, {}))
    parameters, macs = EXPECTED[name]
    assert model.count_params() == parameters
    assert multiply_adds(model) == macs
    assert model.input_shape == (None, 48, 48, 1)
    assert model.output_shape == (None, 6)


def test_models_rescale_raw_pixels_themselves():
    model = build_model("compact", **OPTIONS["compact"])
    assert isinstance(model.layers[1], keras.layers.Rescaling)
    probabilities = model.predict(np.full((2, 48, 48, 1), 255, np.uint8), verbose=0)
    assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_compact_options_and_bad_names():
    small = build_model("compact", widths=[8, 16], head_width=32, dropout=0.4)
    assert small.count_params() < 20_000
    with pytest.raises(ValueError, match="unknown face architecture 'resnet'"):
        build_model("resnet")
    with pytest.raises(ValueError, match="fixed"):
        build_model("dcnn", widths=[8])


def test_augmentation_only_in_training():
    faces = np.random.default_rng(0).integers(0, 256, (4, 48, 48, 1)).astype("float32")
    block = augmentation(**AUGMENTATION, erasing=0.25, seed=1)
    assert np.array_equal(np.asarray(block(faces, training=False)), faces)
    assert not np.allclose(np.asarray(block(faces, training=True)), faces)


@pytest.mark.parametrize("name", ["cnn", "dcnn"])
def test_the_studys_networks_train_through_the_training_node(name, tmp_path):
    """One tiny epoch of each study network through the node that trains the shipped one."""
    import yaml

    from moodrec.pipelines.face_training.nodes import train_face_model
    from tests.conftest import PROJECT_ROOT

    options = yaml.safe_load(
        (PROJECT_ROOT / "conf/base/parameters_face_training.yml").read_text())["face_training"]
    options["architecture"] = name
    options["resume_dir"] = str(tmp_path)
    options["architectures"][name]["training"].update(epochs=1, batch_size=32)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (64, 48, 48, 1)).astype(np.uint8)
    labels = rng.integers(0, 6, 64)
    model, history, summary = train_face_model(images, labels, images[:32], labels[:32],
                                               options)
    assert summary["architecture"] == name and summary["epochs_run"] == 1 == len(history)
    assert summary["parameters"] == EXPECTED[name][0]
    assert model.predict(images[:2], verbose=0).shape == (2, 6)


VIEWS = [{"flip": False, "shift": [0, 0]}, {"flip": True, "shift": [0, 0]},
         {"flip": False, "shift": [2, -1]}, {"flip": True, "shift": [-3, 2]}]


def test_shipped_model_is_the_mean_over_views_with_the_bias_and_loads_without_custom_code(
        tmp_path):
    """The Keras layers give what :mod:`.test_time` computes with numpy (the bias fit's view
    of the faces): same pixels per view, softmax(logits + b) averaged."""
    network = build_model("compact", widths=[4, 8], head_width=8, dropout=0.4)
    bias = np.array([0.5, -0.2, 0.0, 0.1, -0.4, 0.0])
    before = network.get_layer("emotion").get_weights()[1].copy()
    shipped = shipped_model([network], VIEWS, bias)
    faces = np.random.default_rng(2).integers(0, 256, (3, 48, 48, 1)).astype("float32")
    expected = averaged_probabilities(view_log_probabilities([network], faces, VIEWS), bias)
    assert np.abs(shipped.predict(faces, verbose=0) - expected).max() < 1e-5
    mirrored = shipped_model([network], VIEWS[:2], np.zeros(6))
    plain = (network.predict(faces, verbose=0) + network.predict(faces[:, :, ::-1],
                                                                  verbose=0)) / 2
    assert np.abs(mirrored.predict(faces, verbose=0) - plain).max() < 1e-6
    shipped.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")  # safe_mode: no Lambda layers
    assert np.abs(loaded.predict(faces, verbose=0) - expected).max() < 1e-5
    # one network's weights, fixed 48x48 maps per moved axis (3 views move columns, 2 rows)
    assert shipped.count_params() == network.count_params() + 5 * 48 * 48
    assert np.array_equal(network.get_layer("emotion").get_weights()[1], before)  # a copy
