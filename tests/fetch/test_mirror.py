"""``moodrec fetch-data --mirror ../shared/data`` on the real data, verified strictly."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from kedro.config import OmegaConfigLoader

from moodrec.cli import run
from moodrec.fetch import fetch_data
from moodrec.fetch.layout import GROUPS
from tests.fetch.builders import leftovers

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def fetched(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("raw")
    outcomes = fetch_data(dest, mirror=shared_data)  # strict: the published counts
    failed = [o.detail for o in outcomes if not o.ok]
    assert not failed, failed
    assert [o.status for o in outcomes] == ["fetched"] * 9
    return dest


def test_mirror_gives_the_published_counts(fetched: Path) -> None:
    summaries = {o.item.target: o.detail for o in fetch_data(fetched, strict=True)}
    assert summaries["face-data.csv.gz"].startswith(
        "35,340 rows (Training 28,273, PublicTest 3,533, PrivateTest 3,534); "
        "median sharpness Training 2"  # the repaired copy: about 28 in every split
    )
    assert summaries["ravdess"] == "1,440 files in 24 actor folders"
    expected = {
        "soundtracks/mean_ratings_set1.csv": 360,
        "soundtracks/set1_tracklist.csv": 360,
        "soundtracks/mean_ratings_set2.csv": 110,
        "soundtracks/set2_tracklist.csv": 110,
        "study/map.csv": 10,
        "study/facial-recommendation.csv": 3_533,
        "study/audio-recommendation.csv": 792,
    }
    for target, rows in expected.items():
        assert summaries[target].startswith(f"{rows:,} rows"), summaries[target]
    assert leftovers(fetched) == []


def test_mirror_copies_are_byte_for_byte(fetched: Path, shared_data: Path) -> None:
    pairs = [("face-data.csv.gz", "face-data.csv.gz")]
    pairs += [
        (f"soundtracks/{p.name}", f"soundtracks/{p.name}")
        for p in (shared_data / "soundtracks").glob("*.csv")
    ]
    pairs += [(f"study/{p.name}", f"seed/{p.name}") for p in (shared_data / "seed").glob("*.csv")]
    assert len(pairs) == 8
    for ours, theirs in pairs:
        assert filecmp.cmp(fetched / ours, shared_data / theirs, shallow=False), ours
    speech = sorted(p.relative_to(fetched / "ravdess") for p in (fetched / "ravdess").rglob("*.*"))
    assert speech == sorted(
        p.relative_to(shared_data / "ravdess") for p in (shared_data / "ravdess").rglob("*.flac")
    )
    for path in speech[::97]:
        assert filecmp.cmp(
            fetched / "ravdess" / path, shared_data / "ravdess" / path, shallow=False
        )


def test_layout_is_what_the_raw_catalog_reads(fetched: Path, project_root: Path) -> None:
    """Every raw file the catalog reads (for either soundtrack set) is one that is fetched."""
    paths = set()
    for soundtrack_set in ("set1", "set2"):
        catalog = OmegaConfigLoader(str(project_root / "conf"), base_env="base",
                                    default_run_env="local",
                                    runtime_params={"soundtrack_set": soundtrack_set})["catalog"]
        for entry in catalog.values():
            location = entry.get("filepath") or entry.get("path")  # a file, or a folder
            if location and location.startswith("data/01_raw/"):
                paths.add(location)
    targets = {item.target for items in GROUPS.values() for item in items}
    assert len(paths) >= 9
    for path in paths:
        relative = path.removeprefix("data/01_raw/")
        assert relative in targets, f"{path} is read by the catalog but not fetched"
        assert (fetched / relative).exists(), relative


def test_second_run_keeps_everything(fetched: Path, shared_data: Path, capsys) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in fetched.rglob("*") if p.is_file()}
    assert run(["fetch-data", "--mirror", str(shared_data), "--dest", str(fetched)]) == 0
    assert "0 fetched, 9 already present and verified, 0 failed" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in fetched.rglob("*") if p.is_file()} == stamps


def test_force_refetches_from_a_read_only_copy(fetched: Path, shared_data: Path, tmp_path) -> None:
    # The destination may be a read-only copy (cp -a of ../shared/data); --force replaces it.
    # (Run as root, the permissions cannot stop it; as a user, transfer.remove_tree fixes them.)
    for folder in (fetched / "ravdess").iterdir():
        folder.chmod(0o555)
    [outcome] = fetch_data(fetched, mirror=shared_data, only=["voices"], force=True)
    assert outcome.status == "fetched" and outcome.detail.startswith("1,440 files")
    # A missing item in the mirror says where it looked.
    [outcome, *_] = fetch_data(tmp_path, mirror=tmp_path, only=["study"])
    assert outcome.status == "failed"
    assert "study/map.csv: not in the mirror" in outcome.detail and "seed/map.csv" in outcome.detail
