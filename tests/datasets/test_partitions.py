"""AtomicPartitionedDataset: the output folder replaced whole; a killed run's hidden folders
cleaned by the next run (issue 19, family 3). A failed save leaving the previous output as it
was, and no staging folder: tests/pipelines/population/test_nodes.py."""

from __future__ import annotations

import pandas as pd

from moodrec.datasets.partitions import AtomicPartitionedDataset

TABLES = {"a": pd.DataFrame({"id": [1, 2]})}


def dataset(path) -> AtomicPartitionedDataset:
    return AtomicPartitionedDataset(path=str(path), dataset="pandas.ParquetDataset",
                                    filename_suffix=".parquet")


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(tmp_path, caplog):
    """Before: a SIGKILL left a 711 MB .population_recommendations.*.staging for good."""
    stale = tmp_path / ".out.x1y2.staging"
    (stale / "part").mkdir(parents=True)
    (stale / "part" / "a.parquet").write_bytes(b"half")
    keep = tmp_path / ".other.staging"  # another output's: not touched
    keep.mkdir()
    (tmp_path / "out" / "old").mkdir(parents=True)  # a previous output: replaced whole
    dataset(tmp_path / "out").save(TABLES)
    assert not stale.exists() and keep.is_dir()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.parquet"]
    assert str(stale) in caplog.text


def test_an_output_moved_aside_by_a_killed_run_is_put_back(tmp_path):
    """Killed between the two renames of the swap: the previous output is the ``.old``
    folder, and the output is missing. The next run puts it back before it writes."""
    old = tmp_path / ".out.k3.old"
    old.mkdir()
    (old / "previous.parquet").write_bytes(b"x")
    dataset(tmp_path / "out").save(TABLES)
    assert not old.exists()
    pd.testing.assert_frame_equal(dataset(tmp_path / "out").load()["a"](), TABLES["a"])

