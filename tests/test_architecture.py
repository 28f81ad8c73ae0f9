"""The house stays clean: import contracts, no repeated blocks, every import declared.

Each check is a well-kept tool configured in pyproject.toml; the test fails with the tool's own
report, which names the module, line or package to fix.
"""

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

BIN = Path(sys.executable).parent


def run_tool(*command: str) -> subprocess.CompletedProcess:
    """``command`` run in the project root, the tool taken from this interpreter's environment."""
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False)


def test_import_contracts_are_kept():
    """The core imports neither Kedro nor I/O, pipelines meet only through the catalog, layers
    point one way and siblings have no cycles (``[tool.importlinter]``)."""
    result = run_tool("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_block_of_six_lines_is_repeated_in_src():
    """pylint's duplicate-code check over every source file, named one by one: pylint would
    skip a folder without ``__init__.py`` if given the package."""
    files = sorted(str(path.relative_to(PROJECT_ROOT))
                   for path in (PROJECT_ROOT / "src" / "moodrec").rglob("*.py"))
    result = run_tool("pylint", "--disable=all", "--enable=duplicate-code",
                      "--min-similarity-lines=6", "--persistent=n", "--score=n", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_import_is_a_declared_dependency():
    """deptry: no import of an undeclared (or only transitive) package, no declared runtime
    dependency left unused (``[tool.deptry]``; the dev extras may serve tests only)."""
    result = run_tool("deptry", "--no-ansi", "src", "tests", "benchmarks", "notebooks")
    assert result.returncode == 0, result.stdout + result.stderr
