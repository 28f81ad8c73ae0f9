"""``moodrec recommend``: music for a person, from a photo and/or a voice clip.

It runs the person nodes of the ``recommendation`` Kedro pipeline (tag ``person``) in a
Kedro session of the project, with the files and choices as runtime parameters: the same code
and catalog as ``kedro run --pipelines recommendation --params face_image=...``. The answer is
written by the catalog to ``data/07_model_output/person_recommendation.{json,csv}`` and printed.

Exit status: 0 answered from every input; 3 answered, but some input could not be used (the
other sense answered; the warnings say which); 1 nothing could be answered (no usable input, a
missing or unfit model; nothing written); 2 wrong usage (unknown goal, bad ``--top``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from moodrec.person.goals import GOALS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
PERSON_TAG = "person"
ANSWER_DATASET = "person_recommendation"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recommend",
        help="recommend music for a person from a photo and/or a voice clip",
        description="Read the emotion in a face photo and/or a voice recording, fuse them, "
        "and recommend soundtrack excerpts, each with a one-line reason. Works offline with "
        "the models shipped in models/.",
        epilog="exit status: 0 ok; 3 answered but an input was unusable (see warnings); "
        "1 no answer (nothing written); 2 usage error",
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
    parser.add_argument("--env", default=None, help="Kedro environment (default: local)")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="the moodrec project (default: found from the current folder)")
    parser.add_argument("--verbose", action="store_true", help="show Kedro's log")
    parser.set_defaults(handler=handle)


def find_project(start: Path | None = None) -> Path:
    """The Kedro project folder: ``start`` or a parent with a moodrec ``pyproject.toml``;
    else the checkout this package was installed from."""
    candidates = []
    if start is not None:
        candidates.append(Path(start))
    here = Path.cwd().resolve()
    candidates += [here, *here.parents]
    candidates.append(Path(__file__).resolve().parents[3])
    for folder in candidates:
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                kedro = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["kedro"]
            except (KeyError, tomllib.TOMLDecodeError):
                continue
            if kedro.get("package_name") == "moodrec":
                return folder.resolve()
        if start is not None:
            break
    where = start if start is not None else Path.cwd()
    raise FileNotFoundError(
        f"no moodrec Kedro project at {where} or above it; run from the project folder or "
        "give --project-dir"
    )


@contextlib.contextmanager
def _quiet(verbose: bool) -> Iterator[None]:
    """Hide Kedro's and TensorFlow's INFO chatter (the answer is the output)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
    if verbose:
        yield
        return
    names = ("kedro", "moodrec", "py.warnings", "absl", "tensorflow", "keras")
    saved = {n: logging.getLogger(n).level for n in names}
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)


def run_person_pipeline(
    faces: Sequence[str | Path] = (), voices: Sequence[str | Path] = (), *, goal: str = "match",
    top_k: int = 5, similarity: str | None = None, face_detection: bool = True,
    project_dir: Path | None = None, env: str | None = None, verbose: bool = False,
) -> dict[str, Any]:
    """Run the person nodes of ``recommendation`` in a Kedro session; return the answer.

    Paths are made absolute first (the session runs in the project folder). Raises what the
    nodes raise (:class:`~moodrec.person.errors.PersonInputError`, ``ModelFileError``).
    """
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    project = find_project(project_dir)
    runtime: dict[str, Any] = {
        "face_image": [str(Path(p).expanduser().resolve()) for p in faces] or None,
        "voice_clip": [str(Path(p).expanduser().resolve()) for p in voices] or None,
        "goal": goal,
        "top_k": top_k,
        "face_detection": bool(face_detection),
    }
    if similarity is not None:
        runtime["similarity"] = similarity
    previous = Path.cwd()
    with _quiet(verbose):
        os.chdir(project)
        try:
            bootstrap_project(project)
            with KedroSession.create(project_path=project, env=env, runtime_params=runtime) as session:
                if not verbose:  # the session configured logging anew: quieten it again
                    for n in ("kedro", "moodrec", "absl", "tensorflow", "keras"):
                        logging.getLogger(n).setLevel(logging.CRITICAL)
                context = session.load_context()
                session.run(pipeline_names=["recommendation"], tags=[PERSON_TAG])
                return context.catalog.load(ANSWER_DATASET)
        finally:
            os.chdir(previous)


def handle(args: argparse.Namespace) -> int:
    from moodrec.person.answer import render_text
    from moodrec.person.errors import ModelFileError, PersonInputError

    if not args.face and not args.voice:
        print("moodrec recommend: give --face PHOTO and/or --voice CLIP", file=sys.stderr)
        return EXIT_USAGE
    try:
        answer = run_person_pipeline(
            args.face, args.voice, goal=args.goal, top_k=args.top, similarity=args.similarity,
            face_detection=not args.no_face_detection, project_dir=args.project_dir,
            env=args.env, verbose=args.verbose,
        )
    except PersonInputError as err:
        print(f"moodrec recommend: {err}", file=sys.stderr)
        usage = str(err).startswith(("unknown goal", "top k", "unknown similarity"))
        return EXIT_USAGE if usage else EXIT_FAILED
    except (ModelFileError, FileNotFoundError) as err:
        print(f"moodrec recommend: {err}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        print(render_text(answer))
    for warning in answer.get("warnings", []):
        print(f"moodrec recommend: warning: {warning}", file=sys.stderr)
    unusable = any(not s["used"] or s["problems"] for s in answer["senses"].values())
    return EXIT_PARTIAL if unusable else EXIT_OK
