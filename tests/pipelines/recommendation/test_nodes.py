"""Unit tests of the recommendation nodes on small tables built from the vocabulary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.core.ranking import rank_excerpts
from moodrec.core.scoring import MODES
from moodrec.core.valence_arousal import ITEM_COLUMNS
from moodrec.pipelines.recommendation.nodes import recommend, recommendation_metrics
from moodrec.pipelines.recommendation.settings import scale_centre
from tests.pipelines.recommendation.conftest import CENTRE
from tests.pipelines.va_mapping.params import prepare


# ------------------------------------------------- the soundtrack items (va_mapping's join)
def test_soundtrack_items_join_the_track_list(ratings, catalogue, tracklist):
    excerpts = catalogue
    assert list(excerpts.columns) == list(ITEM_COLUMNS)
    assert len(excerpts) == 2 * len(EMOTIONS)  # the other category is left out
    assert excerpts["emotion"].tolist() == [e for e in EMOTIONS for _ in range(2)]
    assert excerpts["number"].tolist() == list(range(1, 13))  # "001" -> 1
    by_number = tracklist.assign(n=tracklist["Nro"].astype(int)).set_index("n")
    for _, row in excerpts.iterrows():
        listed = by_number.loc[row["number"]]
        assert (row["album"], row["track"], row["time_range"]) == (
            listed["Album name"], listed["Track"], listed["Min:Sec"])
    np.testing.assert_array_equal(excerpts[["valence", "arousal"]],
                                  ratings.iloc[:12][["valence", "energy"]])


def test_track_list_order_extra_rows_and_column_case_do_not_matter(ratings, catalogue,
                                                                   tracklist, va_params):
    shuffled = tracklist.sample(frac=1, random_state=0).rename(
        columns={"Nro": "\ufeffNRO", "Album name": "album NAME"})
    extra = pd.DataFrame([{"\ufeffNRO": "999", "Emotion": "x", "album NAME": "y", "Track": "1",
                           "Min:Sec": "00:00-00:10"}])
    joined = prepare(ratings, va_params, pd.concat([shuffled, extra]))
    pd.testing.assert_frame_equal(joined, catalogue)


def test_numbers_unpadded_in_the_ratings_and_padded_in_the_track_list(ratings, tracklist,
                                                                       va_params):
    """The ratings may write 1, 2 ...; the published track list 001, 002 ..."""
    as_text = ratings.assign(number=ratings["number"].astype(int).astype(str))
    padded = tracklist.assign(Nro=tracklist["Nro"].str.zfill(4))
    joined = prepare(as_text, va_params, padded)
    assert joined["number"].tolist() == list(range(1, 13))


# ------------------------------------------------------------------------------------ recommend
@pytest.mark.parametrize("mode", MODES)
def test_recommend_is_rank_excerpts_joined_with_persons_and_excerpts(
        persons, catalogue, tracklist, rec_params, mode):
    excerpts = catalogue
    params = dict(rec_params, mode=mode, k=4)
    table = recommend(persons, excerpts, params)
    assert len(table) == 4 * len(persons)
    assert table["rank"].tolist() == [1, 2, 3, 4] * len(persons)
    assert (table["mode"] == mode).all()
    indices, similarities = rank_excerpts(persons[["valence", "arousal"]].to_numpy(),
                                          excerpts[["valence", "arousal"]].to_numpy(), mode, 4,
                                          CENTRE)
    np.testing.assert_array_equal(table["item"], excerpts["item"].to_numpy()[indices.ravel()])
    np.testing.assert_allclose(table["similarity"], similarities.ravel())
    for column in ("title", "category"):
        np.testing.assert_array_equal(table[column], excerpts[column].to_numpy()[indices.ravel()])
    np.testing.assert_array_equal(table["item_valence"],
                                  excerpts["valence"].to_numpy()[indices.ravel()])
    repeated = persons.loc[persons.index.repeat(4)].reset_index(drop=True)
    for column in ("source", "record", "pred_label", "true_label"):
        assert table[column].tolist() == repeated[column].tolist()
    np.testing.assert_array_equal(table["person_valence"], repeated["valence"])
    np.testing.assert_array_equal(table["person_arousal"], repeated["arousal"])
    per_person = table["similarity"].to_numpy().reshape(-1, 4)
    assert (np.diff(per_person, axis=1) <= 1e-12).all()  # best first


def test_a_person_at_an_excerpt_gets_it_first(persons, catalogue, tracklist, rec_params):
    excerpts = catalogue
    one = persons.iloc[:1].copy()
    one[["valence", "arousal"]] = excerpts.loc[7, ["valence", "arousal"]].to_numpy(float)
    for mode in MODES:
        table = recommend(one, excerpts, dict(rec_params, mode=mode))
        assert table["item"].iat[0] == excerpts["item"].iat[7]
        assert table["similarity"].iat[0] == pytest.approx(1.0)


def test_unknown_true_labels_are_carried_as_empty(persons, catalogue, tracklist, rec_params):
    excerpts = catalogue
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
    excerpts = catalogue
    report = recommendation_metrics(persons, excerpts, points, rec_params)
    assert report["k"] == 3 and report["catalogue"] == "soundtracks_set1"
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
    excerpts = catalogue
    unlabelled = persons.copy()
    unlabelled.loc[unlabelled["source"] == "audio", "true_label"] = None
    report = recommendation_metrics(unlabelled, excerpts, points, rec_params)
    audio = report["modes"][rec_params["mode"]]["audio"]
    assert audio["n"] == 10 and audio["n_with_true_label"] == 0
    assert "hit_at_k" not in audio and "coverage" in audio
    face = report["modes"][rec_params["mode"]]["face"]
    assert face == recommendation_metrics(persons, excerpts, points,
                                          rec_params)["modes"][rec_params["mode"]]["face"]


def test_metrics_of_a_catalogue_without_categories(persons, catalogue, points, rec_params):
    """Songs have no category: no hit@k, but coverage and the distance to the true emotion's
    point."""
    songs = catalogue.assign(emotion=None, category=None)
    report = recommendation_metrics(persons, songs, points, rec_params)
    figures = report["modes"][rec_params["mode"]]["all"]
    assert "hit_at_k" not in figures and "hit_at_k_tie_averaged" not in figures
    with_categories = recommendation_metrics(persons, catalogue, points, rec_params)
    for name in ("coverage", "mean_va_distance"):
        assert figures[name] == with_categories["modes"][rec_params["mode"]]["all"][name]


def test_metrics_include_the_default_mode(persons, catalogue, tracklist, points, rec_params):
    excerpts = catalogue
    params = dict(rec_params, mode=MODES[2], metric_modes=[MODES[0]])
    assert list(recommendation_metrics(persons, excerpts, points, params)["modes"]) == [
        MODES[0], MODES[2]]


def test_tie_averaged_hit_differs_only_where_ties_are(persons, catalogue, tracklist, points,
                                                      rec_params):
    """Without ties at the k-th place both hit@k figures agree."""
    excerpts = catalogue
    report = recommendation_metrics(persons, excerpts, points, rec_params)
    for groups in report["modes"].values():
        figures = groups["all"]
        assert figures["hit_at_k_tie_averaged"] == pytest.approx(figures["hit_at_k"])


# ------------------------------------------------------------------------------- parameters
def test_scale_centre(rec_params):
    assert scale_centre(rec_params).tolist() == [4.0, 4.0]
    assert scale_centre(dict(rec_params, catalogue="soundtracks_set2")).tolist() == [5.0, 5.0]


def test_default_parameters(rec_params):
    assert rec_params["k"] == 3
    assert rec_params["mode"] in MODES and rec_params["mode"] != "cosine"
    assert set(rec_params["metric_modes"]) == set(MODES)
