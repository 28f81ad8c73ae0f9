"""rank_excerpts on both of its paths (NumPy, and the compiled kernel that ranks large inputs)
against brute-force rankings; chunking, ties and arguments (the kernel's own property tests:
test_ranking_kernel.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import moodrec.core.ranking as ranking
from moodrec.core.ranking import rank_excerpts, tie_averaged_hits
from moodrec.core.scoring import MODES
from tests.core.brute_force import similarity_matrix

CENTRE = (4.0, 4.0)


@pytest.fixture(params=["numpy", "kernel"])
def path(request, monkeypatch):
    """Run the test on either path of rank_excerpts, whatever the input size."""
    monkeypatch.setattr(ranking, "KERNEL_MIN_PERSONS", 0 if request.param == "kernel" else 10**18)
    return request.param


@pytest.fixture
def persons():
    return np.random.default_rng(1).uniform(1, 7, (500, 2))


@pytest.fixture
def catalogue():
    return np.random.default_rng(2).uniform(1, 7, (60, 2))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("k", [1, 3, 60])
def test_matches_brute_force(persons, catalogue, mode, k, path):
    indices, similarities = rank_excerpts(persons, catalogue, mode, k, CENTRE)
    full = similarity_matrix(persons, catalogue, mode, CENTRE)
    expected = np.argsort(-full, axis=1, kind="stable")[:, :k]
    np.testing.assert_array_equal(indices, expected)
    np.testing.assert_allclose(similarities, np.take_along_axis(full, expected, 1), atol=1e-10)
    assert indices.shape == similarities.shape == (len(persons), k)
    assert (np.diff(similarities, axis=1) <= 1e-12).all()


def test_similarity_definitions():
    person = np.array([[2.0, 6.0]])
    excerpts = np.array([[1.0, 3.0], [6.0, 2.0], [2.0, 6.0]])
    cosine = similarity_matrix(person, excerpts, "cosine")[0]
    assert cosine[0] == pytest.approx(1.0)  # same direction from the origin
    assert cosine[1] == pytest.approx((12 + 12) / (np.hypot(2, 6) * np.hypot(6, 2)))
    centred = similarity_matrix(person, excerpts, "centred_cosine", CENTRE)[0]
    assert centred[1] == pytest.approx(-1.0)  # opposite sides of the centre
    euclidean = similarity_matrix(person, excerpts, "euclidean")[0]
    assert euclidean[2] == 1.0
    assert euclidean[0] == pytest.approx(1 / (1 + np.hypot(1, 3)))


@pytest.mark.parametrize("mode", MODES)
def test_chunk_size_does_not_change_the_result(persons, catalogue, mode, path):
    reference = rank_excerpts(persons, catalogue, mode, 5, CENTRE, chunk_size=100_000)
    for chunk_size in (1, 7, 64):
        result = rank_excerpts(persons, catalogue, mode, 5, CENTRE, chunk_size=chunk_size)
        np.testing.assert_array_equal(result[0], reference[0])
        np.testing.assert_array_equal(result[1], reference[1])


def test_ties_nearer_first_then_catalogue_order(path):
    """Excerpts in the same direction tie in cosine: the nearer one wins, then the first."""
    catalogue = np.array([[1.0, 1.0], [6.0, 6.0], [3.0, 3.0], [3.0, 3.0], [1.0, 6.0]])
    indices, similarities = rank_excerpts(np.array([[2.5, 2.5]]), catalogue, "cosine", 3)
    assert indices.tolist() == [[2, 3, 0]]
    assert similarities[0].tolist() == pytest.approx([1.0, 1.0, 1.0])
    indices, _ = rank_excerpts(np.array([[5.0, 5.0]]), catalogue, "cosine", 2)
    assert indices.tolist() == [[1, 2]]


def test_many_tied_rows_are_resolved_like_the_brute_force(path):
    """A grid catalogue (many equal directions) and grid persons: the slow path for ties."""
    grid = np.array(list(itertools.product(np.arange(1, 7.5, 0.5), repeat=2)))
    persons = grid[::3] + 0.25
    for mode in MODES:
        indices, _ = rank_excerpts(persons, grid, mode, 4, CENTRE, chunk_size=16)
        full = similarity_matrix(persons, grid, mode, CENTRE)
        rounded = np.round(full, 9)
        distance = np.linalg.norm(persons[:, None] - grid[None], axis=2)
        for row in range(len(persons)):
            order = np.lexsort((np.arange(len(grid)), np.round(distance[row], 9), -rounded[row]))
            assert indices[row].tolist() == order[:4].tolist(), (mode, row)


def test_a_person_at_the_centre_gets_the_first_excerpts(path):
    catalogue = np.array([[5.0, 5.0], [2.0, 2.0], [6.0, 1.0]])
    indices, similarities = rank_excerpts(np.array([CENTRE]), catalogue, "centred_cosine", 2,
                                          CENTRE)
    assert similarities.tolist() == [[0.0, 0.0]]
    assert indices.tolist() == [[0, 1]]  # equal similarity (0): the nearer first


@pytest.mark.parametrize("k", [0, -1, 61, 2.5, True])
def test_bad_k(persons, catalogue, k):
    with pytest.raises(ValueError, match="k must be an integer from 1 to the catalogue size 60"):
        rank_excerpts(persons, catalogue, "cosine", k)


def test_bad_arguments(persons, catalogue):
    with pytest.raises(ValueError, match="unknown similarity mode 'dot'"):
        rank_excerpts(persons, catalogue, "dot", 3)
    with pytest.raises(ValueError, match="needs the scale's centre"):
        rank_excerpts(persons, catalogue, "centred_cosine", 3)
    with pytest.raises(ValueError, match="catalogue is empty"):
        rank_excerpts(persons, catalogue[:0], "cosine", 1)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        rank_excerpts(persons[:, :1], catalogue, "cosine", 1)
    with pytest.raises(ValueError, match="finite"):
        rank_excerpts(np.array([[np.nan, 1.0]]), catalogue, "cosine", 1)


def test_empty_persons(catalogue, path):
    indices, similarities = rank_excerpts(np.empty((0, 2)), catalogue, "euclidean", 3)
    assert indices.shape == similarities.shape == (0, 3)


def test_tie_averaged_hits_enumerates_tie_orders():
    catalogue = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [1.0, 5.0]])
    relevant = np.array([[True, False, False, True]])
    # cosine from (4, 4): excerpts 0-2 tie at 1.0; top 2 takes 2 of the 3, one of them relevant
    hits = tie_averaged_hits(np.array([[4.0, 4.0]]), catalogue, relevant, "cosine", 2)
    assert hits.tolist() == pytest.approx([2 / 3])
    hits = tie_averaged_hits(np.array([[4.0, 4.0]]), catalogue, relevant, "cosine", 4)
    assert hits.tolist() == pytest.approx([2.0])


def _brute_force_order(persons, catalogue, mode, k):
    """Full order, independently: rounded similarity desc, distance asc, position asc."""
    full = np.round(similarity_matrix(persons, catalogue, mode, CENTRE), 9)
    distance = np.round(np.linalg.norm(persons[:, None] - catalogue[None], axis=2), 9)
    position = np.broadcast_to(np.arange(len(catalogue)), full.shape)
    return np.lexsort((position, distance, -full), axis=-1)[:, :k]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("k", [1, 2, 3, 8, 9, 20, 119, 120])
def test_tie_heavy_catalogue_matches_the_full_order(mode, k, path):
    """Ratings like the real ones (means of six integer scores: multiples of 1/6, repeated
    points, many shared directions) exercise the tie paths of both top-k strategies."""
    rng = np.random.default_rng(7)
    catalogue = rng.integers(6, 43, (120, 2)) / 6.0
    catalogue[100:] = catalogue[:20]  # exact duplicates
    persons = rng.uniform(1, 7, (300, 2))
    if mode != "euclidean":  # persons exactly in an excerpt's direction, and at the centre
        persons[:40] = CENTRE + (catalogue[:40] - CENTRE) * rng.uniform(0.2, 1.5, (40, 1)) \
            if mode == "centred_cosine" else catalogue[:40] * rng.uniform(0.2, 1.5, (40, 1))
        persons[40] = CENTRE
    expected = _brute_force_order(persons, catalogue, mode, k)
    for chunk_size in (1, 64, 1024):
        indices, similarities = rank_excerpts(persons, catalogue, mode, k, CENTRE,
                                              chunk_size=chunk_size)
        np.testing.assert_array_equal(indices, expected, err_msg=f"chunk_size={chunk_size}")
    full = similarity_matrix(persons, catalogue, mode, CENTRE)
    np.testing.assert_allclose(similarities, np.take_along_axis(full, expected, 1), atol=1e-12)


def test_zero_vector_excerpt_ties_with_everything_at_zero(path):
    """An excerpt at the centre has centred cosine 0 with every person."""
    catalogue = np.array([[4.0, 4.0], [5.0, 5.0], [3.0, 3.0], [4.0, 6.0]])
    indices, similarities = rank_excerpts(np.array([[6.0, 2.0]]), catalogue, "centred_cosine",
                                          4, CENTRE)
    assert similarities[0].tolist() == pytest.approx([0.0, 0.0, 0.0, -1 / np.sqrt(2)])
    # the three at 0: nearest first ([4, 4] at 2.83), then [5, 5] and [3, 3] (both at 3.16)
    # in catalogue order; [4, 6] points away from the person
    assert indices[0].tolist() == [0, 1, 2, 3]


def test_centre_must_be_finite(persons, catalogue):
    with pytest.raises(ValueError, match="centre must be finite"):
        rank_excerpts(persons, catalogue, "centred_cosine", 3, (np.nan, 4.0))


def test_bad_chunk_size_or_threads(persons, catalogue):
    for chunk_size in (0, -5, 2.5):
        with pytest.raises(ValueError, match="chunk_size must be an integer >= 1"):
            rank_excerpts(persons, catalogue, "cosine", 3, chunk_size=chunk_size)
    for threads in (0, 1.5, True):
        with pytest.raises(ValueError, match="threads must be an integer >= 1"):
            rank_excerpts(persons, catalogue, "cosine", 3, threads=threads)


def test_tie_averaged_hits_equals_the_mean_over_random_tie_orders():
    """The expectation over tie orders, checked against many random tie-breaks."""
    rng = np.random.default_rng(3)
    catalogue = rng.integers(6, 43, (60, 2)) / 6.0
    persons = catalogue[:30] * rng.uniform(0.5, 1.5, (30, 1))
    relevant = rng.random((30, 60)) < 0.3
    exact = tie_averaged_hits(persons, catalogue, relevant, "cosine", 3)
    full = np.round(similarity_matrix(persons, catalogue, "cosine"), 9)
    draws = []
    for _ in range(400):
        noise = rng.random(full.shape)
        order = np.lexsort((noise, -full), axis=-1)[:, :3]
        draws.append(np.take_along_axis(relevant, order, 1).sum(axis=1))
    np.testing.assert_allclose(np.mean(draws, axis=0), exact, atol=0.15)
    assert (exact != np.round(exact)).any()  # some persons do have ties at the 3rd place
