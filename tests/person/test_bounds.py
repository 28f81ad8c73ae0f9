"""Issue 19, families 1 and 3: a photo or a clip is bounded before it is decoded, every
decoder's failure is the file's own problem, and what was assumed (a first frame, a cut
clip, a header that does not agree with the data) is said, naming the file."""

from __future__ import annotations

import io
import struct
import time
import zlib

import cv2
import numpy as np
import pytest
import soundfile
from PIL import Image

from moodrec.person import images
from moodrec.person.datasets import PersonFilesDataset
from moodrec.person.errors import PersonInputError, UnusableInputError
from moodrec.person.images import decode_grey
from moodrec.person.settings import check_person_settings


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` grey pixels and holds one row of them."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1))) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [30000, 40000], ids=["under-pillows-guard", "pillows-guard"])
def test_a_photo_declaring_too_many_pixels_is_refused_before_decoding(side):
    """Before: 40000x40000 made OpenCV raise (a 247-line traceback, the good voice lost);
    30000x30000 took 2.0 GB before "no face found". Both declare more than max_pixels."""
    start = time.perf_counter()
    with pytest.raises(UnusableInputError) as err:
        decode_grey(png_header(side, side), name="bomb.png", max_pixels=50_000_000)
    assert "bomb.png" in str(err.value) and "max_pixels" in str(err.value)
    assert time.perf_counter() - start < 1.0  # nothing was decoded


def test_an_opencv_failure_is_the_photos_own_problem(monkeypatch):
    def fails(*_):
        raise cv2.error("OpenCV(4) loadsave.cpp: imdecode_: error")

    monkeypatch.setattr(images.cv2, "imdecode", fails)
    monkeypatch.setattr(images, "_decode_with_pillow", lambda data: None)
    with pytest.raises(UnusableInputError, match="odd.png"):
        decode_grey(png_header(20, 20), name="odd.png", max_pixels=1000)


def test_an_animation_is_read_from_its_first_frame_and_says_so():
    frames = [Image.new("L", (32, 24), shade) for shade in (10, 200, 90)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    grey, notes = decode_grey(buffer.getvalue(), name="wave.gif", max_pixels=10_000)
    assert grey.shape == (24, 32) and abs(int(grey.mean()) - 10) <= 1  # the first frame
    assert len(notes) == 1 and "wave.gif" in notes[0] and "3" in notes[0]


def test_a_photo_file_larger_than_the_bound_is_not_read_whole(tmp_path):
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff" * (2 * 2**20 + 10))
    load = PersonFilesDataset([str(big)]).load()[str(big)]
    with pytest.raises(UnusableInputError) as err:
        load(max_megabytes=2)
    assert "big.jpg" in str(err.value) and "max_megabytes" in str(err.value)
    assert len(load(max_megabytes=3)) == 2 * 2**20 + 10


def _clip(tmp_path, name: str, seconds: float, sr: int = 16000) -> str:
    path = tmp_path / name
    t = np.arange(int(seconds * sr)) / sr
    soundfile.write(path, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), sr,
                    subtype="PCM_16")
    return str(path)


def test_a_long_clip_is_read_from_its_first_seconds_and_says_so(tmp_path):
    """Before: a 30-minute FLAC peaked at 1.9 GB; memory grew with the length."""
    path = _clip(tmp_path, "long.flac", 75.0)
    signal, notes = PersonFilesDataset([path], kind="voice").load()[path](sr=16000,
                                                                         max_seconds=60)
    assert signal.size == 60 * 16000
    assert len(notes) == 1 and "long.flac" in notes[0] and "max_seconds" in notes[0]
    signal, notes = PersonFilesDataset([path], kind="voice").load()[path](sr=16000,
                                                                         max_seconds=90)
    assert signal.size == 75 * 16000 and notes == []


@pytest.mark.parametrize(("offset", "value"), [(28, 16000), (40, 10 * 32000)],
                         ids=["byte-rate", "data-size"])
def test_a_wav_header_that_does_not_agree_with_the_data_is_said(tmp_path, offset, value):
    """Before: read as if true, without a word. The byte rate (offset 28) lies about the
    rate; the data size (offset 40) says the file is ten times longer than it is."""
    path = _clip(tmp_path, "lies.wav", 1.0)
    data = bytearray(open(path, "rb").read())
    data[offset:offset + 4] = struct.pack("<I", value)
    open(path, "wb").write(bytes(data))
    signal, notes = PersonFilesDataset([path], kind="voice").load()[path](sr=16000,
                                                                         max_seconds=60)
    assert signal.size == 16000
    assert len(notes) == 1 and "lies.wav" in notes[0] and "should be" in notes[0]


def test_an_honest_wav_gets_no_note(tmp_path):
    path = _clip(tmp_path, "plain.wav", 1.0)
    _, notes = PersonFilesDataset([path], kind="voice").load()[path](sr=16000, max_seconds=60)
    assert notes == []


@pytest.mark.parametrize(("sense", "name", "value"), [
    ("face", "max_pixels", 0), ("face", "max_megabytes", "big"), ("voice", "max_seconds", -1)])
def test_a_bad_bound_is_named(project_params, sense, name, value):
    person = {**project_params["person"]}
    person[sense] = {**person[sense], name: value}
    with pytest.raises(PersonInputError, match=f"{sense}.{name}"):
        check_person_settings(person)
