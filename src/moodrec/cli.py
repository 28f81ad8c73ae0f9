"""The ``moodrec`` command line (also ``python -m moodrec``), and the project's ``kedro`` commands.

``moodrec`` is a click group whose commands are imported when asked for (:data:`COMMANDS`), so
that a command loads only its own modules. A command returns its exit status; an error it
raises gets the status of its type (:func:`moodrec.app.exits.exit_status`, the one place
statuses come from) and is printed as ``moodrec COMMAND: message``.
"""

from __future__ import annotations

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

#: ``moodrec``'s commands, in the order ``--help`` lists them: name -> ``module:click command``.
COMMANDS: dict[str, str] = {
    "fetch-data": "moodrec.fetch.command:fetch_command",
    "recommend": "moodrec.app.recommend_command:recommend",
    "read": "moodrec.app.read_command:read",
    "person": "moodrec.app.person_command:person",
    "calibrate": "moodrec.app.calibrate_command:calibrate",
    "serve": "moodrec.page.command:serve",
    "report": "moodrec.report.command:report",
}


class _Commands(click.Group):
    """:data:`COMMANDS`, each imported when asked for; errors by :func:`moodrec.app.exits.fail`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module, _, name = COMMANDS.get(name, ":").partition(":")
        return getattr(importlib.import_module(module), name) if module else None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit):  # --help, a usage error
            raise
        except Exception as err:  # one of no known type: raised by ``fail``
            from moodrec.app.exits import fail

            return fail(f"moodrec {ctx.invoked_subcommand}", err)


moodrec = _Commands(
    name="moodrec", help="moodrec: music recommendation from facial and vocal emotion. "
    "Pipelines run with `kedro run`; this tool does the jobs around them.")


def run(argv: Sequence[str] | None = None) -> int:
    """Run the ``moodrec`` command ``argv``; returns its exit status (2: wrong usage)."""
    try:
        return int(moodrec.main(argv, prog_name="moodrec", standalone_mode=False) or 0)
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:  # Ctrl-C (or the end of the input)
        click.echo("Aborted!", err=True)
        return 130


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``moodrec`` console script."""
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
