"""Serve a folder over HTTP on 127.0.0.1 (a free port) for the length of a ``with`` block."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request (pytest's output stays readable)."""

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@contextmanager
def serve_folder(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler
                 ) -> Iterator[str]:
    """Yields the base URL ``http://127.0.0.1:PORT``; the server stops when the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
