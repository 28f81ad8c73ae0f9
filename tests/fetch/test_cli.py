"""The ``moodrec`` command line and its plug-in design."""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path

import pytest

from moodrec import cli


def test_fetch_data_is_registered() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["fetch-data", "--only", "faces,study", "--mirror", "m"])
    assert args.command == "fetch-data" and args.only == ["faces", "study"]
    assert args.mirror == Path("m") and not args.force and args.handler is not None


def test_unknown_group_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.run(["fetch-data", "--only", "faces,videos"])
    assert exit_.value.code == 2
    assert "unknown group(s) videos" in capsys.readouterr().err


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


def test_missing_mirror_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert (
        cli.run(["fetch-data", "--mirror", str(tmp_path / "nope"), "--dest", str(tmp_path / "raw")])
        == 1
    )
    assert f"--mirror {tmp_path / 'nope'}: no such folder" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists()


def test_bad_sources_file_names_the_key(tmp_path: Path, capsys) -> None:
    sources = tmp_path / "s.yml"
    sources.write_text("study:\n  maps:\n    url: http://127.0.0.1:1/x\n")
    assert cli.run(["fetch-data", "--sources", str(sources), "--dest", str(tmp_path)]) == 1
    assert "s.yml: study: unknown item 'maps'" in capsys.readouterr().err


def test_project_sources_file_is_valid(project_root: Path) -> None:
    from moodrec.fetch.sources import SOURCE_FILES, load_sources

    sources = load_sources([project_root / SOURCE_FILES[0]])
    assert sources["voices"]["ravdess_speech_zip"].url.startswith("https://zenodo.org/")
    assert all(s.url for s in sources["soundtracks"].values())


def test_python_dash_m_exits_with_the_status(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "moodrec", "fetch-data", "--mirror", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1 and "no such folder" in done.stderr


def test_local_sources_override_single_fields(tmp_path: Path) -> None:
    from moodrec.fetch.sources import load_sources

    base = tmp_path / "base.yml"
    base.write_text("study:\n  map:\n    url: https://a.example/map.csv\n    sha256: abc\n")
    local = tmp_path / "local.yml"
    local.write_text("study:\n  map:\n    url: /home/me/map.csv\n")
    source = load_sources([base, local])["study"]["map"]
    assert source.url == "/home/me/map.csv" and source.sha256 == "abc"
