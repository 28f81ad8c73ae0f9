"""The person path's two interfaces, driven as a person drives them.

* ``moodrec recommend`` (in-process through :func:`moodrec.cli.run`, and once as a real
  subprocess to check that stdout holds nothing but the answer);
* ``kedro run --pipelines person --params face_image=...`` (a real ``kedro`` subprocess: the
  session path); ``kedro run --pipelines recommendation`` stays the batch job.

Each runs in a throw-away copy of the project (its ``conf/``, the real soundtrack and study
files in ``data/01_raw``, no ``models/``): the stand-in models of ``conftest`` are given with
``--face-model``/``--audio-model`` (or copied to the catalog's paths for ``kedro run``), so
nothing here needs the shipped models, and nothing is written into the working tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import soundfile

from moodrec.app.exits import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from moodrec.cli import run as moodrec
from moodrec.core.emotions import EMOTIONS
from tests.person.conftest import BAD_PHOTO_IDS, BAD_PHOTOS, paste_on_canvas, speech

ROOT = Path(__file__).resolve().parents[2]
#: Subprocesses unpickle the stand-in voice model, whose classifier lives in tests/.
SUBPROCESS_ENV = {"KEDRO_DISABLE_TELEMETRY": "1",
                  "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                              os.environ.get("PYTHONPATH")]))}

HAPPINESS, SADNESS = EMOTIONS[2], EMOTIONS[3]
BATCH_TABLE = "recommendations_study_soundtracks_set1.csv"  # kedro run's default
ANSWER = Path("data/07_model_output/person_recommendation.json")
TABLE = Path("data/07_model_output/person_recommendation.csv")


@pytest.fixture
def recommend(project, models, capsys, restore_process_state):
    """``moodrec recommend ARGS`` in this process: (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        for path in (ANSWER, TABLE):
            (project / path).unlink(missing_ok=True)
        status = moodrec(["recommend", *args, "--project-dir", str(project), *models])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _blank_photo(folder: Path) -> Path:
    path = folder / "wall.jpg"
    cv2.imwrite(str(path), np.full((300, 400, 3), 200, np.uint8))
    return path


def _group_photo(folder: Path, faces: list[np.ndarray]) -> Path:
    picture = np.full((600, 900), 128, np.uint8)
    picture[100:244, 50:194] = cv2.resize(faces[1], (144, 144))
    picture[200:440, 500:740] = cv2.resize(faces[0], (240, 240))
    path = folder / "group.jpg"
    cv2.imwrite(str(path), picture)
    return path


# ---- moodrec recommend ----

def test_recommend_prints_an_explained_answer_and_writes_it(recommend, project, face_jpeg,
                                                              voice_wav):
    status, out, err = recommend("--face", str(face_jpeg), "--voice", str(voice_wav),
                                 "--top", "4", "--goal", "uplift")
    assert status == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0].startswith(f"Face: {HAPPINESS} (")
    assert lines[1].startswith(f"Voice: {SADNESS} (")
    assert lines[2].startswith("Your mood: ")
    assert lines[3].startswith("Goal: uplift: valence raised")
    assert lines[4] == "Top 4 (centred_cosine similarity):"
    assert [line.split(".")[0].strip() for line in lines[5:9]] == ["1", "2", "3", "4"]
    assert all("brighter than your" in line for line in lines[5:9]) and len(lines) == 9
    assert ", track " in lines[5] and "(similarity " in lines[5]
    answer = json.loads((project / ANSWER).read_text())
    assert answer["goal"] == "uplift" and answer["k"] == 4 and len(answer["excerpts"]) == 4
    assert len((project / TABLE).read_text().splitlines()) == 5
    assert "INFO" not in out and "Kedro" not in out and err == ""


def test_recommend_json_is_the_written_answer(recommend, project, voice_wav):
    status, out, _ = recommend("--voice", str(voice_wav), "--json", "--top", "2")
    assert status == EXIT_OK
    answer = json.loads(out)
    assert answer == json.loads((project / ANSWER).read_text())
    assert list(answer["senses"]) == ["voice"] and answer["senses"]["voice"]["emotion"] == SADNESS


def test_no_face_falls_back_to_the_voice_exit_3(recommend, tmp_path, voice_wav):
    status, out, _ = recommend("--face", str(_blank_photo(tmp_path)), "--voice", str(voice_wav))
    assert status == EXIT_PARTIAL
    assert out.startswith("Face: not used (photo ") and "wall.jpg: no face found" in out
    assert "Warning: the face could not be used; recommending from the voice alone" in out


def test_several_faces_answer_from_the_largest_exit_3(recommend, tmp_path, detectable_faces):
    status, out, _ = recommend("--face", str(_group_photo(tmp_path, detectable_faces)))
    assert status == EXIT_PARTIAL
    assert out.startswith(f"Face: {HAPPINESS}")
    assert "Warning: photo " in out and "group.jpg: 2 faces found; using the largest (" in out


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [("silent.wav", lambda p: soundfile.write(p, np.zeros(3 * 22050), 22050), "silent"),
     ("short.wav", lambda p: soundfile.write(p, speech(0.4, 22050, 1), 22050), "too little"),
     ("corrupt.flac", lambda p: p.write_bytes(b"fLaC" + bytes(range(256)) * 4),
      "not readable as audio"),
     ("notes.wav", lambda p: p.write_text("not a recording\n"), "not readable as audio")],
    ids=["silent", "too-short", "corrupt", "not-audio"],
)
def test_bad_voice_falls_back_to_the_face_exit_3(recommend, tmp_path, face_jpeg, name, make,
                                                 message):
    clip = tmp_path / name
    make(clip)
    status, out, _ = recommend("--face", str(face_jpeg), "--voice", str(clip))
    assert status == EXIT_PARTIAL
    assert f"Voice: not used (voice clip {clip}: {message}" in out
    assert out.splitlines()[0].startswith(f"Face: {HAPPINESS}")
    assert "recommending from the face alone" in out


@pytest.mark.parametrize(("name", "data", "message"), BAD_PHOTOS, ids=BAD_PHOTO_IDS)
def test_neither_input_usable_exit_1_nothing_written(recommend, project, tmp_path, name, data,
                                                     message):
    photo = tmp_path / name
    photo.write_bytes(data)
    silent = tmp_path / "silent.wav"
    soundfile.write(silent, np.zeros(2 * 22050), 22050)
    status, out, err = recommend("--face", str(photo), "--voice", str(silent))
    assert status == EXIT_FAILED and out == ""
    assert err.startswith("moodrec recommend: no usable input: nothing to recommend from")
    assert f"photo {photo}: {message}" in err and f"voice clip {silent}: silent" in err
    assert not (project / ANSWER).exists() and not (project / TABLE).exists()


def test_bad_photo_alone_exit_1(recommend, project, tmp_path):
    status, _, err = recommend("--face", str(tmp_path / "missing.jpg"))
    assert status == EXIT_FAILED and "missing.jpg: no such file" in err
    assert not (project / ANSWER).exists()


@pytest.mark.parametrize(("top", "shown"), [("0", "got 0"), ("-3", "got -3"), ("181", "got 181")])
def test_k_outside_the_catalogue_exit_2(recommend, project, face_jpeg, top, shown):
    status, out, err = recommend("--face", str(face_jpeg), "--top", top)
    assert status == EXIT_USAGE and out == ""
    assert err == ("moodrec recommend: top k must be from 1 to the catalogue's 180 excerpts; "
                   f"{shown}\n")
    assert not (project / ANSWER).exists()


def test_unknown_goal_and_no_input_exit_2(recommend, face_jpeg):
    status, _, err = recommend("--face", str(face_jpeg), "--goal", "cheer")
    assert status == EXIT_USAGE and "'--goal'" in err and "'cheer'" in err
    status, _, err = recommend()
    assert status == EXIT_USAGE and "give --face PHOTO and/or --voice CLIP" in err


def test_missing_model_names_the_file_and_how_to_train_it(project, face_jpeg, capsys,
                                                         restore_process_state, tmp_path):
    status = moodrec(["recommend", "--face", str(face_jpeg), "--project-dir", str(project)])
    _, err = capsys.readouterr()
    assert status == EXIT_FAILED
    shipped = project / "models" / "face" / "face_model.onnx"
    assert err.startswith("moodrec recommend: cannot read ")  # both models: the pipeline's inputs
    assert (f"cannot read face_model_onnx: no file {shipped}; make it with `kedro run --pipelines "
            "face_training`\n") in err
    status = moodrec(["recommend", "--face", str(face_jpeg), "--project-dir", str(project),
                      "--face-model", str(tmp_path / "mine.keras")])
    err = capsys.readouterr().err
    assert status == EXIT_USAGE and "'--face-model'" in err and str(tmp_path / "mine.keras") in err


def test_missing_raw_data_says_how_to_fetch_it(tmp_path, project_root, face_jpeg, models,
                                               capsys, restore_process_state):
    bare = tmp_path / "bare"
    (bare / "src").mkdir(parents=True)
    (bare / "conf" / "local").mkdir(parents=True)
    shutil.copy(project_root / "pyproject.toml", bare)
    shutil.copytree(project_root / "conf" / "base", bare / "conf" / "base")
    status = moodrec(["recommend", "--face", str(face_jpeg), "--project-dir", str(bare), *models])
    out, err = capsys.readouterr()
    assert status == EXIT_FAILED and out == ""
    assert err.startswith("moodrec recommend: cannot read ")  # every missing raw file, named
    assert "data/01_raw/soundtracks/mean_ratings_set1.csv" in err and "pmemo.songs" in err
    assert err.rstrip().endswith("fetch the raw data with `moodrec fetch-data`")


def test_moodrec_command_stdout_is_only_the_answer(project, face_jpeg, voice_wav, models):
    """The real console command: TensorFlow and Kedro write nothing into the JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "moodrec", "recommend", "--face", str(face_jpeg), "--voice",
         str(voice_wav), "--json", "--goal", "calm", *models],
        cwd=project, capture_output=True, text=True, timeout=600,
        env={**os.environ, **SUBPROCESS_ENV},
    )
    assert done.returncode == EXIT_OK, done.stderr
    answer = json.loads(done.stdout)
    assert answer["goal"] == "calm" and answer["target"]["moved"][1] < 0
    assert answer["senses"]["face"]["weight"] == pytest.approx(0.5)


# ---- kedro run --pipelines person / recommendation ----

def _kedro(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kedro", "run", *args], cwd=project, capture_output=True,
        text=True, timeout=600,
        env={**os.environ, **SUBPROCESS_ENV, "COLUMNS": "400"},  # rich: no wrapping
    )


def test_kedro_run_person_answers_for_the_person(trained, tmp_path, detectable_faces, voice_wav):
    photos = []
    for i in range(2):
        photos.append(tmp_path / f"me{i}.jpg")
        cv2.imwrite(str(photos[-1]), paste_on_canvas(detectable_faces[i]))
    done = _kedro(trained, "--pipelines", "person", "--params",
                  f"face_image={os.pathsep.join(map(str, photos))},voice_clip={voice_wav},"
                  "goal=uplift,top_k=4")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    answer = json.loads((trained / ANSWER).read_text())
    face = answer["senses"]["face"]
    assert [i["file"] for i in face["inputs"]] == [str(p) for p in photos]
    assert face["emotion"] == HAPPINESS and answer["senses"]["voice"]["emotion"] == SADNESS
    assert answer["goal"] == "uplift" and answer["target"]["moved"][0] > 0
    assert len(answer["excerpts"]) == 4 and answer["warnings"] == []
    # the person pipeline made what it ranks, not the batch tables
    assert not (trained / "data/07_model_output" / BATCH_TABLE).exists()


def test_kedro_run_person_bad_request_fails_and_writes_no_answer(trained, face_jpeg):
    for path in (ANSWER, TABLE):
        (trained / path).unlink(missing_ok=True)
    done = _kedro(trained, "--pipelines", "person", "--params",
                  f"face_image={face_jpeg},goal=cheer")
    assert done.returncode != 0
    assert "unknown goal 'cheer'; choose one of match, uplift, calm" in done.stdout + done.stderr
    done = _kedro(trained, "--pipelines", "person")
    assert done.returncode != 0 and "no input: give a photo and/or a voice clip" in done.stderr
    assert not (trained / ANSWER).exists()


def test_recommendation_is_the_batch_job_only(project, restore_process_state):
    """No model is read (there is none in the copy) and no person answer is written."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    for path in (ANSWER, TABLE, Path("data/07_model_output") / BATCH_TABLE):
        (project / path).unlink(missing_ok=True)
    bootstrap_project(project)
    with KedroSession.create(project_path=project) as session:
        session.run(pipeline_names=["recommendation"])
    assert not (project / "models").exists() and not (project / ANSWER).exists()
    table = (project / "data/07_model_output" / BATCH_TABLE).read_text()
    assert table.startswith("source,record,rank,item,title,category")


def test_catalogue_picks_the_music_ranked(recommend, face_jpeg):
    status, out, err = recommend("--face", str(face_jpeg), "--catalogue", "pmemo", "--json")
    assert status == EXIT_OK, err
    assert all(e["item"].startswith("pmemo:") for e in json.loads(out)["excerpts"])
    status, _, err = recommend("--face", str(face_jpeg), "--catalogue", "nope")
    assert status == EXIT_FAILED and "catalogue" in err
