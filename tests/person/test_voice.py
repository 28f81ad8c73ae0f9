"""Voice clips: sliding windows (the speech checks are in tests/audio/test_level.py)."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.person.voice import analysis_windows, rms_dbfs
from tests.person.conftest import speech

SR = 16000
WINDOWS = {"window_seconds": 2.5, "hop_seconds": 1.25, "pause_db": 30.0}


def test_short_clip_is_one_unpadded_window():
    y = speech(1.5, SR, 1).astype(np.float32)
    (window,) = analysis_windows(y, SR, **WINDOWS)
    assert window.signal.size == y.size and window.end == pytest.approx(1.5)


def test_long_clip_windows_cover_it_and_skip_pauses():
    y = speech(10.0, SR, 1).astype(np.float32)
    y[int(4.0 * SR) : int(7.5 * SR)] = 0.0  # a 3.5 s pause: the windows inside it do not vote
    windows = analysis_windows(y, SR, **WINDOWS)
    assert windows[0].start == 0.0 and windows[-1].end == pytest.approx(10.0)
    assert all(w.signal.size == int(2.5 * SR) for w in windows)
    assert all(not (4.0 <= w.start and w.end <= 7.5) for w in windows)
    assert len(windows) < len(analysis_windows(speech(10.0, SR, 1), SR, **WINDOWS))


def test_level():
    assert rms_dbfs(np.ones(10)) == 0.0
    assert rms_dbfs(np.zeros(10)) == float("-inf")
