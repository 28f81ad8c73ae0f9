"""One question of the page (moodrec.page.asking): inputs in, messages next to their inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from moodrec.page.asking import NOTHING_GIVEN, Upload, ask, safe_name
from moodrec.person.errors import ModelFileError, PersonInputError
from moodrec.person.history import HistoryError
from tests.page.answers import answer


class FakeService:
    """Answers (or fails) as told, and remembers the files it was given and their bytes."""

    def __init__(self, result):
        self.result, self.seen, self.persons, self.media = result, {}, [], []

    def answer(self, photos, clips, goal, top_k, person, media):
        self.media.append(media)
        self.seen = {Path(p): Path(p).read_bytes() for p in [*photos, *clips]}
        self.request = (goal, top_k, len(photos), len(clips))
        self.persons.append(person)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result(photos, clips) if callable(self.result) else self.result


PHOTO, CLIP = Upload("photo", "me.jpg", b"jpeg bytes"), Upload("voice", "me.wav", b"wav bytes")


def test_the_inputs_are_files_only_while_the_person_path_reads_them():
    service = FakeService(answer())
    outcome = ask(service, [PHOTO, CLIP], "calm", 4, "Ada")
    assert outcome.answer == answer() and not outcome.general
    assert service.request == ("calm", 4, 1, 1) and service.persons == ["Ada"]
    assert sorted(service.seen.values()) == [b"jpeg bytes", b"wav bytes"]
    assert {p.name for p in service.seen} == {"me.jpg", "me.wav"}
    assert not any(p.exists() for p in service.seen)


def test_nothing_given_asks_for_an_input_without_calling_the_person_path():
    service = FakeService(AssertionError("not to be called"))
    outcome = ask(service, [], "match", 5, "Ada")
    assert outcome.answer is None and outcome.general == [NOTHING_GIVEN]


def test_each_problem_goes_next_to_its_input_with_the_name_the_person_knows():
    def refuse(photos, clips):
        raise PersonInputError("no usable input: nothing to recommend from",
                               [f"photo {photos[0]}: no face found", f"voice clip {clips[0]}: "
                                "silent (no speech above the noise floor)"])

    outcome = ask(FakeService(refuse), [PHOTO, CLIP], "match", 5, "Ada")
    assert outcome.answer is None
    assert outcome.notes == {"photo": ["photo me.jpg: no face found"],
                             "voice": ["voice clip me.wav: silent (no speech above the noise "
                                       "floor)"]}
    assert outcome.general == ["no usable input: nothing to recommend from"]


def test_a_partial_answer_keeps_its_problems_by_their_inputs_and_the_files_by_name():
    def partial(photos, clips):
        result = answer(face=None, voice="anger")
        result["senses"]["face"] = {"used": False, "inputs": [{"file": str(photos[0])}],
                                    "problems": [f"photo {photos[0]}: no face found"]}
        result["senses"]["voice"]["inputs"] = [{"file": str(clips[0])}]
        result["warnings"] = ["the face could not be used; recommending from the voice alone"]
        return result

    outcome = ask(FakeService(partial), [PHOTO, CLIP], "match", 3, "Ada")
    assert outcome.answer is not None
    assert outcome.notes["photo"] == ["photo me.jpg: no face found"]
    assert outcome.general == ["the face could not be used; recommending from the voice alone"]
    assert outcome.answer["senses"]["face"]["inputs"][0]["file"] == "me.jpg"
    assert outcome.answer["senses"]["voice"]["inputs"][0]["file"] == "me.wav"


def test_a_model_problem_is_said_and_the_page_goes_on():
    outcome = ask(FakeService(ModelFileError("face model not found: models/face/x.onnx")),
                  [PHOTO], "match", 5, "Ada")
    assert outcome.answer is None and outcome.general == ["face model not found: "
                                                          "models/face/x.onnx"]


def test_an_unexpected_error_is_said_in_one_line():
    outcome = ask(FakeService(KeyError("emotion_va_points")), [CLIP], "match", 5, "Ada")
    assert outcome.answer is None and outcome.general == ["KeyError: 'emotion_va_points'"]


def test_a_history_that_cannot_be_used_still_gives_the_answer_and_says_why(tmp_path):
    """The answer comes back without the history (not adapted, not kept), and the history's
    error, naming the file, goes next to the history."""
    class NoHistory(FakeService):
        def answer(self, photos, clips, goal, top_k, person, media):
            if person is not None:
                self.persons.append(person)
                raise HistoryError(tmp_path / "h.sqlite", "is a folder", "give a file")
            return super().answer(photos, clips, goal, top_k, person, media)

    service = NoHistory(answer())
    outcome = ask(service, [PHOTO], "match", 5, "Ada")
    assert outcome.answer == answer() and service.persons == ["Ada", None]
    assert str(tmp_path / "h.sqlite") in outcome.history and not outcome.general


@pytest.mark.parametrize("name, safe", [("../../etc/passwd", "passwd"), ("a:b,c.png", "a_b_c.png"),
                                        ("my face.jpg", "my face.jpg"), ("..", "photo")])
def test_a_file_name_cannot_leave_the_temporary_folder(name, safe):
    assert safe_name(name, "photo") == safe


def test_media_are_kept_only_when_asked():
    service = FakeService(answer())
    ask(service, [PHOTO, CLIP], "match", 5, "Ada")
    ask(service, [PHOTO, CLIP], "match", 5, "Ada", keep_media=True)
    assert service.media == [[], [("photo", "me.jpg", b"jpeg bytes"),
                                  ("voice", "me.wav", b"wav bytes")]]
