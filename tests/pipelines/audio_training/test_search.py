"""The hyperopt search: an interrupted search resumes losing nothing, and reproduces."""

import numpy as np
import pytest

from moodrec.datasets.audio import TrialsCheckpoint
from moodrec.pipelines.audio_training.modelling import search_voice_model
from moodrec.pipelines.audio_training.search import run_search
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
    features = voice_table()
    checkpoint = TrialsCheckpoint(tmp_path / "trials.pkl")
    params["search"]["max_evals"] = 1
    table, _ = search_voice_model(features, checkpoint, params)
    assert len(table) == 1
    params["search"]["max_evals"] = 2
    table, best = search_voice_model(features, checkpoint, params)
    assert len(table) == 2 and best["trials"] == 2
    assert 0.0 <= best["cv_accuracy"] <= 1.0
    assert set(best["config"]) == {"feature_set", "family", "C"}
    assert table.loss.min() == pytest.approx(1 - best["cv_accuracy"])
