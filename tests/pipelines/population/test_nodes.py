"""The population node in this process: the same excerpts as the recommendation pipeline, one
output file per input partition, and bad partitions named by their file with the previous
output left as it was."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from kedro.io import DatasetError

from moodrec.core.checks import BadInputError
from moodrec.pipelines.recommendation.nodes import recommend
from moodrec.pipelines.va_mapping.nodes import map_table
from tests.pipelines.population.conftest import raises_bad_input, read_outputs, run_population


def test_each_person_gets_what_the_recommendation_pipeline_gives(tmp_path, population,
                                                                 node_inputs):
    source, tables = population
    points, excerpts, rec_params, *_ = node_inputs
    out = run_population(source, tmp_path / "out", node_inputs)
    assert sorted(out) == sorted(tables)  # one file per partition, same names, nothing else
    k = rec_params["k"]
    for name, table in tables.items():
        got = out[name]
        assert got["person"].tolist() == table["person"].tolist()
        persons = map_table(table, points, dataset=name, source="population")
        expected = recommend(persons, excerpts, rec_params)
        np.testing.assert_array_equal(got["valence"], persons["valence"])
        np.testing.assert_array_equal(got["arousal"], persons["arousal"])
        for rank in range(1, k + 1):
            chosen = expected[expected["rank"] == rank]
            np.testing.assert_array_equal(got[f"item_{rank}"], chosen["item"])
            np.testing.assert_array_equal(got[f"similarity_{rank}"], chosen["similarity"])


def test_other_columns_are_carried_and_a_clash_is_named(tmp_path, node_inputs):
    source = tmp_path / "in"
    source.mkdir()
    table = pd.DataFrame({"user": ["a", "b"], "country": ["FI", "SE"],
                          "Happy": [0.7, 0.1], "sad": [0.1, 0.5], "angry": [0.05, 0.1],
                          "fear": [0.05, 0.1], "surprise": [0.05, 0.1], "neutral": [0.05, 0.1]})
    table.to_parquet(source / "p.parquet", index=False)
    out = run_population(source, tmp_path / "out", node_inputs)
    assert list(out["p.parquet"].columns[:4]) == ["user", "country", "valence", "arousal"]
    table.assign(valence=1.0).to_parquet(source / "p.parquet", index=False)
    with raises_bad_input(r"partition p: column\(s\) \['valence'\]"):
        run_population(source, tmp_path / "out", node_inputs)


def _nan_at_row_7(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(anger=table["anger"].where(table.index != 7))


@pytest.mark.parametrize("spoil, named", [
    (lambda t: t.drop(columns=["fear"]), r"fear"),
    (_nan_at_row_7, r"'anger'.* row 7 "),
    (lambda t: t.assign(sadness=t["sadness"] + 0.5), r"sum"),
    (lambda t: t.iloc[:0], r"empty"),
    (lambda t: t.assign(anger=t["anger"].map(lambda v: f"{v:.4f}".replace(".", ","))),
     r"'anger'"),
    (None, None),
], ids=["missing column", "NaN", "not probabilities", "no rows", "decimal comma",
        "not Parquet"])
def test_a_bad_partition_stops_the_run_naming_its_file(tmp_path, population, node_inputs,
                                                       spoil, named):
    source, tables = population
    output = tmp_path / "out"
    before = run_population(source, output, node_inputs)
    bad = source / "part-3.parquet"
    if spoil is None:  # the Parquet reader's error, with the file's path
        bad.write_bytes(b"person,anger\n1,0.5\n")
        with pytest.raises(DatasetError, match=re.escape(str(bad))):
            run_population(source, output, node_inputs)
    else:
        spoil(tables["part-3.parquet"]).to_parquet(bad, index=False)
        with raises_bad_input(r"population partition part-3: .*" + named):
            run_population(source, output, node_inputs)
    after = read_outputs(output)
    assert sorted(after) == sorted(before)
    for name, table in before.items():  # the previous output, whole and unchanged
        pd.testing.assert_frame_equal(after[name], table)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "population"]  # no leftover


def test_bad_parameters_stop_the_run_before_any_partition_is_read(tmp_path, node_inputs):
    points, excerpts, rec_params, va_params, ranking = node_inputs
    source = tmp_path / "in"
    source.mkdir()
    (source / "p.parquet").write_bytes(b"never read")
    with pytest.raises(BadInputError, match=r"parameters recommendation \(k = 99, .*k must be"):
        run_population(source, tmp_path / "out",
                       (points, excerpts, {**rec_params, "k": 99}, va_params, ranking))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("spoil, message", [
    (lambda t: pd.concat([t, t.iloc[:1]]), r"column 'emotion' repeats \['anger'\]"),
    (lambda t: t.iloc[1:], r"column 'emotion' has no row for anger"),
    (lambda t: t.assign(valence=t["valence"].where(t.index != 2)),
     r"column 'valence' has missing, NaN or non-numeric values at row 2 "),
], ids=["repeated", "missing", "NaN"])
def test_bad_emotion_points_are_named_before_any_partition_is_read(tmp_path, node_inputs,
                                                                  spoil, message):
    """The same check of emotion_va_points as the recommendation pipeline's."""
    points, *inputs = node_inputs
    source = tmp_path / "in"
    source.mkdir()
    (source / "p.parquet").write_bytes(b"never read")
    with pytest.raises(BadInputError, match=r"emotion_va_points: " + message):
        run_population(source, tmp_path / "out", (spoil(points), *inputs))
    assert not (tmp_path / "out").exists()


def test_a_folder_without_partitions_is_named(tmp_path, node_inputs):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a partition")
    for folder in (tmp_path / "absent", tmp_path / "empty"):
        with pytest.raises(DatasetError, match=re.escape(str(folder))):
            run_population(folder, tmp_path / "out", node_inputs)


def test_ranking_threads_one_per_dask_worker_all_cores_in_one_process():
    """A Dask worker is one core (conf/dask/dask.yml): its ranking kernel gets one thread; one
    process gets one per usable core (null)."""
    from kedro.config import OmegaConfigLoader

    from tests.conftest import PROJECT_ROOT

    def threads(env: str | None) -> object:
        loader = OmegaConfigLoader(str(PROJECT_ROOT / "conf"), base_env="base",
                                   default_run_env="local", env=env)
        return loader["parameters"]["population_ranking"]["threads"]

    assert threads(None) is None and threads("dask") == 1


def test_bad_ranking_threads_are_named(tmp_path, node_inputs):
    *inputs, ranking = node_inputs
    source = tmp_path / "in"
    source.mkdir()
    (source / "p.parquet").write_bytes(b"never read")
    with pytest.raises(BadInputError, match=r"population_ranking.threads \(0\)"):
        run_population(source, tmp_path / "out", (*inputs, {**ranking, "threads": 0}))
