"""`moodrec serve`: its options and the Streamlit command line it becomes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from moodrec.cli import build_parser
from moodrec.page.command import APP, STREAMLIT_SETTINGS, streamlit_command


def test_serve_listens_on_this_machine_by_default():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.env, args.project_dir) == ("127.0.0.1", 8501, None, None)
    args = build_parser().parse_args(["serve", "--port", "9000", "--host", "0.0.0.0"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)


@pytest.mark.parametrize("port, message", [("http", "not a port number: 'http'"),
                                           ("70000", "port must be from 1 to 65535; got 70000")])
def test_a_bad_port_is_a_usage_error_naming_it(port, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["serve", "--port", port])
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_the_page_runs_offline_without_usage_statistics(tmp_path):
    command = streamlit_command(tmp_path, host="127.0.0.1", port=8600, env="smoke")
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(APP)]
    assert Path(command[4]).is_file()
    flags = command[5:command.index("--")]
    assert "--browser.gatherUsageStats=false" in flags and "--server.headless=true" in flags
    assert {"--server.address=127.0.0.1", "--server.port=8600"} <= set(flags)
    assert len(flags) == len(STREAMLIT_SETTINGS) + 2
    assert command[command.index("--") + 1:] == ["--project-dir", str(tmp_path), "--env", "smoke"]


def test_serve_outside_a_project_says_so(tmp_path, capsys):
    from moodrec.cli import run

    assert run(["serve", "--project-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"moodrec serve: --project-dir {tmp_path}: not a Kedro project" in err
