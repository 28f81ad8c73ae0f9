"""Settings that pick datasets or tune the person path: a typo or a value out of range stops the
run with an error naming the parameter (before: ignored, or an error about something else).
docs/reliability.md lists the cases."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kedro.config import OmegaConfigLoader

from moodrec.person.errors import PersonInputError
from moodrec.person.settings import FACE, TOP_LEVEL, VOICE, check_person_settings
from moodrec.run.hooks import RunChoiceError, check_run_choices
from tests.conftest import PROJECT_ROOT


def _config(runtime=None) -> OmegaConfigLoader:
    return OmegaConfigLoader(str(PROJECT_ROOT / "conf"), base_env="base",
                             default_run_env="local", runtime_params=runtime or {})


@pytest.fixture(scope="module")
def person() -> dict:
    return _config()["parameters"]["person"]


# ------------------------------------------------------------------ run-time choices
@pytest.mark.parametrize(("choice", "value"), [("catalogue", "set3"),
                                               ("catalogue", "Soundtracks_set1"),
                                               ("catalogue", "pmemo+set3"),
                                               ("prediction_source", "foo")])
def test_unknown_run_choice_is_named(choice, value):
    """Before: `soundtrack_set=set3` (now `catalogue`) failed on a missing file
    mean_ratings_set3.csv, and `prediction_source=foo` on an OmegaConf InterpolationKeyError."""
    loader = _config({choice: value})
    with pytest.raises(RunChoiceError, match=rf"{choice} = '{re.escape(value)}': choose one "
                                             rf"of .*"
                                             rf"kedro run --params {choice}="):
        check_run_choices(loader["globals"], loader.runtime_params)


@pytest.mark.parametrize("runtime", [{}, {"catalogue": "soundtracks_set2"},
                                     {"catalogue": "pmemo+songs1000"},
                                     {"prediction_source": "project",
                                      "catalogue": "soundtracks_set1"}])
def test_offered_run_choices_pass(runtime):
    loader = _config(runtime)
    check_run_choices(loader["globals"], loader.runtime_params)


def test_the_hook_is_registered():
    from moodrec.run.hooks import RunChoicesCheck
    from moodrec.settings import HOOKS

    assert any(isinstance(h, RunChoicesCheck) for h in HOOKS)


# ------------------------------------------------------------------ person settings
def test_the_shipped_person_settings_pass(person):
    check_person_settings(person)


@given(section=st.sampled_from(["", "face", "voice", "sense_weights"]),
       typo=st.text("abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=16))
def test_any_unknown_person_setting_is_named(person, section, typo):
    """Before: `min_neighbours`, `sense_weights: {vocie: 0}` ... were ignored and the default
    (or weight 1) used without a word."""
    known = {"": TOP_LEVEL, "face": FACE, "voice": VOICE,
             "sense_weights": ("face", "voice")}[section]
    if typo in known:
        return
    settings = copy.deepcopy(person)
    (settings[section] if section else settings)[typo] = 1
    where = "person" + (f".{section}" if section else "")
    with pytest.raises(PersonInputError, match=rf"parameters {where}: unknown setting\(s\) "
                                               rf"\['{typo}'\]"):
        check_person_settings(settings)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("goal_strength", 1.5, r"goal_strength = 1.5: must be from 0 to 1"),
    ("goal_strength", "half", r"goal_strength = 'half'"),
    ("sense_weights", {"face": -1.0, "voice": 1.0}, r"sense_weights: \{'face': -1.0\} must be "
                                                    r"numbers >= 0"),
    ("sense_weights", {"face": float("nan"), "voice": 1.0}, r"sense_weights: \{'face': nan\}"),
    ("scale", [7, 1], r"scale = \[7, 1\]: must be null .* min < max"),
    ("scale", [1], r"scale = \[1\]"),
    ("face", "detect", r"person.face = 'detect': must be a mapping"),
])
def test_person_setting_out_of_range(person, key, value, message):
    settings = copy.deepcopy(person)
    settings[key] = value
    with pytest.raises(PersonInputError, match=message):
        check_person_settings(settings)


@pytest.mark.parametrize("section", ["", "face", "voice", "sense_weights"])
def test_a_missing_person_setting_is_named(person, section):
    """The values live only in conf: a setting left out is not filled in by a default in code."""
    settings = copy.deepcopy(person)
    where = settings[section] if section else settings
    gone = sorted(where)[0]
    del where[gone]
    with pytest.raises(PersonInputError, match=rf"missing setting\(s\) \['{gone}'\]"):
        check_person_settings(settings)


def test_person_settings_are_checked_by_the_pipelines_first_node(person):
    """Before any file is read."""
    import pandas as pd

    from moodrec.pipelines.person.nodes import check_person_request

    settings = dict(person, face={**person["face"], "min_neighbours": 3})
    with pytest.raises(PersonInputError, match=r"min_neighbours"):
        check_person_request(settings, {}, {}, pd.DataFrame({"number": [1]}))


@given(value=st.one_of(st.sampled_from(["maybe", "yes", "no", "True", "", "on"]),
                       st.integers(), st.floats(allow_nan=False), st.none()))
def test_face_detection_takes_only_true_or_false(person, value):
    """Before: `--params face_detection=maybe` ran face detection (any non-empty text is true)
    without a word; `0` turned it off."""
    settings = dict(person, face={**person["face"], "detect": value})
    with pytest.raises(PersonInputError, match=r"parameters person.face.detect = "
                                               r".* \(kedro run --params face_detection=\.\.\.\): "
                                               r"must be true or false"):
        check_person_settings(settings)


@pytest.mark.parametrize(("text", "passes"), [("true", True), ("FALSE", True), ("yes", True),
                                              ("maybe", False), ("1", False), ("", False)])
def test_face_detection_from_the_command_line(text, passes):
    """`kedro run --params face_detection=<text>`, parsed as Kedro's command line parses it
    (YAML: true/false/yes/no in any case are booleans)."""
    from omegaconf import OmegaConf

    runtime = OmegaConf.to_container(OmegaConf.from_dotlist([f"face_detection={text}"]))
    person = _config(runtime)["parameters"]["person"]
    if passes:
        check_person_settings(person)
    else:
        with pytest.raises(PersonInputError, match="must be true or false"):
            check_person_settings(person)
