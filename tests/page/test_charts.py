"""The page's figures (moodrec.page.charts): what they draw, and their PNG."""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import date2num, num2date

from moodrec.page.charts import mood_plane, mood_timeline, png
from tests.page.answers import answer

CATALOGUE = pd.DataFrame({"valence": [2.0, 4.6, 6.0, 5.0], "arousal": [2.0, 4.6, 6.0, 3.0],
                          "emotion": ["sadness", "happiness", "happiness", "neutral"]})


def test_the_plane_numbers_the_recommended_excerpts_and_marks_the_person():
    result = answer(k=3, goal="uplift")
    result["target"]["moved"] = [1.0, 0.0]
    result["target"]["point"] = [5.9, 4.7]
    axes = mood_plane(CATALOGUE, result).axes[0]
    labels = [t.get_text() for t in axes.texts]
    assert labels[:3] == ["1", "2", "3"]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert {"sadness", "happiness", "neutral", "face: happiness", "voice: sadness",
            "you: energetic, positive", "target (uplift)"} <= set(legend)
    assert "4 excerpts" in axes.get_title() and "top 3" in axes.get_title()


def test_a_goal_that_did_not_move_the_point_draws_no_target():
    axes = mood_plane(CATALOGUE, answer(k=1)).axes[0]
    assert not any("target" in t.get_text() for t in axes.get_legend().get_texts())


def test_one_reading_gets_an_hour_of_timeline_not_years():
    history = pd.DataFrame({"mood_id": [1, 1], "time": ["2026-11-28T09:30:00+01:00"] * 2,
                            "valence": [4.9, 4.9], "arousal": [4.7, 4.7],
                            "emotion": ["happiness"] * 2})
    axes = mood_timeline(history).axes[0]
    low, high = (num2date(x).replace(tzinfo=None) for x in axes.get_xlim())
    assert (high - low) == pd.Timedelta(hours=1)
    assert axes.get_xlim()[0] < date2num(pd.Timestamp("2026-11-28 09:30")) < axes.get_xlim()[1]
    assert "1 reading)" in axes.get_title()


def test_png_is_a_png():
    assert png(mood_timeline(pd.DataFrame({
        "mood_id": [1, 2], "time": ["2026-11-28T09:30:00+01:00", "2026-11-28T10:00:00+01:00"],
        "valence": [4.9, 3.0], "arousal": [4.7, 2.0], "emotion": ["happiness", "sadness"]})
    )).startswith(b"\x89PNG\r\n\x1a\n")
