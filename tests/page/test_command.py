"""`moodrec serve`: its options and the Streamlit command line it becomes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from moodrec.cli import run
from moodrec.page.access import plain
from moodrec.page.command import APP, STREAMLIT_SETTINGS, TOKEN_ENV, serve, streamlit_command


def test_serve_listens_on_this_machine_by_default():
    args = serve.make_context("serve", []).params
    assert (args["host"], args["port"], args["env"], args["project_dir"]) == (
        "127.0.0.1", 8501, None, None)
    args = serve.make_context("serve", ["--port", "9000", "--host", "0.0.0.0",
                                        "--allow-remote"]).params
    assert (args["host"], args["port"], args["allow_remote"]) == ("0.0.0.0", 9000, True)


@pytest.mark.parametrize("port", ["http", "70000", "0"])
def test_a_bad_port_is_a_usage_error_naming_it(port, capsys):
    assert run(["serve", "--port", port]) == 2
    err = capsys.readouterr().err
    assert "'--port'" in err and port in err


def test_the_page_runs_offline_without_usage_statistics(tmp_path):
    command = streamlit_command(tmp_path, host="127.0.0.1", port=8600, env="smoke",
                                require_token=False)
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(APP)]
    assert Path(command[4]).is_file()
    flags = command[5:command.index("--")]
    assert "--browser.gatherUsageStats=false" in flags and "--server.headless=true" in flags
    # an address given by hand: Streamlit looks up no outside or network address to print
    assert {"--server.address=127.0.0.1", "--server.port=8600",
            "--browser.serverAddress=127.0.0.1"} <= set(flags)
    assert len(flags) == len(STREAMLIT_SETTINGS) + 3
    assert command[command.index("--") + 1:] == ["--project-dir", str(tmp_path), "--env", "smoke"]
    assert streamlit_command(tmp_path, host="0.0.0.0", port=1, env=None, require_token=True)[
        -1] == "--require-token"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "my-laptop.lan"])
def test_serving_beyond_this_machine_needs_it_asked_for_and_a_token(host, project_root,
                                                                   monkeypatch, capsys):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    base = ["serve", "--host", host, "--project-dir", str(project_root)]
    assert run(base) == 2
    assert "--allow-remote" in capsys.readouterr().err
    assert run([*base, "--allow-remote"]) == 2  # asked for, but no token
    assert TOKEN_ENV in capsys.readouterr().err
    monkeypatch.setenv(TOKEN_ENV, "short")
    assert run([*base, "--allow-remote"]) == 2
    assert TOKEN_ENV in capsys.readouterr().err


def test_a_token_too_short_is_refused_on_this_machine_too(project_root, monkeypatch, capsys):
    monkeypatch.setenv(TOKEN_ENV, "")
    assert run(["serve", "--project-dir", str(project_root)]) == 2
    assert TOKEN_ENV in capsys.readouterr().err


def _characters(escaped: str) -> list[tuple[bool, str]]:
    """``escaped``'s characters as Markdown reads them: (backslash-escaped?, character)."""
    read, i = [], 0
    while i < len(escaped):
        is_escape = escaped[i] == "\\" and i + 1 < len(escaped)
        read.append((is_escape, escaped[i + 1] if is_escape else escaped[i]))
        i += 2 if is_escape else 1
    return read


@pytest.mark.parametrize("text", ["![p](https:example.invalid).png", "<img src=x>",
                                  ":red[alarm] $x$ *a* _b_ `c` [l](u) # h", "a\\b~|"])
def test_plain_text_is_literal_in_markdown(text):
    read = _characters(plain(text))
    assert "".join(c for _, c in read) == text  # the same characters, as written
    assert all(escaped for escaped, c in read if not c.isalnum() and c != " ")


def test_serve_outside_a_project_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert run(["serve", "--project-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"moodrec serve: --project-dir {tmp_path}: not a Kedro project" in err
