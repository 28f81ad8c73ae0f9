"""Atomic writes: all or nothing, and the permissions a plain write would give."""

import stat

import pytest

from moodrec.datasets.atomic_file import atomic_file, umask


def test_written_file_has_the_usual_permissions(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    with atomic_file(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
