"""A failing node's log names the files behind its inputs."""

import logging

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import node
from kedro_datasets.pandas import CSVDataset

from moodrec.hooks import InputFilesOnError


def _fail(table, options):
    raise ValueError("bad row")


def test_error_log_names_the_input_files(tmp_path, caplog):
    catalog = DataCatalog({"ratings": CSVDataset(filepath=str(tmp_path / "ratings.csv")),
                           "memory": MemoryDataset(1)})
    failing = node(_fail, ["ratings", "params:k"], "out", name="read_ratings")
    with caplog.at_level(logging.ERROR, logger="moodrec.hooks"):
        InputFilesOnError().on_node_error(error=ValueError("bad row"), node=failing,
                                          catalog=catalog, inputs={}, is_async=False,
                                          run_id="test")
    assert "read_ratings" in caplog.text and str(tmp_path / "ratings.csv") in caplog.text
    assert "params:k" not in caplog.text
