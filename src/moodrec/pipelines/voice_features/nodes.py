"""Nodes of ``voice_features``: a folder of clips of any size -> one table of voice features.

:func:`extract_voice_features` takes the folder's clips (a ``PartitionedDataset``: each clip's
load reads it), cuts them into batches and runs one task per batch
(:func:`moodrec.run.dask_cluster.run_tasks`): on the Dask workers of ``kedro run --env dask``,
which read the files, or one after another in this process.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from kedro.io import DatasetError

from moodrec.audio.bulk_extraction import (
    batches,
    extract_batch,
    extraction_settings,
    feature_tables,
    split_by_extension,
)
from moodrec.audio.io import AudioReadError, resample
from moodrec.run.dask_cluster import run_tasks

logger = logging.getLogger(__name__)

Load = Callable[[], tuple[np.ndarray, int]]


def clip_at(load: Load, sr: int) -> np.ndarray:
    """A clip partition's samples at ``sr`` Hz, as :func:`moodrec.audio.io.load_audio` gives
    them; a file that is not audio raises :class:`~moodrec.audio.io.AudioReadError`."""
    try:
        signal, rate = load()
    except DatasetError as err:
        raise AudioReadError(str(err.__cause__ or err)) from err
    if rate != sr and signal.size:
        signal = resample(signal, rate, sr)
    return np.ascontiguousarray(signal, dtype=np.float32)


def extract_voice_features(
    clips: Mapping[str, Load],
    audio_training: dict[str, Any],
    params: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The features of every clip with one of ``audio_training.clips.extensions`` (training's
    feature settings, ``params['augmented_copies']`` augmented copies each), and the files
    that gave none, with the reason (another extension, not speech, unreadable)."""
    settings = extraction_settings(audio_training["features"], params["augmented_copies"])
    files, refused = split_by_extension(list(clips), audio_training["clips"]["extensions"])
    work = batches([(file, functools.partial(clip_at, clips[file])) for file in files],
                   params["clips_per_task"])
    results = run_tasks(extract_batch, [(batch, settings) for batch in work],
                        desc=f"voice features ({params['clips_per_task']} clips a task)")
    features, refusals = feature_tables(files, [r for batch in results for r in batch],
                                        refused)
    logger.info("voice features: %d clips, %d rows of %d features; %d file(s) refused",
                features["file"].nunique(), len(features), features.shape[1] - 2,
                len(refusals))
    return features, refusals
