"""The ranking kernel (numba): each person is ranked against the few candidates of its cell
(:mod:`.ranking_tables`) instead of the whole catalogue.

It computes, for every candidate, the very score of :class:`.scoring.Scorer` with the same
floating-point operations in the same order (products, then their sum, then the bias; numba
does not fuse them into FMA), then orders them exactly like the NumPy path of
:mod:`.ranking`: score descending (scores within ``tolerance`` of the previous one join its
group), then the squared distance rounded like ``np.round(d2, 9)``, then catalogue position.
The reported similarities are those of :func:`.scoring.similarity_of`, computed the same way.
The tests compare both paths bit for bit.

Rows the tables cannot serve are marked with index -1 for the NumPy path: a person whose
direction is undefined (at the centre, or so near it that the unit vector is not unit) or,
for ``euclidean``, outside the grid's box.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .ranking_tables import diamond

#: The squared distances that break ties are rounded to 9 decimals (as ``np.round``:
#: ``rint(x * 1e9) / 1e9``).
_DISTANCE_SCALE = 1e9


@numba.njit(cache=True, nogil=True)
def _order(score: np.ndarray, key: np.ndarray, who: np.ndarray, count: int,
           tolerance: float) -> None:
    """Sort the first ``count`` candidates by score descending, then re-sort them by (tie
    group, rounded distance, position), in place (insertion sorts: ``count`` is small)."""
    for i in range(1, count):
        s, d, w = score[i], key[i], who[i]
        j = i
        while j > 0 and score[j - 1] < s:
            score[j], key[j], who[j] = score[j - 1], key[j - 1], who[j - 1]
            j -= 1
        score[j], key[j], who[j] = s, d, w
    group = 0
    previous = score[0] if count else 0.0
    for i in range(count):  # score now holds the group number
        if previous - score[i] > tolerance:
            group += 1
        previous = score[i]
        score[i] = group
    for i in range(1, count):
        g, d, w = score[i], key[i], who[i]
        j = i
        while j > 0 and (score[j - 1] > g or (score[j - 1] == g and (
                key[j - 1] > d or (key[j - 1] == d and who[j - 1] > w)))):
            score[j], key[j], who[j] = score[j - 1], key[j - 1], who[j - 1]
            j -= 1
        score[j], key[j], who[j] = g, d, w


@numba.njit(cache=True, nogil=True)
def rank_rows(points: np.ndarray, catalogue: np.ndarray, centre: np.ndarray, angular: bool,
              side0: np.ndarray, side1: np.ndarray, bias: np.ndarray, unit: np.ndarray,
              grid: np.ndarray, cells: int, offsets: np.ndarray, members: np.ndarray,
              k: int, tolerance: float, indices: np.ndarray, similarities: np.ndarray) -> int:
    """Rank ``points`` into ``indices``/``similarities`` (n x k); returns how many rows were
    left to the NumPy path (index -1).

    ``side0``/``side1``/``bias``: the scorer's catalogue side; ``unit``: the excerpts' unit
    vectors of the reported cosine; ``grid``: (origin0, origin1, cells per unit) of the
    ``euclidean`` grid or (-2, 0, buckets / 4) of the diamond-angle buckets.
    """
    longest = 0
    for c in range(offsets.size - 1):
        longest = max(longest, offsets[c + 1] - offsets[c])
    score, key = np.empty(longest), np.empty(longest)
    who, best = np.empty(longest, np.int64), np.empty(k)
    left = 0
    for i in range(points.shape[0]):
        p0, p1 = points[i, 0], points[i, 1]
        if angular:
            v0, v1 = p0 - centre[0], p1 - centre[1]
            norm = math.sqrt(v0 * v0 + v1 * v1)
            a0, a1 = (v0 / norm, v1 / norm) if norm > 0.0 else (v0, v1)
            if abs(a0 * a0 + a1 * a1 - 1.0) > 1e-6:
                indices[i, 0] = -1
                left += 1
                continue
            position = (diamond(v0, v1) - grid[0]) * grid[2]
            cell = min(int(position), cells - 1) if position > 0.0 else 0
        else:
            a0, a1 = p0, p1
            x, y = (p0 - grid[0]) * grid[2], (p1 - grid[1]) * grid[2]
            if not (0.0 <= x < cells and 0.0 <= y < cells):
                indices[i, 0] = -1
                left += 1
                continue
            cell = int(x) * cells + int(y)
        start, stop = offsets[cell], offsets[cell + 1]
        if stop - start < k:  # never by construction (a table holds k per cell); defensive
            indices[i, 0] = -1
            left += 1
            continue
        filled = 0
        for t in range(start, stop):  # the k largest scores, largest first
            j = members[t]
            s = a0 * side0[j] + a1 * side1[j]
            if not angular:
                s += bias[j]
            score[t - start] = s
            if filled < k or s > best[k - 1]:
                u = min(filled, k - 1)
                while u > 0 and best[u - 1] < s:
                    best[u] = best[u - 1]
                    u -= 1
                best[u] = s
                filled = min(filled + 1, k)
        floor = best[k - 1] - tolerance
        count = 0
        for t in range(start, stop):
            if score[t - start] >= floor:
                j = members[t]
                dv, da = catalogue[j, 0] - p0, catalogue[j, 1] - p1
                score[count] = score[t - start]
                key[count] = np.rint((dv * dv + da * da) * _DISTANCE_SCALE) / _DISTANCE_SCALE
                who[count] = j
                count += 1
        _order(score, key, who, count, tolerance)
        for r in range(k):
            j = who[r]
            indices[i, r] = j
            if angular:
                similarity = a0 * unit[j, 0] + a1 * unit[j, 1]
                similarities[i, r] = min(max(similarity, -1.0), 1.0)
            else:
                dv, da = catalogue[j, 0] - p0, catalogue[j, 1] - p1
                similarities[i, r] = 1.0 / (1.0 + math.sqrt(dv * dv + da * da))
    return left
