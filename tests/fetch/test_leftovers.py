"""A fetch stopped by Ctrl-C stops (even where a reader turned the Ctrl-C into an error of its
own), and what a killed fetch left (hidden ``.part`` files and folders, ``.download`` scratch
files, a target moved aside as ``.old``) is cleaned up by the next run."""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import time
from pathlib import Path

import pytest

from moodrec.cli import run
from moodrec.fetch import FetchError, VerificationError, fetch_data
from moodrec.fetch import fetch as fetch_module
from moodrec.fetch.leftovers import LOCK_NAME, ctrl_c_guard
from tests.fetch.builders import leftovers, write_tiny_csvs


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """A mirror holding the study's three tables (tiny ones)."""
    write_tiny_csvs(tmp_path / "mirror" / "study")
    return tmp_path / "mirror"


def _swallowing_verify(spec, path, *, name, strict=True):
    """A reader that turns Ctrl-C into its own error, as the issue saw: "not a readable CSV
    file", after which the fetch went on to the next item."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        raise VerificationError(f"{name}: not a readable CSV file (interrupted)") from None
    return "unreachable"


def test_ctrl_c_turned_into_an_error_still_stops_the_fetch(tmp_path, mirror, monkeypatch):
    dest = tmp_path / "raw"
    monkeypatch.setattr(fetch_module, "verify", _swallowing_verify)
    handler_before = signal.getsignal(signal.SIGINT)  # SIG_IGN under nohup, else the default
    seen = []
    with pytest.raises(KeyboardInterrupt):
        fetch_data(dest, mirror=mirror, only=["study"], strict=False, report=seen.append)
    assert seen == []  # not even the first item is reported as merely failed
    assert not (dest / "study").exists() or not list((dest / "study").iterdir())
    assert leftovers(dest) == []
    assert signal.getsignal(signal.SIGINT) is handler_before  # restored


def test_ctrl_c_ends_the_command_with_a_message(tmp_path, mirror, monkeypatch, capsys):
    monkeypatch.setattr(fetch_module, "verify", _swallowing_verify)
    status = run(["fetch-data", "--mirror", str(mirror), "--dest", str(tmp_path / "raw"),
                  "--only", "study", "--no-count-check"])
    err = capsys.readouterr().err
    assert status == 130
    assert "moodrec fetch-data: stopped (Ctrl-C); the files listed above are in place" in err
    assert "not a readable CSV file" not in err


def test_ctrl_c_guard_is_quiet_without_ctrl_c():
    with ctrl_c_guard() as stop_if_pressed:
        stop_if_pressed()


@pytest.mark.parametrize("leftover", [
    "study/.map.csv.k1ll3d.part",                 # atomic_file's temporary
    "study/.facial-recommendation.csv.x.part/",   # a temporary folder (as ravdess's)
    ".face-data.csv.gz.abc.download",             # a download's scratch file
    ".ravdess.zip.q9.download",
])
def test_a_killed_fetchs_temporaries_are_removed(tmp_path, mirror, leftover, caplog):
    """Before: a killed fetch (kill -9, a closed terminal) left them, and no run removed them."""
    dest = tmp_path / "raw"
    path = dest / leftover.rstrip("/")
    if leftover.endswith("/"):
        (path / "Actor_01").mkdir(parents=True)
        (path / "Actor_01" / "x.wav").write_bytes(b"RIFF")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    with caplog.at_level(logging.WARNING, logger="moodrec.fetch.fetch"):
        outcomes = fetch_data(dest, mirror=mirror, only=["study"], strict=False)
    assert [o.status for o in outcomes] == ["fetched"] * 3
    assert leftovers(dest) == []
    assert f"removed {path}, left by a fetch that was stopped" in caplog.text


def test_a_target_moved_aside_is_put_back(tmp_path, mirror):
    """Killed between moving the old folder aside and moving the new one in."""
    dest = tmp_path / "raw"
    aside = dest / ".ravdess.12345.old"
    (aside / "Actor_01").mkdir(parents=True)
    fetch_data(dest, mirror=mirror, only=["study"], strict=False)
    assert (dest / "ravdess" / "Actor_01").is_dir() and not aside.exists()


def test_a_second_fetch_into_the_same_folder_waits_its_turn(tmp_path, mirror):
    dest = tmp_path / "raw"
    dest.mkdir()
    with open(dest / LOCK_NAME, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        temporary = dest / "study" / ".map.csv.busy.part"
        temporary.parent.mkdir()
        temporary.write_bytes(b"being written")
        with pytest.raises(FetchError, match="another moodrec fetch-data is writing into it"):
            fetch_data(dest, mirror=mirror, only=["study"], strict=False)
        assert temporary.exists()  # the other fetch's file is left alone
