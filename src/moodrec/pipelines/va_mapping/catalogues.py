"""The music catalogues, as published, -> one checked table of items each (:data:`ITEM_COLUMNS`),
and the run's choice of them on one scale.

Each catalogue is checked once, here, where it enters: a missing column, a song without
valence, a value off the catalogue's scale (``va_mapping.catalogues.<name>.scale``), a repeated
id, a blank artist or title, or a (tab-padded) number that does not parse stops the run naming
the dataset, the column and the rows (the run's hook adds the dataset's file). The columns each
field is read from are declared per catalogue in ``va_mapping.catalogues.<name>.columns``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import (
    BadInputError,
    find_columns,
    integer_ids,
    numeric_column,
    require_rows,
    text_column,
)
from moodrec.core.emotions import canonical, emotion_of_category, label_key
from moodrec.core.valence_arousal import (
    ITEM_COLUMNS,
    carry_distribution,
    catalogue_names,
    catalogue_settings,
    excerpt_title,
)

logger = logging.getLogger(__name__)


def for_catalogue(func: Callable[..., pd.DataFrame], name: str) -> Callable[..., pd.DataFrame]:
    """``func`` with its ``name`` argument bound (a node of one catalogue's template)."""
    return functools.update_wrapper(functools.partial(func, name=name), func)


def _stripped(table: pd.DataFrame) -> pd.DataFrame:
    """Every text cell without its padding (the 1000 songs pad cells with tabs)."""
    return table.apply(lambda c: c.str.strip() if c.dtype == object else c).reset_index(drop=True)


def _fields(table: pd.DataFrame, settings: dict[str, Any], dataset: str,
            wanted: tuple[str, ...]) -> dict[str, Any]:
    """``{field: raw column}`` for the fields in ``wanted`` (declared in ``columns``)."""
    columns = settings["columns"]
    found = find_columns(table, [columns[f] for f in wanted], dataset)
    return {f: found[columns[f]] for f in wanted}


def _on_scale(table: pd.DataFrame, column: str, dataset: str, scale: list[float]) -> np.ndarray:
    """A rating column as floats, every value within the catalogue's scale."""
    values = numeric_column(table, column, dataset)
    low, high = scale
    outside = (values < low) | (values > high)
    if outside.any():
        raise BadInputError(
            f"{dataset}: column {column!r} has ratings outside the catalogue's scale "
            f"[{low}, {high}] at rows {np.flatnonzero(outside)[:5].tolist()} (0-based)"
        )
    return values


def _items(name: str, number: np.ndarray, valence: np.ndarray, arousal: np.ndarray,
           **fields: Any) -> pd.DataFrame:
    """The items table in :data:`ITEM_COLUMNS` order (absent fields empty)."""
    table = pd.DataFrame({"item": [f"{name}:{n:03d}" for n in number], "number": number,
                          "valence": valence, "arousal": arousal})
    for column in ITEM_COLUMNS:
        if column not in table:
            table[column] = pd.Series(fields.get(column), dtype=object)
    return table[list(ITEM_COLUMNS)]


def prepare_soundtracks(ratings: pd.DataFrame, tracklist: pd.DataFrame, params: dict[str, Any],
                        name: str) -> pd.DataFrame:
    """A soundtrack set's excerpts whose category stands for one of the six emotions, with
    their source (album, track, time range) from the track list (numbers may be zero-padded,
    ``001``); every such excerpt must be listed."""
    dataset = f"{name}.ratings"
    settings = catalogue_settings(params, name)
    require_rows(ratings, dataset)
    cols = _fields(ratings, settings, dataset, ("number", "valence", "arousal", "category"))
    number = integer_ids(ratings, cols["number"], dataset)
    valence = _on_scale(ratings, cols["valence"], dataset, settings["scale"])
    arousal = _on_scale(ratings, cols["arousal"], dataset, settings["scale"])
    category = text_column(ratings, cols["category"], dataset)
    mapping = settings["categories"]
    present = {label_key(c) for c in category}
    absent = [c for c in mapping if label_key(c) not in present]
    if absent:
        raise BadInputError(
            f"{dataset}: no excerpt of the configured categor{'ies' if len(absent) > 1 else 'y'} "
            f"{', '.join(f'{c!r} ({canonical(mapping[c])})' for c in absent)} in column "
            f"{cols['category']!r}; categories present: {sorted(set(category))}"
        )
    emotion = np.array([emotion_of_category(c, mapping) for c in category], dtype=object)
    chosen = pd.notna(emotion)
    listed_name = f"{name}.tracklist"
    require_rows(tracklist, listed_name)
    names = params["tracklist_columns"]
    found = find_columns(tracklist, [names[k] for k in ("number", "album", "track", "time_range")],
                         listed_name)
    listed = pd.DataFrame(
        {key: text_column(tracklist, found[names[key]], listed_name)
         for key in ("album", "track", "time_range")},
        index=integer_ids(tracklist, found[names["number"]], listed_name))
    unlisted = ~np.isin(number[chosen], listed.index)
    if unlisted.any():
        missing = number[chosen][unlisted].tolist()
        rows = np.flatnonzero(chosen)[unlisted].tolist()
        raise BadInputError(
            f"{listed_name}: excerpt number(s) {missing[:10]}{' ...' if len(missing) > 10 else ''}"
            f" of {dataset} (rows {rows[:10]}, 0-based) are missing from column "
            f"{found[names['number']]!r}"
        )
    source = listed.loc[number[chosen]]
    titles = [excerpt_title(n, *row) for n, row in zip(number[chosen], source.to_numpy(),
                                                         strict=True)]
    items = _items(name, number[chosen], valence[chosen], arousal[chosen], title=titles,
                   album=source["album"].to_numpy(), track=source["track"].to_numpy(),
                   time_range=source["time_range"].to_numpy(), category=category[chosen],
                   emotion=emotion[chosen])
    logger.info("catalogue %s: %d excerpts, %d of them in the six emotions' categories",
                name, len(ratings), len(items))
    return items


def _songs(table: pd.DataFrame, settings: dict[str, Any], dataset: str, name: str,
           extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """A song table (one row per song) -> items titled ``artist - title``."""
    require_rows(table, dataset)
    table = _stripped(table)
    cols = _fields(table, settings, dataset, ("number", "valence", "arousal", "artist", "title",
                                              *extra))
    number = integer_ids(table, cols["number"], dataset)
    valence = _on_scale(table, cols["valence"], dataset, settings["scale"])
    arousal = _on_scale(table, cols["arousal"], dataset, settings["scale"])
    text = {f: text_column(table, cols[f], dataset) for f in ("artist", "title", *extra)}
    titles = [f"{a} - {t}" for a, t in zip(text["artist"], text["title"], strict=True)]
    items = _items(name, number, valence, arousal, **dict(text, title=titles))
    logger.info("catalogue %s: %d songs by %d artists", name, len(items),
                items["artist"].nunique())
    return items


def prepare_pmemo(songs: list[dict[str, Any]], params: dict[str, Any], name: str) -> pd.DataFrame:
    """PMEmo's static annotations (a JSON list of ``{id, title, artist, v, a}``)."""
    dataset = f"{name}.songs"
    if not isinstance(songs, list) or not all(isinstance(s, dict) for s in songs):
        raise BadInputError(f"{dataset}: must be a JSON list of songs ({{id, title, artist, v, "
                            f"a}}); got {type(songs).__name__}")
    return _songs(pd.DataFrame.from_records(songs), catalogue_settings(params, name), dataset,
                  name)


def prepare_songs1000(annotations: pd.DataFrame, info: pd.DataFrame, params: dict[str, Any],
                      name: str) -> pd.DataFrame:
    """The 1000 songs: the static annotations joined with the songs' info by song id (every
    annotated song must have its info)."""
    settings = catalogue_settings(params, name)
    number = settings["columns"]["number"]
    names = {"annotations": f"{name}.annotations", "info": f"{name}.info"}
    for key, table in (("annotations", annotations), ("info", info)):
        require_rows(table, names[key])
    ids = {key: pd.Index(integer_ids(_stripped(table), find_columns(table, [number], names[key])
                                     [number], names[key]))
           for key, table in (("annotations", annotations), ("info", info))}
    missing = ~ids["annotations"].isin(ids["info"])
    if missing.any():
        raise BadInputError(
            f"{names['info']}: song id(s) {ids['annotations'][missing][:10].tolist()} of "
            f"{names['annotations']} (rows {np.flatnonzero(missing)[:10].tolist()}, 0-based) "
            f"are missing from column {number!r}"
        )
    info = info.set_axis(ids["info"]).drop(columns=find_columns(info, [number], names["info"])
                                           [number])
    joined = annotations.reset_index(drop=True).join(info.loc[ids["annotations"]]
                                                     .reset_index(drop=True))
    return _songs(joined, settings, f"{names['annotations']} + {names['info']}", name,
                  extra=("genre",))


def choose_catalogue(params: dict[str, Any], **catalogues: pd.DataFrame) -> pd.DataFrame:
    """The items of the run's ``catalogue`` (one name or several joined by ``+``), on the first
    one's scale: another catalogue's ratings are carried over by matching each dimension's
    distribution to the first's (a song at arousal's 30th percentile of its catalogue lands at
    the first catalogue's 30th percentile)."""
    names = catalogue_names(params, catalogues)
    first = catalogues[names[0]]
    parts = [first]
    for name in names[1:]:
        part = catalogues[name].copy()
        for axis in ("valence", "arousal"):
            part[axis] = carry_distribution(part[axis].to_numpy(float),
                                            part[axis].to_numpy(float),
                                            first[axis].to_numpy(float))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)

