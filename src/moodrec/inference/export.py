"""How the training pipelines write the light models: a trained model -> ONNX bytes with a
manifest (:data:`~moodrec.inference.runtime.MANIFEST_KEY`) in the file's metadata.

Training only: the face export imports TensorFlow and tf2onnx (through Keras 3's own
``model.export(format="onnx")``), the voice export scikit-learn and skl2onnx, when called.
The exported graphs are the saved models whole (the face model's test-time views and
logit bias included); tests/inference/ checks that they give the same probabilities on real
faces and clips.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

from moodrec.core.emotions import EMOTIONS
from moodrec.inference.runtime import MANIFEST_KEY
from moodrec.inference.voice import INPUTS, OUTPUTS


def _with_manifest(proto: Any, manifest: dict[str, Any]) -> bytes:
    entry = proto.metadata_props.add()
    entry.key, entry.value = MANIFEST_KEY, json.dumps(manifest)
    return proto.SerializeToString()


def face_to_onnx(model: Any) -> bytes:
    """The Keras face model (``(None, 48, 48, 1)`` grey 0-255 -> six probabilities) as ONNX.

    Keras writes the file itself (its exporter patches tf2onnx for numpy 2); it goes to a
    temporary folder and comes back as bytes, for the catalog to save.
    """
    import onnx
    import tensorflow as tf

    spec = [tf.TensorSpec((None, *model.inputs[0].shape[1:]), tf.float32, name="faces")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "face_model.onnx"
        with warnings.catch_warnings():  # Keras' numpy-2 patch of tf2onnx probes np.object
            warnings.simplefilter("ignore", FutureWarning)
            model.export(str(path), format="onnx", verbose=False, input_signature=spec)
        proto = onnx.load(str(path))
    return _with_manifest(proto, {"kind": "face", "classes": list(EMOTIONS),
                                  "source": f"Keras model {model.name!r}",
                                  "input": "faces: (n, 48, 48, 1) float32 grey 0-255"})


def _classifier_graph(classifier: Any, width: int, name: str, prefix: str) -> Any:
    """One scikit-learn classifier as an ONNX graph: input ``name``, outputs ``<prefix>label``
    and ``<prefix>probabilities`` (a plain tensor: no ZipMap of dictionaries)."""
    import onnx.compose
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    with warnings.catch_warnings():  # scikit-learn 1.9 deprecates SVC's probA_, which it reads
        warnings.simplefilter("ignore", FutureWarning)
        proto = to_onnx(classifier, initial_types=[(name, FloatTensorType([None, width]))],
                        options={"zipmap": False})
    return onnx.compose.add_prefix(proto, prefix, rename_inputs=False)


def voice_to_onnx(model: Any) -> bytes:
    """A :class:`~moodrec.audio.voice_reader.VoiceModel` as one ONNX graph: inputs
    ``features`` and ``relative_features`` (n x features, float32), outputs
    ``plain_probabilities`` and ``relative_probabilities`` (the classifiers' classes), and a
    manifest with the feature settings, feature names, temperature and class names."""
    import onnx.compose

    width = len(model.feature_names)
    plain = _classifier_graph(model.classifier, width, INPUTS[0], "plain_")
    relative = _classifier_graph(model.relative_classifier, width, INPUTS[1], "relative_")
    merged = onnx.compose.merge_models(plain, relative, io_map=[])
    outputs = {o.name for o in merged.graph.output}
    if not outputs >= set(OUTPUTS.values()):
        raise ValueError(f"the converted voice graph has outputs {sorted(outputs)}, expected "
                         f"{', '.join(OUTPUTS.values())}")
    classes = [int(c) for c in model.classifier.classes_]
    if classes != [int(c) for c in model.relative_classifier.classes_]:
        raise ValueError(f"the voice model's classifiers disagree on their classes: {classes} "
                         f"vs {list(model.relative_classifier.classes_)}")
    return _with_manifest(merged, {
        "kind": "voice", "classes": [EMOTIONS[c] for c in classes],
        "settings": model.settings, "feature_names": list(model.feature_names),
        "temperature": float(model.temperature)})
