"""Voice-corpus file names: every field parsed; anything else refused with the file named."""

import pytest

from moodrec.audio.naming import (
    ClipNameError,
    RavdessNameError,
    parse_clip_name,
    parse_ravdess_name,
)
from moodrec.core.emotions import (
    DROPPED,
    EMODB_CODES,
    EMOTIONS,
    EMOVO_CODES,
    RAVDESS_CODES,
    URDU_CODES,
)


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


@pytest.mark.parametrize(("corpus", "name", "speaker", "emotion", "sentence"), [
    ("ravdess", "Actor_12/03-01-05-02-01-02-12.flac", "ravdess:12", "anger", "1"),
    ("emodb", "03a01Wa.flac", "emodb:03", "anger", "a01"),
    ("emodb", "16b10Lb.wav", "emodb:16", "boredom", "b10"),
    ("emovo", "f2/gio-f2-l3.flac", "emovo:f2", "happiness", "l3"),
    ("emovo", "m1/dis-m1-b1.wav", "emovo:m1", "disgust", "b1"),
    ("urdu", "Angry/SM1_F10_A010.flac", "urdu:M1", "anger", "unscripted"),
    ("urdu", "Happy/SF10_F3_H065.wav", "urdu:F10", "happiness", "unscripted"),
])
def test_every_corpus_names_speaker_emotion_and_sentence(corpus, name, speaker, emotion,
                                                         sentence):
    clip = parse_clip_name(corpus, name)
    assert (clip.corpus, clip.speaker, clip.emotion, clip.sentence) == (
        corpus, speaker, emotion, sentence)
    assert clip.clip_id == name.rsplit("/", 1)[-1].split(".")[0]


@pytest.mark.parametrize(("corpus", "codes", "make"), [
    ("emodb", EMODB_CODES, lambda c: f"03a01{c}a.wav"),
    ("emovo", EMOVO_CODES, lambda c: f"{c}-f1-b1.wav"),
    ("urdu", URDU_CODES, lambda c: f"SM1_F1_{c}001.wav"),
])
def test_emotion_codes_of_every_corpus_come_from_the_vocabulary(corpus, codes, make):
    for code, emotion in codes.items():
        assert parse_clip_name(corpus, make(code)).emotion == emotion
        assert emotion in EMOTIONS or emotion in DROPPED


@pytest.mark.parametrize(("corpus", "name", "field"), [
    ("emodb", "03a01Xa.wav", "emotion code 'X'"),
    ("emodb", "3a01Wa.wav", "SSTTTEV"),
    ("emovo", "ang-f1-b1.wav", "emotion code 'ang'"),
    ("emovo", "neu_f1_b1.wav", "EEE-SS-TT"),
    ("urdu", "SM1_F10_Q010.wav", "emotion code 'Q'"),
    ("urdu", "M1_F10_A010.wav", "SGX_FYY_EZZ"),
    ("ravdess", "03-01-09-01-01-01-01.wav", "emotion code '09'"),
    ("tess", "OAF_back_angry.wav", "unknown voice corpus"),
])
def test_misnamed_files_raise_naming_the_file_and_field(corpus, name, field):
    with pytest.raises(ClipNameError, match=field) as err:
        parse_clip_name(corpus, name)
    assert name in str(err.value)
