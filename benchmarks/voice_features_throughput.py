"""Throughput of voice feature extraction as the product does it: read a RAVDESS clip, check
that it is speech, keep the speech part, bring it to the target level, compute the shipped
model's feature set. Original clips only (no augmentation), all cores (joblib), progress bar.

    python benchmarks/voice_features_throughput.py --clips 400 \\
        --json docs/benchmarks/voice_features_throughput.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import yaml
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from moodrec.audio.extraction import check_speech, voice_features
from moodrec.audio.io import load_audio
from moodrec.training.machine import describe


def features_of(path: Path, settings: dict) -> int:
    signal = load_audio(path, sr=int(settings["sample_rate"]))
    check_speech(signal, int(settings["sample_rate"]), settings["speech_checks"])
    values, _ = voice_features(signal, int(settings["sample_rate"]), settings)
    return len(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="data/01_raw/ravdess")
    parser.add_argument("--clips", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument("--feature-set", default=None, help="default: the shipped model's")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    params = yaml.safe_load(Path("conf/base/parameters_audio_training.yml").read_text())
    settings = dict(params["audio_training"]["features"])
    if args.feature_set is None:
        config = json.loads(Path("models/audio/audio_config.json").read_text())["config"]
        args.feature_set = config["feature_set"]
    settings["feature_set"] = args.feature_set
    files = sorted(Path(args.folder).rglob("*.flac"))[: args.clips]
    Parallel(n_jobs=args.jobs)(delayed(features_of)(f, settings) for f in files[:4])  # warm up
    started = time.perf_counter()
    sizes = list(tqdm(Parallel(n_jobs=args.jobs, return_as="generator")(
        delayed(features_of)(f, settings) for f in files), total=len(files), unit="clip"))
    seconds = time.perf_counter() - started
    result = {"feature_set": args.feature_set, "features": sizes[0], "clips": len(files),
              "seconds": round(seconds, 2), "clips_per_second": round(len(files) / seconds, 1),
              "jobs": args.jobs, "machine": describe()}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
