"""``moodrec calibrate``: a person's ordinary voice, recorded once, read against afterwards.

The person records a few seconds of calm, ordinary speech. Its features (the voice model's
own, :meth:`moodrec.audio.voice_reader.VoiceModel.profile`) are kept in a small local
profile; ``moodrec recommend`` then reads that person's clips relative to it. Nothing is
written unless every clip is usable speech and there is enough of it.

Exit status: 0 profile written; 1 unusable input or model (nothing written); 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_PROFILE = Path("data/09_person/voice_profile.json")
DEFAULT_MODEL = Path("models/audio/voice_model.pkl")
#: Calm speech needed in all (voiced seconds): one RAVDESS sentence holds about 1.5 s.
MIN_VOICED_SECONDS = 1.5


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate", help="record your ordinary voice once, so your clips are read against it",
        description="Make a voice profile from a few seconds of your calm, ordinary speech. "
        "`moodrec recommend --voice` then reads your clips relative to it.",
        epilog="exit status: 0 profile written; 1 unusable clip (nothing written); 2 usage")
    parser.add_argument("--voice", action="append", required=True, metavar="CLIP",
                        help="a clip of calm, ordinary speech (WAV, FLAC, ...); repeatable")
    parser.add_argument("--profile", type=Path, default=None, metavar="JSON",
                        help=f"where to write the profile (default: {DEFAULT_PROFILE} in the "
                        "project)")
    parser.add_argument("--audio-model", type=Path, default=None, metavar="PKL",
                        help=f"voice model file (default: {DEFAULT_MODEL} in the project)")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="the moodrec project (default: found from the current folder)")
    parser.set_defaults(handler=handle)


def make_profile(clips: list[str], model_path: Path, max_seconds: float):
    """The voice profile of ``clips`` (each read up to ``max_seconds``: the person path's
    ``person.voice.max_seconds``); raises UnusableInputError / NotSpeechError."""
    import joblib

    from moodrec.audio.extraction import NotSpeechError
    from moodrec.person.datasets import read_voice_signal
    from moodrec.person.errors import ModelFileError
    from moodrec.person.models import check_voice_model

    if not model_path.is_file():
        raise ModelFileError(f"voice model not found: {model_path}; train it with "
                             "`kedro run --pipelines audio_training`")
    model = joblib.load(model_path)
    problem = check_voice_model(model)
    if problem:
        raise ModelFileError(f"voice model {model_path}: {problem}")
    signals, voiced = [], 0.0
    for clip in clips:
        signal, notes = read_voice_signal(clip, sr=model.sample_rate, max_seconds=max_seconds)
        for note in notes:
            print(f"moodrec calibrate: note: {note}", file=sys.stderr)
        try:
            voiced += model.check(signal).voiced_seconds
        except NotSpeechError as err:
            raise NotSpeechError(f"voice clip {clip}: {err}") from None
        signals.append(signal)
    if voiced < MIN_VOICED_SECONDS:
        raise NotSpeechError(f"too little calm speech to calibrate: {voiced:.2f} s voiced in "
                             f"{len(clips)} clip(s); record at least {MIN_VOICED_SECONDS} s "
                             "(a sentence or two)")
    return model.profile(signals)


def handle(args: argparse.Namespace) -> int:
    from moodrec.app.service import configuration
    from moodrec.audio.extraction import NotSpeechError
    from moodrec.person.datasets import VoiceProfileDataset
    from moodrec.person.errors import ModelFileError, UnusableInputError
    from moodrec.run.conf_files import ConfFileError
    from moodrec.run.project import find_project

    try:
        project = find_project(args.project_dir)
    except FileNotFoundError as err:
        print(f"moodrec calibrate: {err}", file=sys.stderr)
        return EXIT_USAGE
    target = args.profile or project / DEFAULT_PROFILE
    try:
        max_seconds = configuration(project, None, {})[1]["person"]["voice"]["max_seconds"]
        profile = make_profile(args.voice, args.audio_model or project / DEFAULT_MODEL,
                               float(max_seconds))
    except (UnusableInputError, NotSpeechError, ModelFileError, ConfFileError) as err:
        print(f"moodrec calibrate: {err}; no profile written", file=sys.stderr)
        return EXIT_FAILED
    VoiceProfileDataset(str(target)).save(profile)
    print(f"voice profile written to {target} ({profile.seconds:.1f} s of speech, "
          f"{len(profile.mean)} features); `moodrec recommend --voice ...` now reads your "
          "voice against it")
    return EXIT_OK
