"""A local HTTP server on 127.0.0.1 that plays the publishers, serving files from a folder.

Besides plain files it serves ``/truncated/<name>``: the headers announce the whole file, the
body stops halfway and the connection closes, like a download broken off by the network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.local_http import QuietHandler, serve_folder


class _Handler(QuietHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        if not self.path.startswith("/truncated/"):
            return super().do_GET()
        path = Path(self.directory) / self.path.removeprefix("/truncated/")
        if not path.is_file():
            return self.send_error(404)
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True


@pytest.fixture
def http_root(tmp_path: Path) -> Path:
    """The folder the server serves."""
    root = tmp_path / "publisher"
    root.mkdir()
    return root


@pytest.fixture
def http_server(http_root: Path):
    """Base URL (``http://127.0.0.1:PORT``) of a server for ``http_root``, on a free port."""
    with serve_folder(http_root, _Handler) as url:
        yield url
