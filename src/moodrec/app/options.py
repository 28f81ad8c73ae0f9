"""Command-line options that every command running the project's pipelines shares."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """``--env`` (the Kedro environment) and ``--project-dir`` (the project)."""
    parser.add_argument("--env", default=None, help="Kedro environment (default: local)")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="the moodrec project (default: found from the current folder)")


def add_person_options(parser: argparse.ArgumentParser) -> None:
    """``--person`` (whose history adapts and keeps the readings), ``--no-adapt``, ``--history``."""
    parser.add_argument("--person", default=None, metavar="NAME",
                        help="read as this person: adapted to their earlier readings, and kept "
                        "in their history (without it nothing is kept)")
    parser.add_argument("--no-adapt", action="store_true",
                        help="with --person: keep the readings but do not adapt them")
    parser.add_argument("--history", type=Path, default=None, metavar="DB",
                        help="the history file (default: conf's person.history)")
