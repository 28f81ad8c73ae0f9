"""Grouped folds, out-of-fold scoring, temperature, recording conditions."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.audio import conditions
from moodrec.audio import voice_model as vm
from moodrec.core.emotions import EMOTIONS
from tests.audio.synthetic import speech_like
from tests.audio.voice_tables import voice_table

CONFIG = {"feature_set": "mfcc_stats", "family": "logreg", "C": 1.0, "balance": "none"}


def test_folds_cut_every_corpus_and_cover_every_speaker():
    speakers = [f"ravdess:{a:02d}" for a in range(1, 25)] + [f"emovo:{s}" for s in
                                                             ("f1", "f2", "f3", "m1", "m2", "m3")]
    folds = vm.speaker_folds(speakers, 6)
    assert [len(f) for f in folds] == [5] * 6  # four actors and one EMOVO speaker each
    assert sorted(s for f in folds for s in f) == sorted(speakers)
    assert all(sum(int(s[-2:]) % 2 for s in f if s.startswith("ravdess")) == 2 for f in folds)
    with pytest.raises(ValueError, match="folds"):
        vm.speaker_folds(speakers, 7)  # EMOVO has six speakers


def test_leave_one_corpus_out_folds_hold_one_corpus_each():
    table = voice_table(actors=2, corpora=("emodb", "ravdess"))
    assert vm.corpus_folds(table) == [["emodb:01", "emodb:02"], ["ravdess:01", "ravdess:02"]]


def test_no_speaker_in_two_roles_and_augmented_copies_never_scored(monkeypatch):
    table = voice_table(actors=4, copies=2)
    seen = []
    real = vm.build_classifier

    def spy(config, seed):
        model = real(config, seed)
        fit = model.fit

        def fit_and_record(x, y, **weights):
            seen.append(len(x))
            return fit(x, y, **weights)

        model.fit = fit_and_record
        return model

    monkeypatch.setattr(vm, "build_classifier", spy)
    folds = vm.speaker_folds(table["speaker"], 2)
    oof = vm.cross_validate(table, CONFIG, folds, 0, "neutral")
    per_speaker = len(table) // 4
    assert seen == [2 * per_speaker, 2 * per_speaker]  # trained on the other fold's speakers
    assert len(oof) == (table["variant"] == "original").sum()
    assert not oof["clip_id"].duplicated().any()
    for number, fold in enumerate(folds):
        assert set(oof[oof["fold"] == number]["speaker"]) == set(fold)
    scores = vm.scores_by(oof, "fold")
    assert scores["accuracy"].between(0, 1).all() and len(scores) == 2
    assert all(abs(sum(s.values()) - 1) < 1e-9 for s in scores["shares"])


def test_balance_weighs_every_corpus_and_class_alike():
    table = voice_table(actors=1, copies=0, corpora=("emodb", "ravdess"))
    table = table[~((table["corpus"] == "emodb") & (table["label"] != EMOTIONS[0]))]
    y = vm.labels_to_indices(table["label"])
    weights = vm.sample_weights(table, y, "corpus_class")
    totals = table.assign(w=weights).groupby(["corpus", "label"])["w"].sum()
    assert np.allclose(totals, totals.iloc[0])  # 2 emodb rows weigh what 2 ravdess rows do
    assert vm.sample_weights(table, y, "none") is None
    with pytest.raises(ValueError, match="balance"):
        vm.sample_weights(table, y, "speaker")


def test_reference_rows_are_each_speakers_neutral_clips_of_one_sentence():
    table = voice_table(actors=2, copies=1)
    reference = vm.reference_rows(table, "neutral")
    chosen = table[reference]
    assert set(chosen["variant"]) == {"original"} and set(chosen["label"]) == {"neutral"}
    assert chosen.groupby("speaker")["sentence"].unique().map(list).to_dict() == {
        "ravdess:01": ["1"], "ravdess:02": ["1"]}


def test_speaker_relative_features_subtract_each_speakers_reference():
    x = np.array([[1.0], [3.0], [10.0], [14.0]])
    speakers = np.array(["a", "a", "b", "b"])
    reference = np.array([True, False, True, False])
    np.testing.assert_allclose(vm.speaker_relative(x, speakers, reference), [[0], [2], [0], [4]])


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
