"""``moodrec recommend`` on bad requests and bad projects: one message each, no traceback.

* a ``--project-dir`` that is not a Kedro project (before: the installed checkout was used
  instead, without a word);
* standard input and devices as inputs (before: ``-`` was looked for as a file of that name,
  and a pipe got "Format not recognised");
* a damaged raw file of the catalogue (va_mapping's and recommendation's ``BadInputError``,
  which the command did not catch before: a traceback instead of the message).
"""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest

from moodrec.app.exits import EXIT_FAILED, EXIT_PARTIAL, EXIT_USAGE
from moodrec.cli import run as moodrec
from tests.person.conftest import copy_project


def test_project_dir_that_is_not_a_project_exit_2(tmp_path, face_jpeg, capsys):
    status = moodrec(["recommend", "--face", str(face_jpeg), "--project-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == EXIT_USAGE and out == ""
    assert err.startswith(f"moodrec recommend: --project-dir {tmp_path}: not a Kedro project")


@pytest.mark.parametrize(("face", "voice", "message"), [
    ("-", "{voice_wav}", "photo -: standard input is not read; save the photo to a file"),
    ("{face_jpeg}", os.devnull, f"voice clip {os.devnull}: not a regular file (a pipe or a "
                                "device"),
], ids=["face-from-stdin", "voice-from-a-device"])
def test_standard_input_and_devices_are_refused_by_name(project, models, capsys,
                                                        restore_process_state, face_jpeg,
                                                        voice_wav, face, voice, message):
    files = {"face_jpeg": face_jpeg, "voice_wav": voice_wav}
    status = moodrec(["recommend", "--face", face.format(**files), "--voice",
                      voice.format(**files), "--project-dir", str(project), *models])
    out, _ = capsys.readouterr()
    assert status == EXIT_PARTIAL and message in out


@pytest.mark.parametrize(("damage", "message"), [
    (lambda t: t.assign(Track=t["Track"].where(t.index != 4, "")),
     r"soundtracks_set1\.tracklist: column 'Track' is blank at row 4 \(0-based data rows\)"),
    (lambda t: t.iloc[:0], r"soundtracks_set1\.tracklist: the table is empty"),
], ids=["blank-track", "no-rows"])
def test_a_bad_catalogue_file_is_reported_in_one_message(tmp_path, project_root, shared_data,
                                                          face_jpeg, models, capsys,
                                                          restore_process_state, damage,
                                                          message):
    copy = copy_project(tmp_path / "project", project_root, shared_data)
    tracklist = copy / "data" / "01_raw" / "soundtracks" / "set1_tracklist.csv"
    damage(pd.read_csv(tracklist, dtype=str, encoding="utf-8-sig")).to_csv(tracklist,
                                                                           index=False)
    status = moodrec(["recommend", "--face", str(face_jpeg), "--project-dir", str(copy),
                      *models])
    out, err = capsys.readouterr()
    assert status == EXIT_FAILED and out == ""
    assert re.match(rf"moodrec recommend: {message}", err), err
    assert "Traceback" not in err and len(err.splitlines()) <= 3
