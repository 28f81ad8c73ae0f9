"""The page's one door to the person path: the ``person`` pipeline held warm in the page's
process (:class:`moodrec.app.service.PersonService`, what ``kedro run --pipelines person`` and
``moodrec recommend`` run), so the page has no second implementation of anything.

The page shows the dict the service returns (the one ``moodrec recommend --json`` prints);
the service adapts a named person's readings to their history and keeps the answer there, in
the one history file of every path (``person.history``).
Streamlit serves each browser session from its own thread, and the service answers one
request at a time, so :class:`SharedService` lets one request through at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from moodrec.app.service import PersonService
from moodrec.person.history import History


class SharedService:
    """A started :class:`PersonService`, shared by the page's sessions."""

    def __init__(self, service: PersonService):
        self._service = service
        self._lock = threading.Lock()

    @property
    def project(self) -> Path:
        return self._service.project

    @property
    def params(self) -> dict[str, Any]:
        """The project's parameters as the service loaded them."""
        return self._service.params

    @property
    def history(self) -> History:
        """Every person's history (``person.history``), the one the service adapts to."""
        return self._service.history

    def answer(self, photos: Sequence[str | Path], clips: Sequence[str | Path], goal: str,
               top_k: int, person: str | None,
               media: Sequence[tuple[str, str, bytes]] = ()) -> dict[str, Any]:
        """The answer for ``person`` (kept in their history, its ``mood_id`` in the answer;
        ``None``: kept nowhere), with ``media`` (kind, name, bytes) kept beside it; raises
        :mod:`moodrec.person.errors`' errors, with the messages ``moodrec recommend`` prints,
        and :class:`~moodrec.person.history.HistoryError`."""
        with self._lock:
            return self._service.answer(photos, clips, goal=goal, top_k=top_k, person=person,
                                        media=media)

    def catalogue(self) -> pd.DataFrame:
        """The excerpts the answer ranks, with ``valence`` and ``arousal`` columns."""
        with self._lock:
            return self._service.catalogue()


def start_service(project: Path | None, env: str | None) -> SharedService:
    """Load the project's configuration, catalogue and models once (the page's start)."""
    return SharedService(PersonService.start(project, env))
