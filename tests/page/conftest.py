"""Fixtures of the page's browser tests: `moodrec serve` on a copy of the project (every
connection its process makes recorded: ``connections/sitecustomize.py``), the same behind a
token, Debian's Chromium (the kedro-viz test's set-up), a real face photo and a real voice
clip."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest

from tests.person.conftest import copy_project, paste_on_canvas
from tests.viz.conftest import CHROMIUM_ARGS, chromium_executable  # noqa: F401 - a fixture

#: Where CI keeps the page's screenshots (git-ignored; `.ci/run` prints the folder).
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "ci-artifacts"
#: Chromium's stand-in camera and microphone (no device, no permission prompt).
FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
START_TIMEOUT_S = 60
#: The folder whose ``sitecustomize`` records the server's connections.
RECORDER = Path(__file__).with_name("connections")
#: The token of the guarded page (a test's own; 16+ characters as `moodrec serve` wants).
TOKEN = "test-token-4d1f0c9a7e"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    """Until Streamlit's health check answers ``ok``; fails with the server's log if it
    exits or takes more than :data:`START_TIMEOUT_S`."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"moodrec serve exited ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"moodrec serve did not answer in {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def page_project(tmp_path_factory, project_root, shared_data) -> Path:
    """A copy of the project (its history and answers stay there) with the shipped models."""
    root = copy_project(tmp_path_factory.mktemp("page-project"), project_root, shared_data)
    (root / "models").symlink_to(project_root / "models", target_is_directory=True)
    music = root / "data" / "01_raw" / "music"  # the song catalogues, read only
    if not music.exists():
        music.symlink_to(shared_data / "music", target_is_directory=True)
    return root


def _serve(project: Path, name: str, *options: str, env: dict[str, str]) -> Iterator[str]:
    """`moodrec serve --port P --project-dir PROJECT OPTIONS`, as a person starts it, with
    ``env`` added (and no token but ``env``'s); yields its URL on 127.0.0.1 and stops it
    afterwards."""
    port = _free_port()
    log = project / f"{name}.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moodrec", "serve", "--port", str(port), "--project-dir",
             str(project), *options],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**{k: v for k, v in os.environ.items() if k != "MOODREC_PAGE_TOKEN"}, **env})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own session: it and nothing else
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def connections_log(page_project: Path) -> Path:
    """Where the page's server records every connection and look-up it makes."""
    return page_project / "connections.jsonl"


def _recorded(log: Path) -> dict[str, str]:
    """The environment that makes a Python process record its connections into ``log``."""
    return {"PYTHONPATH": os.pathsep.join([str(RECORDER), os.environ.get("PYTHONPATH", "")]),
            "MOODREC_CONNECTIONS_LOG": str(log)}


@pytest.fixture(scope="module")
def page_url(page_project: Path, connections_log: Path) -> Iterator[str]:
    """The page on 127.0.0.1, no token (none set), its connections recorded."""
    yield from _serve(page_project, "serve", env=_recorded(connections_log))


@pytest.fixture(scope="module")
def guarded_url(page_project: Path, connections_log: Path) -> Iterator[str]:
    """The page listening on every address (asked for) behind :data:`TOKEN`, its connections
    recorded (where Streamlit would look up the machine's outside address)."""
    yield from _serve(page_project, "serve-guarded", "--host", "0.0.0.0", "--allow-remote",
                      env={**_recorded(connections_log), "MOODREC_PAGE_TOKEN": TOKEN})


@pytest.fixture(scope="module")
def page_browser(chromium_executable: str):  # noqa: F811 - the imported fixture, by name
    """Headless Chromium (the viz test's flags plus a stand-in camera and microphone)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True,
                                             args=CHROMIUM_ARGS + FAKE_MEDIA)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def face_photo(shared_data, tmp_path_factory) -> Path:
    """A 640x480 colour JPEG holding the first FER2013 ``PublicTest`` face that the face
    detector finds once enlarged 4x (a real face the model never trained on)."""
    from moodrec.person.face_detection import detect_faces

    table = pd.read_csv(shared_data / "face-data.csv.gz", usecols=["Usage", "pixels"])
    path = tmp_path_factory.mktemp("page-inputs") / "my face.jpg"
    for pixels in table.loc[table["Usage"] == "PublicTest", "pixels"].head(200):
        picture = paste_on_canvas(np.array(pixels.split(), np.uint8).reshape(48, 48))
        if len(detect_faces(cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY))) == 1:
            cv2.imwrite(str(path), picture, [cv2.IMWRITE_JPEG_QUALITY, 90])
            return path
    pytest.fail("no PublicTest face among the first 200 is found by the detector")


@pytest.fixture(scope="module")
def voice_clip(shared_data, tmp_path_factory) -> Path:
    """A real RAVDESS clip: actor 22 (held out from the voice model's training), happy;
    copied under a short name (the uploader shortens long ones)."""
    clip = shared_data / "ravdess" / "Actor_22" / "03-01-03-02-01-01-22.flac"
    assert clip.is_file(), f"RAVDESS clip missing: {clip}"
    copy = tmp_path_factory.mktemp("page-voice") / "my voice.flac"
    shutil.copyfile(clip, copy)
    return copy
