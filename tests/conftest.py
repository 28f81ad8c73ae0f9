"""Shared test fixtures: where the real data sets are, and a skip that says why.

With ``MOODREC_REQUIRE_REAL_DATA=1`` (set by ``.ci/run``) a missing data set fails the test
instead of skipping it, and any skipped test fails the session, so CI cannot go green on
checks that did not run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("MOODREC_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
REQUIRE_REAL_DATA = os.environ.get("MOODREC_REQUIRE_REAL_DATA") == "1"

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets (``../shared/data``); the test is skipped, visibly, without them."""
    if not (SHARED_DATA / "README.md").is_file():
        message = f"real data not found at {SHARED_DATA} (set MOODREC_SHARED_DATA)"
        if REQUIRE_REAL_DATA:
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI, a skipped test is a failed check."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if REQUIRE_REAL_DATA and skipped and exitstatus == 0:
        reporter.write_line(f"MOODREC_REQUIRE_REAL_DATA=1 and {skipped} test(s) skipped: failing")
        session.exitstatus = 1
