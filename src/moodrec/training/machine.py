"""What machine measured a number: the CPU model and core count, for benchmarks and cards."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), or what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def describe(gpus: int = 0) -> str:
    """``"CPU only (2 cores, AMD EPYC)"`` or ``"1 GPU(s)"``."""
    return f"{gpus} GPU(s)" if gpus else f"CPU only ({os.cpu_count()} cores, {cpu_model()})"
