"""How an excerpt scores for a person, in each similarity mode (no ranking here).

Modes (``mode=``):

``cosine``
    The study's measure: cosine of the angle between the raw (valence, energy) vectors.
    Every rating is positive (scales start at 1), so all excerpts lie in one narrow cone and
    the measure barely separates them (similarities 0.95-1.0).
``centred_cosine``
    Cosine of the angle between the vectors taken from the rating scale's centre (``centre``),
    i.e. "same direction of valence and arousal away from the middle of the scale".
``euclidean``
    Closeness in the plane, reported as ``1 / (1 + distance)`` (1 = same point).

A :class:`Scorer` turns persons' points into one (persons x catalogue) score matrix that
orders excerpts like the similarity does; :func:`similarity_of` gives the reported similarity
of chosen excerpts. :mod:`.ranking` ranks with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MODES: tuple[str, ...] = ("cosine", "centred_cosine", "euclidean")
DEFAULT_CHUNK_SIZE = 1024

# Unit vectors are rounded to this many decimals so that excerpts pointing in mathematically
# the same direction ((2, 4) and (3, 6)) compare as exact ties instead of by float noise.
# Scores closer than the scorer's ``tolerance`` count as equal (float noise: two excerpts at
# the same angle on either side of a person's direction).
_UNIT_DECIMALS = 12
_COSINE_TOLERANCE = 1e-12


def unit_vectors(vectors: np.ndarray) -> np.ndarray:
    """Row-wise unit vectors; a zero vector stays zero (similarity 0 with everything).

    Spelled as separate products and sums (no ``einsum``, which may fuse them into FMA on
    some builds) so that the ranking kernel (:mod:`.ranking_kernel`) computes the same bits.
    """
    x, y = vectors[:, 0], vectors[:, 1]
    norms = np.sqrt(x * x + y * y)
    safe = np.where(norms > 0, norms, 1.0)
    return vectors / safe[:, None]


def check_ranking_inputs(points: np.ndarray, catalogue_points: np.ndarray, mode: str,
                         k: int) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown similarity mode {mode!r}; choose one of {', '.join(MODES)}")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2) (valence, arousal); got {points.shape}")
    if catalogue_points.ndim != 2 or catalogue_points.shape[1] != 2:
        raise ValueError(
            f"catalogue_points must have shape (m, 2) (valence, arousal); "
            f"got {catalogue_points.shape}"
        )
    m = catalogue_points.shape[0]
    if m == 0:
        raise ValueError("the catalogue is empty: no excerpt to recommend")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= m:
        raise ValueError(f"k must be an integer from 1 to the catalogue size {m}; got {k!r}")
    if not (np.isfinite(points).all() and np.isfinite(catalogue_points).all()):
        raise ValueError("points and catalogue_points must be finite (no NaN or infinity)")


def mode_centre(mode: str, centre: Sequence[float] | np.ndarray | float | None) -> np.ndarray:
    if mode != "centred_cosine":
        return np.zeros(2)
    if centre is None:
        raise ValueError("mode 'centred_cosine' needs the scale's centre (centre=...)")
    centre = np.broadcast_to(np.asarray(centre, dtype=np.float64), (2,))
    if not np.isfinite(centre).all():
        raise ValueError(f"centre must be finite; got {centre.tolist()}")
    return centre


class Scorer:
    """``scores[i, j]`` orders excerpt ``j`` for person ``i`` like the similarity does
    (larger = more similar).

    ``cosine``, ``centred_cosine``: the dot product of unit vectors (the catalogue's rounded, so
    that excerpts in the same direction tie exactly). ``euclidean``: ``2 x.c - |c|^2``
    (= ``|x|^2 - |x - c|^2``; the person's ``|x|^2`` does not change the order). With an inner
    dimension of 2 the product is two broadcast multiply-adds, several times faster than a BLAS
    matrix product and free of threads.
    """

    def __init__(self, catalogue_points: np.ndarray, mode: str, centre: np.ndarray) -> None:
        self.mode, self.centre = mode, centre
        self.tolerance = _COSINE_TOLERANCE
        if mode == "euclidean":
            side = 2.0 * catalogue_points
            self.bias: np.ndarray | None = -np.einsum("ij,ij->i", catalogue_points,
                                                      catalogue_points)
            # scores are of the order of |c|^2: their float noise grows with it
            self.tolerance = _COSINE_TOLERANCE * (1.0 + float(np.max(-self.bias, initial=0.0)))
        else:
            shifted = catalogue_points - centre if mode == "centred_cosine" else catalogue_points
            side = np.round(unit_vectors(shifted), _UNIT_DECIMALS)
            self.bias = None
        self.b0 = np.ascontiguousarray(side[:, 0])
        self.b1 = np.ascontiguousarray(side[:, 1])

    def __call__(self, points: np.ndarray, out: np.ndarray | None = None,
                 scratch: np.ndarray | None = None) -> np.ndarray:
        """Scores (n x m), written into ``out`` (and ``scratch``) when given (reused buffers)."""
        if self.mode == "euclidean":
            a = points
        else:
            a = unit_vectors(points - self.centre if self.mode == "centred_cosine" else points)
        n, m = a.shape[0], self.b0.size
        out = np.empty((n, m)) if out is None else out[:n]
        scratch = np.empty((n, m)) if scratch is None else scratch[:n]
        np.multiply(a[:, 0:1], self.b0, out=out)
        np.multiply(a[:, 1:2], self.b1, out=scratch)
        out += scratch
        if self.bias is not None:
            out += self.bias
        return out


def distances(points: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """Euclidean distances of persons (n x 2) to excerpts (n x j x 2)."""
    return np.sqrt(np.sum((selected - points[:, None, :]) ** 2, axis=2))


def similarity_of(
    points: np.ndarray, selected: np.ndarray, mode: str, centre: np.ndarray
) -> np.ndarray:
    """Similarities of persons (n x 2) to their selected excerpts (n x k x 2)."""
    if mode == "euclidean":
        return 1.0 / (1.0 + distances(points, selected))
    if mode == "centred_cosine":
        points, selected = points - centre, selected - centre
    a = unit_vectors(points)
    b = unit_vectors(selected.reshape(-1, 2)).reshape(selected.shape)
    return np.clip(a[:, None, 0] * b[..., 0] + a[:, None, 1] * b[..., 1], -1.0, 1.0)
