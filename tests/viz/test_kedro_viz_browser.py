"""kedro-viz, as a user sees it: the `kedro viz build` site rendered by headless Chromium.

For each registered pipeline the flowchart is opened with every modular pipeline expanded,
a screenshot is saved under ``build/screenshots/`` and the node labels in the page's SVG are
compared with the pipeline's own nodes (names as Kedro registers them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kedro.framework.startup import bootstrap_project
from kedro.pipeline import Pipeline

from tests.run.test_project import EXPECTED
from tests.viz.conftest import SCREENSHOTS

# kedro-viz state kept in localStorage: raw names (not "prettified"), no hint pop-ups.
VIZ_SETTINGS = '{"isPrettyName": false, "showFeatureHints": false}'
LOAD_TIMEOUT_MS = 60_000


def _label(node) -> str:
    """A task node's label in kedro-viz: its name without the namespace prefix."""
    name = node.name
    if node.namespace and name.startswith(node.namespace + "."):
        name = name[len(node.namespace) + 1 :]
    return name


@pytest.fixture(scope="module")
def registered_pipelines(project_root: Path) -> dict[str, Pipeline]:
    bootstrap_project(project_root)
    from kedro.framework.project import pipelines

    return dict(pipelines)


def _render(browser, url: str, pipeline_id: str):
    page = browser.new_page()
    page.add_init_script(f"localStorage.setItem('KedroViz', JSON.stringify({VIZ_SETTINGS}))")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}?pid={pipeline_id}&expandAllPipelines=true")
    page.wait_for_selector(".pipeline-node--task", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # the layout animates into place
    return page, errors


def _rendered_nodes(page) -> dict[str, set[str]]:
    labels = page.locator(".pipeline-node").evaluate_all(
        "els => els.map(e => [e.getAttribute('class'), e.textContent.trim()])"
    )
    found: dict[str, set[str]] = {"task": set(), "data": set()}
    for classes, text in labels:
        for kind in found:
            if f"pipeline-node--{kind}" in classes.split():
                found[kind].add(text)
    return found


@pytest.mark.parametrize("pipeline_id", sorted(EXPECTED) + ["__default__"])
def test_kedro_viz_renders_every_node(
    pipeline_id, registered_pipelines, viz_url, browser, screenshot_dir
):
    pipeline = registered_pipelines[pipeline_id]
    expected_tasks = {_label(node) for node in pipeline.nodes}
    assert expected_tasks, f"pipeline {pipeline_id} has no nodes to show"

    page, errors = _render(browser, viz_url, pipeline_id)
    try:
        shot = screenshot_dir / f"kedro-viz-{pipeline_id.strip('_')}.png"
        page.screenshot(path=str(shot), full_page=True)
        SCREENSHOTS.append(shot)
        rendered = _rendered_nodes(page)
        active = page.locator(".pipeline-list__option--active")
        title = active.first.text_content() if active.count() else ""
    finally:
        page.close()

    assert not errors, f"JavaScript errors in kedro-viz: {errors}"
    missing = expected_tasks - rendered["task"]
    assert not missing, f"{pipeline_id}: nodes not drawn by kedro-viz: {sorted(missing)}"
    assert rendered["task"] <= expected_tasks, (
        f"{pipeline_id}: kedro-viz drew nodes of another pipeline: "
        f"{sorted(rendered['task'] - expected_tasks)}"
    )
    assert rendered["data"], f"{pipeline_id}: no datasets drawn"
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    assert title.strip() == pipeline_id, f"pipeline selector shows {title!r}, not {pipeline_id}"
