"""`kedro run` reports the project's own errors in a few lines (the message, the node's input
files, a hint), and keeps the full traceback in logs/kedro_run_error.log; any other error
keeps Kedro's traceback. Before: every error was a ~200-line rich traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from kedro.io import DatasetError

from moodrec.cli import short_errors
from moodrec.core.checks import BadInputError
from moodrec.run.errors import TRACEBACK_FILE, project_error, short_message
from moodrec.run.hooks import RunChoiceError
from tests.conftest import PROJECT_ROOT


def _wrapped(error: BaseException) -> BaseException:
    """``error`` as Kedro's catalog passes it on: ``DatasetError('<name>: ...') from error``."""
    try:
        try:
            raise error
        except BaseException as inner:
            raise DatasetError(f"soundtrack_ratings: {inner}") from inner
    except DatasetError as outer:
        return outer


@pytest.mark.parametrize(("error", "expected"), [
    (BadInputError("ratings: column 'valence' is blank at row 3"),
     "ratings: column 'valence' is blank at row 3"),
    (_wrapped(BadInputError("the file is empty")), "soundtrack_ratings: the file is empty"),
    (RunChoiceError("soundtrack_set = 'set3': choose one of set1, set2"),
     "soundtrack_set = 'set3': choose one of set1, set2"),
    (KeyError("valence"), None),
    (_wrapped(ValueError("a library's error")), None),
])
def test_short_message_is_the_projects_own(error, expected):
    assert short_message(error) == expected
    assert (project_error(error) is None) == (expected is None)


def test_notes_follow_the_message():
    error = BadInputError("tracklist: column 'Track' is blank at row 4")
    error.add_note("input files of node join_track_list: soundtrack_tracklist = t.csv")
    assert short_message(error).splitlines() == [
        "tracklist: column 'Track' is blank at row 4",
        "input files of node join_track_list: soundtrack_tracklist = t.csv"]


def test_the_wrapper_prints_a_short_message_and_keeps_the_traceback(tmp_path, monkeypatch,
                                                                      capsys):
    monkeypatch.setattr("moodrec.run.project.project_root", lambda start=None: tmp_path)

    def fail(**_):
        raise BadInputError("ratings: column 'valence' is blank at row 3")

    with pytest.raises(SystemExit) as stopped:
        short_errors(fail)(env=None)
    err = capsys.readouterr().err
    assert stopped.value.code == 1
    assert err.splitlines()[0] == "kedro run: error: ratings: column 'valence' is blank at row 3"
    assert f"the full traceback is in {tmp_path / TRACEBACK_FILE}" in err
    assert len(err.splitlines()) <= 3
    log = (tmp_path / TRACEBACK_FILE).read_text()
    assert "Traceback (most recent call last)" in log and "in fail" in log


def test_the_wrapper_leaves_other_errors_alone():
    def bug(**_):
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        short_errors(bug)()


def test_kedro_run_with_an_unknown_set_is_short():
    """A real `kedro run`: the error, a hint, and no traceback on the terminal."""
    done = subprocess.run([sys.executable, "-m", "kedro", "run", "--params",
                           "catalogue=set3"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"})
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "kedro run: error: catalogue = 'set3'" in output  # the choice, named in one line
    assert "Traceback" not in output and "│" not in output
    assert "catalogue = 'set3'" in (PROJECT_ROOT / TRACEBACK_FILE).read_text()


def test_the_projects_kedro_run_is_kedros_run_with_short_errors():
    from kedro.framework.cli.project import run as kedro_run

    from moodrec.cli import cli

    ours = cli.get_command(None, "run")
    assert [p.name for p in ours.params] == [p.name for p in kedro_run.params]
    assert ours.callback.__wrapped__ is kedro_run.callback
    assert cli.get_command(None, "viz") is None


def test_a_comma_split_in_params_is_explained():
    """`kedro run --params face_image=a:b,c.jpg`: Kedro splits at the comma; before, its
    message named the piece `c.jpg` but not why."""
    from click.testing import CliRunner

    from moodrec.cli import cli

    result = CliRunner().invoke(cli.get_command(None, "run"),
                                ["--params", "face_image=a.jpg:b,c.jpg"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "Item `c.jpg` must contain a key and a value" in message
    assert "Kedro splits --params at every ','" in message and "moodrec recommend" in message
