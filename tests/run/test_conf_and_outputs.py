"""Issue 19, family 5: a configuration file that does not read, and an output folder that
cannot be written, are each named in one line before any node runs. Before: a YAML syntax
error gave a 184-line traceback, `person:` left empty a `TypeError`, a catalog file of random
bytes a `UnicodeDecodeError` naming no file; a read-only output folder 401 lines after three
nodes had written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline, node

from moodrec.run.conf_files import ConfFileError, check_conf_files, file_problem
from moodrec.run.inputs_check import OutputNotWritableError, check_outputs
from tests.person.conftest import copy_project, restore_process_state  # noqa: F401 - a fixture

DAMAGE = {
    "yaml-syntax": ("parameters_person.yml", b"\nperson:\n  goal: [unclosed\n", "line"),
    "person-empty": ("parameters_person.yml", None, "`person:`"),
    "random-bytes": ("catalog_03_primary.yml", bytes(range(128, 256)) * 8, "byte 0"),
}


def _damage(conf, case):
    name, data, _ = DAMAGE[case]
    path = conf / "base" / name
    if data is None:  # everything under `person:` removed
        text = path.read_text()
        path.write_text(text[: text.index("\nperson:")] + "\nperson:\n")
    elif case == "yaml-syntax":
        path.write_bytes(path.read_bytes() + data)
    else:
        path.write_bytes(data)
    return path


@pytest.fixture
def conf(tmp_path, project_root):
    import shutil

    shutil.copytree(project_root / "conf" / "base", tmp_path / "base")
    (tmp_path / "local").mkdir()
    return tmp_path


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_conf_file_that_does_not_read_is_named(conf, case):
    path = _damage(conf, case)
    with pytest.raises(ConfFileError) as err:
        check_conf_files(OmegaConfigLoader(str(conf), base_env="base", default_run_env="local"))
    message = str(err.value)
    assert str(path) in message and DAMAGE[case][2] in message and len(message.splitlines()) == 1


def test_the_shipped_conf_reads(project_root):
    for env in ("local", "smoke", "dask"):
        check_conf_files(OmegaConfigLoader(str(project_root / "conf"), base_env="base",
                                           default_run_env=env))
    assert file_problem(project_root / "conf" / "base" / "globals.yml") is None


@pytest.mark.parametrize("case", ["yaml-syntax", "random-bytes"])
def test_kedro_run_names_the_conf_file_in_two_lines(tmp_path, project_root, shared_data, case):
    project = copy_project(tmp_path / "project", project_root, shared_data)
    path = _damage(project / "conf", case)
    done = subprocess.run([sys.executable, "-m", "kedro", "run", "--pipelines", "va_mapping"],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"})
    errors = [line for line in done.stderr.splitlines() if line.startswith(("kedro run", "hint"))]
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    assert len(errors) == 2 and str(path) in errors[0]


@pytest.mark.usefixtures("restore_process_state")
@pytest.mark.parametrize("case", list(DAMAGE))
def test_moodrec_recommend_names_the_conf_file(tmp_path, project_root, shared_data, capsys, case):
    from moodrec.app.recommend_command import EXIT_FAILED
    from moodrec.cli import run as moodrec

    project = copy_project(tmp_path / "project", project_root, shared_data)
    path = _damage(project / "conf", case)
    status = moodrec(["recommend", "--face", "me.jpg", "--project-dir", str(project)])
    err = capsys.readouterr().err
    assert status == EXIT_FAILED and str(path) in err and len(err.splitlines()) == 1


def _two_nodes(target):
    catalog = DataCatalog.from_config({"table": {"type": "moodrec.datasets.AtomicCSVDataset",
                                                 "filepath": target}})
    catalog["a"] = MemoryDataset(1)
    return Pipeline([node(lambda a: a, "a", "b", name="first"),
                     node(lambda b: b, "b", "table", name="second")]), catalog


def test_an_output_folder_that_is_a_file_is_named_before_any_node(tmp_path):
    (tmp_path / "out").write_text("a file where the folder should be")
    pipeline, catalog = _two_nodes(str(tmp_path / "out" / "sub" / "table.csv"))
    with pytest.raises(OutputNotWritableError) as err:
        check_outputs(pipeline, catalog)
    assert "table" in str(err.value) and str(tmp_path / "out") in str(err.value)


def test_a_read_only_output_folder_is_named_before_any_node(tmp_path, monkeypatch):
    """``chmod a-w`` does not stop root (these tests may run as root), so the folder's
    permission is what ``os.access`` says: read-only for this one."""
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: real(path, mode) and
                        os.fspath(path) != str(tmp_path / "ro"))
    (tmp_path / "ro").mkdir()
    pipeline, catalog = _two_nodes(str(tmp_path / "ro" / "table.csv"))
    with pytest.raises(OutputNotWritableError) as err:
        check_outputs(pipeline, catalog)
    assert "table" in str(err.value) and str(tmp_path / "ro") in str(err.value)
    pipeline, catalog = _two_nodes(str(tmp_path / "rw" / "table.csv"))
    check_outputs(pipeline, catalog)  # a folder still to be made, in a writable one
