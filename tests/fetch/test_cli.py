"""``moodrec fetch-data``'s command line and ``data_sources.yml``."""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path

import pytest

from moodrec import cli
from moodrec.fetch.sources import FetchError, load_sources


def test_options_are_parsed() -> None:
    args = cli.build_parser().parse_args(["fetch-data", "--only", "faces,study", "--mirror", "m",
                                          "--file", "ravdess=~/a.zip"])
    assert args.only == ["faces", "study"] and args.mirror == Path("m") and not args.force
    assert args.file == [("ravdess", Path("~/a.zip").expanduser())]
    with pytest.raises(SystemExit) as exit_:
        cli.run(["fetch-data", "--file", "a.zip"])
    assert exit_.value.code == 2


def test_a_command_module_plugs_in(monkeypatch) -> None:
    module = types.ModuleType("fake_command")

    def register(subparsers: argparse._SubParsersAction) -> None:
        parser = subparsers.add_parser("hello")
        parser.add_argument("--name", default="world")
        parser.set_defaults(handler=lambda args: 7 if args.name == "moodrec" else 0)

    module.register = register
    monkeypatch.setitem(sys.modules, "fake_command", module)
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "fake_command"))
    assert cli.run(["hello", "--name", "moodrec"]) == 7
    assert "fetch-data" in cli.build_parser().format_help()  # still there


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
