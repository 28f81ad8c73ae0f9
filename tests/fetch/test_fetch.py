"""The fetch against a local HTTP server: downloads, hashes, archives, counts, and that a
failure of any kind leaves nothing half-written and the copy in place as it was."""

from __future__ import annotations

import filecmp
import logging
import os
import signal
import socket
import time
from pathlib import Path

import filelock
import pandas as pd
import pytest

from moodrec.fetch.fetch import LOCK, fetch_data
from moodrec.fetch.sources import FetchError, VerificationError
from moodrec.fetch.verify import verify
from tests.fetch.conftest import leftovers


def _one(publisher, group: str, **fields) -> dict:
    """The publisher's sources for one group, its one item's fields replaced."""
    [(name, item)] = publisher.sources[group].items()
    return {group: {name: item.model_copy(update=fields)}}


def test_everything_from_the_publishers(publisher, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    results = fetch_data(dest, publisher.sources)
    assert [r.status for r in results] == ["fetched"] * 4, [r.detail for r in results]
    assert filecmp.cmp(publisher.root / "map.csv", dest / "study/map.csv", shallow=False)
    assert "3 rows; sha256 as pinned" in results[2].detail
    assert "2 rows; sha256 " in results[3].detail and "(not pinned)" in results[3].detail
    got = sorted(p.relative_to(dest / "ravdess").as_posix() for p in dest.glob("ravdess/*/*"))
    assert got == sorted(publisher.speech)  # speech only: no song file, no readme
    faces = pd.read_csv(dest / "face-data.csv.gz")
    assert list(faces.columns) == ["emotion_label", "Usage", "pixels", "emotion"]
    assert len(faces) == 12 and 1 not in set(faces["emotion_label"])  # disgust left out
    assert leftovers(dest) == []

    stamp = (dest / "study/map.csv").stat().st_mtime_ns
    assert [r.status for r in fetch_data(dest, publisher.sources)] == ["present"] * 4
    assert (dest / "study/map.csv").stat().st_mtime_ns == stamp
    assert [r.status for r in fetch_data(dest, publisher.sources, only=["study"], force=True)
            ] == ["fetched"]


def test_sha256_is_enforced_for_downloads_and_copies(publisher, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    wrong = _one(publisher, "study", sha256="0" * 64)
    [result] = fetch_data(dest, wrong)
    assert result.status == "failed" and "0" * 64 in result.detail
    [result] = fetch_data(dest, wrong, local={"map": publisher.root / "map.csv"})
    assert result.status == "failed" and "study/map.csv: sha256 " in result.detail
    [result] = fetch_data(dest, _one(publisher, "voices", sha256="1" * 64))  # an archive
    assert result.status == "failed" and "1" * 64 in result.detail
    assert not (dest / "study/map.csv").exists() and not (dest / "ravdess").exists()
    assert leftovers(dest) == []


@pytest.mark.parametrize("url", ["/no-such-file.zip", "/truncated/speech.zip", "/map.csv",
                                 "/corrupt.zip", "unreachable"])
def test_a_failed_download_keeps_the_copy_in_place(publisher, tmp_path: Path, url: str) -> None:
    dest = tmp_path / "raw"
    [result] = fetch_data(dest, publisher.sources, only=["voices"])
    assert result.ok
    before = sorted(p.name for p in (dest / "ravdess").rglob("*"))
    data = bytearray((publisher.root / "speech.zip").read_bytes())
    data[80:100] = b"\x07" * 20  # the first member's data: its CRC no longer matches
    (publisher.root / "corrupt.zip").write_bytes(bytes(data))
    if url == "unreachable":
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{sock.getsockname()[1]}/speech.zip"
    else:
        url = publisher.url + url
    [result] = fetch_data(dest, _one(publisher, "voices", url=url), force=True)
    assert result.status == "failed"
    assert url in result.detail or "zip or tar" in result.detail or "CRC" in result.detail
    assert sorted(p.name for p in (dest / "ravdess").rglob("*")) == before
    assert leftovers(dest) == []


def test_counts_are_enforced_unless_told_otherwise(publisher, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    [result] = fetch_data(dest, _one(publisher, "voices", count=1440))
    assert result.status == "failed"
    assert "4 files, expected 1,440" in result.detail and "--no-count-check" in result.detail
    assert not (dest / "ravdess").exists()
    [result] = fetch_data(dest, _one(publisher, "voices", count=1440), strict=False)
    assert result.status == "fetched"


def test_a_folder_holding_a_stray_file_is_fetched_again(publisher, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    fetch_data(dest, publisher.sources, only=["voices"])
    stray = dest / "ravdess/Actor_02/03-01-01-01-01-01-01.wav"  # actor 01 in Actor_02
    stray.write_bytes(b"RIFF")
    item = publisher.sources["voices"]["ravdess"]
    with pytest.raises(VerificationError, match="Actor_02/03-01-01-01-01-01-01.wav"):
        verify(item, dest / "ravdess", name="ravdess", strict=False)
    [result] = fetch_data(dest, publisher.sources, only=["voices"])
    assert result.status == "fetched" and "the copy in place failed its check" in result.detail
    assert not stray.exists()


def test_what_a_killed_fetch_left_is_cleaned_up(publisher, tmp_path: Path, caplog) -> None:
    dest = tmp_path / "raw"
    (dest / "study").mkdir(parents=True)
    (dest / "study/.map.csv.part").write_bytes(b"half")
    (dest / ".downloads").mkdir()
    aside = dest / ".ravdess.old"  # killed between moving the old folder aside and the new in
    (aside / "Actor_01").mkdir(parents=True)
    with caplog.at_level(logging.WARNING, logger="moodrec.fetch.fetch"):
        fetch_data(dest, publisher.sources, only=["study"])
    assert leftovers(dest) == [] and (dest / "ravdess/Actor_01").is_dir()
    assert f"{dest / 'study/.map.csv.part'}: left by a fetch that was stopped; removed" \
        in caplog.text and f"put back as {dest / 'ravdess'}" in caplog.text


def _swallowing_check(*args, name: str, **kwargs) -> str:
    """A reader that turns Ctrl-C into an error of its own, as a pandas reader once did ("not
    a readable CSV file"), after which the fetch went on to the next item."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        raise VerificationError(f"{name}: not readable (interrupted)") from None
    return "unreachable"


def test_ctrl_c_stops_the_fetch_even_when_a_reader_swallows_it(publisher, tmp_path: Path,
                                                               monkeypatch, capsys) -> None:
    from moodrec.cli import run
    from moodrec.fetch import fetch, sources

    monkeypatch.setattr(fetch, "verify", _swallowing_check)
    handler = signal.getsignal(signal.SIGINT)
    seen = []
    with pytest.raises(KeyboardInterrupt):
        fetch_data(tmp_path / "raw", publisher.sources, report=seen.append)
    assert seen == [] and leftovers(tmp_path / "raw") == []
    assert signal.getsignal(signal.SIGINT) is handler  # restored
    monkeypatch.setattr(sources, "load_sources", lambda files: publisher.sources)
    assert run(["fetch-data", "--dest", str(tmp_path / "raw")]) == 130
    err = capsys.readouterr().err
    assert "stopped (Ctrl-C)" in err and "not readable" not in err


def test_one_fetch_at_a_time(publisher, tmp_path: Path) -> None:
    dest = tmp_path / "raw"
    dest.mkdir()
    with filelock.FileLock(dest / LOCK), pytest.raises(FetchError, match="another moodrec"):
        fetch_data(dest, publisher.sources)


def test_an_item_without_a_source_says_what_to_do(publisher, tmp_path: Path) -> None:
    [result] = fetch_data(tmp_path, _one(publisher, "faces", url=None))
    assert result.status == "failed" and "--file NAME=PATH" in result.detail
    [result] = fetch_data(tmp_path, publisher.sources, only=["study"], mirror=tmp_path)
    assert result.status == "failed" and "seed/map.csv" in result.detail
    [result] = fetch_data(tmp_path, publisher.sources, only=["faces"],
                          local={"face_data": publisher.root / "fer2013.csv"})
    assert result.status == "fetched" and "converted from fer2013.csv" in result.detail
    [result] = fetch_data(tmp_path, publisher.sources, only=["study"],
                          local={"map": tmp_path / "nope.csv"})
    assert result.status == "failed" and "nope.csv: no such file" in result.detail
    with pytest.raises(FetchError, match="videos"):
        fetch_data(tmp_path, publisher.sources, only=["videos"])
    assert not (tmp_path / "study/map.csv").exists()
