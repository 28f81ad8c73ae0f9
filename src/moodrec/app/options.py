"""Command-line options that every command running the project's pipelines shares."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """``--env`` (the Kedro environment) and ``--project-dir`` (the project)."""
    parser.add_argument("--env", default=None, help="Kedro environment (default: local)")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="the moodrec project (default: found from the current folder)")
