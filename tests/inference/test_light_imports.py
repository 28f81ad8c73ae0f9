"""The light path reads a face and a voice without importing the heavy libraries.

Run in a fresh interpreter (this test process has imported everything already): load both
exported models through their datasets, read a face and a synthetic voice, and list which
heavy modules ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

#: Imported by training only; each costs 0.2-4.4 s of a cold start on the project's machine.
HEAVY = ("tensorflow", "keras", "sklearn", "skl2onnx", "tf2onnx", "onnx", "opensmile",
         "audinterface", "librosa", "numba", "scipy.signal", "scipy.stats")

SCRIPT = """
import json, sys
import numpy as np
from moodrec.datasets.onnx import OnnxFaceModelDataset, OnnxVoiceModelDataset
from tests.audio.synthetic import speech_like
face = OnnxFaceModelDataset("models/face/face_model.onnx").load()
voice = OnnxVoiceModelDataset("models/audio/voice_model.onnx").load()
p_face = face(np.full((1, 48, 48, 1), 128, np.float32), training=False)[0]
p_voice = voice.read(speech_like())
print(json.dumps({"sums": [float(p_face.sum()), float(p_voice.sum())],
                  "heavy": sorted(m for m in HEAVY if m in sys.modules)}))
"""


def test_reading_a_face_and_a_voice_imports_no_heavy_library():
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{SCRIPT}"], cwd=PROJECT_ROOT,
        capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["heavy"] == []
    assert all(abs(s - 1.0) < 1e-4 for s in report["sums"])
