"""``moodrec calibrate``: a person's ordinary voice, recorded once, read against afterwards.

The person records a few seconds of calm, ordinary speech. Its features (the voice model's
own, :meth:`moodrec.audio.voice_reader.VoiceModel.profile`) are kept in a small local
profile; ``moodrec recommend`` then reads that person's clips relative to it. Nothing is
written unless every clip is usable speech and there is enough of it.

The profile and the voice model are the catalog's ``person_voice_profile`` and ``audio_model``
unless ``--profile`` / ``--audio-model`` say otherwise.

Exit status: 0 profile written; 1 unusable input or model (nothing written); 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from moodrec.app.exits import fail
from moodrec.app.options import PATH

#: Calm speech needed in all (voiced seconds): one RAVDESS sentence holds about 1.5 s.
MIN_VOICED_SECONDS = 1.5


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


@click.command(
    short_help="record your ordinary voice once, so your clips are read against it",
    help="Make a voice profile from a few seconds of your calm, ordinary speech. "
    "`moodrec recommend --voice` then reads your clips relative to it.",
    epilog="exit status: 0 profile written; 1 unusable clip (nothing written); 2 usage")
@click.option("--voice", multiple=True, required=True, metavar="CLIP",
              help="a clip of calm, ordinary speech (WAV, FLAC, ...); repeatable")
@click.option("--profile", type=PATH, default=None, metavar="JSON",
              help="where to write the profile (default: the catalog's person_voice_profile)")
@click.option("--audio-model", type=PATH, default=None, metavar="PKL",
              help="voice model file (default: the catalog's audio_model)")
@click.option("--project-dir", type=PATH, default=None,
              help="the moodrec project (default: found from the current folder)")
def calibrate(voice: tuple[str, ...], profile: Path | None, audio_model: Path | None,
              project_dir: Path | None) -> int:
    from moodrec.app.service import configuration
    from moodrec.person.datasets import VoiceProfileDataset
    from moodrec.run.project import find_project

    project = find_project(project_dir)
    try:
        catalog, params = configuration(project, None, {})
        made = make_profile(list(voice), audio_model or Path(catalog["audio_model"]["filepath"]),
                            float(params["person"]["voice"]["max_seconds"]))
    except Exception as err:
        return fail("moodrec calibrate", err, after="; no profile written")
    target = profile or catalog["person_voice_profile"]["filepath"]
    VoiceProfileDataset(str(target)).save(made)
    print(f"voice profile written to {target} ({made.seconds:.1f} s of speech, "
          f"{len(made.mean)} features); `moodrec recommend --voice ...` now reads your "
          "voice against it")
    return 0
