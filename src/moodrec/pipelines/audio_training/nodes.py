"""Nodes of ``audio_training`` that make the features table: index the clips, extract.

:func:`extract_feature_table` calls the lazy loaders the catalog's
:class:`~moodrec.datasets.audio.AudioFolderDataset` hands it (that *is* reading the input).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio.bulk_extraction import feature_tables, split_by_extension
from moodrec.audio.extraction import clip_rows
from moodrec.audio.naming import RavdessNameError, parse_ravdess_name
from moodrec.audio.voice_model import ID_COLUMNS
from moodrec.core.emotions import EMOTIONS

logger = logging.getLogger(__name__)

SKIPPED_COLUMNS = ["file", "stage", "reason"]


# --------------------------------------------------------------------------- index
def index_clips(
    clips: Mapping[str, Callable[..., np.ndarray]], params: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse every file name into the clip index; report the files that are not clips.

    Returns the index (one row per RAVDESS file: every field of the name, ``label`` (canonical
    emotion) and ``kept`` with the reason a clip is left out: calm/disgust, song, not in the
    subset) and the skipped-files report (``file, stage, reason``) for files with another
    extension, names that are not RAVDESS-shaped, and duplicated clip ids.
    """
    files, refused = split_by_extension(list(clips), params["extensions"])
    rows, seen = [], {}
    skipped = [(file, "index", reason) for file, reason in refused]
    for file in files:
        try:
            clip = parse_ravdess_name(file)
        except RavdessNameError as err:
            skipped.append((file, "index", str(err)))
            continue
        if clip.clip_id in seen:
            skipped.append((file, "index", f"duplicate clip id {clip.clip_id} "
                            f"(already read from {seen[clip.clip_id]})"))
            continue
        seen[clip.clip_id] = file
        row = {"file": file, **clip.as_dict()}
        row["label"] = clip.emotion if clip.emotion in EMOTIONS else ""
        if clip.emotion not in EMOTIONS:
            row["kept"], row["reason"] = False, f"emotion {clip.emotion} is dropped"
        elif params["speech_only"] and clip.vocal_channel != "speech":
            row["kept"], row["reason"] = False, f"vocal channel {clip.vocal_channel}"
        else:
            row["kept"], row["reason"] = True, ""
        rows.append(row)
    columns = ["file", "clip_id", "modality", "vocal_channel", "emotion", "intensity",
               "statement", "repetition", "actor", "sex", "label", "kept", "reason"]
    index = pd.DataFrame(rows, columns=columns)
    if params["subset"] is not None:
        index = _apply_subset(index, params["subset"])
    report = pd.DataFrame(sorted(skipped), columns=SKIPPED_COLUMNS)  # in file order
    if len(report):
        logger.warning("%d file(s) are not usable RAVDESS clips and are listed in the skipped-"
                       "files report, e.g. %s: %s", len(report), report.file[0], report.reason[0])
    if not index.kept.any():
        raise ValueError(
            f"no usable RAVDESS clip among {len(clips)} file(s); "
            f"first problems: {report.head(3).to_dict('records')}"
        )
    logger.info("clip index: %d files, %d kept (%s)", len(index), int(index.kept.sum()),
                index[index.kept].label.value_counts().to_dict())
    return index, report


def _apply_subset(index: pd.DataFrame, subset: Mapping[str, Any]) -> pd.DataFrame:
    """Keep only ``subset.actors`` and at most ``subset.per_actor`` clips each (spread evenly
    over the actor's sorted clips, so over emotions). For the smoke configuration and tests."""
    if not isinstance(subset, Mapping) or set(subset) != {"actors", "per_actor"}:
        raise ValueError(f"parameters audio_training.clips.subset = {subset!r}: must be null or "
                         "{actors: [...] or null, per_actor: N or null}")
    index = index.copy()
    actors = subset["actors"]
    if actors is not None:
        out = index.kept & ~index.actor.isin([int(a) for a in actors])
        index.loc[out, ["kept", "reason"]] = [False, "actor not in subset"]
    per_actor = subset["per_actor"]
    if per_actor is not None:
        for _, group in index[index.kept].groupby("actor"):
            spread = np.linspace(0, len(group) - 1, int(per_actor))
            positions = np.unique(spread.round().astype(int))
            out = group.index.difference(group.index[positions])
            index.loc[out, ["kept", "reason"]] = [False, "beyond subset.per_actor"]
    return index


# --------------------------------------------------------------------------- features
def extract_feature_table(
    clips: Mapping[str, Callable[..., np.ndarray]],
    clip_index: pd.DataFrame,
    skipped_files: pd.DataFrame,
    params: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The features table (one row per kept clip and variant: the recording and its
    augmented copies), the skipped-files report with the clips that were refused added
    (not speech, unreadable), and an extraction report (counts, measured throughput).

    Runs on ``n_jobs`` worker processes (joblib, ``-1`` = all cores) with a progress bar.
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    kept = clip_index[clip_index.kept].reset_index(drop=True)
    missing = sorted(set(kept.file) - set(clips))
    if missing:
        raise ValueError(f"clip index names {len(missing)} file(s) the folder lacks: {missing[:3]}")
    n_jobs = int(params["n_jobs"])
    start = time.perf_counter()
    jobs = (delayed(clip_rows)(clips[f], c, params)
            for f, c in zip(kept.file, kept.clip_id, strict=True))
    results = list(tqdm(Parallel(n_jobs=n_jobs, return_as="generator", batch_size=2)(jobs),
                        total=len(kept), desc="voice features", unit="clip"))
    seconds = time.perf_counter() - start
    table, refused = feature_tables(list(kept.file), results, [])
    bad = [(file, "extraction", reason) for file, reason in refused.itertuples(index=False)]
    report = pd.concat([skipped_files, pd.DataFrame(bad, columns=SKIPPED_COLUMNS)],
                       ignore_index=True)
    if bad:
        logger.warning("%d clip(s) refused at extraction (see the skipped-files report), "
                       "e.g. %s: %s", len(bad), bad[0][0], bad[0][2])
    names = list(table.columns[2:])  # after file, variant
    ids = kept.set_index("file")[["clip_id", "actor", "label", "statement"]].astype(
        {"actor": int, "statement": int})
    features = table.join(ids, on="file")[ID_COLUMNS + names]
    extraction = {
        "clips": int(len(kept)),
        "clips_with_features": int(len(kept) - len(bad)),
        "clips_rejected": int(len(bad)),
        "files_skipped_at_index": int(len(skipped_files)),
        "rows": int(len(features)),
        "features": len(names),
        "wall_s": round(seconds, 2),
        "clips_per_s": round(len(kept) / seconds, 2) if seconds > 0 else None,
        "rows_per_s": round(len(features) / seconds, 2) if seconds > 0 else None,
        "workers": os.cpu_count() if n_jobs < 0 else n_jobs,
    }
    logger.info("voice features: %d clips (%d rows) in %.1f s (%.2f clips/s)",
                extraction["clips_with_features"], len(features), seconds,
                extraction["clips_per_s"] or 0)
    return features, report, extraction
