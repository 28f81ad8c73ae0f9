"""``moodrec recommend``: music for a person, from a photo and/or a voice clip.

It runs the ``person`` pipeline once (the person nodes and the few ``va_mapping`` /
``recommendation`` nodes that make the catalogue they rank, from the raw soundtrack files)
through :class:`~moodrec.app.service.PersonService`: the same nodes, catalog and parameters
as ``kedro run --pipelines person --params face_image=...``, without building a session that
imports every pipeline. The answer is written by the catalog to
``data/07_model_output/person_recommendation.{json,csv}`` and printed.

Exit status: 0 answered from every input without a warning; 3 answered, with a warning (an
input could not be used and the other sense answered, or a photo held several faces); 1 nothing
could be answered (no usable input, a missing or unfit model; no answer written); 2 wrong usage
(unknown goal, ``--top`` outside 1 .. the catalogue's size, no input given).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from moodrec.app.exits import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, exit_status, fail
from moodrec.app.options import person_options, project_options, with_options
from moodrec.core.goals import GOALS

__all__ = ["EXIT_FAILED", "quiet", "recommend"]  # EXIT_FAILED: for the tests
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

#: Loggers silenced while the pipeline runs for a person (the printed answer is the output).
QUIET_LOGGERS: tuple[str, ...] = ("kedro", "kedro_viz", "moodrec", "py.warnings", "absl",
                                  "tensorflow", "keras")


@contextlib.contextmanager
def _silenced_fds() -> Iterator[None]:
    """Point file descriptors 1 and 2 at /dev/null: TensorFlow's C++ start-up lines (oneDNN,
    CUDA probing) are written there directly, past Python's ``sys.stdout``/``sys.stderr``."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.flush()
    try:
        saved = [os.dup(1), os.dup(2)]
    except OSError:  # no real descriptors (an embedding host): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


@contextlib.contextmanager
def quiet(verbose: bool = False) -> Iterator[None]:
    """Keep Kedro's log (rich writes it to stdout) and TensorFlow's chatter out of the answer.

    Without ``--verbose`` everything written while the pipeline runs is held back: Python's
    streams go to a buffer, the native ones to /dev/null. If the run fails with an error the
    command does not explain itself (:func:`moodrec.cli.exit_status`), the held log is shown
    on stderr.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
    if verbose:
        yield
        return
    saved = {n: logging.getLogger(n).level for n in QUIET_LOGGERS}
    held = io.StringIO()
    # Kedro's configuration re-sets its loggers' levels; a global threshold outlives that and
    # spares formatting the INFO lines nobody will see (rich's handler: a third of a second).
    logging.disable(logging.INFO)
    for n in QUIET_LOGGERS:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        with _silenced_fds(), contextlib.redirect_stdout(held), contextlib.redirect_stderr(held):
            yield
    except BaseException as err:
        if not isinstance(err, Exception) or exit_status(err) is None:
            sys.stderr.write(held.getvalue())
        raise
    finally:
        logging.disable(logging.NOTSET)
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)


def _absolute(path: str | Path) -> str:
    """``path`` made absolute without following links (``/dev/stdin`` stays itself, so its
    dataset can say what it is); ``-`` (standard input) is kept, to be refused by name."""
    text = str(path)
    return text if text.strip() == "-" else str(Path(text).expanduser().absolute())


def run_person_pipeline(
    faces: Sequence[str | Path] = (), voices: Sequence[str | Path] = (), *,
    project_dir: Path | None = None, env: str | None = None,
    face_model: str | Path | None = None, audio_model: str | Path | None = None,
    calibration: str | Path | None = None, person: str | None = None,
    history: str | Path | None = None, catalogue: str | None = None, **choices: Any,
) -> tuple[dict[str, Any], Any]:
    """Run the ``person`` pipeline once (:class:`~moodrec.app.service.PersonService`); return
    the answer and the service (which writes it through the catalog: ``save``).

    ``choices`` replace ``person`` parameters (``goal``, ``top_k``, ``face={'detect': False}``
    ...; one that is ``None`` keeps conf's value). ``person``: adapt to, rank by and add to that
    person's history (``history``: another file). ``catalogue``: the music ranked (conf's
    ``catalogue`` choice: ``pmemo``, ``soundtracks_set1+pmemo`` ...).
    ``face_model``/``audio_model``/``calibration`` replace the shipped files and the default
    voice profile (``None``: the catalog's). A history that cannot be used: the answer without
    it (not adapted, not kept), with a warning naming the file, as the page does. Raises
    what the nodes raise (:class:`~moodrec.person.errors.PersonInputError`,
    :class:`~moodrec.person.errors.ModelFileError`).
    """
    from moodrec.app.service import PersonService
    from moodrec.person.history import HistoryError

    models = {name: path for name, path in (("face_model_onnx", face_model),
                                            ("audio_model_onnx", audio_model)) if path is not None}
    runtime = {"voice_profile": _absolute(calibration)} if calibration is not None else {}
    if catalogue is not None:
        runtime["catalogue"] = catalogue
    service = PersonService.start(project_dir, env, models=models, runtime_params=runtime,
                                  history=None if history is None else _absolute(history))
    photos, clips = [_absolute(p) for p in faces], [_absolute(p) for p in voices]
    given = {name: value for name, value in choices.items() if value is not None}
    try:
        return service.answer(photos, clips, person=person, **given), service
    except HistoryError as err:  # the warm service answers again, for nobody
        answer = service.answer(photos, clips, **given)
        answer["warnings"].append(f"{err}; answered without your history (not adapted, "
                                  "not kept)")
        return answer, service


@click.command(
    short_help="recommend music for a person from a photo and/or a voice clip",
    help="Read the emotion in a face photo and/or a voice recording, fuse them, and recommend "
    "soundtrack excerpts, each with a one-line reason. Works offline with the models shipped "
    "in models/.",
    epilog="exit status: 0 ok; 3 answered with a warning (an input unusable, or several faces "
    "in a photo); 1 no answer (nothing written); 2 usage error")
@with_options(
    click.option("--face", multiple=True, metavar="PHOTO",
                 help="a photo (JPEG, PNG, ...); repeat for several photos of one person"),
    click.option("--voice", multiple=True, metavar="CLIP",
                 help="a voice recording (WAV, FLAC, OGG, MP3; >= 1 s); repeatable"),
    click.option("--goal", type=click.Choice(GOALS, case_sensitive=False), default=None,
                 help="match the mood, uplift (higher valence) or calm (lower arousal) "
                 "(default: conf's person.goal)"),
    click.option("--top", type=int, default=None, metavar="K",
                 help="how many excerpts (default: conf's person.top_k)"),
    click.option("--catalogue", default=None, metavar="NAME",
                 help="the music ranked: soundtracks_set1, soundtracks_set2, pmemo, songs1000 "
                 "or a '+' list (default: conf's catalogue)"),
    click.option("--similarity", default=None, metavar="MODE",
                 help="similarity mode (default: the recommendation pipeline's)"),
    click.option("--no-face-detection", is_flag=True,
                 help="the photos are already face crops: skip face detection"),
    click.option("--json", "as_json", is_flag=True, help="print the answer as JSON"),
    person_options,
    click.option("--face-model", type=FILE, default=None, metavar="ONNX",
                 help="face model file (default: the shipped models/face/face_model.onnx)"),
    click.option("--audio-model", type=FILE, default=None, metavar="ONNX",
                 help="voice model file (default: models/audio/voice_model.onnx)"),
    click.option("--calibration", type=FILE, default=None, metavar="JSON",
                 help="voice profile of `moodrec calibrate` (default: "
                 "data/09_person/voice_profile.json when it exists)"),
    project_options,
    click.option("--verbose", is_flag=True, help="show Kedro's log"),
)
def recommend(face: tuple[str, ...], voice: tuple[str, ...], goal: str | None, top: int | None,
              no_face_detection: bool, as_json: bool, no_adapt: bool, verbose: bool,
              **options: Any) -> int:
    if not face and not voice:
        raise click.UsageError("give --face PHOTO and/or --voice CLIP")
    from moodrec.person.answer import render_text

    with quiet(verbose):
        answer, service = run_person_pipeline(
            face, voice, goal=goal, top_k=top, adapt=not no_adapt,
            face={"detect": not no_face_detection}, **options)
    try:
        with quiet():
            service.save(answer)
        saved = None
    except Exception as err:
        saved = fail("moodrec recommend: the answer was not written", err)
    if as_json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        for warning in answer.get("warnings", []):  # the text answer lists them itself
            print(f"moodrec recommend: warning: {warning}", file=sys.stderr)
    else:
        print(render_text(answer))
    if saved is not None:
        return saved
    return EXIT_PARTIAL if answer.get("warnings") else EXIT_OK
