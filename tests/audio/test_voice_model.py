"""Grouped folds, out-of-fold scoring, temperature, recording conditions."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.audio import conditions
from moodrec.audio import voice_model as vm
from moodrec.core.emotions import EMOTIONS
from tests.audio.synthetic import speech_like
from tests.audio.voice_tables import voice_table

CONFIG = {"feature_set": "mfcc_stats", "family": "logreg", "C": 1.0}


def test_folds_are_disjoint_balanced_and_cover_every_actor():
    folds = vm.actor_folds(range(1, 25), 6)
    assert [len(f) for f in folds] == [4] * 6
    assert sorted(a for f in folds for a in f) == list(range(1, 25))
    assert all(sum(a % 2 for a in f) == 2 for f in folds)  # two men, two women each
    with pytest.raises(ValueError, match="folds must be between 2"):
        vm.actor_folds([1, 2, 3], 4)


def test_no_actor_in_two_roles_and_augmented_copies_never_scored(monkeypatch):
    table = voice_table(actors=4, copies=2)
    seen = []
    real = vm.build_classifier

    def spy(config, seed):
        model = real(config, seed)
        fit = model.fit

        def fit_and_record(x, y):
            seen.append(len(x))
            return fit(x, y)

        model.fit = fit_and_record
        return model

    monkeypatch.setattr(vm, "build_classifier", spy)
    folds = vm.actor_folds(table["actor"], 2)
    oof = vm.cross_validate(table, CONFIG, folds, 0, "neutral")
    per_actor = len(table) // 4
    assert seen == [2 * per_actor, 2 * per_actor]  # trained on the other fold's actors only
    assert len(oof) == (table["variant"] == "original").sum()
    assert not oof["clip_id"].duplicated().any()
    for number, fold in enumerate(folds):
        assert set(oof[oof["fold"] == number]["actor"]) == set(fold)
    scores = vm.fold_scores(oof)
    assert scores["accuracy"].between(0, 1).all() and len(scores) == 2


def test_speaker_relative_features_subtract_each_actors_reference():
    x = np.array([[1.0], [3.0], [10.0], [14.0]])
    actors = np.array([1, 1, 2, 2])
    reference = np.array([True, False, True, False])
    np.testing.assert_allclose(vm.speaker_relative(x, actors, reference), [[0], [2], [0], [4]])


def test_temperature_softens_overconfident_probabilities():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 6, 600)
    guess = np.where(rng.uniform(size=600) < 0.5, truth, rng.integers(0, 6, 600))
    confident = np.full((600, 6), 0.002)
    confident[np.arange(600), guess] = 0.99
    temperature = vm.fit_temperature(confident, truth)
    assert temperature > 1.5
    softened = vm.tempered(confident, temperature)
    assert softened.max(axis=1).mean() < 0.8 and np.allclose(softened.sum(axis=1), 1)


@pytest.mark.parametrize("condition", [
    {"kind": "none"}, {"kind": "gain", "dbfs": -45}, {"kind": "noise", "snr_db": 10},
    {"kind": "reverb", "rt60_s": 0.6, "wet": 0.5}, {"kind": "band", "low_hz": 300,
                                                     "high_hz": 3400},
    {"kind": "resample", "rate": 8000}, {"kind": "silence", "seconds": 1.0},
])
def test_conditions_are_seeded_and_keep_the_clip(condition):
    voice = speech_like()
    a = conditions.apply(voice, 16000, condition, np.random.default_rng(3))
    b = conditions.apply(voice, 16000, condition, np.random.default_rng(3))
    assert np.array_equal(a, b) and a.dtype == np.float32
    extra = 2 * 16000 if condition["kind"] == "silence" else 0
    assert a.size == voice.size + extra


def test_random_conditions_follow_the_parameters():
    ranges = {"weights": {"noise": 1, "band": 1},
              "settings": {"noise": {"snr_db": {"uniform": [8, 30]}},
                           "band": {"low_hz": [200, 300], "high_hz": 3400}}}
    drawn = [conditions.random_condition(np.random.default_rng(i), ranges) for i in range(40)]
    assert {d["kind"] for d in drawn} == {"noise", "band"}
    assert all(8 <= d["snr_db"] <= 30 for d in drawn if d["kind"] == "noise")
    assert all(d["low_hz"] in (200, 300) and d["high_hz"] == 3400
               for d in drawn if d["kind"] == "band")
    with pytest.raises(ValueError, match="unknown recording condition 'echo'"):
        conditions.apply(speech_like(), 16000, {"kind": "echo"}, np.random.default_rng(0))


def test_probabilities_cover_every_class_in_vocabulary_order():
    table = voice_table(actors=2)
    model = vm.fit(table[table["label"] != EMOTIONS[0]], CONFIG, 0, "neutral")
    x = table[vm.feature_columns(table, "mfcc_stats")].to_numpy()
    p = vm.probabilities(model, x)
    assert p.shape == (len(x), 6) and (p[:, 0] == 0).all()
