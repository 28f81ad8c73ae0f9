"""Each catalogue's figures and the check of its emotion points (docs/catalogues.md).

1. The mapping check where the answer is known: set 1's category points carried onto
   soundtracks_set2 by matching each dimension's distribution (the method used for the song
   catalogues) against set 2's own category points, next to a plain linear change of scale.
2. Per song catalogue: the 10 songs nearest each emotion point, carried back onto set 1's
   distribution; the share whose nearest set-1 excerpt is of that emotion's category (chance:
   1/6 if the songs were random).
3. Per catalogue, the study's 4,325 persons (face and audio tables) ranked with the default
   mode, top 5: coverage (share of the items offered to anyone), distinct artists in a top 5
   (point ranking; the person path's ranking, ``moodrec.core.feedback`` without offers) and
   the mean distance from an offered item to the person's point (share of the scale's width).

    python benchmarks/catalogue_figures.py
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue_items import ROOT, load_items  # noqa: E402

from moodrec.core.emotions import EMOTIONS  # noqa: E402
from moodrec.core.feedback import personal_ranking  # noqa: E402
from moodrec.core.ranking import rank_excerpts  # noqa: E402
from moodrec.core.valence_arousal import (  # noqa: E402
    carry_distribution,
    catalogue_settings,
    scale_midpoint,
)
from moodrec.pipelines.va_mapping.nodes import derived_emotion_points, map_table  # noqa: E402

AXES = ("valence", "arousal")
K = 5


def carried(points: pd.DataFrame, source: pd.DataFrame, target: pd.DataFrame) -> np.ndarray:
    return np.column_stack([carry_distribution(points[a].to_numpy(float), source[a], target[a])
                            for a in AXES])


def set2_check(set1: pd.DataFrame, set2: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Distance of the carried (and of the linearly rescaled) set-1 points to set 2's own."""
    own = derived_emotion_points(set2)[list(AXES)].to_numpy()
    ref = derived_emotion_points(set1)
    linear = (ref[list(AXES)].to_numpy() - 1) * 8 / 6 + 1
    by_method = {"distribution": carried(ref, set1, set2), "linear": linear}
    return {method: dict(zip(EMOTIONS, np.round(np.linalg.norm(p - own, axis=1), 3).tolist(),
                             strict=True))
            for method, p in by_method.items()}


def song_check(songs: pd.DataFrame, points: pd.DataFrame, set1: pd.DataFrame) -> dict[str, float]:
    """Per emotion: share of the 10 songs nearest its point whose nearest set-1 excerpt (both
    on set 1's distribution) is of that emotion."""
    song_points = songs[list(AXES)].to_numpy(float)
    back = np.column_stack([carry_distribution(song_points[:, i], songs[a], set1[a])
                            for i, a in enumerate(AXES)])
    excerpts = set1[list(AXES)].to_numpy(float)
    share = {}
    for emotion, point in zip(points["emotion"], points[list(AXES)].to_numpy(float),
                              strict=True):
        nearest = np.argsort(np.linalg.norm(song_points - point, axis=1))[:10]
        excerpt = np.linalg.norm(back[nearest, None] - excerpts[None], axis=2).argmin(axis=1)
        share[emotion] = float((set1["emotion"].to_numpy()[excerpt] == emotion).mean())
    return share


def figures(items: pd.DataFrame, points: pd.DataFrame, params: dict) -> dict[str, float]:
    rec = params["recommendation"]
    scale = tuple(float(v) for v in catalogue_settings(params["va_mapping"])["scale"])
    study = ROOT / "data/01_raw/study"
    persons = pd.concat([map_table(pd.read_csv(study / name, encoding="utf-8-sig"), points,
                                   dataset=name, source=name)
                         for name in ("facial-recommendation.csv", "audio-recommendation.csv")])
    targets = persons[list(AXES)].to_numpy(float)
    item_points = items[list(AXES)].to_numpy(float)
    order, similarity = rank_excerpts(targets, item_points, rec["mode"], len(items),
                                      scale_midpoint(scale))
    width = scale[1] - scale[0]
    result: dict[str, float] = {"items": len(items), "persons": len(persons)}
    artists = items["artist"].to_numpy(dtype=object)
    for name, top in (("point ranking", order[:, :K]), ("person path", np.array([
            items.index.get_indexer(personal_ranking(
                items.iloc[o].assign(similarity=s), pd.DataFrame(columns=[
                    "mood_id", "item", "title", "feedback"]), K, rec["feedback"], scale).index)
            for o, s in zip(order, similarity, strict=True)]))):
        distance = np.linalg.norm(item_points[top] - targets[:, None], axis=2) / width
        distinct = ([len(set(row)) for row in artists[top]] if items["artist"].notna().any()
                    else [np.nan])
        result[f"{name}: coverage"] = round(np.unique(top).size / len(items), 3)
        result[f"{name}: distinct artists in a top {K}"] = round(float(np.mean(distinct)), 3)
        result[f"{name}: mean distance to the target (share of width)"] = round(
            float(distance.mean()), 3)
    return result


def main() -> int:
    loaded = {name: load_items(name) for name in ("soundtracks_set1", "soundtracks_set2",
                                                 "pmemo", "songs1000")}
    set1 = loaded["soundtracks_set1"][0]
    report = {"date": date.today().isoformat(), "machine": platform.processor() or "cpu",
              "set2_check_distance": set2_check(set1, loaded["soundtracks_set2"][0]),
              "song_check_agreement": {}, "figures": {}}
    for name, (items, points, params) in loaded.items():
        print(f"{name}: emotion points\n{points.round(3).to_string(index=False)}")
        if items["emotion"].isna().all():
            report["song_check_agreement"][name] = song_check(items, points, set1)
        report["figures"][name] = figures(items, points, params)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
