"""The ``moodrec`` command line (also ``python -m moodrec``).

Each command lives in its own module with a ``register(subparsers)`` function that adds its
subparser and sets ``handler`` (a function ``(argparse.Namespace) -> int`` exit status) with
``set_defaults``. To add a command, write such a module and list it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import copy
import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click


def short_errors(callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` (``kedro run``'s) with the project's own errors reported in a few lines
    (:func:`moodrec.run.errors.short_message`), exit status 1, the full traceback kept in
    ``logs/kedro_run_error.log``; any other error is raised as it is."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        from moodrec.run.errors import short_message, write_traceback
        from moodrec.run.project import project_root

        try:
            return callback(*args, **kwargs)
        except Exception as err:
            message = short_message(err)
            if message is None:
                raise
            log = write_traceback(err, project_root() or Path.cwd())
            click.echo(f"kedro run: error: {message}\nhint: fix the file or parameter named "
                       f"above and run again; the full traceback is in {log}", err=True)
            sys.exit(1)

    return run


def comma_hint(option: click.Parameter) -> click.Parameter:
    """Kedro's ``--params`` option, saying why an item without ``=`` came about: Kedro splits
    at every ``,``, so ``face_image=a:b,c.jpg`` gives an item ``c.jpg``."""
    parse = option.callback

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        try:
            return parse(ctx, param, value)
        except click.UsageError as err:
            if "must contain a key and a value" not in err.message:
                raise
            raise click.UsageError(
                f"{err.message} Kedro splits --params at every ',': a value holding a ',' (a "
                "file name such as b,c.jpg) cannot be given this way; rename the file, or use "
                "`moodrec recommend --face FILE`", ctx) from None

    hinted = copy.copy(option)
    hinted.callback = callback
    return hinted


class _KedroCommands(click.Group):
    """The project's ``kedro`` commands: ``run``, Kedro's own with :func:`short_errors` and
    :func:`comma_hint`.
    Built when asked for, so that ``moodrec`` does not import Kedro's command line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["run"]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name != "run":
            return None
        from kedro.framework.cli.project import run as kedro_run

        params = [comma_hint(p) if p.name == "params" else p for p in kedro_run.params]
        return click.Command("run", params=params, help=kedro_run.help,
                             short_help=kedro_run.short_help,
                             callback=short_errors(kedro_run.callback))


#: Kedro imports ``<package>.cli`` and requires a click group named ``cli`` there (the project's
#: own ``kedro`` commands); moodrec's ``run`` is Kedro's with short messages for its errors.
cli = _KedroCommands(name="moodrec", help="kedro run, with short messages for moodrec's errors.")

#: Modules that each define ``register(subparsers)``, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ("moodrec.fetch.command", "moodrec.app.recommend_command",
                              "moodrec.app.read_command", "moodrec.app.person_command",
                              "moodrec.app.calibrate_command",
                              "moodrec.page.command",
                              "moodrec.report.command")


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
