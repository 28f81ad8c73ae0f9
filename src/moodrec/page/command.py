"""``moodrec serve``: the person page, a local Streamlit app (``docs/person_page.md``).

The command finds the project, then becomes ``streamlit run`` of :mod:`moodrec.page.app` in the
project folder, with the settings that keep the page local and offline
(:data:`STREAMLIT_SETTINGS`). It listens on 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from moodrec.app.options import add_project_options

#: The Streamlit script of the page (run by Streamlit, never imported).
APP = Path(__file__).with_name("app.py")
#: Streamlit settings the page always runs with (command-line flags outrank any config file).
STREAMLIT_SETTINGS: dict[str, str] = {
    "browser.gatherUsageStats": "false",  # no usage statistics sent anywhere
    "server.headless": "true",            # open no browser, ask for no e-mail address
    "server.fileWatcherType": "none",     # a person's page does not reload on source edits
    "global.developmentMode": "false",
    "client.toolbarMode": "minimal",      # no deploy / cloud menu entries
}
#: Environment of the page's process: Kedro's telemetry off, TensorFlow's start-up lines quiet.
ENVIRONMENT: dict[str, str] = {"KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1",
                               "TF_CPP_MIN_LOG_LEVEL": "2"}


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 1 to 65535; got {port}")
    return port


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="start the person page: camera and microphone in, music and reasons out",
        description="Start a local web page (Streamlit) that reads your mood from a photo and/or "
        "a voice recording and recommends soundtrack excerpts, with a mood history kept on this "
        "machine. Works offline; stop it with Ctrl-C.")
    parser.add_argument("--port", type=_port, default=8501, help="port to listen on (8501)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (127.0.0.1: this machine only)")
    add_project_options(parser)
    parser.set_defaults(handler=handle)


def streamlit_command(project: Path, *, host: str, port: int, env: str | None) -> list[str]:
    """The ``python -m streamlit run`` command line of the page for ``project``."""
    settings = {**STREAMLIT_SETTINGS, "server.address": host, "server.port": str(port)}
    script_args = ["--project-dir", str(project)] + (["--env", env] if env else [])
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            *(f"--{name}={value}" for name, value in settings.items()), "--", *script_args]


def handle(args: argparse.Namespace) -> int:
    from moodrec.run.project import ProjectNotFoundError, find_project

    try:
        project = find_project(args.project_dir)
    except ProjectNotFoundError as err:
        print(f"moodrec serve: {err}", file=sys.stderr)
        return 2
    command = streamlit_command(project, host=args.host, port=args.port, env=args.env)
    print(f"moodrec serve: the person page of {project} at http://{args.host}:{args.port} "
          "(Ctrl-C stops it)", file=sys.stderr, flush=True)
    os.chdir(project)  # the catalog's relative paths are the project's
    # The process becomes Streamlit's (so Ctrl-C and a stop signal reach it directly).
    os.execve(sys.executable, command, {**os.environ, **ENVIRONMENT})
