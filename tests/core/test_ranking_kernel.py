"""The compiled ranking kernel (large inputs) against the NumPy path and a row-by-row reference
of the documented order, bit for bit, on adversarial inputs: real-like catalogues (exact ties,
repeated points and directions, an excerpt at the centre), degenerate ones, persons at the
centre, at excerpts, on bucket edges and far away; blocks, threads, layouts; and the one-person
path that must not wait for numba."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import moodrec.core.ranking as ranking
from moodrec.core import ranking_fast
from moodrec.core.ranking import rank_excerpts
from moodrec.core.scoring import MODES, Scorer, mode_centre, similarity_of

CENTRE = (4.0, 4.0)


def _reference(persons, catalogue, mode, k):
    """The documented order, row by row from the full score matrix: score descending (a score
    within the tolerance of the previous one joins its group; only scores >= the k-th best less
    the tolerance take part, all of them when k = m), then the squared distance rounded to 9
    decimals, then catalogue position; and the similarities of :func:`similarity_of`."""
    centre = mode_centre(mode, CENTRE)
    scorer = Scorer(catalogue, mode, centre)
    scores, tolerance, m = scorer(persons), scorer.tolerance, len(catalogue)
    indices = np.empty((len(persons), k), np.int64)
    for row, values in enumerate(scores):
        taking = np.arange(m) if k == m else \
            np.flatnonzero(values >= np.sort(values)[::-1][k - 1] - tolerance)
        taking = taking[np.argsort(-values[taking], kind="stable")]
        group = np.concatenate([[0], np.cumsum(-np.diff(values[taking]) > tolerance)])
        squared = np.round(((catalogue[taking] - persons[row]) ** 2).sum(axis=1), 9)
        indices[row] = taking[np.lexsort((taking, squared, group))][:k]
    return indices, similarity_of(persons, catalogue[indices], mode, centre)


def _real_like_catalogue(rng, m):
    """Means of six integer ratings on 1-7 (multiples of 1/6): repeated points, many shared
    directions from the origin and from the centre, and one excerpt at the centre."""
    catalogue = rng.integers(6, 43, (m, 2)) / 6.0
    catalogue[m - m // 6:] = catalogue[:m // 6]  # exact duplicates
    catalogue[m // 6:m // 3] = np.array(CENTRE) + (catalogue[:m - 5 * m // 6] - CENTRE) * 2.0
    catalogue[m // 3] = CENTRE
    return catalogue


def _hard_persons(rng, catalogue, n):
    """Uniform persons (some outside the catalogue's box), persons exactly at excerpts, on
    their directions from the origin and from the centre, on the rating grid, and special
    points: the centre, the origin, near them, on axes and diagonals (bucket edges), far."""
    pick = catalogue[rng.integers(0, len(catalogue), (3, n))]
    scale = rng.uniform(0.1, 2.0, (2, n, 1))
    special = np.array([CENTRE, (0.0, 0.0), (1e-200, 1e-200), (4.0 + 1e-15, 4.0),
                        (4.0, 4.0 - 1e-12), (5.0, 4.0), (4.0, 5.0), (3.0, 4.0), (4.0, 3.0),
                        (5.0, 5.0), (3.0, 3.0), (5.0, 3.0), (3.0, 5.0), (1.0, 0.0), (0.0, 1.0),
                        (-1.0, 0.0), (0.0, -1.0), (-2.0, -2.0), (1e6, -3e5), (-50.0, 7.0),
                        (1e100, 1e100), (-1e-300, 2.0)])
    return np.concatenate([
        rng.uniform(-1.0, 9.0, (n, 2)), pick[0], pick[1] * scale[0],
        np.array(CENTRE) + (pick[2] - CENTRE) * scale[1], rng.integers(0, 55, (n, 2)) / 6.0,
        special,
    ])


def _assert_same(got, expected, message=""):
    np.testing.assert_array_equal(got[0], expected[0], err_msg=message)
    # bit for bit, the sign of zero included
    np.testing.assert_array_equal(got[1].view(np.int64), expected[1].view(np.int64),
                                  err_msg=message)


def _kernel_then_numpy(monkeypatch, *args, **kwargs):
    monkeypatch.setattr(ranking, "KERNEL_MIN_PERSONS", 0)
    kernel = rank_excerpts(*args, **kwargs)
    monkeypatch.setattr(ranking, "KERNEL_MIN_PERSONS", 10**18)
    return kernel, rank_excerpts(*args, **kwargs)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_equals_numpy_and_reference_on_real_like_points(monkeypatch, mode, seed):
    rng = np.random.default_rng(seed)
    catalogue = _real_like_catalogue(rng, 180)
    persons = _hard_persons(rng, catalogue, 400)
    for k in (1, 2, 3, 5, 16):
        kernel, numpy_path = _kernel_then_numpy(monkeypatch, persons, catalogue, mode, k,
                                                CENTRE)
        _assert_same(kernel, numpy_path, f"k={k}")
        _assert_same(kernel, _reference(persons, catalogue, mode, k), f"k={k}")


@pytest.mark.parametrize("mode", MODES)
def test_kernel_on_random_and_degenerate_catalogues(monkeypatch, mode):
    """Random points; tiny catalogues (k = m); every excerpt on one ray; every excerpt at
    one point; a wide-spread catalogue."""
    rng = np.random.default_rng(5)
    line = np.array(CENTRE) + np.outer(rng.uniform(0.2, 3.0, 30), (1.0, -0.5))
    catalogues = [rng.uniform(1, 7, (200, 2)), rng.uniform(1, 7, (3, 2)), line,
                  np.full((12, 2), 2.5), rng.normal(0.0, 100.0, (90, 2))]
    for number, catalogue in enumerate(catalogues):
        persons = _hard_persons(rng, catalogue, 150)
        for k in sorted({1, 3, min(8, len(catalogue)), len(catalogue)} - {0}):
            if k > len(catalogue):
                continue
            kernel, numpy_path = _kernel_then_numpy(monkeypatch, persons, catalogue, mode, k,
                                                    CENTRE)
            _assert_same(kernel, numpy_path, f"catalogue {number}, k={k}")
            _assert_same(kernel, _reference(persons, catalogue, mode, k),
                         f"catalogue {number}, k={k}")


@pytest.mark.parametrize("mode", MODES)
def test_blocks_threads_and_layouts_do_not_change_the_result(monkeypatch, mode):
    rng = np.random.default_rng(9)
    catalogue = _real_like_catalogue(rng, 90)
    persons = _hard_persons(rng, catalogue, 300)
    monkeypatch.setattr(ranking, "KERNEL_MIN_PERSONS", 0)
    expected = rank_excerpts(persons, catalogue, mode, 3, CENTRE, threads=1)
    monkeypatch.setattr(ranking_fast, "BLOCK", 97)
    for threads in (1, 2, 3):
        _assert_same(rank_excerpts(persons, catalogue, mode, 3, CENTRE, threads=threads),
                     expected, f"threads={threads}")
    # a column-major, read-only view of the persons, and a progress bar
    view = np.asfortranarray(persons)
    view.flags.writeable = False
    _assert_same(rank_excerpts(view, catalogue, mode, 3, CENTRE, progress=True), expected)


def test_a_small_input_never_imports_the_compiled_kernel():
    """The person path ranks one person: it must not wait for numba (import or compile)."""
    code = ("import sys; from moodrec.core.ranking import rank_excerpts; "
            "rank_excerpts([[5.0, 6.0]], [[1.0, 2.0], [6.0, 6.0]], 'cosine', 1); "
            "print(sorted(m for m in sys.modules if m.startswith(('numba', "
            "'moodrec.core.ranking_'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.real_data
@pytest.mark.parametrize("mode", MODES)
def test_kernel_equals_numpy_on_the_real_catalogues(monkeypatch, shared_data, mode):
    """Every rated excerpt of both soundtrack sets (their own ties and repeated directions)."""
    rng = np.random.default_rng(11)
    for soundtrack_set, centre in (("set1", CENTRE), ("set2", (5.0, 5.0))):
        ratings = pd.read_csv(shared_data / "soundtracks" / f"mean_ratings_{soundtrack_set}.csv",
                              encoding="utf-8-sig")
        ratings.columns = ratings.columns.str.lower()
        catalogue = ratings[["valence", "energy"]].to_numpy(np.float64)
        persons = _hard_persons(rng, catalogue, 3000)
        for k in (1, 3, 10):
            kernel, numpy_path = _kernel_then_numpy(monkeypatch, persons, catalogue, mode, k,
                                                    centre)
            _assert_same(kernel, numpy_path, f"{soundtrack_set}, k={k}")
