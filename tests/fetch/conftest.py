"""A local HTTP server on 127.0.0.1 that plays the publishers, and tiny files in their formats.

Besides plain files the server serves ``/truncated/<name>``: the headers announce the whole
file, the body stops halfway and the connection closes, like a download broken off.
"""

from __future__ import annotations

import hashlib
import io
import wave
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from moodrec.core.emotions import FER2013_CODES
from moodrec.fetch.sources import load_sources
from tests.local_http import QuietHandler, serve_folder

USAGES = ("Training", "PublicTest", "PrivateTest")


class _Handler(QuietHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        if not self.path.startswith("/truncated/"):
            return super().do_GET()
        path = Path(self.directory) / self.path.removeprefix("/truncated/")
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True


def fer2013_frame(per_code: int = 2) -> pd.DataFrame:
    """The original 7-class layout ``emotion,pixels,Usage``, ``per_code`` rows per code."""
    rng = np.random.default_rng(0)
    codes = [code for code in FER2013_CODES for _ in range(per_code)]
    return pd.DataFrame({"emotion": codes,
                         "pixels": [" ".join(map(str, rng.integers(0, 256, 2304))) for _ in codes],
                         "Usage": [USAGES[i % 3] for i in range(len(codes))]})


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(np.zeros(32, np.int16).tobytes())
    return buffer.getvalue()


def speech_zip(path: Path) -> list[str]:
    """A Zenodo-like zip: ``Actor_NN/03-01-...wav`` plus a song file and a readme to skip."""
    names = [f"Actor_{a:02d}/03-01-0{e}-01-01-01-{a:02d}.wav" for a in (1, 2) for e in (1, 5)]
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            zf.writestr(name, wav_bytes())
        zf.writestr("Actor_01/03-02-01-01-01-01-01.wav", wav_bytes())
        zf.writestr("readme.txt", "not audio")
    return names


def leftovers(folder: Path) -> list[Path]:
    """What a fetch must never leave behind."""
    return [p for p in folder.rglob(".*") if p.name.endswith((".part", ".old"))
            or p.name == ".downloads"]


@pytest.fixture
def http_root(tmp_path: Path) -> Path:
    root = tmp_path / "publisher"
    root.mkdir()
    return root


@pytest.fixture
def http_server(http_root: Path):
    """Base URL (``http://127.0.0.1:PORT``) of a server for ``http_root``."""
    with serve_folder(http_root, _Handler) as url:
        yield url


@pytest.fixture
def publisher(http_root: Path, http_server: str, project_root: Path) -> SimpleNamespace:
    """Tiny files of four items on the server, and sources for them: the project's own
    entries (names, patterns) with the server's URLs and the tiny files' counts and hashes."""
    pd.DataFrame({"Mood": ["a", "b", "c"], "Valence": [1, 2, 3], "Arousal": [3, 2, 1]}).to_csv(
        http_root / "map.csv", index=False)
    (http_root / "songs.json").write_text('[{"id": 1}, {"id": 2}]', encoding="utf-8")
    fer2013_frame().to_csv(http_root / "fer2013.csv", index=False)
    speech = speech_zip(http_root / "speech.zip")
    project = load_sources([project_root / "conf/base/data_sources.yml"])

    def item(group: str, name: str, file: str, **fields):
        return {name: project[group][name].model_copy(update={"url": f"{http_server}/{file}",
                                                              **fields})}

    sources = {
        "faces": item("faces", "face_data", "fer2013.csv",  # 7 codes x 2 rows, disgust's 2 out
                      splits={"Training": 4, "PublicTest": 5, "PrivateTest": 3}),
        "voices": item("voices", "ravdess", "speech.zip", count=4),
        "study": item("study", "map", "map.csv", count=3, sha256=hashlib.sha256(
            (http_root / "map.csv").read_bytes()).hexdigest()),
        "music": item("music", "pmemo_static", "songs.json", count=2, sha256=None),
    }
    return SimpleNamespace(url=http_server, root=http_root, sources=sources, speech=speech)
