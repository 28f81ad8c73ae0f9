"""The hyperopt search: an interrupted search resumes losing nothing, and reproduces."""

import numpy as np
import pytest

from moodrec.datasets.audio import TrialsCheckpoint
from moodrec.pipelines.audio_training.modelling import search_voice_model
from moodrec.pipelines.audio_training.search import MemoryCheckpoint, run_search
from tests.audio.voice_tables import voice_table


def _toy_objective(config):
    return {"loss": (np.log10(config["lr"]) + 2.5) ** 2 + 0.1 * config["units"] / 64,
            "config": config}


SPACE = {"lr": {"loguniform": [1e-4, 1e-1]}, "units": {"choice": [16, 32, 64]}}


def test_interrupted_search_resumes_and_matches_an_uninterrupted_one(tmp_path):
    whole = TrialsCheckpoint(tmp_path / "whole.pkl")
    run_search(_toy_objective, SPACE, max_evals=25, seed=7, checkpoint=whole,
               fingerprint_value="f")
    parts = TrialsCheckpoint(tmp_path / "parts.pkl")
    run_search(_toy_objective, SPACE, max_evals=25, seed=7, checkpoint=parts,
               fingerprint_value="f", stop_after=22)  # "killed" after 22 trials
    saved = parts.read()["trials"]
    assert len(saved.trials) == 22  # every finished trial was on disk
    calls = []
    resumed = run_search(lambda c: calls.append(c) or _toy_objective(c), SPACE, max_evals=25,
                         seed=7, checkpoint=parts, fingerprint_value="f")
    assert len(calls) == 3  # only the missing trials ran
    assert [t["result"]["config"] for t in resumed.trials] == \
        [t["result"]["config"] for t in whole.read()["trials"].trials]


def test_checkpoint_of_another_setup_is_refused(tmp_path):
    checkpoint = TrialsCheckpoint(tmp_path / "t.pkl")
    run_search(_toy_objective, SPACE, max_evals=2, seed=1, checkpoint=checkpoint,
               fingerprint_value="a")
    with pytest.raises(ValueError, match="another|other data"):
        run_search(_toy_objective, SPACE, max_evals=3, seed=1, checkpoint=checkpoint,
                   fingerprint_value="b")
    fresh = run_search(_toy_objective, SPACE, max_evals=1, seed=1, checkpoint=checkpoint,
                       fingerprint_value="b", resume=False)
    assert len(fresh.trials) == 1


def test_search_node_scores_by_grouped_cv_and_resumes(tmp_path, params):
    features = voice_table(corpora=("emodb", "ravdess"))
    checkpoint = TrialsCheckpoint(tmp_path / "trials.pkl")
    params["search"]["max_evals"] = 1
    table, _ = search_voice_model(features, checkpoint, params)
    assert len(table) == 1
    params["search"]["max_evals"] = 2
    table, best = search_voice_model(features, checkpoint, params)
    assert len(table) == 2 and best["trials"] == 2
    assert 0.0 <= best["cv_accuracy"] <= 1.0
    assert set(best["config"]) == {"feature_set", "family", "balance", "C"}
    assert table.loss.min() == pytest.approx(1 - best["cv_accuracy"])


def test_leave_one_corpus_out_is_nested_its_held_out_corpus_never_chooses(params, monkeypatch):
    """Each held-out corpus is read by a model whose configuration a search chose on the
    other corpora alone; the table has one row per original clip, from that model."""
    from moodrec.pipelines.audio_training import modelling

    features = voice_table(actors=2, corpora=("emodb", "emovo", "ravdess"))
    params["search"].update(objective="leave_one_corpus_out", max_evals=1)
    searched = []
    real = modelling._search

    def spy(table, checkpoint, settings, fingerprint_value):
        searched.append(sorted(table["corpus"].unique()))
        return real(table, checkpoint, settings, fingerprint_value)

    monkeypatch.setattr(modelling, "_search", spy)
    table, metrics = modelling.evaluate_leave_one_corpus_out(features, params)
    assert searched == [["emovo", "ravdess"], ["emodb", "ravdess"], ["emodb", "emovo"]]
    assert [g["held_out"] for g in metrics["held_outs"]] == ["emodb", "emovo", "ravdess"]
    assert set(metrics["chosen_configs"]) == {"emodb", "emovo", "ravdess"}
    assert len(table) == (features["variant"] == "original").sum()
    assert table["file"].notna().all()


def test_leave_one_corpus_out_objective_needs_two_corpora(params, tmp_path):
    params["search"].update(objective="leave_one_corpus_out", max_evals=1)
    with pytest.raises(ValueError, match="objective"):
        search_voice_model(voice_table(corpora=("ravdess",)), TrialsCheckpoint(
            tmp_path / "t.pkl"), params)


def test_a_space_of_one_point_is_taken_as_it_is(params, monkeypatch):
    from moodrec.pipelines.audio_training import modelling

    params["search"].update(max_evals=1, space={
        "feature_set": {"fixed": "mfcc_stats"}, "balance": {"fixed": "corpus_class"},
        "family": {"fixed": "logreg"}, "C": {"fixed": 0.5}})
    monkeypatch.setattr(modelling, "_search", None)  # the nested evaluation must not search
    _, metrics = modelling.evaluate_leave_one_corpus_out(
        voice_table(actors=2, corpora=("emodb", "ravdess")), params)
    assert set(map(str, metrics["chosen_configs"].values())) == {str(
        {"feature_set": "mfcc_stats", "family": "logreg", "balance": "corpus_class", "C": 0.5})}
    monkeypatch.undo()
    table, best = search_voice_model(voice_table(corpora=("emodb", "ravdess")),
                                     MemoryCheckpoint(), params)
    assert len(table) == 1 and best["config"]["C"] == 0.5
