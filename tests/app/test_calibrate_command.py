"""``moodrec calibrate``: a profile from calm speech; bad input is refused, nothing written."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile

from moodrec.cli import run
from moodrec.core.emotions import EMOTIONS
from moodrec.person.datasets import VoiceProfileDataset
from tests.person.conftest import speech
from tests.person.stand_ins import voice_model


@pytest.fixture
def calibrate(project_root, sad_voice_model, tmp_path, capsys, restore_process_state):
    profile = tmp_path / "profile.json"

    def call(*clips):
        status = run(["calibrate", *(a for c in clips for a in ("--voice", str(c))),
                      "--profile", str(profile), "--audio-model", str(sad_voice_model),
                      "--project-dir", str(project_root)])
        out, err = capsys.readouterr()
        return status, out, err, profile

    return call


def test_a_calibrated_persons_neutral_clip_reads_neutral(calibrate, tmp_path):
    calm = tmp_path / "calm.wav"
    soundfile.write(calm, speech(4.0, 22050, 1), 22050)
    status, out, _, profile = calibrate(calm)
    assert status == 0 and "voice profile written" in out
    stored = json.loads(profile.read_text())
    assert stored["feature_set"] == "mfcc_stats" and len(stored["mean"]) == 80
    loaded = VoiceProfileDataset(str(profile)).load()
    model = voice_model(np.eye(6)[3].tolist(), relative=np.eye(6)[5].tolist())
    p = model.read(speech(3.0, 16000, 1), loaded)
    assert EMOTIONS[int(np.argmax(p))] == "neutral"  # read against the person's own voice
    assert EMOTIONS[int(np.argmax(model.read(speech(3.0, 16000, 1))))] == "sadness"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: soundfile.write(p, np.zeros(3 * 22050), 22050), "silent"),
    (lambda p: soundfile.write(p, speech(0.6, 22050, 1), 22050), "too little"),
    (lambda p: p.write_bytes(b"not audio at all" * 100), "not readable as audio"),
    (lambda p: soundfile.write(p, 0.5 * np.sin(np.arange(3 * 22050) * 0.06), 22050),
     "not a voice"),
], ids=["silence", "too-short", "not-audio", "tone"])
def test_bad_calibration_input_is_refused_and_nothing_written(calibrate, tmp_path, make,
                                                              message):
    clip = tmp_path / "calm.wav"
    make(clip)
    status, _, err, profile = calibrate(clip)
    assert status == 1 and message in err and "no profile written" in err
    assert not profile.exists()
    assert not list(tmp_path.glob(".profile.json*"))  # no temporary left behind


def test_a_profile_of_another_feature_set_is_refused(calibrate, tmp_path):
    from moodrec.audio.voice_reader import VoiceProfile

    model = voice_model(np.eye(6)[3].tolist())
    other = VoiceProfile("egemaps", ["egemaps.x"], [0.0], 3.0)
    with pytest.raises(ValueError, match="calibrate again"):
        model.read(speech(3.0, 16000, 1), other)
