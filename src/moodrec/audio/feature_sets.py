"""Voice feature sets, chosen by name: what turns a (level-normalised) signal into numbers.

* ``egemaps``: openSMILE's eGeMAPSv02 functionals (88): pitch, jitter, shimmer, loudness,
  formants, spectral balance; a small, knowledge-based set that transfers across corpora.
* ``mfcc_stats``: mean and standard deviation of 20 MFCCs and their deltas (80).
* ``compare``: openSMILE's ComParE_2016 functionals (6,373): large, learns the corpus.
* ``study162``: the study's 162 frame means (parity; :func:`moodrec.audio.features.
  extract_features`).

Names join with ``+`` (``egemaps+mfcc_stats``). The ``opensmile`` package carries its own
binary: nothing is downloaded; :mod:`moodrec.audio.smile` calls it without the package's
heavier Python front end.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from moodrec.audio import mfcc as cepstra
from moodrec.audio import smile


def _opensmile(feature_set: str) -> Callable[[np.ndarray, int], tuple[np.ndarray, list[str]]]:
    def extract(signal: np.ndarray, sr: int) -> tuple[np.ndarray, list[str]]:
        values = smile.functionals(signal, sr, feature_set)
        return values.astype(np.float64), list(smile.feature_names(feature_set))

    return extract


def mfcc_stats(signal: np.ndarray, sr: int) -> tuple[np.ndarray, list[str]]:
    """librosa's MFCCs and deltas, computed in numpy (:mod:`moodrec.audio.mfcc`)."""
    mfcc = cepstra.mfcc(signal, sr, n_mfcc=20)
    delta = cepstra.delta(mfcc) if mfcc.shape[1] >= cepstra.DELTA_WIDTH else np.zeros_like(mfcc)
    values = np.hstack([mfcc.mean(1), mfcc.std(1), delta.mean(1), delta.std(1)])
    names = [f"{kind}_{stat}_{i:02d}" for kind in ("mfcc", "delta")
             for stat in ("mean", "std") for i in range(1, 21)]
    return values.astype(np.float64), names


def study162(signal: np.ndarray, sr: int) -> tuple[np.ndarray, list[str]]:
    from moodrec.audio.features import FEATURE_NAMES, extract_features

    return extract_features(signal, sr), list(FEATURE_NAMES)


FEATURE_SETS: dict[str, Callable[[np.ndarray, int], tuple[np.ndarray, list[str]]]] = {
    "egemaps": _opensmile("eGeMAPSv02"),
    "compare": _opensmile("ComParE_2016"),
    "mfcc_stats": mfcc_stats,
    "study162": study162,
}


def check_feature_set(name: str) -> list[str]:
    """The parts of a feature-set name (``a+b``); an unknown part is a ValueError."""
    parts = name.split("+")
    unknown = [part for part in parts if part not in FEATURE_SETS]
    if unknown:
        raise ValueError(f"unknown voice feature set {'+'.join(unknown)!r}; expected names "
                         f"from {', '.join(FEATURE_SETS)} joined with '+'")
    return parts


def extract(signal: np.ndarray, sr: int, name: str) -> tuple[np.ndarray, list[str]]:
    """The features of ``signal`` for the feature set ``name``, with their names (each
    prefixed by its set, so joined sets never clash)."""
    values, names = [], []
    for part in check_feature_set(name):
        v, n = FEATURE_SETS[part](signal, sr)
        values.append(v)
        names.extend(f"{part}.{column}" for column in n)
    return np.concatenate(values), names
