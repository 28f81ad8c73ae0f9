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

import argparse
import contextlib
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from moodrec.app.options import add_person_options, add_project_options
from moodrec.core.goals import GOALS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recommend",
        help="recommend music for a person from a photo and/or a voice clip",
        description="Read the emotion in a face photo and/or a voice recording, fuse them, "
        "and recommend soundtrack excerpts, each with a one-line reason. Works offline with "
        "the models shipped in models/.",
        epilog="exit status: 0 ok; 3 answered with a warning (an input unusable, or several "
        "faces in a photo); 1 no answer (nothing written); 2 usage error",
    )
    parser.add_argument("--face", action="append", default=[], metavar="PHOTO",
                        help="a photo (JPEG, PNG, ...); repeat for several photos of one person")
    parser.add_argument("--voice", action="append", default=[], metavar="CLIP",
                        help="a voice recording (WAV, FLAC, OGG, MP3; >= 1 s); repeatable")
    parser.add_argument("--goal", default="match", type=str.lower, choices=GOALS,
                        help="match the mood, uplift (higher valence) or calm (lower arousal)")
    parser.add_argument("--top", type=int, default=5, metavar="K", help="how many excerpts (5)")
    parser.add_argument("--similarity", default=None, metavar="MODE",
                        help="similarity mode (default: the recommendation pipeline's)")
    parser.add_argument("--no-face-detection", action="store_true",
                        help="the photos are already face crops: skip face detection")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    add_person_options(parser)
    parser.add_argument("--face-model", type=Path, default=None, metavar="ONNX",
                        help="face model file (default: the shipped models/face/face_model.onnx)")
    parser.add_argument("--audio-model", type=Path, default=None, metavar="ONNX",
                        help="voice model file (default: models/audio/voice_model.onnx)")
    parser.add_argument("--calibration", type=Path, default=None, metavar="JSON",
                        help="voice profile of `moodrec calibrate` (default: "
                        "data/09_person/voice_profile.json when it exists)")
    add_project_options(parser)
    parser.add_argument("--verbose", action="store_true", help="show Kedro's log")
    parser.set_defaults(handler=handle)


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
def _quiet(verbose: bool) -> Iterator[None]:
    """Keep Kedro's log (rich writes it to stdout) and TensorFlow's chatter out of the answer.

    Without ``--verbose`` everything written while the pipeline runs is held back: Python's
    streams go to a buffer, the native ones to /dev/null. If the run fails with an error the
    command does not explain itself, the buffered log is shown on stderr.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
    if verbose:
        yield
        return
    from kedro.io import DatasetError  # (kedro.io does not log as it is imported)

    from moodrec.run.errors import project_error

    saved = {n: logging.getLogger(n).level for n in QUIET_LOGGERS}
    held = io.StringIO()
    # Kedro's configuration re-sets its loggers' levels; a global threshold outlives that and
    # spares formatting the INFO lines nobody will see (rich's handler: a third of a second).
    logging.disable(logging.INFO)
    try:
        with _silenced_fds(), contextlib.redirect_stdout(held), contextlib.redirect_stderr(held):
            yield
    except BaseException as err:
        if not isinstance(err, FileNotFoundError | DatasetError) and project_error(err) is None:
            sys.stderr.write(held.getvalue())
        raise
    finally:
        logging.disable(logging.NOTSET)
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)


def _quieten_loggers() -> None:
    for n in QUIET_LOGGERS:
        logging.getLogger(n).setLevel(logging.CRITICAL)


def _absolute(path: str | Path) -> str:
    """``path`` made absolute without following links (``/dev/stdin`` stays itself, so its
    dataset can say what it is); ``-`` (standard input) is kept, to be refused by name."""
    text = str(path)
    return text if text.strip() == "-" else str(Path(text).expanduser().absolute())


def run_person_pipeline(
    faces: Sequence[str | Path] = (), voices: Sequence[str | Path] = (), *, goal: str = "match",
    top_k: int = 5, similarity: str | None = None, face_detection: bool = True,
    project_dir: Path | None = None, env: str | None = None,
    face_model: str | Path | None = None, audio_model: str | Path | None = None,
    calibration: str | Path | None = None, person: str | None = None, adapt: bool = True,
    history: str | Path | None = None,
) -> tuple[dict[str, Any], Any]:
    """Run the ``person`` pipeline once (:class:`~moodrec.app.service.PersonService`); return
    the answer and the service (which writes it through the catalog: ``save``).

    ``person``: adapt to, rank by and add to that person's history (``history``: another file).

    ``face_model``/``audio_model``/``calibration`` replace the shipped files and the default
    voice profile (``None``: the catalog's). Raises what the nodes raise
    (:class:`~moodrec.person.errors.PersonInputError`,
    :class:`~moodrec.person.errors.ModelFileError`).
    """
    from moodrec.app.service import PersonService

    models = {name: path for name, path in (("face_model_onnx", face_model),
                                            ("audio_model_onnx", audio_model)) if path is not None}
    runtime = {"voice_profile": _absolute(calibration)} if calibration is not None else {}
    service = PersonService.start(project_dir, env, models=models, runtime_params=runtime,
                                  history=None if history is None else _absolute(history))
    return service.answer(
        [_absolute(p) for p in faces], [_absolute(p) for p in voices], person=person,
        goal=goal, top_k=top_k, similarity=similarity, face={"detect": bool(face_detection)},
        adapt=adapt,
    ), service


def _dataset_problem(err: Exception) -> str:
    """A catalog dataset that could not be read or written, in one line; missing raw data says
    how to fetch it, a folder that cannot be written is named."""
    if str(err).startswith("Failed while saving"):  # Kedro's words for an error in ``save``
        cause = err.__cause__ or err
        folder = Path(getattr(cause, "filename", None) or "?").parent
        return (f"could not write to {folder} ({getattr(cause, 'strerror', None) or cause}); "
                "make it writable (chmod u+w), or give the dataset another path in conf/local/")
    name = str(err).split(":", 1)[0]
    cause, seen = err.__cause__, 0
    while cause is not None and not isinstance(cause, FileNotFoundError) and seen < 10:
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    cause = cause or err.__cause__
    if isinstance(cause, FileNotFoundError):
        missing = cause.filename or str(cause)
        hint = ("; fetch the raw data with `moodrec fetch-data`"
                if "01_raw" in Path(str(missing)).parts else
                "; make it with `kedro run` (the va_mapping and recommendation pipelines)")
        return f"cannot read {name}: no file {missing}{hint}"
    detail = str(cause or err).strip().splitlines()
    return f"cannot read {name}: {detail[-1] if detail else type(err).__name__}"


def quiet_run(command: str, action: Callable[[], Any], *, verbose: bool = False) -> Any:
    """``action()`` with the log held back (:func:`_quiet`); a person's or the project's error
    is printed as ``command: message`` and its exit status returned instead (an ``int``)."""
    from moodrec.person.errors import ModelFileError, PersonInputError
    from moodrec.person.history import HistoryError, PersonNameError
    from moodrec.run.project import ProjectNotFoundError

    try:
        with _quiet(verbose):
            if not verbose:
                _quieten_loggers()
            return action()
    except PersonInputError as err:
        print(f"{command}: {err}", file=sys.stderr)
        usage = str(err).startswith(("unknown goal", "top k", "unknown similarity"))
        return EXIT_USAGE if usage else EXIT_FAILED
    except (ProjectNotFoundError, PersonNameError) as err:
        print(f"{command}: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (ModelFileError, FileNotFoundError, HistoryError) as err:
        print(f"{command}: {err}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as err:  # va_mapping's and recommendation's errors, the datasets'
        from kedro.io import DatasetError

        from moodrec.run.errors import short_message

        message = short_message(err)
        if message is None and not isinstance(err, DatasetError):
            raise
        print(f"{command}: {message or _dataset_problem(err)}", file=sys.stderr)
        return EXIT_FAILED


def handle(args: argparse.Namespace) -> int:
    from moodrec.person.answer import render_text

    if not args.face and not args.voice:
        print("moodrec recommend: give --face PHOTO and/or --voice CLIP", file=sys.stderr)
        return EXIT_USAGE
    for option, path in (("--face-model", args.face_model), ("--audio-model", args.audio_model),
                         ("--calibration", args.calibration)):
        if path is not None and not path.is_file():
            hint = (" (make one with `moodrec calibrate --voice CALM_SPEECH.wav --profile "
                    "FILE`)" if option == "--calibration" else "")
            print(f"moodrec recommend: {option} {path}: no such file{hint}", file=sys.stderr)
            return EXIT_USAGE
    done = quiet_run("moodrec recommend", lambda: run_person_pipeline(
        args.face, args.voice, goal=args.goal, top_k=args.top, similarity=args.similarity,
        face_detection=not args.no_face_detection, project_dir=args.project_dir, env=args.env,
        face_model=args.face_model, audio_model=args.audio_model, calibration=args.calibration,
        person=args.person, adapt=not args.no_adapt, history=args.history,
    ), verbose=args.verbose)
    if isinstance(done, int):
        return done
    answer, service = done
    saved = quiet_run("moodrec recommend: the answer was not written", lambda: service.save(answer))
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        for warning in answer.get("warnings", []):  # the text answer lists them itself
            print(f"moodrec recommend: warning: {warning}", file=sys.stderr)
    else:
        print(render_text(answer))
    if isinstance(saved, int):
        return saved
    return EXIT_PARTIAL if answer.get("warnings") else EXIT_OK
