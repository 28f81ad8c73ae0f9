"""The Kedro project as a whole: pipelines registered, telemetry off, settings load."""

from pathlib import Path

import pytest
from kedro.framework.startup import bootstrap_project

EXPECTED = {"face_training", "audio_training", "va_mapping", "recommendation"}


def test_four_pipelines_are_registered(project_root: Path):
    bootstrap_project(project_root)
    from kedro.framework.project import pipelines

    assert EXPECTED <= set(pipelines)
    for name in EXPECTED:
        assert pipelines[name].nodes, f"pipeline {name} has no nodes"
        for node in pipelines[name].nodes:
            assert "(" not in node.name, f"{name}: node {node.name!r} has no explicit name"


def test_telemetry_is_off(project_root: Path):
    assert "consent: false" in (project_root / ".telemetry").read_text()


def test_every_catalog_entry_has_a_layer(project_root: Path):
    import yaml

    for path in sorted((project_root / "conf" / "base").glob("catalog_*.yml")):
        entries = yaml.safe_load(path.read_text()) or {}
        for name, entry in entries.items():
            if name.startswith("_"):
                continue
            layer = (entry.get("metadata") or {}).get("kedro-viz", {}).get("layer")
            assert layer, f"{path.name}: {name} has no kedro-viz layer"


# ------------------------------------------- which project a `moodrec` command works in
def test_project_dir_that_is_not_a_project_is_an_error(tmp_path):
    """Before: `--project-dir /some/folder` fell back to the installed checkout, silently."""
    from moodrec.run.project import ProjectNotFoundError, locate_project

    with pytest.raises(ProjectNotFoundError) as err:
        locate_project(tmp_path)
    assert f"--project-dir {tmp_path}:" in str(err.value)


@pytest.mark.parametrize("inside", [".", "src/moodrec", "conf/base"])
def test_project_dir_inside_the_project_is_the_project(project_root: Path, inside: str):
    from moodrec.run.project import locate_project

    assert locate_project(project_root / inside) == (project_root, None)
    assert locate_project(cwd=project_root / inside) == (project_root, None)


def test_outside_any_project_the_installed_one_is_named(tmp_path, project_root: Path):
    from moodrec.run.project import locate_project

    project = locate_project(cwd=tmp_path)
    assert project.root == project_root
    assert str(tmp_path) in project.note and str(project_root) in project.note


def test_without_any_project_the_error_says_so(tmp_path, monkeypatch):
    from moodrec.run import project as module

    monkeypatch.setattr(module, "installed_checkout", lambda: None)
    with pytest.raises(module.ProjectNotFoundError) as err:
        module.locate_project(cwd=tmp_path)
    assert str(tmp_path) in str(err.value)
    assert module.project_root(tmp_path) is None


def test_fetch_data_outside_a_project_names_the_folder_it_fills(tmp_path, monkeypatch, capsys):
    from moodrec.cli import run

    monkeypatch.chdir(tmp_path)
    status = run(["fetch-data", "--mirror", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert status == 1 and "--mirror" in err
    assert f"moodrec fetch-data: note: no Kedro project at {tmp_path} or above it: using the " \
           "moodrec project " in err and "data goes into " in err
