"""Ranking catalogue excerpts by their similarity to persons' (valence, arousal) points.

One implementation, used by the ``recommendation`` pipeline, the benchmark
(``benchmarks/recommendation_throughput.py``) and the person path: :func:`rank_excerpts`.

The modes and their scores are in :mod:`.scoring`.

The order: highest score; scores within the scorer's ``tolerance`` of each other count as
equal (ties: common on real data because ratings are means of a few integer scores, so many
excerpts share a direction or a point), and among them the excerpt nearer to the person
comes first, then the one earlier in the catalogue. The same on every machine.

Two paths give that order, bit for bit the same:

* NumPy (here; small inputs, so that one person never waits for numba): per chunk of
  persons, one (chunk x catalogue) score matrix (two broadcast multiply-adds), then the top k
  by k row-wise ``argmax`` passes (``k`` <= 8; ``argpartition`` above); rows with a tie inside
  their top k or at the k-th place are re-ranked with the full order. Memory stays bounded by
  ``chunk_size`` x catalogue size.
* the compiled kernel (:mod:`.ranking_fast`, :mod:`.ranking_kernel`, :mod:`.ranking_tables`;
  from :data:`KERNEL_MIN_PERSONS` persons): the problem is two-dimensional, so each person
  is scored against the few excerpts that can be among its k best (a table per cell of
  directions or of the plane), on every core.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .scoring import (
    DEFAULT_CHUNK_SIZE,
    Scorer,
    check_ranking_inputs,
    mode_centre,
    similarity_of,
)

# Squared distances, when they break ties, are rounded to this many decimals (equally near
# excerpts: the earlier first).
_DISTANCE_DECIMALS = 9

#: Up to this k the top k are found with k row-wise ``argmax`` passes (no sorting);
#: above it with ``argpartition``.
_ARGMAX_K = 8

#: From this many persons the compiled kernel ranks; NumPy below. The kernel's first call in a
#: process costs 1-2 s (importing numba and starting its compiler; its machine code is cached
#: on disk), later calls milliseconds plus ~0.1 s per million persons; NumPy needs about
#: 0.1-0.2 s for this many. The person path (one person) and the study's tables (a few
#: thousand) stay on NumPy and never import numba.
KERNEL_MIN_PERSONS = 100_000
#: The kernel's candidate lists grow with k; above this k NumPy ranks.
KERNEL_MAX_K = 16


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


def _rank_numpy(points: np.ndarray, catalogue_points: np.ndarray, scorer: Scorer, k: int,
                chunk_size: int, indices: np.ndarray, similarities: np.ndarray,
                progress: bool = False) -> None:
    """The NumPy path: one (chunk x catalogue) score matrix per chunk of persons."""
    n, m = points.shape[0], catalogue_points.shape[0]
    rows = min(chunk_size, max(n, 1))
    buffer, scratch = np.empty((rows, m)), np.empty((rows, m))
    starts = range(0, n, chunk_size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, total=len(starts), unit="chunk", desc=f"ranking ({scorer.mode})")
    for start in starts:
        chunk = points[start:start + chunk_size]
        stop = start + chunk.shape[0]
        top = _top_k(scorer(chunk, buffer, scratch), k, chunk, catalogue_points,
                     scorer.tolerance)
        indices[start:stop] = top
        similarities[start:stop] = similarity_of(chunk, catalogue_points[top], scorer.mode,
                                                 scorer.centre)


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}")


def rank_excerpts(
    points: np.ndarray,
    catalogue_points: np.ndarray,
    mode: str,
    k: int,
    centre: Sequence[float] | np.ndarray | float | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar catalogue excerpts for every person.

    Two paths with identical results, bit for bit: from :data:`KERNEL_MIN_PERSONS` persons
    (and k up to :data:`KERNEL_MAX_K`) the compiled kernel (:mod:`.ranking_fast`), otherwise
    NumPy, chunk by chunk.

    Args:
        points: persons' (valence, arousal) points, shape (n, 2).
        catalogue_points: the excerpts' (valence, arousal) points, shape (m, 2).
        mode: one of :data:`MODES`.
        k: how many excerpts per person (1 <= k <= m).
        centre: the rating scale's centre (a number or a (valence, arousal) pair); required
            by ``centred_cosine``, ignored otherwise.
        chunk_size: persons per score matrix of the NumPy path (memory: about
            2 x chunk_size x m floats besides the results).
        progress: show a progress bar (tqdm).
        threads: threads of the kernel path (default: one per usable core).

    Returns:
        ``(indices, similarities)``, both of shape (n, k), best first: row positions into
        ``catalogue_points`` (int64) and the similarities (float64; for ``euclidean``
        ``1 / (1 + distance)``).
    """
    points = np.asarray(points, dtype=np.float64)
    catalogue_points = np.asarray(catalogue_points, dtype=np.float64)
    check_ranking_inputs(points, catalogue_points, mode, k)
    centre = mode_centre(mode, centre)
    _check_count("chunk_size", chunk_size)
    if threads is not None:
        _check_count("threads", threads)

    n = points.shape[0]
    indices = np.empty((n, k), dtype=np.int64)
    similarities = np.empty((n, k), dtype=np.float64)
    scorer = Scorer(catalogue_points, mode, centre)
    if n < KERNEL_MIN_PERSONS or k > KERNEL_MAX_K:
        _rank_numpy(points, catalogue_points, scorer, k, int(chunk_size), indices,
                    similarities, progress)
        return indices, similarities
    from .ranking_fast import rank_with_kernel

    def numpy_path(rows: np.ndarray, out: np.ndarray, sims: np.ndarray) -> None:
        _rank_numpy(rows, catalogue_points, scorer, k, int(chunk_size), out, sims)

    rank_with_kernel(points, catalogue_points, scorer, k, indices, similarities, numpy_path,
                     threads=threads, progress=progress)
    return indices, similarities


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
    check_ranking_inputs(points, catalogue_points, mode, k)
    relevant = np.asarray(relevant, bool)
    if relevant.shape != (points.shape[0], catalogue_points.shape[0]):
        raise ValueError(f"relevant must have shape (n, m) = "
                         f"{(points.shape[0], catalogue_points.shape[0])}; got {relevant.shape}")
    scorer = Scorer(catalogue_points, mode, mode_centre(mode, centre))
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
