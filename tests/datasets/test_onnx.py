"""The exported-model datasets: atomic saves, loads that name what is wrong with a file."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from kedro.io import DatasetError

from moodrec.datasets.onnx import OnnxFaceModelDataset, OnnxVoiceModelDataset
from moodrec.inference.face import OnnxFaceModel
from moodrec.inference.runtime import MANIFEST_KEY, ExportedModelError
from moodrec.inference.voice import OnnxVoiceModel
from tests.inference.conftest import FACE_ONNX, VOICE_ONNX


def test_shipped_files_load_as_light_models():
    assert isinstance(OnnxFaceModelDataset(str(FACE_ONNX)).load(), OnnxFaceModel)
    assert isinstance(OnnxVoiceModelDataset(str(VOICE_ONNX)).load(), OnnxVoiceModel)


def test_missing_file_names_itself_and_the_command(tmp_path):
    dataset = OnnxFaceModelDataset(str(tmp_path / "face.onnx"))
    assert not dataset.exists()
    with pytest.raises(DatasetError, match=r"face.onnx not found; .*--pipelines face_training"):
        dataset.load()


def test_a_file_of_the_other_kind_or_no_model_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="expected 'voice'"):
        OnnxVoiceModelDataset(str(FACE_ONNX)).load()
    junk = tmp_path / "voice.onnx"
    junk.write_bytes(b"not a model")
    with pytest.raises(DatasetError, match="voice.onnx: not a readable ONNX model"):
        OnnxVoiceModelDataset(str(junk)).load()


def test_a_model_without_manifest_is_refused(tmp_path):
    import onnx

    proto = onnx.load(str(FACE_ONNX))
    del proto.metadata_props[:]
    path = tmp_path / "face.onnx"
    OnnxFaceModelDataset(str(path)).save(proto.SerializeToString())
    with pytest.raises(ExportedModelError, match=f"no '{MANIFEST_KEY}' manifest"):
        OnnxFaceModel(path)
    proto.metadata_props.add(key=MANIFEST_KEY,
                             value=json.dumps({"kind": "face", "classes": ["joy"]}))
    OnnxFaceModelDataset(str(path)).save(proto.SerializeToString())
    with pytest.raises(ExportedModelError, match=r"classes \['joy'\] are not distinct names"):
        OnnxFaceModel(path)


def test_an_interrupted_save_leaves_the_previous_file_whole(tmp_path):
    path = tmp_path / "face.onnx"
    dataset = OnnxFaceModelDataset(str(path))
    dataset.save(b"first")
    with mock.patch("pathlib.Path.write_bytes", side_effect=KeyboardInterrupt), \
            pytest.raises(KeyboardInterrupt):
        dataset.save(b"second")
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["face.onnx"]  # no temporary left
    with pytest.raises(DatasetError, match="saves the bytes of an ONNX model; got str"):
        dataset.save("not bytes")
