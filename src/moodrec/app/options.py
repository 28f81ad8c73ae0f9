"""Command-line options that the commands running the project's pipelines share."""

from __future__ import annotations

import functools
from pathlib import Path

import click

PATH = click.Path(path_type=Path)

#: ``--env`` (the Kedro environment) and ``--project-dir`` (the project).
project_options = (
    click.option("--env", default=None, help="Kedro environment (default: local)"),
    click.option("--project-dir", type=PATH, default=None,
                 help="the moodrec project (default: found from the current folder)"),
)
#: ``--history`` (the person history file).
history_option = click.option("--history", type=PATH, default=None, metavar="DB",
                              help="the history file (default: conf's person.history)")
#: ``--person`` (whose history adapts and keeps the readings), ``--no-adapt``, ``--history``.
person_options = (
    click.option("--person", default=None, metavar="NAME",
                 help="read as this person: adapted to their earlier readings, and kept in "
                 "their history (without it nothing is kept)"),
    click.option("--no-adapt", is_flag=True,
                 help="with --person: keep the readings but do not adapt them"),
    history_option,
)


def with_options(*options):
    """A decorator applying ``options`` (click options or tuples of them) in the order given."""
    flat = [o for group in options for o in (group if isinstance(group, tuple) else (group,))]
    return lambda command: functools.reduce(lambda c, option: option(c), reversed(flat), command)
