"""The Kedro project as a whole: pipelines registered, telemetry off, settings load."""

from pathlib import Path

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
