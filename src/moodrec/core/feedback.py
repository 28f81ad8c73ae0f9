"""Learning from a person's like and skip: their earlier offers re-rank the items for a new mood.

One rule for every path that answers a person (the person pipeline, hence ``moodrec recommend``
and the page; the simulated listeners of ``benchmarks/simulated_listeners.py``):

* a skipped item is not offered again while fewer than ``cooldown`` later moods have passed;
* among the ``pool`` items best for the mood, an item near a liked one rises, one near a
  skipped one sinks (``like_boost`` / ``skip_penalty`` added to its similarity at distance 0,
  fading linearly to 0 at ``radius``, a share of the scale's width), and one offered in the
  last ``repeat_window`` moods gives way (``repeat_penalty``) to others of the same mood;
* a top k holds each artist once, unless the catalogue leaves no choice (excerpts have none);
* the reason says why: ``close to 'Shine', which you liked``.

A person without offers gets the point ranking's top k exactly. Pure: no Kedro, no I/O; a
person's offers touch only the ranking they are passed to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

#: The settings (``recommendation.feedback``), each required.
SETTINGS = ("pool", "cooldown", "radius", "like_boost", "skip_penalty", "repeat_window",
            "repeat_penalty")


def check_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The feedback settings with their types and ranges checked (``ValueError`` naming one)."""
    known = set(settings)
    if known != set(SETTINGS):
        raise ValueError(f"recommendation.feedback: expected exactly {', '.join(SETTINGS)}; "
                         f"missing {sorted(set(SETTINGS) - known)}, unknown "
                         f"{sorted(known - set(SETTINGS))}")
    checked = dict(settings)
    for name in ("pool", "cooldown", "repeat_window"):
        value = checked[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < (name == "pool"):
            raise ValueError(f"recommendation.feedback.{name} = {value!r}: a whole number "
                             f">= {int(name == 'pool')}")
    for name in ("radius", "like_boost", "skip_penalty", "repeat_penalty"):
        value = checked[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (
                name == "radius" and value == 0):
            raise ValueError(f"recommendation.feedback.{name} = {value!r}: a number >= 0 "
                             f"(radius > 0)")
    return checked


def _history(offers: pd.DataFrame) -> tuple[dict[Any, tuple[str, int, str]], int]:
    """From the person's offers: per item its latest like or skip, the mood it was given in
    (0-based, oldest first) and its title; and the number of moods."""
    mood_index: dict[Any, int] = {}
    latest: dict[Any, tuple[str, int, str]] = {}
    for item, mood, title, feedback in zip(offers["item"].tolist(), offers["mood_id"].tolist(),
                                           offers["title"].tolist(),
                                           offers["feedback"].tolist(), strict=True):
        index = mood_index.setdefault(mood, len(mood_index))
        if feedback in ("like", "skip"):
            latest[item] = (feedback, index, title)
    return latest, len(mood_index)


def _closeness(points: np.ndarray, anchors: np.ndarray, reach: float) -> tuple[np.ndarray,
                                                                                np.ndarray]:
    """For every point, 1 - distance / reach to its nearest anchor (0 beyond reach) and which."""
    if anchors.size == 0:
        return np.zeros(len(points)), np.zeros(len(points), np.int64)
    distance = np.linalg.norm(points[:, None, :] - anchors[None, :, :], axis=2)
    nearest = distance.argmin(axis=1)
    return np.clip(1 - distance[np.arange(len(points)), nearest] / reach, 0, None), nearest


def _distinct_artists(order: np.ndarray, artists: np.ndarray, k: int) -> list[int]:
    """The first k of ``order`` holding each artist once; then, if there are not k artists,
    the best of the rest (items without an artist never clash)."""
    chosen: list[int] = []
    seen: set[Any] = set()
    for i in order:
        artist = artists[i]
        if not isinstance(artist, str) or artist not in seen:
            chosen.append(int(i))
            seen.add(artist)
            if len(chosen) == k:
                return chosen
    taken = set(chosen)
    return chosen + [int(i) for i in order if i not in taken][:k - len(chosen)]


def personal_ranking(candidates: pd.DataFrame, offers: pd.DataFrame, k: int,
                     settings: Mapping[str, Any], scale: tuple[float, float]) -> pd.DataFrame:
    """The k items to offer a person, re-ranked by their earlier offers.

    Args:
        candidates: the point ranking of the whole catalogue, best first: ``item``, ``title``,
            ``artist`` (missing for excerpts), ``valence``, ``arousal``, ``similarity``.
        offers: the person's earlier offers, oldest first (``History.offers``): ``mood_id``,
            ``item``, ``title``, ``feedback`` (``like``, ``skip`` or missing); may be empty.
        k: how many to offer.
        settings: ``recommendation.feedback`` (:data:`SETTINGS`, checked by
            :func:`check_settings`).
        scale: the catalogue's rating scale (distances are shares of its width).

    Returns:
        k rows of ``candidates`` (its index kept) in the order to offer them, with a column
        ``because``: why the person's feedback put the item there, or None.
    """
    artists = candidates["artist"].to_numpy(dtype=object)
    base = np.arange(len(candidates))
    today = _distinct_artists(base, artists, k)
    if offers.empty:
        return candidates.iloc[today].assign(because=None)
    items = candidates["item"].to_numpy(dtype=object)
    titles = candidates["title"].to_numpy(dtype=object)
    position = {item: j for j, item in enumerate(items)}
    latest, moods = _history(offers)
    known = {item: v for item, v in latest.items() if item in position}
    allowed = np.ones(len(candidates), bool)
    allowed[[position[i] for i, (f, mood, _) in known.items()
             if f == "skip" and moods - mood <= settings["cooldown"]]] = False
    pool = np.zeros(len(candidates), bool)
    pool[np.flatnonzero(allowed)[:settings["pool"]]] = True

    points = candidates[["valence", "arousal"]].to_numpy(float)
    reach = settings["radius"] * (scale[1] - scale[0])
    liked_items = [i for i, (f, _, _) in known.items() if f == "like"]
    skipped_items = [i for i, (f, _, _) in known.items() if f == "skip"]
    liked, liked_of = _closeness(points, points[[position[i] for i in liked_items]], reach)
    skipped, _ = _closeness(points, points[[position[i] for i in skipped_items]], reach)
    window = settings["repeat_window"]
    recent_moods = set(pd.unique(offers["mood_id"])[-window:]) if window else set()
    recent = np.zeros(len(candidates), bool)
    recent[[position[i] for i, mood in zip(offers["item"].tolist(), offers["mood_id"].tolist(),
                                           strict=True)
            if mood in recent_moods and i in position]] = True
    delta = (settings["like_boost"] * liked - settings["skip_penalty"] * skipped
             - settings["repeat_penalty"] * recent)
    in_pool = base[pool]
    if np.any(delta[pool] != 0):
        score = candidates["similarity"].to_numpy(float) + delta
        in_pool = in_pool[np.lexsort((in_pool, -score[pool]))]
    top = _distinct_artists(np.concatenate([in_pool, base[allowed & ~pool]]), artists, k)

    because: list[str | None] = []
    left_out = [i for i in today if i not in set(top)]
    for i in top:
        if liked[i] > 0 and delta[i] > 0:
            anchor = liked_items[liked_of[i]]
            because.append("you liked it" if anchor == items[i] else
                           f"close to '{known[anchor][2]}', which you liked")
        elif i in today or not left_out:
            because.append(None)
        else:
            gone = left_out.pop(0)
            why = ("which you skipped" if known.get(items[gone], ("",))[0] == "skip"
                   else "near one you skipped" if skipped[gone] > 0 else "offered recently")
            because.append(f"in place of '{titles[gone]}', {why}")
    return candidates.iloc[top].assign(because=because)
