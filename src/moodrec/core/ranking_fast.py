"""The large-input path of :func:`.ranking.rank_excerpts`: candidate tables, then the compiled
kernel over blocks of persons on a few threads.

Memory: the kernel keeps O(longest candidate list) per thread; besides the results, the only
per-person allocation is a contiguous copy of a block's points when the input is not
contiguous. Rows the kernel cannot serve (see :mod:`.ranking_kernel`) are ranked by the NumPy
path, block by block.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from .ranking_kernel import rank_rows
from .ranking_tables import DELTA, angular_table, grid_table
from .scoring import Scorer, unit_vectors

#: Persons per kernel call: a unit of work of a thread and a step of the progress bar.
BLOCK = 65_536
#: Arcs of the circle of directions (cosine modes). Finer arcs: shorter candidate lists, a
#: longer build (buckets x m bound pairs; ~1 ms at 4096 x 180, lists of 3.1-3.4 at k = 3).
_BUCKETS = 4096
#: Grid cells per side of the ``euclidean`` box (the box is twice the catalogue's extent).
#: 128: lists of 4.6 excerpts on average for set 1 at k = 3 (64: 6.5, and ~20% slower).
_GRID_SIDE = 128


class Tables(NamedTuple):
    """What :func:`.ranking_kernel.rank_rows` needs besides the persons."""

    angular: bool
    side0: np.ndarray
    side1: np.ndarray
    bias: np.ndarray
    unit: np.ndarray
    grid: np.ndarray
    cells: int
    offsets: np.ndarray
    members: np.ndarray


def build_tables(scorer: Scorer, catalogue_points: np.ndarray, k: int) -> Tables:
    """The scorer's catalogue side and the candidate lists of its mode."""
    m = catalogue_points.shape[0]
    angular = scorer.mode != "euclidean"
    if angular:
        offsets, members = angular_table(scorer.b0, scorer.b1, k, _BUCKETS)
        grid, cells = np.array([-2.0, 0.0, _BUCKETS / 4.0]), _BUCKETS
        unit = unit_vectors(catalogue_points - scorer.centre)
        bias = np.zeros(m)
    else:
        low, high = catalogue_points.min(axis=0), catalogue_points.max(axis=0)
        extent = max(float(np.max(high - low)), 1e-6 * (1.0 + float(np.abs(low).max())))
        origin = (low + high) / 2.0 - extent
        width = 2.0 * extent / _GRID_SIDE
        scale = float(np.abs(np.concatenate([origin, origin + 2.0 * extent])).max())
        offsets, members = grid_table(catalogue_points, k, float(origin[0]), float(origin[1]),
                                      width, _GRID_SIDE, DELTA * (1.0 + scale * scale))
        grid, cells = np.array([origin[0], origin[1], 1.0 / width]), _GRID_SIDE
        unit, bias = np.zeros((m, 2)), scorer.bias
    return Tables(angular, scorer.b0, scorer.b1, bias, unit, grid, cells, offsets, members)


def _usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def rank_with_kernel(
    points: np.ndarray, catalogue_points: np.ndarray, scorer: Scorer, k: int,
    indices: np.ndarray, similarities: np.ndarray,
    numpy_path: Callable[[np.ndarray, np.ndarray, np.ndarray], None],
    *, threads: int | None, progress: bool,
) -> None:
    """Fill ``indices``/``similarities`` (n x k) for ``points``; ``numpy_path(points, indices,
    similarities)`` ranks the rows the kernel leaves."""
    # one array layout for every call: numba compiles (and caches) one version of the kernel
    catalogue_points = np.require(catalogue_points, np.float64, ["C", "W"])
    tables = build_tables(scorer, catalogue_points, k)
    centre = np.array(scorer.centre, np.float64)

    def block(start: int) -> int:
        stop = min(start + BLOCK, points.shape[0])
        rows = np.require(points[start:stop], np.float64, ["C", "W"])
        out, sims = indices[start:stop], similarities[start:stop]
        left = rank_rows(rows, catalogue_points, centre, tables.angular, tables.side0,
                         tables.side1, tables.bias, tables.unit, tables.grid, tables.cells,
                         tables.offsets, tables.members, k, scorer.tolerance, out, sims)
        if left:
            missing = np.flatnonzero(out[:, 0] < 0)
            fixed, fixed_sims = np.empty((missing.size, k), np.int64), np.empty((missing.size, k))
            numpy_path(rows[missing], fixed, fixed_sims)
            out[missing], sims[missing] = fixed, fixed_sims
        return stop - start

    starts = range(0, points.shape[0], BLOCK)
    workers = max(1, min(threads or _usable_cores(), len(starts)))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=points.shape[0], unit="person", desc=f"ranking ({scorer.mode})")
    try:
        with ThreadPoolExecutor(workers, thread_name_prefix="rank") as pool:
            for count in pool.map(block, starts):
                if bar is not None:
                    bar.update(count)
    finally:
        if bar is not None:
            bar.close()
