"""Nodes of ``audio_training`` that make the features table: index the clips, extract.

:func:`extract_feature_table` calls the lazy loaders the catalog's
:class:`~moodrec.datasets.audio.AudioFolderDataset` hands it (that *is* reading the input).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio.bulk_extraction import feature_tables, split_by_extension
from moodrec.audio.extraction import clip_rows
from moodrec.audio.naming import ClipNameError, CorpusClip, parse_clip_name
from moodrec.audio.voice_model import ID_COLUMNS
from moodrec.core.emotions import EMOTIONS, canonical

logger = logging.getLogger(__name__)

SKIPPED_COLUMNS = ["file", "stage", "reason"]


# --------------------------------------------------------------------------- index
INDEX_COLUMNS = ["file", "corpus", "clip_id", "speaker", "emotion", "sentence",
                 "vocal_channel", "label", "kept", "reason"]


def _label(clip: CorpusClip, extra: Mapping[str, str], file: str) -> tuple[str, str]:
    """(label, why dropped): the emotion itself, or what ``clips.extra_classes`` makes of an
    extra class (``drop`` or one of the six)."""
    if clip.emotion in EMOTIONS:
        return clip.emotion, ""
    if clip.emotion not in extra:
        raise ValueError(f"{file}: emotion {clip.emotion!r} is not one of the six and "
                         f"parameters audio_training.clips.extra_classes does not say what to do "
                         f"with it (drop, or one of {', '.join(EMOTIONS)})")
    target = extra[clip.emotion]
    if target == "drop":
        return "", f"emotion {clip.emotion} is dropped"
    return canonical(target), ""


def index_clips(
    clips: Mapping[str, Callable[..., np.ndarray]], corpora: list[str], params: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse the file names of the chosen corpora (``<corpus>/...`` under the raw folder) into
    the clip index; report the files that are not clips.

    Returns the index (one row per clip file of the corpora: ``corpus``, ``clip_id``,
    ``speaker`` (``<corpus>:<code>``), the emotion of its name, ``label`` (one of the six, or
    blank) and ``kept`` with the reason a clip is left out: an extra class dropped by
    ``extra_classes``, song, not in the subset) and the skipped-files report (``file, stage,
    reason``) for files with another extension, misnamed files and duplicated clip ids.
    Files outside the corpora's folders are not part of the input.
    """
    chosen = [f for f in clips if f.split("/", 1)[0] in corpora]
    files, refused = split_by_extension(chosen, params["extensions"])
    rows, seen = [], {}
    skipped = [(file, "index", reason) for file, reason in refused]
    for file in files:
        corpus, name = file.split("/", 1)
        try:
            clip = parse_clip_name(corpus, name)
        except ClipNameError as err:
            skipped.append((file, "index", str(err)))
            continue
        if clip.clip_id in seen:
            skipped.append((file, "index", f"duplicate clip id {clip.clip_id} "
                            f"(already read from {seen[clip.clip_id]})"))
            continue
        seen[clip.clip_id] = file
        label, reason = _label(clip, params["extra_classes"], file)
        if not reason and params["speech_only"] and clip.vocal_channel != "speech":
            reason = f"vocal channel {clip.vocal_channel}"
        rows.append({"file": file, **asdict(clip), "label": label, "kept": not reason,
                     "reason": reason})
    index = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    if params["subset"] is not None:
        index = _apply_subset(index, params["subset"])
    report = pd.DataFrame(sorted(skipped), columns=SKIPPED_COLUMNS)  # in file order
    if len(report):
        logger.warning("%d file(s) are not usable clips and are listed in the skipped-files "
                       "report, e.g. %s: %s", len(report), report.file[0], report.reason[0])
    missing = sorted(set(corpora) - set(index.corpus[index.kept]))
    if missing:
        raise ValueError(f"no usable clip of corpus {', '.join(missing)} among {len(chosen)} "
                         f"file(s) under its folder (run `moodrec fetch-data`); first problems: "
                         f"{report.head(3).to_dict('records')}")
    logger.info("clip index: %d files, %d kept (%s)", len(index), int(index.kept.sum()),
                index[index.kept].groupby(["corpus", "label"]).size().to_dict())
    return index, report


def _apply_subset(index: pd.DataFrame, subset: Mapping[str, Any]) -> pd.DataFrame:
    """Keep only ``subset.speakers`` and at most ``subset.per_speaker`` clips each (spread
    evenly over the speaker's sorted clips, so over emotions). For the smoke configuration
    and tests."""
    if not isinstance(subset, Mapping) or set(subset) != {"speakers", "per_speaker"}:
        raise ValueError(f"parameters audio_training.clips.subset = {subset!r}: must be null or "
                         "{speakers: [...] or null, per_speaker: N or null}")
    index = index.copy()
    if subset["speakers"] is not None:
        out = index.kept & ~index.speaker.isin([str(s) for s in subset["speakers"]])
        index.loc[out, ["kept", "reason"]] = [False, "speaker not in subset"]
    if subset["per_speaker"] is not None:
        for _, group in index[index.kept].groupby("speaker"):
            spread = np.linspace(0, len(group) - 1, int(subset["per_speaker"]))
            positions = np.unique(spread.round().astype(int))
            out = group.index.difference(group.index[positions])
            index.loc[out, ["kept", "reason"]] = [False, "beyond subset.per_speaker"]
    return index


# --------------------------------------------------------------------------- features
def _counts(table: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, int]]:
    """``{first column's value: {second column's value: rows}}``."""
    counts: dict[str, dict[str, int]] = {}
    for (outer, inner), n in table.groupby(columns).size().items():
        counts.setdefault(str(outer), {})[str(inner)] = int(n)
    return counts


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
    ids = kept.set_index("file")[["clip_id", "corpus", "speaker", "label", "sentence"]]
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
        "clips_by_corpus": _counts(kept, ["corpus", "label"]),
        "left_out_by_corpus": _counts(clip_index[~clip_index.kept], ["corpus", "reason"]),
    }
    logger.info("voice features: %d clips (%d rows) in %.1f s (%.2f clips/s)",
                extraction["clips_with_features"], len(features), seconds,
                extraction["clips_per_s"] or 0)
    return features, report, extraction
