"""``moodrec serve``: the person page, a local Streamlit app (``docs/person_page.md``).

The command finds the project, then becomes ``streamlit run`` of :mod:`moodrec.page.app` in the
project folder, with the settings that keep the page local and offline
(:data:`STREAMLIT_SETTINGS`, :data:`ENVIRONMENT`). It listens on 127.0.0.1; another address
only with ``--allow-remote`` and a token in ``MOODREC_PAGE_TOKEN``, which every browser must
then give before the page shows anything (a token set is asked for on 127.0.0.1 too).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

import click

from moodrec.app.options import project_options, with_options

#: The environment variable holding the page's token (the page's process inherits it).
TOKEN_ENV = "MOODREC_PAGE_TOKEN"

#: The Streamlit script of the page (run by Streamlit, never imported).
APP = Path(__file__).with_name("app.py")
#: Streamlit settings the page always runs with (command-line flags outrank any config file).
STREAMLIT_SETTINGS: dict[str, str] = {
    "browser.gatherUsageStats": "false",  # no usage statistics sent anywhere
    "server.headless": "true",            # open no browser, ask for no e-mail address
    "server.fileWatcherType": "none",     # a person's page does not reload on source edits
    "server.showEmailPrompt": "false",
    "global.developmentMode": "false",
    "client.toolbarMode": "minimal",      # no deploy / cloud menu entries
    "client.showErrorLinks": "false",     # no links to outside help in error displays
}
#: Environment of the page's process: Kedro's telemetry off, TensorFlow's start-up lines quiet,
#: and any HTTP request a library would make sent to a closed port of this machine (the
#: discard port, where nothing listens), so nothing leaves it even where a setting is missed.
CLOSED = "http://127.0.0.1:9"
ENVIRONMENT: dict[str, str] = {"KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1",
                               "TF_CPP_MIN_LOG_LEVEL": "2", "HTTP_PROXY": CLOSED,
                               "HTTPS_PROXY": CLOSED, "ALL_PROXY": CLOSED, "http_proxy": CLOSED,
                               "https_proxy": CLOSED, "all_proxy": CLOSED, "NO_PROXY": "",
                               "no_proxy": ""}
#: The shortest token the page accepts (a guess must not be easy).
MIN_TOKEN_LENGTH = 16


def is_local(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (``localhost``, a loopback IP)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: not looked up (no network), so not known to be local
        return False


def access_problem(host: str, allow_remote: bool, token: str | None) -> str | None:
    """Why the page may not start listening on ``host`` (``None``: it may)."""
    if not is_local(host) and not allow_remote:
        return (f"--host {host} would let other machines reach the page (and its histories); "
                f"add --allow-remote, with a token in {TOKEN_ENV}, to mean it")
    if (token is not None or not is_local(host)) and len(token or "") < MIN_TOKEN_LENGTH:
        return (f"{TOKEN_ENV} must hold a token of at least {MIN_TOKEN_LENGTH} characters "
                f"when the page listens beyond this machine or has a token (e.g. export "
                f"{TOKEN_ENV}=$(python -c 'import secrets; print(secrets.token_urlsafe())'))")
    return None


def streamlit_command(project: Path, *, host: str, port: int, env: str | None,
                      require_token: bool) -> list[str]:
    """The ``python -m streamlit run`` command line of the page for ``project``."""
    # An address given by hand: Streamlit prints it instead of looking up this machine's
    # outside address (checkip.amazonaws.com) and its network one.
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    settings = {**STREAMLIT_SETTINGS, "server.address": host, "server.port": str(port),
                "browser.serverAddress": shown}
    script_args = (["--project-dir", str(project)] + (["--env", env] if env else [])
                   + (["--require-token"] if require_token else []))
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            *(f"--{name}={value}" for name, value in settings.items()), "--", *script_args]


@click.command(
    short_help="start the person page: camera and microphone in, music and reasons out",
    help="Start a local web page (Streamlit) that reads your mood from a photo and/or a voice "
    "recording and recommends soundtrack excerpts, with a mood history kept on this machine. "
    "Works offline; stop it with Ctrl-C.")
@with_options(
    click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
                 help="port to listen on"),
    click.option("--host", default="127.0.0.1",
                 help="address to listen on (127.0.0.1: this machine only; any other needs "
                 "--allow-remote)"),
    click.option("--allow-remote", is_flag=True,
                 help=f"let --host be reachable from other machines; every browser must then "
                 f"give the token in {TOKEN_ENV} (at least {MIN_TOKEN_LENGTH} characters)"),
    project_options,
)
def serve(port: int, host: str, allow_remote: bool, env: str | None,
          project_dir: Path | None) -> None:
    from moodrec.run.project import find_project

    token = os.environ.get(TOKEN_ENV)
    problem = access_problem(host, allow_remote, token)
    if problem:
        raise click.UsageError(problem)
    project = find_project(project_dir)
    command = streamlit_command(project, host=host, port=port, env=env,
                                require_token=token is not None)
    guarded = " (token required)" if token is not None else ""
    print(f"moodrec serve: the person page of {project} at http://{host}:{port}"
          f"{guarded} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    os.chdir(project)  # the catalog's relative paths are the project's
    # The process becomes Streamlit's (so Ctrl-C and a stop signal reach it directly).
    os.execve(sys.executable, command, {**os.environ, **ENVIRONMENT})
