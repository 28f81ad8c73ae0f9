"""``moodrec fetch-data``'s command line and ``data_sources.yml``."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import click
import pytest

from moodrec import cli
from moodrec.fetch.command import fetch_command
from moodrec.fetch.sources import FetchError, load_sources


def test_options_are_parsed() -> None:
    args = fetch_command.make_context("fetch-data", ["--only", "faces,study", "--mirror", "m",
                                                     "--file", "ravdess=~/a.zip"]).params
    assert args["only"] == ["faces", "study"] and args["mirror"] == Path("m")
    assert not args["force"] and args["files"] == {"ravdess": Path("~/a.zip").expanduser()}
    assert cli.run(["fetch-data", "--file", "a.zip"]) == 2


def test_a_command_module_plugs_in(monkeypatch, capsys) -> None:
    module = types.ModuleType("fake_command")

    @click.command()
    @click.option("--name", default="world")
    def hello(name: str) -> int:
        return 7 if name == "moodrec" else 0

    module.hello = hello
    monkeypatch.setitem(sys.modules, "fake_command", module)
    monkeypatch.setitem(cli.COMMANDS, "hello", "fake_command:hello")
    assert cli.run(["hello", "--name", "moodrec"]) == 7
    assert cli.run(["--help"]) == 0
    assert "fetch-data" in capsys.readouterr().out  # still there


def test_the_command_fetches_and_reports(publisher, tmp_path: Path, capsys, monkeypatch) -> None:
    from moodrec.fetch import sources

    monkeypatch.setattr(sources, "load_sources", lambda files: publisher.sources)
    argv = ["fetch-data", "--dest", str(tmp_path / "raw"), "--only", "study,music"]
    assert cli.run(argv) == 0
    assert "2 fetched, 0 already present and checked, 0 failed" in capsys.readouterr().out
    assert cli.run([*argv, "--only", "study", "--file", "map=" + str(tmp_path / "no.csv"),
                    "--force"]) == 1
    err = capsys.readouterr().err
    assert "failed" in err and "no.csv: no such file" in err


def test_a_missing_mirror_is_a_clear_error(tmp_path: Path, capsys) -> None:
    argv = ["fetch-data", "--mirror", str(tmp_path / "nope"), "--dest", str(tmp_path / "raw")]
    assert cli.run(argv) == 1
    assert f"--mirror {tmp_path / 'nope'}: no such folder" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists()


def test_python_dash_m_exits_with_the_status(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "moodrec", "fetch-data", "--mirror",
                           str(tmp_path / "nope")], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 1 and "no such folder" in done.stderr


def test_the_projects_sources_are_valid(project_root: Path) -> None:
    sources = load_sources([project_root / "conf/base/data_sources.yml"])
    assert set(sources) == {"faces", "voices", "soundtracks", "study", "music"}
    items = {name: item for group in sources.values() for name, item in group.items()}
    assert all(item.url for group in ("soundtracks", "study") for item in sources[group].values())
    # A single file with a URL has its sha256 pinned (a folder's archive may not have one).
    assert all(item.sha256 for item in items.values() if item.url and not item.files
               and item.splits is None)


def test_local_sources_override_single_fields(project_root: Path, tmp_path: Path) -> None:
    base = project_root / "conf/base/data_sources.yml"
    local = tmp_path / "local.yml"
    local.write_text("study:\n  map:\n    url: /home/me/map.csv\n")
    item = load_sources([base, local])["study"]["map"]
    assert item.url == "/home/me/map.csv" and item.sha256 and item.target == "study/map.csv"
    local.write_text("study:\n  maps:\n    url: /home/me/map.csv\n")
    with pytest.raises(FetchError, match="local.yml: study: unknown item.*'maps'"):
        load_sources([base, local])
    local.write_text("study:\n  map:\n    count: many\n")
    with pytest.raises(FetchError, match=r"study.map: count"):
        load_sources([base, local])
    local.write_text("study:\n  map:\n    colour: red\n")
    with pytest.raises(FetchError, match=r"study.map: colour"):
        load_sources([base, local])
