"""Loading clips: WAV and FLAC, any rate and channel count; unreadable files named."""

import numpy as np
import pytest
import soundfile

from moodrec.audio.io import AudioReadError, load_audio
from tests.audio.synthetic import tone


@pytest.mark.parametrize("ext", [".wav", ".flac"])
def test_stereo_48khz_becomes_mono_22050(tmp_path, ext):
    path = tmp_path / f"clip{ext}"
    soundfile.write(path, tone(440.0, seconds=4.0, sr=48000, channels=2), 48000)
    signal = load_audio(path, sr=22050, offset=0.6, duration=2.5)
    assert signal.ndim == 1 and signal.dtype == np.float32
    assert abs(signal.size - int(2.5 * 48000) * 22050 / 48000) <= 1
    spectrum = np.abs(np.fft.rfft(signal))
    assert abs(np.argmax(spectrum) * 22050 / signal.size - 440.0) < 2.0


def test_same_as_librosa_load_the_studys_call(tmp_path):
    import librosa

    path = tmp_path / "clip.flac"
    soundfile.write(path, tone(300.0, seconds=4.0, sr=44100, channels=2), 44100)
    ours = load_audio(path, sr=22050, offset=0.6, duration=2.5)
    theirs, _ = librosa.load(path, sr=22050, offset=0.6, duration=2.5)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_a_clip_shorter_than_the_window_is_returned_as_is(tmp_path):
    path = tmp_path / "short.wav"
    soundfile.write(path, tone(300.0, seconds=1.0), 22050)
    assert load_audio(path, sr=22050, offset=0.6, duration=2.5).size == 22050 - int(0.6 * 22050)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "cannot read as audio"), (b"this is not a sound file at all" * 10, "cannot read")],
)
def test_unreadable_and_empty_files_raise_naming_the_file(tmp_path, content, message):
    path = tmp_path / "03-01-01-01-01-01-01.wav"
    path.write_bytes(content)
    with pytest.raises(AudioReadError, match=message) as err:
        load_audio(path)
    assert str(path) in str(err.value)


def test_a_valid_file_with_no_samples_is_refused(tmp_path):
    path = tmp_path / "empty.wav"
    soundfile.write(path, np.zeros(0, np.float32), 22050)
    with pytest.raises(AudioReadError, match="no audio samples"):
        load_audio(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(AudioReadError, match="nope.flac"):
        load_audio(tmp_path / "nope.flac")
