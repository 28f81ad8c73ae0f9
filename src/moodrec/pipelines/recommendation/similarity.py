"""Ranking catalogue excerpts by their similarity to persons' (valence, arousal) points.

One implementation, used by the ``recommendation`` pipeline, the benchmark
(``benchmarks/recommendation_throughput.py``) and the person path: :func:`rank_excerpts`.

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

Ranking is vectorised and chunked: per chunk of persons, one (chunk x catalogue) score matrix
(two broadcast multiply-adds), then the top k by k row-wise ``argmax`` passes (``k`` <= 8;
``argpartition`` above). Memory stays bounded by ``chunk_size`` x catalogue size.

Ties (excerpts with exactly the same similarity, common on real data because ratings are means
of a few integer scores, so many excerpts share a direction) are broken the same way on every
machine: the excerpt nearer to the person first, then the one earlier in the catalogue. Rows
with a tie inside their top k or at the k-th place are re-ranked with that full order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MODES: tuple[str, ...] = ("cosine", "centred_cosine", "euclidean")
DEFAULT_CHUNK_SIZE = 1024

# Unit vectors are rounded to this many decimals so that excerpts pointing in mathematically
# the same direction ((2, 4) and (3, 6)) compare as exact ties instead of by float noise;
# likewise squared distances when they break ties (equally near excerpts: the earlier first).
# Scores closer than the scorer's ``tolerance`` count as equal (float noise: two excerpts at
# the same angle on either side of a person's direction).
_UNIT_DECIMALS = 12
_DISTANCE_DECIMALS = 9
_COSINE_TOLERANCE = 1e-12

#: Up to this k the top k are found with k row-wise ``argmax`` passes (no sorting);
#: above it with ``argpartition``.
_ARGMAX_K = 8


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


def _centre(mode: str, centre: Sequence[float] | np.ndarray | float | None) -> np.ndarray:
    if mode != "centred_cosine":
        return np.zeros(2)
    if centre is None:
        raise ValueError("mode 'centred_cosine' needs the scale's centre (centre=...)")
    centre = np.broadcast_to(np.asarray(centre, dtype=np.float64), (2,))
    if not np.isfinite(centre).all():
        raise ValueError(f"centre must be finite; got {centre.tolist()}")
    return centre


class _Scorer:
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
            side = np.round(_unit(shifted), _UNIT_DECIMALS)
            self.bias = None
        self.b0 = np.ascontiguousarray(side[:, 0])
        self.b1 = np.ascontiguousarray(side[:, 1])

    def __call__(self, points: np.ndarray, out: np.ndarray | None = None,
                 scratch: np.ndarray | None = None) -> np.ndarray:
        """Scores (n x m), written into ``out`` (and ``scratch``) when given (reused buffers)."""
        if self.mode == "euclidean":
            a = points
        else:
            a = _unit(points - self.centre if self.mode == "centred_cosine" else points)
        n, m = a.shape[0], self.b0.size
        out = np.empty((n, m)) if out is None else out[:n]
        scratch = np.empty((n, m)) if scratch is None else scratch[:n]
        np.multiply(a[:, 0:1], self.b0, out=out)
        np.multiply(a[:, 1:2], self.b1, out=scratch)
        out += scratch
        if self.bias is not None:
            out += self.bias
        return out


def _distances(points: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """Euclidean distances of persons (n x 2) to excerpts (n x j x 2)."""
    return np.sqrt(np.sum((selected - points[:, None, :]) ** 2, axis=2))


def _ordered_with_ties(
    scores: np.ndarray, kth: np.ndarray, k: int, points: np.ndarray,
    catalogue_points: np.ndarray, tolerance: float,
) -> np.ndarray:
    """The first k of the full order per row: score desc (scores within ``tolerance`` of each
    other count as equal), then distance asc, then catalogue position asc.

    Only excerpts scoring at least the row's k-th best score ``kth`` (less the tolerance) can
    be among them (at least k per row, usually a few more): those (row, excerpt) pairs are
    sorted at once.
    """
    m = scores.shape[1]
    # (row, excerpt) pairs in row-major order: by row, then by catalogue position
    rows, cols = np.divmod(np.flatnonzero(scores >= (kth - tolerance)[:, None]), m)
    values = scores.ravel()[rows * m + cols]
    by_score = np.lexsort((-values, rows))
    rows, cols, values = rows[by_score], cols[by_score], values[by_score]
    # a new group of equal scores starts at a new row or where the score drops by more
    # than the tolerance; groups are numbered in row order
    starts = np.ones(rows.size, bool)
    starts[1:] = (rows[1:] != rows[:-1]) | (values[:-1] - values[1:] > tolerance)
    group = np.cumsum(starts)
    dv = catalogue_points[cols, 0] - points[rows, 0]
    da = catalogue_points[cols, 1] - points[rows, 1]
    distance = np.round(dv * dv + da * da, _DISTANCE_DECIMALS)
    order = np.lexsort((cols, distance, group))
    first = np.searchsorted(rows[order], np.arange(scores.shape[0]))
    return cols[order][first[:, None] + np.arange(k)]


def _top_k(
    scores: np.ndarray, k: int, points: np.ndarray, catalogue_points: np.ndarray,
    tolerance: float,
) -> np.ndarray:
    """Indices of the k best excerpts per row, best first.

    Order: highest score; among equal scores (within ``tolerance``: float noise) the excerpt
    nearer to the person; then the lower catalogue position. ``scores`` is overwritten.
    """
    n, m = scores.shape
    if n == 0:
        return np.empty((0, k), np.int64)
    rows = np.arange(n)
    if k == m:
        top = np.empty((n, k), np.int64)
        ambiguous = np.ones(n, bool)
        values = np.zeros((n, k))
    elif k <= _ARGMAX_K:
        top = np.empty((n, k), np.int64)
        values = np.empty((n, k))
        for j in range(k):
            best = scores.argmax(axis=1)
            top[:, j] = best
            values[:, j] = scores[rows, best]
            scores[rows, best] = -np.inf
        # The scores alone settle the order unless excerpts tie: inside the top k, or an
        # excerpt left out ties with the k-th.
        ambiguous = scores.max(axis=1) >= values[:, -1] - tolerance
        if k > 1:
            ambiguous |= (values[:, :-1] - values[:, 1:] <= tolerance).any(axis=1)
        redo = np.flatnonzero(ambiguous)
        if redo.size:  # put the struck-out scores back
            scores[redo[:, None], top[redo]] = values[redo]
    else:
        top = np.argpartition(scores, m - k, axis=1)[:, m - k:]
        values = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        values = np.take_along_axis(values, order, axis=1)
        ambiguous = np.count_nonzero(scores >= values[:, -1:] - tolerance, axis=1) > k
        ambiguous |= (values[:, :-1] - values[:, 1:] <= tolerance).any(axis=1)
    redo = np.flatnonzero(ambiguous)
    if redo.size:
        kth = values[redo, -1] if k < m else np.full(redo.size, -np.inf)
        top[redo] = _ordered_with_ties(scores[redo], kth, k, points[redo], catalogue_points,
                                       tolerance)
    return top


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
        chunk_size: persons ranked per score matrix (memory: about 2 x chunk_size x m floats
            besides the results).
        progress: show a progress bar (tqdm) over the chunks.

    Returns:
        ``(indices, similarities)``, both of shape (n, k), best first: row positions into
        ``catalogue_points`` (int64) and the similarities (float64; for ``euclidean``
        ``1 / (1 + distance)``).
    """
    points = np.asarray(points, dtype=np.float64)
    catalogue_points = np.asarray(catalogue_points, dtype=np.float64)
    _check(points, catalogue_points, mode, k)
    centre = _centre(mode, centre)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) \
            or chunk_size < 1:
        raise ValueError(f"chunk_size must be an integer >= 1; got {chunk_size!r}")

    n, m = points.shape[0], catalogue_points.shape[0]
    indices = np.empty((n, k), dtype=np.int64)
    similarities = np.empty((n, k), dtype=np.float64)
    scorer = _Scorer(catalogue_points, mode, centre)
    rows = min(int(chunk_size), max(n, 1))
    buffer, scratch = np.empty((rows, m)), np.empty((rows, m))
    starts = range(0, n, chunk_size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, total=-(-n // chunk_size), unit="chunk", desc=f"ranking ({mode})")
    for start in starts:
        chunk = points[start:start + chunk_size]
        stop = start + chunk.shape[0]
        top = _top_k(scorer(chunk, buffer, scratch), k, chunk, catalogue_points,
                     scorer.tolerance)
        indices[start:stop] = top
        similarities[start:stop] = _similarity(chunk, catalogue_points[top], mode, centre)
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
    centre = _centre(mode, centre)
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
    relevant = np.asarray(relevant, bool)
    if relevant.shape != (points.shape[0], catalogue_points.shape[0]):
        raise ValueError(f"relevant must have shape (n, m) = "
                         f"{(points.shape[0], catalogue_points.shape[0])}; got {relevant.shape}")
    scorer = _Scorer(catalogue_points, mode, _centre(mode, centre))
    out = np.empty(points.shape[0])
    for start in range(0, points.shape[0], chunk_size):
        scores = scorer(points[start:start + chunk_size])
        rel = relevant[start:start + chunk_size]
        kth = -np.partition(-scores, k - 1, axis=1)[:, k - 1][:, None]
        above = scores > kth + scorer.tolerance
        tied = ~above & (scores >= kth - scorer.tolerance)
        n_above = above.sum(axis=1)
        share_tied = (rel & tied).sum(axis=1) / tied.sum(axis=1)
        out[start:start + scores.shape[0]] = (rel & above).sum(axis=1) + (k - n_above) * share_tied
    return out
