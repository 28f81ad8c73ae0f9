"""The feedback rules of :mod:`moodrec.core.feedback` on a small made-up catalogue."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from moodrec.core.feedback import SETTINGS, check_settings, personal_ranking

SCALE = (0.0, 1.0)
SETTING = {"pool": 10, "cooldown": 2, "radius": 0.15, "like_boost": 0.5, "skip_penalty": 0.5,
           "repeat_window": 1, "repeat_penalty": 0.05}


def ranking(artists=None, n=20) -> pd.DataFrame:
    """A point ranking: items along a line, similarity falling by 0.01 per place."""
    artists = [None] * n if artists is None else artists
    return pd.DataFrame({
        "item": [f"pmemo:{i:03d}" for i in range(n)],
        "title": [f"Song {i}" for i in range(n)],
        "artist": artists,
        "valence": np.linspace(0.1, 0.9, n), "arousal": 0.5,
        "similarity": 1 - 0.01 * np.arange(n),
    }, index=np.arange(100, 100 + n))  # catalogue rows


def offers(*moods: list[tuple[int, str | None]]) -> pd.DataFrame:
    """One mood per argument: its offers as (item number, feedback)."""
    rows = [{"mood_id": m + 1, "time": datetime(2026, 1, 1, m), "rank": r + 1,
             "item": f"pmemo:{i:03d}", "title": f"Song {i}", "feedback": f}
            for m, mood in enumerate(moods) for r, (i, f) in enumerate(mood)]
    return pd.DataFrame(rows, columns=["mood_id", "time", "rank", "item", "title", "feedback"])


def numbers(chosen: pd.DataFrame) -> list[int]:
    return [int(i[-3:]) for i in chosen["item"]]


def test_without_offers_the_ranking_is_todays_exactly():
    candidates = ranking()
    chosen = personal_ranking(candidates, offers(), 5, SETTING, SCALE)
    pd.testing.assert_frame_equal(chosen.drop(columns="because"), candidates.head(5))
    assert chosen["because"].isna().all()


def test_a_skipped_item_waits_for_the_cooldown():
    candidates = ranking()
    history = [[(0, "skip"), (1, None), (2, None)]]
    for later in range(SETTING["cooldown"]):  # the next `cooldown` moods: not offered
        assert 0 not in numbers(personal_ranking(candidates, offers(*history), 3, SETTING,
                                                 SCALE))
        history.append([(5 + later, None)])
    back = personal_ranking(candidates, offers(*history), 3,
                            dict(SETTING, skip_penalty=0.0), SCALE)
    assert 0 in numbers(back)  # the cool-down over (and no penalty): the best item again


def test_items_near_a_liked_one_rise_and_say_why():
    candidates = ranking()
    chosen = personal_ranking(candidates, offers([(9, "like")]), 3,
                              dict(SETTING, repeat_penalty=0.0), SCALE)
    assert numbers(chosen)[0] == 9 and set(numbers(chosen)) <= {8, 9, 10, 11, 7}
    assert chosen["because"].iat[0] == "you liked it"
    assert chosen["because"].iat[1] == "close to 'Song 9', which you liked"


def test_items_near_a_skipped_one_sink():
    candidates = ranking()
    assert numbers(personal_ranking(candidates, offers([(19, None)]), 3, SETTING, SCALE)) == [
        0, 1, 2]
    chosen = personal_ranking(candidates, offers([(0, "skip")]), 3, dict(SETTING, cooldown=0),
                              SCALE)
    assert numbers(chosen) == [4, 5, 6]  # 1-3 lie within the radius of the skipped 0
    assert chosen["because"].iat[0] == "in place of 'Song 0', which you skipped"
    assert chosen["because"].iat[1] == "in place of 'Song 1', near one you skipped"


def test_repeats_give_way_to_others_of_the_mood():
    candidates = ranking()
    chosen = personal_ranking(candidates, offers([(0, None), (1, None), (2, None)]), 3,
                              dict(SETTING, repeat_penalty=0.1), SCALE)
    assert numbers(chosen) == [3, 4, 5]
    assert chosen["because"].iat[0] == "in place of 'Song 0', offered recently"


def test_one_artist_never_twice_unless_no_choice():
    artists = ["A", "A", "B", "B", "C"] + [f"X{i}" for i in range(15)]
    chosen = personal_ranking(ranking(artists), offers(), 5, SETTING, SCALE)
    assert numbers(chosen) == [0, 2, 4, 5, 6] and chosen["artist"].is_unique
    alone = personal_ranking(ranking(["A"] * 20), offers(), 5, SETTING, SCALE)
    assert numbers(alone) == [0, 1, 2, 3, 4]  # the catalogue leaves no choice


def test_a_persons_feedback_never_touches_anothers_ranking(tmp_path):
    """Through the history store: A's skip changes A's ranking, not B's."""
    from moodrec.person.history import History

    history = History(tmp_path / "history.sqlite")
    candidates = ranking()
    answer = {"senses": {}, "fused": {"emotion": "happiness", "point": [0.5, 0.5],
                                      "mood": "moderate, neutral"},
              "goal": "match", "excerpts": [{"rank": 1, "item": "pmemo:000", "title": "Song 0"}]}
    for person in ("ann", "bob"):
        history.record(person, answer, datetime(2026, 1, 1))
    before = personal_ranking(candidates, history.offers("bob"), 3, SETTING, SCALE)
    mood = int(history.offers("ann")["mood_id"].iat[0])
    history.set_feedback("ann", mood, 1, "skip")
    assert 0 not in numbers(personal_ranking(candidates, history.offers("ann"), 3, SETTING,
                                             SCALE))
    pd.testing.assert_frame_equal(personal_ranking(candidates, history.offers("bob"), 3,
                                                   SETTING, SCALE), before)


@pytest.mark.parametrize(("name", "value"), [("pool", 0), ("cooldown", -1), ("radius", 0),
                                             ("like_boost", "big"), ("repeat_window", 1.5)])
def test_bad_settings_name_the_setting(name, value):
    with pytest.raises(ValueError, match=rf"recommendation.feedback.{name} = "):
        check_settings(dict(SETTING, **{name: value}))
    with pytest.raises(ValueError, match=r"missing \['cooldown'\]"):
        check_settings({k: v for k, v in SETTING.items() if k != "cooldown"})
    assert set(SETTING) == set(SETTINGS)
