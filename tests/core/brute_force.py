"""Every similarity (persons x catalogue), computed directly: the reference the ranking's
two paths are tested against."""

from __future__ import annotations

import numpy as np

from moodrec.core.scoring import mode_centre, similarity_of


def similarity_matrix(points, catalogue_points, mode: str, centre=None) -> np.ndarray:
    points = np.asarray(points, dtype=np.float64)
    catalogue_points = np.asarray(catalogue_points, dtype=np.float64)
    selected = np.broadcast_to(catalogue_points, (len(points), len(catalogue_points), 2))
    return similarity_of(points, selected, mode, mode_centre(mode, centre))
