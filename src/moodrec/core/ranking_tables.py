"""Candidate tables of the ranking kernel: for every cell of the person plane, the few excerpts
that can be among a person's k best (ties included), wherever the person is in the cell.

The problem is two-dimensional, so nothing needs all m scores per person:

* cosine modes rank by the angle between the person's and the excerpt's direction; the circle
  of directions is cut into ``buckets`` arcs of equal "diamond angle" (a cheap monotonic stand-in
  for the angle: no ``atan2`` per person);
* ``euclidean`` ranks by distance; a square box around the catalogue is cut into
  ``side x side`` cells (persons outside it are ranked by the NumPy path).

For a cell, every excerpt has a nearest and a farthest "distance" over the cell (the smallest
and largest angle to the arc; the smallest and largest squared distance to the square). For
any person in the cell at least k excerpts are within the k-th smallest farthest distance, so
an excerpt whose nearest distance is beyond it, by more than a margin (``DELTA`` in score
units), is never among the k best nor tied with the k-th. The margin, and a ``SLACK`` that
widens every cell, are orders of magnitude above the scores' float noise (~1e-12) and tie
tolerance, so the kernel's exact ranking over a candidate list equals the ranking over the
whole catalogue.

Built per call of ``rank_excerpts``: about 1 ms for 4096 arcs, 4 ms for 128 x 128 cells,
against 180 excerpts. Compiled by numba with ``cache=True``; this module is only imported on
the large-input path.
"""

from __future__ import annotations

import math

import numba
import numpy as np

#: Cells are widened by this (radians, or relative to the box for ``euclidean``) so that a
#: person whose cell index was computed with rounding still lies inside its cell.
SLACK = 1e-9
#: Bound margin (score units): covers the tie tolerance (1e-12) and float noise (~1e-12).
DELTA = 1e-9
#: Grid cells per side of the squares whose lists narrow the cells' search.
_BLOCK = 8


@numba.njit(cache=True, nogil=True)
def _kth_smallest(values: np.ndarray, k: int) -> float:
    """The k-th smallest of ``values`` (k small: one pass with a sorted buffer)."""
    best = np.full(k, np.inf)
    for value in values:
        if value < best[k - 1]:
            i = k - 1
            while i > 0 and best[i - 1] > value:
                best[i] = best[i - 1]
                i -= 1
            best[i] = value
    return best[k - 1]


@numba.njit(cache=True, nogil=True)
def _append_within(near: np.ndarray, reach: float, among: np.ndarray, out: np.ndarray,
                   used: int) -> tuple[np.ndarray, int]:
    """Append to ``out`` (from ``used`` on) the excerpts ``among[j]`` whose ``near[j] <=
    reach``; ``out`` doubles when full (lists hold a few excerpts per cell)."""
    if used + near.size > out.size:
        grown = np.empty(max(2 * out.size, used + near.size), np.int32)
        grown[:used] = out[:used]
        out = grown
    for j in range(near.size):
        if near[j] <= reach:
            out[used] = among[j]
            used += 1
    return out, used


@numba.njit(cache=True, nogil=True)
def diamond(x: float, y: float) -> float:
    """Diamond angle of a non-zero vector, in [-2, 2]: increases with ``atan2(y, x)``."""
    r = y / (abs(x) + abs(y))
    if x >= 0.0:
        return r
    return 2.0 - r if y >= 0.0 else -2.0 - r


@numba.njit(cache=True, nogil=True)
def _diamond_angle(d: float) -> float:
    """The angle (radians, in [-pi, pi]) of diamond angle ``d``."""
    if d <= -1.0:
        r = -2.0 - d
        angle = math.atan2(r, -(1.0 + r))
        return angle - 2.0 * math.pi if angle > 0.0 else angle
    if d <= 1.0:
        return math.atan2(d, 1.0 - abs(d))
    r = 2.0 - d
    return math.atan2(r, -(1.0 - r))


@numba.njit(cache=True, nogil=True)
def angular_table(side0: np.ndarray, side1: np.ndarray, k: int,
                  buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate lists (CSR ``offsets``, ``members``) per diamond-angle bucket, for unit
    vectors ``side``. Bounds are angles (a zero vector scores 0 = cos(pi / 2) for every
    person); an excerpt is kept if cos(its nearest angle) >= cos(the k-th farthest) - DELTA,
    i.e. if its nearest angle is within ``reach``."""
    m = side0.size
    theta = np.arctan2(side1, side0)
    zero = (side0 == 0.0) & (side1 == 0.0)
    everyone = np.arange(m).astype(np.int32)
    offsets = np.zeros(buckets + 1, np.int64)
    members = np.empty(buckets * k + m, np.int32)
    near, far = np.empty(m), np.empty(m)
    used = 0
    for b in range(buckets):
        low = _diamond_angle(-2.0 + 4.0 * b / buckets)
        high = _diamond_angle(-2.0 + 4.0 * (b + 1) / buckets)
        middle, half = 0.5 * (low + high), 0.5 * (high - low) + SLACK
        for j in range(m):
            if zero[j]:
                near[j] = far[j] = 0.5 * math.pi
                continue
            apart = abs(theta[j] - middle)
            if apart > math.pi:
                apart = 2.0 * math.pi - apart
            near[j], far[j] = max(0.0, apart - half), min(math.pi, apart + half)
        reach = math.acos(max(-1.0, math.cos(_kth_smallest(far, k)) - DELTA))
        members, used = _append_within(near, reach, everyone, members, used)
        offsets[b + 1] = used
    return offsets, members[:used].copy()


@numba.njit(cache=True, nogil=True)
def _gap(value: float, low: float, high: float) -> float:
    """Distance from ``value`` to the interval [low, high] (0 inside)."""
    return low - value if value < low else (value - high if value > high else 0.0)


@numba.njit(cache=True, nogil=True)
def _square(points: np.ndarray, among: np.ndarray, k: int, low0: float, high0: float,
            low1: float, high1: float, delta: float, near: np.ndarray, far: np.ndarray,
            out: np.ndarray, used: int) -> tuple[np.ndarray, int]:
    """Append the candidate list of the square [low0, high0] x [low1, high1], from the
    excerpts ``among``. Bounds are squared distances: an excerpt is kept if its nearest is
    within ``delta`` of the k-th smallest farthest."""
    n = among.size
    for t in range(n):
        x, y = points[among[t], 0], points[among[t], 1]
        near0, near1 = _gap(x, low0, high0), _gap(y, low1, high1)
        far0, far1 = max(abs(x - low0), abs(x - high0)), max(abs(y - low1), abs(y - high1))
        near[t] = near0 * near0 + near1 * near1
        far[t] = far0 * far0 + far1 * far1
    return _append_within(near[:n], _kth_smallest(far[:n], k) + delta, among, out, used)


@numba.njit(cache=True, nogil=True)
def grid_table(points: np.ndarray, k: int, origin0: float, origin1: float, width: float,
               side: int, delta: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidate lists per cell of a ``side x side`` grid of square cells of ``width`` from
    ``origin`` (cell ``i * side + j`` spans ``origin + (i, j) * width``).

    Squares of ``_BLOCK x _BLOCK`` cells get their lists first; a cell's list is a subset of
    its square's (its bounds are tighter, computed by the same monotonic float operations),
    so each cell only tests its square's few excerpts instead of the catalogue.
    """
    m = points.shape[0]
    near, far = np.empty(m), np.empty(m)
    slack = SLACK * (1.0 + width * side)
    squares = (side + _BLOCK - 1) // _BLOCK
    square_offsets = np.zeros(squares * squares + 1, np.int64)
    square_members = np.empty(squares * squares * k + m, np.int32)
    everyone = np.arange(m).astype(np.int32)
    used = 0
    for i in range(squares):
        low0 = origin0 + (i * _BLOCK) * width - slack
        high0 = origin0 + min((i + 1) * _BLOCK, side) * width + slack
        for j in range(squares):
            square_members, used = _square(
                points, everyone, k, low0, high0, origin1 + (j * _BLOCK) * width - slack,
                origin1 + min((j + 1) * _BLOCK, side) * width + slack, delta, near, far,
                square_members, used)
            square_offsets[i * squares + j + 1] = used
    offsets = np.zeros(side * side + 1, np.int64)
    members = np.empty(side * side * k + m, np.int32)
    used = 0
    for i in range(side):
        low0, high0 = origin0 + i * width - slack, origin0 + (i + 1) * width + slack
        for j in range(side):
            square = (i // _BLOCK) * squares + j // _BLOCK
            among = square_members[square_offsets[square]:square_offsets[square + 1]]
            members, used = _square(points, among, k, low0, high0,
                                    origin1 + j * width - slack,
                                    origin1 + (j + 1) * width + slack, delta, near, far,
                                    members, used)
            offsets[i * side + j + 1] = used
    return offsets, members[:used].copy()
