"""The recommendation's parameters, checked: ``k``, ``mode``, ``chunk_size``, the similarity's
centre (the middle of the catalogue's rating scale) and the modes the metrics compare. Each error
names the parameter and its value."""

from __future__ import annotations

from typing import Any

import numpy as np

from moodrec.core.checks import BadInputError
from moodrec.core.scoring import MODES
from moodrec.core.valence_arousal import catalogue_names, catalogue_settings, scale_midpoint


def checked_settings(
    params: dict[str, Any], catalogue_size: int, dataset: str = "recommendable_excerpts"
) -> tuple[int, str, np.ndarray, int]:
    """``k``, ``mode``, the scale's centre and ``chunk_size``, checked (``catalogue_size``:
    recommendable excerpts in ``dataset``)."""
    k, mode = params["k"], params["mode"]
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= catalogue_size:
        raise BadInputError(
            f"parameters recommendation.k = {k!r}: must be a whole number from 1 to the number "
            f"of items in {dataset} ({catalogue_size})"
        )
    if mode not in MODES:
        raise BadInputError(
            f"parameters recommendation.mode = {mode!r}: choose one of {', '.join(MODES)}"
        )
    chunk_size = params["chunk_size"]
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise BadInputError(
            f"parameters recommendation.chunk_size = {chunk_size!r}: must be a whole number >= 1"
        )
    return int(k), mode, scale_centre(params), chunk_size


def scale_centre(params: dict[str, Any]) -> np.ndarray:
    """The middle of the (first) chosen catalogue's rating scale
    (``va_mapping.catalogues.<name>.scale``, which ``recommendation.catalogues`` refers to): the
    origin of ``centred_cosine``."""
    return scale_midpoint(catalogue_settings(params)["scale"])


def check_centre_inside(centre: np.ndarray, points: np.ndarray, params: dict[str, Any],
                        dataset: str) -> None:
    """The scale's centre lies within the items' ratings (another catalogue's scale, such as
    set 2's 1-9 on set 1, or a typo, would silently skew every ``centred_cosine`` rank)."""
    low, high = points.min(axis=0), points.max(axis=0)
    if np.any(centre <= low) or np.any(centre >= high):
        name = catalogue_names(params)[0]
        raise BadInputError(
            f"parameters va_mapping.catalogues.{name}.scale = "
            f"{params['catalogues'][name]['scale']!r}: its centre "
            f"{centre.tolist()} is outside the ratings of {dataset} (valence "
            f"{low[0]:g}-{high[0]:g}, arousal {low[1]:g}-{high[1]:g}); it must be the catalogue's "
            f"rating scale"
        )


def metric_modes(params: dict[str, Any]) -> list[str]:
    """``recommendation.metric_modes``: a list of known modes."""
    modes = params["metric_modes"]
    if not isinstance(modes, list | tuple):
        raise BadInputError(f"parameters recommendation.metric_modes = {modes!r}: must be a "
                            f"list of modes ({', '.join(MODES)})")
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise BadInputError(f"parameters recommendation.metric_modes: unknown mode(s) {unknown}")
    return list(modes)
