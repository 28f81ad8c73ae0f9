"""The project's real parameters (conf/base), resolved as Kedro resolves them, with the
run-time choices filled in; a soundtrack set's items and emotion points by va_mapping's nodes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from kedro.config import OmegaConfigLoader

from moodrec.pipelines.va_mapping.catalogues import (
    prepare_pmemo,
    prepare_songs1000,
    prepare_soundtracks,
)
from moodrec.pipelines.va_mapping.nodes import emotion_points

CONF = Path(__file__).resolve().parents[3] / "conf"


def load_params(pipeline: str, catalogue: str = "soundtracks_set1",
                prediction_source: str = "study", **overrides: Any) -> dict[str, Any]:
    loader = OmegaConfigLoader(str(CONF), base_env="base", default_run_env="local", runtime_params={
        "catalogue": catalogue, "prediction_source": prediction_source})
    return {**loader["parameters"][pipeline], **overrides}


def with_scale(params: dict[str, Any], scale: Any,
               catalogue: str = "soundtracks_set1") -> dict[str, Any]:
    """``params`` with ``catalogues.<catalogue>.scale`` replaced (the other catalogues dropped)."""
    return dict(params, catalogues={catalogue: dict(params["catalogues"][catalogue], scale=scale)})


def tracklist_of(ratings: pd.DataFrame) -> pd.DataFrame:
    """A track list for ``ratings`` as published: zero-padded ``Nro``, album, track, time."""
    return pd.DataFrame({
        "Nro": ratings["number"],
        "Album name": [f"Album {i % 4}" for i in range(len(ratings))],
        "Track": [str(i + 1) for i in range(len(ratings))],
        "Min:Sec": [f"00:{i:02d}-00:{i + 15:02d}" for i in range(len(ratings))],
    })


def prepare(ratings: pd.DataFrame, params: dict[str, Any], tracklist: pd.DataFrame | None = None,
            name: str = "soundtracks_set1") -> pd.DataFrame:
    """A soundtrack set's items, by va_mapping's node (a track list made up when not given)."""
    return prepare_soundtracks(ratings, tracklist_of(ratings) if tracklist is None else tracklist,
                               params, name=name)


def points_of(items: pd.DataFrame, params: dict[str, Any],
              study_map: pd.DataFrame | None = None) -> pd.DataFrame:
    """The emotion points of the run's catalogue, ``items``."""
    name = params["catalogue"].split("+")[0]
    return emotion_points(params, pd.DataFrame() if study_map is None else study_map,
                          **{name: items})


def raw_catalogues(shared_data: Path) -> dict[str, Any]:
    """Every catalogue's raw tables, by catalog entry name, read as the catalog reads them."""
    soundtracks, music = shared_data / "soundtracks", shared_data / "music"
    tables: dict[str, Any] = {}
    for name in ("set1", "set2"):
        tables[f"soundtracks_{name}.ratings"] = pd.read_csv(
            soundtracks / f"mean_ratings_{name}.csv", encoding="utf-8-sig",
            dtype={"number": str, "Number": str})
        tables[f"soundtracks_{name}.tracklist"] = pd.read_csv(
            soundtracks / f"{name}_tracklist.csv", encoding="utf-8-sig", dtype=str)
    tables["pmemo.songs"] = json.loads((music / "pmemo_static.json").read_text())
    tables["songs1000.annotations"] = pd.read_csv(music / "emomusic_static_annotations.csv",
                                                  dtype=str)
    tables["songs1000.info"] = pd.read_csv(music / "emomusic_songs_info.csv", dtype=str)
    return tables


def real_items(shared_data: Path, params: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Every catalogue's items, by va_mapping's nodes from the real files."""
    raw = raw_catalogues(shared_data)
    items = {name: prepare(raw[f"{name}.ratings"], params, raw[f"{name}.tracklist"], name)
             for name in ("soundtracks_set1", "soundtracks_set2")}
    items["pmemo"] = prepare_pmemo(raw["pmemo.songs"], params, name="pmemo")
    items["songs1000"] = prepare_songs1000(raw["songs1000.annotations"], raw["songs1000.info"],
                                           params, name="songs1000")
    return items


def pmemo_songs(n: int = 12) -> list[dict[str, Any]]:
    """PMEmo's JSON layout: ``{id, title, artist, v, a}``, two songs per artist, spread over
    0.1-0.9 (no two songs share a value: n coprime with 5 and 7)."""
    return [{"id": i + 1, "title": f"Song {i + 1}", "artist": f"Artist {i // 2}",
             "v": round(0.1 + 0.8 * (5 * i % n) / (n - 1), 3),
             "a": round(0.1 + 0.8 * (7 * i % n) / (n - 1), 3)} for i in range(n)]


def songs1000_tables(n: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 1000 songs' two files as published: annotations (1-9) and info, cells tab-padded."""
    ids = [str(2 + 2 * i) for i in range(n)]
    annotations = pd.DataFrame({
        "song_id": ids,
        "mean_arousal": [str(2 + 6 * (i // 4) / 2) for i in range(n)],
        "std_arousal": "1.0",
        "mean_valence": [str(2 + 6 * (i % 4) / 3) for i in range(n)],
        "std_valence": "1.0",
    })
    info = pd.DataFrame({
        "song_id": ids[::-1],  # another order: joined by id
        "file_name": [f"\t{i}.mp3" for i in ids[::-1]],
        "Artist": [f"Band {int(i) % 5}\t" for i in ids[::-1]],
        "Song title": [f"\tTrack {i}\t" for i in ids[::-1]],
        "Genre": "\tBlues\t",
    })
    return annotations, info


def set2_ratings(ratings: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """``ratings`` (set-1 categories) recast as set 2: each emotion's excerpts in turn in the
    set-2 categories standing for it (set 2's scale, 1-9, holds set 1's values)."""
    from moodrec.core.emotions import canonical, emotion_of_category

    standing: dict[str, list[str]] = {}
    for category, emotion in params["catalogues"]["soundtracks_set2"]["categories"].items():
        standing.setdefault(canonical(emotion), []).append(category)
    set1 = params["catalogues"]["soundtracks_set1"]["categories"]
    seen: dict[str, int] = {}
    targets = []
    for category in ratings["TARGET"]:
        emotion = emotion_of_category(category, set1)
        if emotion is None:
            targets.append(category)
            continue
        seen[emotion] = seen.get(emotion, -1) + 1
        targets.append(standing[emotion][seen[emotion] % len(standing[emotion])])
    return ratings.assign(TARGET=targets)


def synthetic_raw(ratings: pd.DataFrame, params: dict[str, Any],
                  tracklist: pd.DataFrame | None = None) -> dict[str, Any]:
    """Every catalogue's raw tables, made up: set 1 = ``ratings``, set 2 from it, small song
    tables (what a pipeline test's catalog needs besides the predictions)."""
    set2 = set2_ratings(ratings, params)
    annotations, info = songs1000_tables()
    return {
        "soundtracks_set1.ratings": ratings,
        "soundtracks_set1.tracklist": tracklist_of(ratings) if tracklist is None else tracklist,
        "soundtracks_set2.ratings": set2, "soundtracks_set2.tracklist": tracklist_of(set2),
        "pmemo.songs": pmemo_songs(), "songs1000.annotations": annotations,
        "songs1000.info": info,
    }
