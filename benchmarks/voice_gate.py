"""The voice gate (the speech check every voice clip passes before the model reads it:
:func:`moodrec.audio.extraction.check_speech`, settings ``audio_training.features.
speech_checks``) measured on what it should let through and what it should stop.

* **False refusals**: real speech (RAVDESS actors 21-24, the fixed split's held-out actors,
  and EmoDB, EMOVO and URDU clips) under ordinary recording conditions: white-noise floors of
  -70 to -40 dBFS, a synthetic music bed (chords, bass, drums) 20, 10 and 5 dB under the
  voice, a DC offset, out-of-phase stereo (written as a stereo WAV and loaded by
  :func:`moodrec.audio.io.load_audio`), a peak of -40 dBFS.
* **True refusals**: sounds that are not speech: silence, faint hiss, white and pink noise,
  steady tones, mains hum, music alone, clicks, a DC level.
* With ``--accuracy``, beside each condition: the accuracy of the fixed-split voice model
  (``models/audio/voice_model_fixed_split.pkl``, trained on actors 1-20) on the RAVDESS clips
  read *without* the gate, i.e. whether the model can still read what the gate decides on.

Every random choice comes from ``--seed``. Reads the reference data (``--data``).

    python benchmarks/voice_gate.py --accuracy --json docs/benchmarks/voice_gate.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import soundfile
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs from a checkout without installing, too

from moodrec.audio.extraction import NotSpeechError, check_speech, voice_features  # noqa: E402
from moodrec.audio.io import load_audio  # noqa: E402
from moodrec.audio.level import active_level_dbfs  # noqa: E402
from moodrec.training.machine import describe  # noqa: E402


def _scaled(x: np.ndarray, rms_dbfs: float) -> np.ndarray:
    return x * (10 ** (rms_dbfs / 20) / max(float(np.sqrt(np.mean(x ** 2))), 1e-20))


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.normal(size=n))
    return np.fft.irfft(spectrum / np.sqrt(np.maximum(np.arange(spectrum.size), 1)), n=n)


def music(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """A synthetic music bed: a chord per bar, plucked as arpeggios on the beats, a bass, a
    kick on beats 1 and 3 and a hi-hat on the off-beats, at 90-140 beats per minute."""
    seconds = n / sr
    out, beat = np.zeros(n), 60.0 / rng.uniform(90, 140)
    roots = 110.0 * 2 ** (rng.choice([0, 2, 3, 5, 7, 8, 10], size=int(seconds / beat / 4) + 2)
                          / 12)
    for k in range(int(seconds / beat) + 1):
        start = int(k * beat * sr)
        length = min(int(beat * sr), n - start)
        if length <= 0:
            break
        t = np.arange(length) / sr
        root = roots[k // 4]
        note = root * 2 * (1, 5 / 4, 3 / 2, 2)[k % 4]
        for f, amp, decay in ((note, 0.5, 4.0), (root / 2, 0.6, 2.0)):  # pluck, bass
            out[start:start + length] += amp * np.exp(-decay * t) * sum(
                np.sin(2 * np.pi * f * h * t) / h for h in (1, 2, 3))
        if k % 2 == 0:  # kick
            out[start:start + length] += np.exp(-30 * t) * np.sin(2 * np.pi * 60 * t)
        hat = start + length // 2
        burst = np.diff(rng.normal(size=min(int(0.03 * sr), n - hat) + 1)) * 0.2
        out[hat:hat + burst.size] += burst * np.exp(-np.arange(burst.size) / (0.008 * sr))
    return out


def speech_conditions() -> dict:
    """Name -> f(signal, sr, rng, folder) -> the recorded signal."""
    def floor(dbfs):
        return lambda x, sr, rng, _: x + rng.normal(scale=10 ** (dbfs / 20), size=x.size)

    def bed(under_db):
        return lambda x, sr, rng, _: x + _scaled(music(x.size, sr, rng),
                                                 active_level_dbfs(x, sr) - under_db)

    def out_of_phase(x, sr, rng, folder):
        path = Path(folder) / "stereo.wav"
        soundfile.write(path, np.stack([x, -x], axis=1), sr, subtype="FLOAT")
        return load_audio(path, sr=sr)

    return {
        "as recorded": lambda x, sr, rng, _: x,
        **{f"white noise floor {d} dBFS": floor(d) for d in (-70, -60, -50, -40)},
        **{f"music bed {u} dB under the voice": bed(u) for u in (20, 10, 5)},
        "DC offset +0.1": lambda x, sr, rng, _: x + 0.1,
        "out-of-phase stereo": out_of_phase,
        "peak -40 dBFS": lambda x, sr, rng, _: x * (0.01 / np.abs(x).max()),
    }


def non_speech(seconds: float, sr: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One of each kind of sound that is not a voice, its level and details drawn by ``rng``."""
    n, t = int(seconds * sr), np.arange(int(seconds * sr)) / sr
    level = rng.uniform(-45, -15)
    mains = rng.choice([50.0, 60.0])
    clicks = np.zeros(n)
    clicks[(np.arange(0, seconds, 1 / rng.uniform(1, 8)) * sr).astype(int)] = 1.0
    return {
        "digital silence": np.zeros(n),
        "hiss at -80 dBFS": rng.normal(scale=1e-4, size=n),
        "white noise": _scaled(rng.normal(size=n), level),
        "pink noise": _scaled(pink(n, rng), level),
        "steady tone": _scaled(np.sin(2 * np.pi * rng.uniform(100, 1000) * t), level),
        "mains hum": _scaled(sum(np.sin(2 * np.pi * mains * h * t) / h for h in (1, 2, 3)),
                             level),
        "music alone": _scaled(music(n, sr, rng), level),
        "clicks": clicks * 10 ** (rng.uniform(-20, -3) / 20),
        "DC level": 0.1 + rng.normal(scale=1e-4, size=n),
    }


def speech_files(data: Path, per_corpus: int, rng: np.random.Generator) -> list[Path]:
    corpora = {
        "ravdess": [f for a in (21, 22, 23, 24)
                    for f in sorted((data / "ravdess" / f"Actor_{a:02d}").glob("*.flac"))],
        "emodb": sorted((data / "emodb").glob("*.flac")),
        "emovo": sorted((data / "emovo").rglob("*.flac")),
        "urdu": sorted((data / "urdu").rglob("*.flac")),
    }
    return [files[i] for files in corpora.values()
            for i in sorted(rng.choice(len(files), size=per_corpus, replace=False))]


def verdict(signal: np.ndarray, sr: int, checks: dict) -> str | None:
    """None when the gate reads the signal, else the kind of refusal (its message's head)."""
    try:
        check_speech(np.asarray(signal, np.float32), sr, checks)
    except NotSpeechError as err:
        return str(err).split(" (")[0]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--per-corpus", type=int, default=40, help="speech clips per corpus")
    parser.add_argument("--non-speech", type=int, default=12, help="sounds of each kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--accuracy", action="store_true",
                        help="also the fixed-split model's accuracy (RAVDESS, no gate)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    params = yaml.safe_load((ROOT / "conf/base/parameters_audio_training.yml").read_text())
    settings = params["audio_training"]["features"]
    sr, checks = int(settings["sample_rate"]), settings["speech_checks"]
    rng = np.random.default_rng(args.seed)
    files = speech_files(args.data, args.per_corpus, rng)
    model = None
    if args.accuracy:
        import joblib

        from moodrec.audio.naming import parse_ravdess_name
        from moodrec.core.emotions import EMOTIONS

        model = joblib.load(ROOT / "models/audio/voice_model_fixed_split.pkl")
    started = time.perf_counter()
    speech: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, condition in speech_conditions().items():
            refused, right, scored = Counter(), 0, 0
            for number, path in enumerate(files):
                clip_rng = np.random.default_rng([args.seed, number])
                signal = condition(load_audio(path, sr=sr).astype(np.float64), sr, clip_rng,
                                   folder)
                why = verdict(signal, sr, checks)
                corpus = path.relative_to(args.data).parts[0]
                refused.update([f"{corpus}: {why}"] if why else [])
                if model is not None and "ravdess" in path.parts:
                    emotion = parse_ravdess_name(path).emotion
                    if emotion in EMOTIONS:
                        values, names = voice_features(signal.astype(np.float32), sr,
                                                       model.settings)
                        x = values[[names.index(f) for f in model.feature_names]]
                        p = model.read_features(x[None, :])[0]
                        right += EMOTIONS[int(p.argmax())] == emotion
                        scored += 1
            speech[name] = {"clips": len(files), "refused": sum(refused.values()),
                            "false_refusal_rate": round(sum(refused.values()) / len(files), 3),
                            "why": dict(refused.most_common())}
            if scored:
                speech[name]["model_accuracy_without_gate"] = round(right / scored, 3)
                speech[name]["clips_scored"] = scored
            print(f"{name:36s} refused {sum(refused.values()):3d}/{len(files)}"
                  + (f"  model accuracy {right / scored:.3f} ({scored})" if scored else ""))
    kinds: dict[str, Counter] = {}
    for number in range(args.non_speech):
        sounds = non_speech(4.0, sr, np.random.default_rng([args.seed, 10_000 + number]))
        for kind, signal in sounds.items():
            kinds.setdefault(kind, Counter())[verdict(signal, sr, checks) or "read as speech"] += 1
    sounds_total = sum(sum(c.values()) for c in kinds.values())
    stopped = sum(sum(v for k, v in c.items() if k != "read as speech") for c in kinds.values())
    for kind, counts in kinds.items():
        print(f"{kind:36s} {dict(counts)}")
    result = {
        "checks": checks, "seed": args.seed,
        "speech": speech,
        "false_refusal_rate_all_conditions": round(
            sum(c["refused"] for c in speech.values()) / sum(c["clips"] for c in speech.values()),
            3),
        "non_speech": {k: dict(c) for k, c in kinds.items()},
        "true_refusal_rate": round(stopped / sounds_total, 3),
        "seconds": round(time.perf_counter() - started, 1), "machine": describe(),
    }
    print(f"false refusals, all conditions: {result['false_refusal_rate_all_conditions']}; "
          f"true refusals: {stopped}/{sounds_total} = {result['true_refusal_rate']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
