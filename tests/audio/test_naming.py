"""RAVDESS file names: every field parsed; anything else refused with the file named."""

import pytest

from moodrec.audio.naming import RavdessNameError, parse_ravdess_name
from moodrec.core.emotions import RAVDESS_CODES


def test_every_field_is_parsed():
    clip = parse_ravdess_name("Actor_12/03-01-05-02-01-02-12.flac")
    assert clip.clip_id == "03-01-05-02-01-02-12"
    assert clip.modality == "audio-only"
    assert clip.vocal_channel == "speech"
    assert clip.emotion == RAVDESS_CODES["05"]
    assert clip.intensity == "strong"
    assert clip.statement == 1
    assert clip.repetition == 2
    assert clip.actor == 12
    assert clip.sex == "female"
    assert parse_ravdess_name("03-02-01-01-02-01-07.wav").sex == "male"
    assert parse_ravdess_name("03-02-01-01-02-01-07.wav").vocal_channel == "song"


@pytest.mark.parametrize("code", sorted(RAVDESS_CODES))
def test_emotion_codes_come_from_the_vocabulary(code):
    assert parse_ravdess_name(f"03-01-{code}-01-01-01-01.wav").emotion == RAVDESS_CODES[code]


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("recording.wav", "MM-VV-EE-II-SS-RR-AA"),
        ("03-01-05-02-01-02.wav", "MM-VV-EE-II-SS-RR-AA"),
        ("03-01-09-01-01-01-01.wav", "emotion code '09'"),
        ("03-03-01-01-01-01-01.wav", "vocal_channel"),
        ("03-01-01-03-01-01-01.wav", "intensity"),
        ("03-01-01-01-01-01-25.wav", "actor '25'"),
        ("03-01-01-01-01-01-00.wav", "actor '00'"),
    ],
)
def test_bad_names_raise_naming_the_file_and_field(name, field):
    with pytest.raises(RavdessNameError, match=field) as err:
        parse_ravdess_name(name)
    assert name in str(err.value)
