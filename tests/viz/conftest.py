"""Fixtures of the kedro-viz browser test: the static site, a local server, headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_REAL_DATA
from tests.local_http import serve_folder

# Flags for Chromium on a machine with a closed network, as root, without a screen.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS: list[Path] = []


def _missing(message: str) -> None:
    """Skip with the reason; in CI (``MOODREC_REQUIRE_REAL_DATA=1``) fail instead."""
    if REQUIRE_REAL_DATA:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium (``apt-get install chromium``; `.ci/run` installs it)."""
    path = os.environ.get("MOODREC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        _missing(
            f"Chromium not found at {path}: `apt-get install chromium` or set MOODREC_CHROMIUM"
        )
    return path


@pytest.fixture(scope="session")
def viz_site(project_root: Path) -> Path:
    """`kedro viz build`: the static kedro-viz site of the project, in ``build/``."""
    site = project_root / "build"
    for stale in ("api", "index.html"):
        target = site / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kedro", "viz", "build"],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (site / "index.html").is_file() and (site / "api" / "main").is_file(), output
    return site


@pytest.fixture(scope="session")
def viz_url(viz_site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 (a free port) for the duration of the tests."""
    with serve_folder(viz_site) as url:
        yield f"{url}/"


@pytest.fixture(scope="session")
def browser(chromium_executable: str, tmp_path_factory: pytest.TempPathFactory):
    """Headless Chromium driven by Playwright, with a fresh profile."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium_executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def screenshot_dir(project_root: Path) -> Path:
    """Screenshots go under ``build/`` (git-ignored); their paths are printed at the end."""
    path = project_root / "build" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS:
        terminalreporter.section("kedro-viz screenshots")
        for path in SCREENSHOTS:
            terminalreporter.write_line(str(path))
