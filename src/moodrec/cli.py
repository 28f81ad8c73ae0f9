"""The ``moodrec`` command line (also ``python -m moodrec``).

Each command lives in its own module with a ``register(subparsers)`` function that adds its
subparser and sets ``handler`` (a function ``(argparse.Namespace) -> int`` exit status) with
``set_defaults``. To add a command, write such a module and list it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

import click

#: Kedro imports ``<package>.cli`` and requires a click group named ``cli`` there (the project's
#: own ``kedro`` commands); without it every ``kedro`` command fails. moodrec adds none to kedro.
cli = click.Group(name="moodrec", help="moodrec adds no kedro commands; see `moodrec --help`.")

#: Modules that each define ``register(subparsers)``, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ("moodrec.fetch.command", "moodrec.person.command",
                              "moodrec.person.calibrate", "moodrec.report")


def build_parser() -> argparse.ArgumentParser:
    """The ``moodrec`` parser with every command of :data:`COMMANDS` registered."""
    parser = argparse.ArgumentParser(
        prog="moodrec",
        description="moodrec: music recommendation from facial and vocal emotion. "
        "Pipelines run with `kedro run`; this tool does the jobs around them.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        importlib.import_module(module).register(subparsers)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns its exit status."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``moodrec`` console script."""
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
