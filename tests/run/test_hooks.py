"""The project's hooks: a failing node's log names the files behind its inputs; a missing
input file stops the run before its first node, naming the command that makes it."""

import logging
import os

import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import node

from moodrec.run.hooks import InputFilesOnError


def _fail(table, memory, options):
    raise ValueError("bad row")


def test_error_log_names_the_input_files(tmp_path, caplog):
    catalog = DataCatalog.from_config({"ratings": {"type": "pandas.CSVDataset",
                                                   "filepath": str(tmp_path / "ratings.csv")}})
    catalog["memory"] = MemoryDataset(1)
    failing = node(_fail, ["ratings", "memory", "params:k"], "out", name="read_ratings")
    error = ValueError("bad row")
    with caplog.at_level(logging.ERROR, logger="moodrec.run.hooks"):
        InputFilesOnError().on_node_error(error=error, node=failing, catalog=catalog, inputs={},
                                          is_async=False, run_id="test")
    assert "read_ratings" in caplog.text and str(tmp_path / "ratings.csv") in caplog.text
    assert "params:k" not in caplog.text and "memory" not in caplog.text
    assert error.__notes__ == [
        f"input files of node read_ratings: ratings = {tmp_path / 'ratings.csv'}"]


# ---------------------------------------------- missing input files, before the first node
def _identity(x):
    return x


def _check_catalog(tmp_path):
    raw = tmp_path / "data" / "01_raw"
    raw.mkdir(parents=True)
    (raw / "ratings.csv").write_text("a\n1\n")
    made = tmp_path / "data" / "07_model_output" / "face_predictions.csv"
    files = {"ratings": raw / "ratings.csv", "tracklist": raw / "tracklist.csv",
             "face_predictions": made, "face_predictions_for_mapping": made,
             "elsewhere": tmp_path / "nobody_makes_it.csv", "points": tmp_path / "points.csv"}
    return DataCatalog.from_config({
        **{name: {"type": "pandas.CSVDataset", "filepath": str(path)}
           for name, path in files.items()},
        "profile": {"type": "moodrec.person.datasets.VoiceProfileDataset",
                    "filepath": str(tmp_path / "profile.json")}})


def test_missing_inputs_name_the_command_that_makes_them(tmp_path):
    from kedro.pipeline import Pipeline

    from moodrec.run.inputs_check import MissingInputError, check_inputs

    catalog = _check_catalog(tmp_path)
    run = Pipeline([node(_identity, "ratings", "points", name="a"),
                    node(lambda *x: x[0], ["face_predictions_for_mapping", "tracklist",
                                           "profile", "elsewhere", "params:k"], "out",
                         name="b")])
    training = Pipeline([node(_identity, "ratings", "face_predictions", name="train")])
    asked = []

    def registered():
        asked.append(1)
        return {"__default__": run, "face_training": training, "va_mapping": run}

    with pytest.raises(MissingInputError) as stopped:
        check_inputs(run, catalog, registered)
    assert str(stopped.value).splitlines() == [
        f"cannot read face_predictions_for_mapping: no file {tmp_path}/data/07_model_output/"
        "face_predictions.csv; make it with `kedro run --pipelines face_training`",
        f"cannot read tracklist: no file {tmp_path}/data/01_raw/tracklist.csv; fetch the raw "
        "data with `moodrec fetch-data`"]
    assert asked == [1]  # the pipelines are built once, and only for a missing made file


def test_present_and_optional_inputs_pass_without_building_the_pipelines(tmp_path):
    from kedro.pipeline import Pipeline

    from moodrec.run.inputs_check import check_inputs

    catalog = _check_catalog(tmp_path)
    run = Pipeline([node(_identity, "ratings", "points", name="a"),
                    node(lambda *x: x[0], ["profile", "points"], "out", name="b")])
    check_inputs(run, catalog, lambda: pytest.fail("pipelines built for nothing"))


def test_the_input_check_hook_is_registered():
    from moodrec.run.hooks import InputFilesCheck
    from moodrec.settings import HOOKS

    assert any(isinstance(h, InputFilesCheck) for h in HOOKS)


def test_kedro_run_on_a_missing_table_says_which_pipeline_makes_it(tmp_path, project_root,
                                                                   shared_data):
    """The issue's case: `kedro run --params prediction_source=project` before training.
    Before: the first va_mapping nodes ran and wrote their outputs, then a FileNotFoundError
    inside a DatasetError, in a 200-line traceback."""
    import shutil
    import subprocess
    import sys

    shutil.copy(project_root / "pyproject.toml", tmp_path)
    shutil.copytree(project_root / "conf" / "base", tmp_path / "conf" / "base")
    (tmp_path / "conf" / "local").mkdir()
    (tmp_path / "src").mkdir()  # bootstrap_project wants it; moodrec is the installed one
    shutil.copytree(shared_data / "soundtracks", tmp_path / "data" / "01_raw" / "soundtracks")
    done = subprocess.run([sys.executable, "-m", "kedro", "run", "--params",
                           "prediction_source=project"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env={**os.environ,
                                                       "KEDRO_DISABLE_TELEMETRY": "1"})
    message = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1, message[-2000:]
    for name, pipeline in (("face", "face_training"), ("audio", "audio_training")):
        assert (f"cannot read {name}_predictions_for_mapping: no file {tmp_path}/data/"
                f"07_model_output/{name}_predictions.csv; make it with `kedro run --pipelines "
                f"{pipeline}`") in message
    assert (f"cannot read study_emotion_map: no file {tmp_path}/data/01_raw/study/map.csv; "
            "fetch the raw data with `moodrec fetch-data`") in message
    assert not [p for p in (tmp_path / "data").rglob("*") if p.is_file()
                and "01_raw" not in p.parts]  # nothing written
