"""The page's figures (moodrec.page.charts): what they draw, as valid Vega-Lite the browser can
draw (checked against the schema Altair ships)."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from moodrec.page.charts import mood_plane, mood_timeline
from tests.page.answers import answer

CATALOGUE = pd.DataFrame({"valence": [2.0, 4.6, 6.0, 5.0], "arousal": [2.0, 4.6, 6.0, 3.0],
                          "emotion": ["sadness", "happiness", "happiness", "neutral"],
                          "album": ["A", "B", "C", "D"], "track": ["1", "2", "3", "4"]})


def _valid(spec: dict) -> dict:
    """``spec`` once through JSON (what Streamlit sends) and the Vega-Lite schema."""
    sent = json.loads(json.dumps(spec))
    alt.LayerChart.from_dict(sent)  # raises on a spec the browser could not draw
    return sent


def _layers(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_the_plane_numbers_the_recommended_excerpts_and_marks_the_person():
    result = answer(k=3, goal="uplift")
    result["target"]["moved"] = [1.0, 0.0]
    result["target"]["point"] = [5.9, 4.7]
    spec = _valid(mood_plane(CATALOGUE, result))
    [excerpts] = _layers(spec, "circle")
    assert len(excerpts["data"]["values"]) == 4
    assert excerpts["encoding"]["color"]["scale"]["domain"] == ["happiness", "neutral",
                                                                "sadness"]
    [ranks] = _layers(spec, "text")
    assert [row["rank"] for row in ranks["data"]["values"]] == ["1", "2", "3"]
    person = _layers(spec, "point")[-1]["encoding"]["shape"]["scale"]["domain"]
    assert person == ["face: happiness", "voice: sadness", "you: energetic, positive",
                      "target (uplift)"]
    [to_target] = _layers(spec, "line")
    assert [(r["valence"], r["arousal"]) for r in to_target["data"]["values"]] == [
        (4.9, 4.7), (5.9, 4.7)]
    assert "4 excerpts" in spec["title"] and "top 3" in spec["title"]


def test_a_goal_that_did_not_move_the_point_draws_no_target():
    spec = _valid(mood_plane(CATALOGUE, answer(k=1, voice=None)))
    assert not _layers(spec, "line")
    assert _layers(spec, "point")[-1]["encoding"]["shape"]["scale"]["domain"] == [
        "face: happiness", "you: energetic, positive"]


def test_one_reading_gets_an_hour_of_timeline_not_years():
    history = pd.DataFrame({"mood_id": [1, 1], "time": ["2026-11-28T09:30:00+01:00"] * 2,
                            "valence": [4.9, 4.9], "arousal": [4.7, 4.7],
                            "emotion": ["happiness"] * 2})
    spec = _valid(mood_timeline(history))
    lines = _layers(spec, "line")[0]
    assert lines["encoding"]["x"]["scale"]["domain"] == ["2026-11-28T09:00:00",
                                                         "2026-11-28T10:00:00"]
    # the person's clock, one row per mood and rating
    assert [(r["time"], r["rating"], r["value"]) for r in lines["data"]["values"]] == [
        ("2026-11-28T09:30:00", "valence", 4.9), ("2026-11-28T09:30:00", "arousal", 4.7)]
    assert lines["encoding"]["y"]["scale"]["domain"] == pytest.approx([3.7, 5.9])
    assert "1 reading)" in spec["title"]


def test_each_reading_is_labelled_with_its_emotion():
    spec = _valid(mood_timeline(pd.DataFrame({
        "mood_id": [1, 2], "time": ["2026-11-28T09:30:00+01:00", "2026-11-28T10:00:00+01:00"],
        "valence": [4.9, 3.0], "arousal": [4.7, 2.0], "emotion": ["happiness", "sadness"]})))
    [labels] = _layers(spec, "text")
    assert [(r["time"], r["emotion"]) for r in labels["data"]["values"]] == [
        ("2026-11-28T09:30:00", "happiness"), ("2026-11-28T10:00:00", "sadness")]
    assert "2 readings)" in spec["title"]
