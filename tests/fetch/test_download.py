"""The download path, against a local HTTP server on 127.0.0.1 serving small fixtures."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from moodrec.cli import run
from moodrec.fetch import fetch_data
from moodrec.fetch.layout import SOUNDTRACKS
from moodrec.fetch.sources import load_sources
from tests.fetch.builders import (
    fer2013_frame,
    leftovers,
    ravdess_zip,
    sources_yaml,
    tiny_csv,
    write_tiny_csvs,
)


@pytest.fixture
def publisher(http_root: Path, http_server: str, tmp_path: Path) -> dict:
    """Tiny files of every item on the server, and a sources file pointing at them."""
    csvs = write_tiny_csvs(http_root)
    speech = ravdess_zip(http_root / "Audio_Speech_Actors_01-24.zip")
    fer2013_frame().to_csv(http_root / "fer2013.csv", index=False)
    urls = {key: f"{http_server}/{path.name}" for key, path in csvs.items()}
    urls["ravdess_speech_zip"] = f"{http_server}/Audio_Speech_Actors_01-24.zip"
    urls["face_data"] = f"{http_server}/fer2013.csv"
    return {
        "root": http_root,
        "url": http_server,
        "csvs": csvs,
        "speech": speech,
        "sources": sources_yaml(tmp_path / "data_sources.yml", urls),
    }


def _sources(tmp_path: Path, **urls: str):
    return load_sources([sources_yaml(tmp_path / "sources.yml", urls)])


def test_fetch_everything_from_the_publishers(publisher: dict, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "raw"
    argv = [
        "fetch-data",
        "--dest",
        str(dest),
        "--sources",
        str(publisher["sources"]),
        "--no-count-check",
    ]
    assert run(argv) == 0
    for key, served in publisher["csvs"].items():  # byte-for-byte
        group = "soundtracks" if key in {i.key for i in SOUNDTRACKS} else "study"
        assert filecmp.cmp(served, dest / group / f"{key}.csv", shallow=False)
    got = sorted(
        p.relative_to(dest / "ravdess").as_posix() for p in (dest / "ravdess").rglob("*.wav")
    )
    assert got == sorted(publisher["speech"])  # speech only: no song file, no readme
    faces = pd.read_csv(dest / "face-data.csv.gz")
    assert list(faces.columns) == ["emotion_label", "Usage", "pixels", "emotion"]
    assert len(faces) == 12  # 7 codes x 2 rows, disgust's 2 left out
    assert leftovers(dest) == []
    out = capsys.readouterr().out
    assert "9 fetched, 0 already present" in out

    # Idempotent: a second run keeps what is there; --force fetches again.
    stamp = (dest / "study" / "map.csv").stat().st_mtime_ns
    assert run(argv) == 0
    assert "0 fetched, 9 already present and verified" in capsys.readouterr().out
    assert (dest / "study" / "map.csv").stat().st_mtime_ns == stamp
    assert run([*argv, "--force", "--only", "study"]) == 0
    assert "3 fetched, 0 already present" in capsys.readouterr().out


def test_http_404_is_a_clear_error_and_writes_nothing(http_server: str, tmp_path: Path) -> None:
    url = f"{http_server}/no-such-file.csv"
    dest = tmp_path / "raw"
    [outcome, *_] = fetch_data(
        dest, only=["study"], strict=False, sources=_sources(tmp_path, map=url)
    )
    assert outcome.status == "failed"
    assert "HTTP 404" in outcome.detail and url in outcome.detail
    assert not (dest / "study" / "map.csv").exists()
    assert leftovers(dest) == []


def test_truncated_download_leaves_nothing_behind(publisher: dict, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    url = f"{publisher['url']}/truncated/mean_ratings_set1.csv"
    [outcome, *_] = fetch_data(
        dest, only=["soundtracks"], strict=False, sources=_sources(tmp_path, mean_ratings_set1=url)
    )
    assert outcome.status == "failed"
    assert "truncated download" in outcome.detail
    assert not (dest / "soundtracks" / "mean_ratings_set1.csv").exists()
    assert leftovers(dest) == []


def test_truncated_zip_leaves_no_ravdess_folder(publisher: dict, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    url = f"{publisher['url']}/truncated/Audio_Speech_Actors_01-24.zip"
    [outcome] = fetch_data(
        dest, only=["voices"], strict=False, sources=_sources(tmp_path, ravdess_speech_zip=url)
    )
    assert outcome.status == "failed" and "truncated" in outcome.detail
    assert not (dest / "ravdess").exists()
    assert leftovers(dest) == []


def test_corrupt_zip_is_a_clear_error_and_leaves_nothing(
    http_root: Path, http_server: str, tmp_path: Path
) -> None:
    good = http_root / "good.zip"
    ravdess_zip(good)
    data = bytearray(good.read_bytes())
    data[80:100] = b"\x07" * 20  # damage the first member's data: its CRC no longer matches
    (http_root / "corrupt.zip").write_bytes(bytes(data))
    (http_root / "not-a.zip").write_bytes(b"<html>a login page, not a zip</html>")
    dest = tmp_path / "raw"
    for name in ("corrupt.zip", "not-a.zip"):
        [outcome] = fetch_data(
            dest,
            only=["voices"],
            strict=False,
            sources=_sources(tmp_path, ravdess_speech_zip=f"{http_server}/{name}"),
        )
        assert outcome.status == "failed"
        assert "ravdess: corrupt or truncated zip archive" in outcome.detail, outcome.detail
        if name == "corrupt.zip":
            assert "CRC" in outcome.detail
        assert not (dest / "ravdess").exists()
        assert leftovers(dest) == []


def test_schema_error_names_the_file_and_column(
    http_root: Path, http_server: str, tmp_path: Path
) -> None:
    frame = tiny_csv(SOUNDTRACKS[0].spec).drop(columns=["energy"])
    frame.to_csv(http_root / "ratings.csv", index=False)
    dest = tmp_path / "raw"
    [outcome, *_] = fetch_data(
        dest,
        only=["soundtracks"],
        strict=False,
        sources=_sources(tmp_path, mean_ratings_set1=f"{http_server}/ratings.csv"),
    )
    assert outcome.status == "failed"
    assert outcome.detail.startswith(
        "soundtracks/mean_ratings_set1.csv: missing column(s) 'energy'"
    )
    assert not (dest / "soundtracks" / "mean_ratings_set1.csv").exists()
    assert leftovers(dest) == []


def test_counts_are_enforced_unless_told_otherwise(publisher: dict, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    sources = load_sources([publisher["sources"]])
    [outcome, *_] = fetch_data(dest, only=["soundtracks"], sources=sources)  # strict
    assert outcome.status == "failed"
    assert "3 data rows, expected 360" in outcome.detail
    assert "--no-count-check" in outcome.detail
    assert not (dest / "soundtracks" / "mean_ratings_set1.csv").exists()
    [outcome, *_] = fetch_data(dest, only=["soundtracks"], sources=sources, strict=False)
    assert outcome.status == "fetched"


def test_a_failed_refetch_keeps_the_verified_copy(publisher: dict, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    good = load_sources([publisher["sources"]])
    assert all(o.ok for o in fetch_data(dest, only=["study"], strict=False, sources=good))
    before = (dest / "study" / "map.csv").read_bytes()
    broken = _sources(tmp_path, map=f"{publisher['url']}/truncated/map.csv")
    [outcome, *_] = fetch_data(dest, only=["study"], strict=False, force=True, sources=broken)
    assert outcome.status == "failed"
    assert (dest / "study" / "map.csv").read_bytes() == before
    assert leftovers(dest) == []


def test_unreachable_host_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/map.csv"
    [outcome, *_] = fetch_data(
        tmp_path, only=["study"], strict=False, sources=_sources(tmp_path, map=url)
    )
    assert outcome.status == "failed" and f"{url}: cannot reach it" in outcome.detail


def test_missing_source_says_what_to_do(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.yml"
    empty.write_text("{}\n")
    assert (
        run(
            [
                "fetch-data",
                "--dest",
                str(tmp_path / "raw"),
                "--sources",
                str(empty),
                "--only",
                "faces",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "face-data.csv.gz: no source" in err and "--fer2013 PATH" in err
