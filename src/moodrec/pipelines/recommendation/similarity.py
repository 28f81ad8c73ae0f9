"""Ranking catalogue excerpts by their similarity to persons' (valence, arousal) points.

One implementation, used by the ``recommendation`` pipeline, the benchmark and anything that
recommends for a single person: :func:`rank_excerpts`.

Modes (``mode=``):

``cosine``
    The study's measure: cosine of the angle between the raw (valence, energy) vectors.
    Every rating is positive (scales start at 1), so all excerpts lie in one narrow cone and
    the measure barely separates them (similarities 0.95-1.0).
``centred_cosine``
    Cosine of the angle between the vectors taken from the rating scale's centre (``centre``),
    i.e. "same direction of valence and arousal away from neutral".
``euclidean``
    Closeness in the plane, reported as ``1 / (1 + distance)`` (1 = same point).

Ranking is vectorised: one matrix product per chunk of persons, ``np.argpartition`` for the
top k, then the k are sorted. Memory stays bounded by ``chunk_size`` x catalogue size.
Ties (excerpts with exactly the same similarity, common because ratings are means of a few
integer scores, so many excerpts share a direction) are broken the same way on every machine:
the excerpt nearer to the person first, then the one earlier in the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MODES: tuple[str, ...] = ("cosine", "centred_cosine", "euclidean")
DEFAULT_CHUNK_SIZE = 4096

# Unit vectors are rounded to this many decimals so that excerpts pointing in mathematically
# the same direction ((2, 4) and (3, 6)) compare as exact ties instead of by float noise.
_UNIT_DECIMALS = 12


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Row-wise unit vectors; a zero vector stays zero (similarity 0 with everything)."""
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
    safe = np.where(norms > 0, norms, 1.0)
    return vectors / safe[:, None]


def _check(points: np.ndarray, catalogue_points: np.ndarray, mode: str, k: int) -> None:
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


def _scoring(
    catalogue_points: np.ndarray, mode: str, centre: np.ndarray
) -> tuple[np.ndarray, callable]:
    """The catalogue side ``B`` (d x m) and a function mapping persons to ``A`` (n x d) so that
    ``A @ B`` orders the excerpts like the similarity does."""
    if mode == "cosine":
        return np.round(_unit(catalogue_points), _UNIT_DECIMALS).T.copy(), _unit
    if mode == "centred_cosine":
        b = np.round(_unit(catalogue_points - centre), _UNIT_DECIMALS).T.copy()
        return b, lambda x: _unit(x - centre)
    # euclidean: -|x - c|^2 = 2 x.c - |c|^2 - |x|^2; the last term is the same for every c.
    b = np.vstack([2.0 * catalogue_points.T, -np.einsum("ij,ij->i", catalogue_points,
                                                        catalogue_points)[None, :]])
    return b, lambda x: np.hstack([x, np.ones((x.shape[0], 1))])


def _distances(points: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """Euclidean distances of persons (n x 2) to excerpts (n x j x 2)."""
    return np.sqrt(np.sum((selected - points[:, None, :]) ** 2, axis=2))


def _top_k(
    scores: np.ndarray, k: int, points: np.ndarray, catalogue_points: np.ndarray
) -> np.ndarray:
    """Indices of the k best excerpts per row, best first.

    Order: highest score; among equal scores the excerpt nearer to the person; then the
    lower catalogue position.
    """
    n, m = scores.shape
    if k == m:
        top = np.broadcast_to(np.arange(m), (n, m)).copy()
    else:
        top = np.argpartition(scores, m - k, axis=1)[:, m - k:]
        # argpartition keeps an arbitrary few of the excerpts tied at the k-th score; where
        # more are tied than fit, redo that row with the full order above. Ties are common
        # on real data (ratings are means of a few integer scores, so excerpts share a
        # direction), rare for random points.
        kth = np.take_along_axis(scores, top, axis=1).min(axis=1)
        ambiguous = np.flatnonzero(np.count_nonzero(scores >= kth[:, None], axis=1) > k)
        if ambiguous.size:
            rows = scores[ambiguous]
            distance = _distances(points[ambiguous], np.broadcast_to(
                catalogue_points, (ambiguous.size, m, 2)))
            position = np.broadcast_to(np.arange(m), rows.shape)
            top[ambiguous] = np.lexsort((position, distance, -rows), axis=-1)[:, :k]
    distance = _distances(points, catalogue_points[top])
    order = np.lexsort((top, distance, -np.take_along_axis(scores, top, axis=1)), axis=-1)
    return np.take_along_axis(top, order, axis=1)


def _similarity(
    points: np.ndarray, selected: np.ndarray, mode: str, centre: np.ndarray
) -> np.ndarray:
    """Similarities of persons (n x 2) to their selected excerpts (n x k x 2)."""
    if mode == "euclidean":
        return 1.0 / (1.0 + _distances(points, selected))
    if mode == "centred_cosine":
        points, selected = points - centre, selected - centre
    a = _unit(points)
    b = _unit(selected.reshape(-1, 2)).reshape(selected.shape)
    return np.clip(np.einsum("nj,nkj->nk", a, b), -1.0, 1.0)


def rank_excerpts(
    points: np.ndarray,
    catalogue_points: np.ndarray,
    mode: str = "centred_cosine",
    k: int = 3,
    centre: Sequence[float] | np.ndarray | float | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar catalogue excerpts for every person.

    Args:
        points: persons' (valence, arousal) points, shape (n, 2).
        catalogue_points: the excerpts' (valence, arousal) points, shape (m, 2).
        mode: one of :data:`MODES`.
        k: how many excerpts per person (1 <= k <= m).
        centre: the rating scale's centre (a number or a (valence, arousal) pair); required
            by ``centred_cosine``, ignored otherwise.
        chunk_size: persons ranked per matrix product (bounds memory to chunk_size x m).
        progress: show a progress bar (tqdm) over the chunks.

    Returns:
        ``(indices, similarities)``, both of shape (n, k), best first: row positions into
        ``catalogue_points`` (int64) and the similarities (float64; for ``euclidean``
        ``1 / (1 + distance)``).
    """
    points = np.asarray(points, dtype=np.float64)
    catalogue_points = np.asarray(catalogue_points, dtype=np.float64)
    _check(points, catalogue_points, mode, k)
    if mode == "centred_cosine":
        if centre is None:
            raise ValueError("mode 'centred_cosine' needs the scale's centre (centre=...)")
        centre = np.broadcast_to(np.asarray(centre, dtype=np.float64), (2,))
    else:
        centre = np.zeros(2)
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1; got {chunk_size}")

    n = points.shape[0]
    indices = np.empty((n, k), dtype=np.int64)
    similarities = np.empty((n, k), dtype=np.float64)
    catalogue_side, person_side = _scoring(catalogue_points, mode, centre)
    starts = range(0, n, chunk_size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, total=-(-n // chunk_size), unit="chunk", desc=f"ranking ({mode})")
    for start in starts:
        chunk = points[start:start + chunk_size]
        top = _top_k(person_side(chunk) @ catalogue_side, k, chunk, catalogue_points)
        indices[start:start + chunk.shape[0]] = top
        similarities[start:start + chunk.shape[0]] = _similarity(
            chunk, catalogue_points[top], mode, centre
        )
    return indices, similarities


def similarity_matrix(
    points: np.ndarray,
    catalogue_points: np.ndarray,
    mode: str,
    centre: Sequence[float] | np.ndarray | float | None = None,
) -> np.ndarray:
    """All similarities (n x m) in the given mode, without ranking (for small inputs/tests)."""
    points = np.asarray(points, dtype=np.float64)
    catalogue_points = np.asarray(catalogue_points, dtype=np.float64)
    _check(points, catalogue_points, mode, 1)
    centre = np.broadcast_to(np.asarray(0.0 if centre is None else centre, np.float64), (2,))
    n, m = points.shape[0], catalogue_points.shape[0]
    selected = np.broadcast_to(catalogue_points, (n, m, 2))
    return _similarity(points, selected, mode, centre)


def tie_averaged_hits(
    points: np.ndarray,
    catalogue_points: np.ndarray,
    relevant: np.ndarray,
    mode: str,
    k: int,
    centre: Sequence[float] | np.ndarray | float | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> np.ndarray:
    """Expected number of relevant excerpts in each person's top k, averaged over every order
    of the excerpts tied at the k-th place (so it does not depend on how ties are broken).

    ``relevant`` is a boolean (n x m) matrix: excerpt j is a hit for person i.
    """
    points = np.asarray(points, dtype=np.float64)
    catalogue_points = np.asarray(catalogue_points, dtype=np.float64)
    _check(points, catalogue_points, mode, k)
    centre = np.broadcast_to(np.asarray(0.0 if centre is None else centre, np.float64), (2,))
    catalogue_side, person_side = _scoring(catalogue_points, mode, centre)
    out = np.empty(points.shape[0])
    for start in range(0, points.shape[0], chunk_size):
        scores = person_side(points[start:start + chunk_size]) @ catalogue_side
        rel = np.asarray(relevant[start:start + chunk_size], bool)
        kth = -np.partition(-scores, k - 1, axis=1)[:, k - 1][:, None]
        above, tied = scores > kth, scores == kth
        n_above = above.sum(axis=1)
        share_tied = (rel & tied).sum(axis=1) / tied.sum(axis=1)
        out[start:start + scores.shape[0]] = (rel & above).sum(axis=1) + (k - n_above) * share_tied
    return out
