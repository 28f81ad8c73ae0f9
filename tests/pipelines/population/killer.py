"""A Dask worker plugin that kills its worker process (SIGKILL: no clean-up, as the kernel's
out-of-memory killer or a lost machine would) when it starts its ``nth`` task; once per test
(a marker file), so the worker the nanny restarts in its place is left alone."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin


class KillOnce(WorkerPlugin):
    def __init__(self, marker: Path, nth: int) -> None:
        self.marker, self.nth, self.started = Path(marker), nth, 0

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing":
            return
        self.started += 1
        if self.started == self.nth and not self.marker.exists():
            self.marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
