"""The notebooks and `kedro jupyter`: what a user opens must work.

- `kedro jupyter setup` makes the project's kernel; a notebook on it has `catalog`, `context`,
  `pipelines` and `session` defined without any set-up cell.
- Every notebook in `notebooks/` is stored without outputs, reads data only through the
  catalog, and runs top to bottom on the `smoke` configuration (after the smoke runs of the
  pipelines it reads). Executed copies are written to `build/notebooks/` for a look.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import PROJECT_ROOT
from tests.run.test_project import EXPECTED

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
# The pipelines whose (smoke) outputs each notebook reads.
NEEDS = {
    "01_faces.ipynb": ["face_training"],
    "02_voices.ipynb": ["audio_training"],
    "03_music.ipynb": ["va_mapping", "recommendation"],
}
CELL_TIMEOUT_S = 300
# A path written in a notebook instead of a catalog entry: data/..., models/..., *.csv, *.keras ...
HARD_CODED_PATH = re.compile(
    r"""["'][^"'\n]*(data/|models/|\.csv|\.json|\.keras|\.flac|\.wav|\.png)[^"'\n]*["']"""
)


def _kedro(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kedro", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=1200,
    )


def _execute(nb: nbformat.NotebookNode, kernel_name: str, extra_env: dict[str, str]):
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    saved = {key: os.environ.get(key) for key in extra_env}
    os.environ.update(extra_env)  # the kernel inherits the environment
    try:
        return client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_there_are_three_notebooks():
    assert [path.name for path in NOTEBOOKS] == sorted(NEEDS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_stored_clean(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert not cell.outputs, f"{path.name} cell {index}: stored with outputs"
        assert cell.execution_count is None, f"{path.name} cell {index}: stored with a count"
        found = HARD_CODED_PATH.search(cell.source)
        assert not found, f"{path.name} cell {index}: hard-coded path {found.group(0)}; use catalog"
    first_code = next(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "%load_ext kedro.ipython" in first_code, f"{path.name}: first cell must load kedro"


@pytest.fixture(scope="session")
def kedro_kernel(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`kedro jupyter setup` into a private Jupyter data directory (not the user's)."""
    data_dir = tmp_path_factory.mktemp("jupyter-data")
    env = {"JUPYTER_DATA_DIR": str(data_dir), "JUPYTER_PATH": str(data_dir)}
    result = _kedro("jupyter", "setup", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    spec = json.loads((data_dir / "kernels" / "kedro_moodrec" / "kernel.json").read_text())
    assert spec["argv"][-2:] == ["--ext", "kedro.ipython"], spec
    return env


@pytest.mark.slow
def test_kedro_jupyter_kernel_defines_the_project(kedro_kernel: dict[str, str]):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import json\n"
            "from kedro.framework.context import KedroContext\n"
            "from kedro.framework.session import KedroSession\n"
            "from kedro.io import DataCatalog\n"
            "print(json.dumps({'catalog': isinstance(catalog, DataCatalog),\n"
            "                  'context': isinstance(context, KedroContext),\n"
            "                  'session': isinstance(session, KedroSession),\n"
            "                  'pipelines': sorted(pipelines),\n"
            "                  'datasets': sorted(catalog.keys())}))"
        )
    ]
    executed = _execute(nb, "kedro_moodrec", kedro_kernel)
    text = "".join(out.get("text", "") for out in executed.cells[0].outputs)
    found = json.loads(text.strip().splitlines()[-1])
    assert found["catalog"] and found["context"] and found["session"], found
    assert EXPECTED <= set(found["pipelines"])
    assert "face_data" in found["datasets"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_kedro_jupyter_notebook_serves_the_project_kernel(tmp_path: Path):
    """`kedro jupyter notebook` starts a Jupyter server whose default kernel is the project's."""
    port, token = _free_port(), "moodrec-test"
    private = {
        f"JUPYTER_{kind}_DIR": str(tmp_path / kind) for kind in ("DATA", "CONFIG", "RUNTIME")
    }
    env = {**os.environ, **private, "JUPYTER_PATH": private["JUPYTER_DATA_DIR"]}
    env.update(KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1")
    command = [sys.executable, "-m", "kedro", "jupyter", "notebook", "--no-browser"]
    command += [f"--port={port}", f"--IdentityProvider.token={token}", "--ip=127.0.0.1"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyter.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # its own process group: kedro starts jupyter as a child
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}/api/kernelspecs?token={token}"
        specs, deadline = None, time.monotonic() + 120
        while specs is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    specs = json.load(response)
            except OSError:
                time.sleep(1)
        assert specs is not None, f"no Jupyter server on port {port}:\n{log.read_text()[-3000:]}"
        assert specs["default"] == "kedro_moodrec", specs
        argv = specs["kernelspecs"]["kedro_moodrec"]["spec"]["argv"]
        assert argv[-2:] == ["--ext", "kedro.ipython"], argv
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def smoke_runs() -> dict[str, str]:
    """Runs, once per session, the smoke configuration of each pipeline a notebook reads."""
    done: dict[str, str] = {}
    for pipelines in NEEDS.values():
        for name in pipelines:
            if name in done:
                continue
            result = _kedro("run", "--env", "smoke", "--pipelines", name)
            assert result.returncode == 0, f"smoke run of {name} failed:\n{result.stderr[-4000:]}"
            done[name] = result.stderr
    return done


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom(path: Path, smoke_runs, shared_data):
    nb = nbformat.read(path, as_version=4)
    try:
        executed = _execute(nb, "python3", {"KEDRO_ENV": "smoke"})
    finally:
        out_dir = PROJECT_ROOT / "build" / "notebooks"
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / path.name)  # executed in place, errors included
    errors = [
        output
        for cell in executed.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert not errors, errors
