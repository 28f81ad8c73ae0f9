"""Unit tests of the recommendation nodes on small tables built from the vocabulary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.core.ranking import rank_excerpts
from moodrec.core.scoring import MODES
from moodrec.pipelines.recommendation.nodes import (
    EXCERPT_COLUMNS,
    recommend,
    recommendable_excerpts,
    recommendation_metrics,
    scale_centre,
)
from tests.pipelines.recommendation.conftest import CENTRE


# ----------------------------------------------------------------------- recommendable_excerpts
def test_recommendable_excerpts_join_the_track_list(catalogue, tracklist, rec_params):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    assert list(excerpts.columns) == list(EXCERPT_COLUMNS)
    assert len(excerpts) == 2 * len(EMOTIONS)  # the other category is left out
    assert excerpts["emotion"].tolist() == [e for e in EMOTIONS for _ in range(2)]
    assert excerpts["number"].tolist() == list(range(1, 13))  # "001" -> 1
    by_number = tracklist.assign(n=tracklist["Nro"].astype(int)).set_index("n")
    for _, row in excerpts.iterrows():
        listed = by_number.loc[row["number"]]
        assert (row["album"], row["track"], row["time_range"]) == (
            listed["Album name"], listed["Track"], listed["Min:Sec"])
    np.testing.assert_array_equal(excerpts[["valence", "arousal"]],
                                  catalogue.iloc[:12][["valence", "arousal"]])


def test_track_list_order_extra_rows_and_column_case_do_not_matter(catalogue, tracklist,
                                                                   rec_params):
    expected = recommendable_excerpts(catalogue, tracklist, rec_params)
    shuffled = tracklist.sample(frac=1, random_state=0).rename(
        columns={"Nro": "\ufeffNRO", "Album name": "album NAME"})
    extra = pd.DataFrame([{"\ufeffNRO": "999", "Emotion": "x", "album NAME": "y", "Track": "1",
                           "Min:Sec": "00:00-00:10"}])
    joined = recommendable_excerpts(catalogue, pd.concat([shuffled, extra]), rec_params)
    pd.testing.assert_frame_equal(joined, expected)


def test_numbers_unpadded_in_the_catalogue_and_padded_in_the_track_list(catalogue, tracklist,
                                                                         rec_params):
    """The catalogue CSV stores 1, 2 ...; the published track list 001, 002 ..."""
    as_text = catalogue.assign(number=catalogue["number"].astype(str))
    padded = tracklist.assign(Nro=tracklist["Nro"].str.zfill(4))
    joined = recommendable_excerpts(as_text, padded, rec_params)
    assert joined["number"].tolist() == list(range(1, 13))


def test_catalogue_read_back_from_csv(tmp_path, catalogue, tracklist, rec_params):
    """The persisted soundtrack_catalogue (NaN for the other categories) is read back as is."""
    path = tmp_path / "catalogue.csv"
    catalogue.to_csv(path, index=False)
    loaded = pd.read_csv(path, dtype={"category": str, "emotion": str})
    pd.testing.assert_frame_equal(recommendable_excerpts(loaded, tracklist, rec_params),
                                  recommendable_excerpts(catalogue, tracklist, rec_params))


# ------------------------------------------------------------------------------------ recommend
@pytest.mark.parametrize("mode", MODES)
def test_recommend_is_rank_excerpts_joined_with_persons_and_excerpts(
        persons, catalogue, tracklist, rec_params, mode):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    params = dict(rec_params, mode=mode, k=4)
    table = recommend(persons, excerpts, params)
    assert len(table) == 4 * len(persons)
    assert table["rank"].tolist() == [1, 2, 3, 4] * len(persons)
    assert (table["mode"] == mode).all()
    indices, similarities = rank_excerpts(persons[["valence", "arousal"]].to_numpy(),
                                          excerpts[["valence", "arousal"]].to_numpy(), mode, 4,
                                          CENTRE)
    np.testing.assert_array_equal(table["number"], excerpts["number"].to_numpy()[indices.ravel()])
    np.testing.assert_allclose(table["similarity"], similarities.ravel())
    for column in ("album", "track", "time_range", "category"):
        np.testing.assert_array_equal(table[column], excerpts[column].to_numpy()[indices.ravel()])
    np.testing.assert_array_equal(table["excerpt_valence"],
                                  excerpts["valence"].to_numpy()[indices.ravel()])
    repeated = persons.loc[persons.index.repeat(4)].reset_index(drop=True)
    for column in ("source", "record", "pred_label", "true_label"):
        assert table[column].tolist() == repeated[column].tolist()
    np.testing.assert_array_equal(table["person_valence"], repeated["valence"])
    np.testing.assert_array_equal(table["person_arousal"], repeated["arousal"])
    per_person = table["similarity"].to_numpy().reshape(-1, 4)
    assert (np.diff(per_person, axis=1) <= 1e-12).all()  # best first


def test_a_person_at_an_excerpt_gets_it_first(persons, catalogue, tracklist, rec_params):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    one = persons.iloc[:1].copy()
    one[["valence", "arousal"]] = excerpts.loc[7, ["valence", "arousal"]].to_numpy(float)
    for mode in MODES:
        table = recommend(one, excerpts, dict(rec_params, mode=mode))
        assert table["number"].iat[0] == excerpts["number"].iat[7]
        assert table["similarity"].iat[0] == pytest.approx(1.0)


def test_unknown_true_labels_are_carried_as_empty(persons, catalogue, tracklist, rec_params):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    persons = persons.assign(true_label=None)
    table = recommend(persons, excerpts, rec_params)
    assert table["true_label"].isna().all()


# ------------------------------------------------------------------------ recommendation_metrics
def _by_hand(persons, excerpts, points, mode, k):
    """hit@k, distance and coverage computed the slow way for one group of persons."""
    indices, _ = rank_excerpts(persons[["valence", "arousal"]].to_numpy(),
                               excerpts[["valence", "arousal"]].to_numpy(), mode, k, CENTRE)
    hits, distances, anyhit = [], [], []
    lookup = points.set_index("emotion")
    for person, chosen in zip(persons.itertuples(), indices, strict=True):
        emotions = excerpts["emotion"].to_numpy()[chosen]
        hits += list(emotions == person.true_label)
        anyhit.append((emotions == person.true_label).any())
        target = lookup.loc[person.true_label, ["valence", "arousal"]].to_numpy(float)
        for j in chosen:
            distances.append(np.hypot(*(excerpts.loc[j, ["valence", "arousal"]].to_numpy(float)
                                        - target)))
    return {"hit_at_k": np.mean(hits), "any_hit_at_k": np.mean(anyhit),
            "mean_va_distance": np.mean(distances),
            "coverage": len(set(indices.ravel())) / len(excerpts)}


def test_metrics_per_mode_and_sense(persons, catalogue, tracklist, points, rec_params):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    report = recommendation_metrics(persons, excerpts, points, rec_params)
    assert report["k"] == 3 and report["soundtrack_set"] == "set1"
    assert report["default_mode"] == rec_params["mode"]
    assert report["recommendable_excerpts"] == 12
    assert list(report["modes"]) == list(rec_params["metric_modes"])
    for mode, groups in report["modes"].items():
        assert list(groups) == ["all", "face", "audio"]
        for group, figures in groups.items():
            chosen = persons if group == "all" else persons[persons["source"] == group]
            expected = _by_hand(chosen, excerpts, points, mode, 3)
            assert figures["n"] == figures["n_with_true_label"] == len(chosen)
            for key, value in expected.items():
                assert figures[key] == pytest.approx(value), (mode, group, key)
            assert 0 <= figures["hit_at_k_tie_averaged"] <= 1


def test_metrics_skip_persons_without_a_true_label(persons, catalogue, tracklist, points,
                                                   rec_params):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    unlabelled = persons.copy()
    unlabelled.loc[unlabelled["source"] == "audio", "true_label"] = None
    report = recommendation_metrics(unlabelled, excerpts, points, rec_params)
    audio = report["modes"][rec_params["mode"]]["audio"]
    assert audio["n"] == 10 and audio["n_with_true_label"] == 0
    assert "hit_at_k" not in audio and "coverage" in audio
    face = report["modes"][rec_params["mode"]]["face"]
    assert face == recommendation_metrics(persons, excerpts, points,
                                          rec_params)["modes"][rec_params["mode"]]["face"]


def test_metrics_include_the_default_mode(persons, catalogue, tracklist, points, rec_params):
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    params = dict(rec_params, mode=MODES[2], metric_modes=[MODES[0]])
    assert list(recommendation_metrics(persons, excerpts, points, params)["modes"]) == [
        MODES[0], MODES[2]]


def test_tie_averaged_hit_differs_only_where_ties_are(persons, catalogue, tracklist, points,
                                                      rec_params):
    """Without ties at the k-th place both hit@k figures agree."""
    excerpts = recommendable_excerpts(catalogue, tracklist, rec_params)
    report = recommendation_metrics(persons, excerpts, points, rec_params)
    for groups in report["modes"].values():
        figures = groups["all"]
        assert figures["hit_at_k_tie_averaged"] == pytest.approx(figures["hit_at_k"])


# ------------------------------------------------------------------------------- parameters
def test_scale_centre(rec_params):
    assert scale_centre(rec_params).tolist() == [4.0, 4.0]
    assert scale_centre(dict(rec_params, soundtrack_set="set2")).tolist() == [5.0, 5.0]


def test_default_parameters(rec_params):
    assert rec_params["k"] == 3
    assert rec_params["mode"] in MODES and rec_params["mode"] != "cosine"
    assert set(rec_params["metric_modes"]) == set(MODES)
