"""The code base passes the project's linter (ruff, configured in pyproject.toml)."""

import shutil
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(PROJECT_ROOT / ".venv" / "bin" / "ruff")
    result = subprocess.run([ruff, "check", "src", "tests", "benchmarks"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
