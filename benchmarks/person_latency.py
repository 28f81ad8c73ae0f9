"""Latency of the person path: one photo plus one 3 s voice clip -> explained music.

Uses the code ``moodrec recommend`` runs: the project's catalog and parameters in a Kedro
session, with the files and the model paths as runtime parameters, and the person nodes of the
``recommendation`` pipeline. It measures, separately:

1. **start-up**: importing Kedro, TensorFlow/Keras and the project (once per process);
2. **model load**: the face model and the voice model, each loaded (and
   checked) through the catalog's ``person_*`` entries (``OnDemandDataset`` ->
   ``ModelLoader.get()``): the first load in the process, and the median of ``--repeats``
   fresh loads;
3. **inference, warm**: the person nodes with the models loaded (read the photo, detect, crop
   and classify the face; read and resample the clip, cut windows, extract the 162 training
   features, classify; fuse, move by the goal, rank, explain) plus writing the answer (to a
   temporary folder): the first run (TensorFlow traces its graphs) and the median of
   ``--repeats`` runs, with each node's median;
4. **the command, cold** (``--command-runs``, default 1): ``python -m moodrec recommend`` as a
   person runs it, wall time of the whole process.

Without ``--photo``/``--clip`` it makes its inputs: the first FER2013 face of
``data/01_raw/face-data.csv.gz`` that the detector finds once enlarged 4x into a 640x480 colour
JPEG, and 3 s of a RAVDESS clip (held-out actor 22) as stereo 44.1 kHz WAV.

    python benchmarks/person_latency.py                           # the shipped models/
    python benchmarks/person_latency.py --face-model data/smoke/models/face/face_model.keras \\
        --audio-model data/smoke/models/audio/voice_model.pkl --json /tmp/latency.json

The numbers are recorded in docs/person.md ("Latency"), with the machine that measured them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs from a checkout without installing, too
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)

from moodrec.training.machine import cpu_model  # noqa: E402

DEFAULTS = {
    "face_model": "models/face/face_model.keras",
    "audio_model": "models/audio/voice_model.pkl",
}
TARGET_WARM_S = 2.0




def make_photo(folder: Path, faces_file: Path) -> Path:
    """A 640x480 colour JPEG holding a real FER2013 face enlarged to 192x192."""
    import cv2
    import numpy as np
    import pandas as pd

    from moodrec.core.faces import parse_pixels
    from moodrec.person.face_detection import detect_faces

    table = pd.read_csv(faces_file, nrows=200, usecols=["pixels"], dtype=str)
    for face in parse_pixels(table["pixels"], where=str(faces_file)):
        picture = np.full((480, 640), 128, np.uint8)
        picture[60:252, 120:312] = cv2.resize(face, (192, 192), interpolation=cv2.INTER_CUBIC)
        if len(detect_faces(picture)) == 1:
            path = folder / "face.jpg"
            cv2.imwrite(str(path), cv2.cvtColor(picture, cv2.COLOR_GRAY2BGR),
                        [cv2.IMWRITE_JPEG_QUALITY, 90])
            return path
    raise SystemExit(f"no face of the first 200 rows of {faces_file} is detected; give --photo")


def make_clip(folder: Path, seconds: float = 3.0, sr: int = 44100) -> Path:
    """A real voice: a RAVDESS clip of held-out actor 22 (happy), as stereo 44.1 kHz WAV."""
    import numpy as np
    import soundfile

    from moodrec.audio.io import load_audio

    source = Path("../shared/data/ravdess/Actor_22/03-01-03-01-01-01-22.flac")
    if not source.is_file():
        raise SystemExit(f"no RAVDESS clip at {source}; run from the project root")
    y = load_audio(source, sr=sr)[: int(seconds * sr)]
    path = folder / "voice.wav"
    soundfile.write(path, np.column_stack([y, y]), sr)
    return path


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def _timed(fn, *args) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--face-model", default=DEFAULTS["face_model"],
                        help=f"face model (default {DEFAULTS['face_model']})")
    parser.add_argument("--audio-model", default=DEFAULTS["audio_model"],
                        help=f"audio model (default {DEFAULTS['audio_model']})")
    parser.add_argument("--photo", type=Path, default=None, help="a photo (default: made)")
    parser.add_argument("--clip", type=Path, default=None, help="a voice clip (default: made)")
    parser.add_argument("--goal", default="match")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per median (7)")
    parser.add_argument("--command-runs", type=int, default=1,
                        help="cold runs of `python -m moodrec recommend` (0: skip)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")

    load_start = os.getloadavg()
    # 1. start-up: the imports the command needs (TensorFlow through Keras and the datasets)
    start = time.perf_counter()
    import keras  # noqa: F401
    import tensorflow as tf
    from kedro.framework.project import pipelines
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    from moodrec.person.datasets import PersonRecommendationDataset
    from moodrec.pipelines.recommendation.person_pipeline import create_person_pipeline

    import_s = time.perf_counter() - start

    model_paths = {"face_model": args.face_model, "audio_model": args.audio_model}
    model_paths = {k: str((ROOT / v) if not Path(v).is_absolute() else Path(v))
                   for k, v in model_paths.items()}
    missing = [p for p in model_paths.values() if not Path(p).is_file()]
    if missing:
        print(f"model file(s) not found: {', '.join(missing)}; train them (kedro run --pipelines "
              "face_training / audio_training) or give --face-model/--audio-model",
              file=sys.stderr)
        return 1

    folder = Path(tempfile.mkdtemp(prefix="person_latency_"))
    faces_file = ROOT / "data/01_raw/face-data.csv.gz"
    photo = args.photo.resolve() if args.photo else make_photo(folder, faces_file)
    clip = args.clip.resolve() if args.clip else make_clip(folder)
    runtime = {"face_image": [str(photo)], "voice_clip": [str(clip)], "goal": args.goal,
               "top_k": args.top, **model_paths}

    bootstrap_project(ROOT)
    import logging

    for name in ("kedro", "kedro_viz", "moodrec"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with KedroSession.create(project_path=ROOT, runtime_params=runtime) as session:
        context = session.load_context()
        catalog = context.catalog
        for name in ("kedro", "kedro_viz", "moodrec"):
            logging.getLogger(name).setLevel(logging.WARNING)
        person = create_person_pipeline()
        # What the person nodes rank against, made by the same nodes as in the command
        # (va_mapping.prepare_catalogue, derive_emotion_points, recommendation.join_track_list).
        full = (pipelines["va_mapping"] + pipelines["recommendation"]).to_outputs(
            "person_recommendation")
        store: dict[str, Any] = {}
        for node in (full - person).nodes:
            inputs = {n: store[n] if n in store else catalog.load(n) for n in node.inputs}
            store.update(node.run(inputs))
        for name in person.inputs():
            if name not in store and not name.startswith("person_"):
                store[name] = catalog.load(name)

        # 2. model load: fresh loaders each time (as a new command would make)
        loads: list[dict[str, float]] = []
        loaders: dict[str, Any] = {}
        for _ in range(args.repeats + 1):
            times = {}
            for name in ("person_face_model", "person_audio_model"):
                loader = catalog.load(name)
                _, times[name.removeprefix("person_")] = _timed(loader.get)
                loaders[name] = loader
            times["total"] = sum(times.values())
            loads.append(times)

        # 3. warm inference: the person nodes in order, with the loaded models
        answer_dataset = PersonRecommendationDataset(str(folder / "answer.json"),
                                                     str(folder / "answer.csv"))
        runs: list[dict[str, float]] = []
        for _ in range(args.repeats + 1):
            data = dict(store, **loaders)
            data["person_photos"] = catalog.load("person_photos")
            data["person_voice_clips"] = catalog.load("person_voice_clips")
            data["person_voice_profile"] = None  # no calibration
            times, start = {}, time.perf_counter()
            for node in person.nodes:
                outputs, times[node.name] = _timed(node.run, {n: data[n] for n in node.inputs})
                data.update(outputs)
            _, times["write_answer"] = _timed(answer_dataset.save, data["person_recommendation"])
            times["total"] = time.perf_counter() - start
            runs.append(times)
        answer = data["person_recommendation"]

    # 4. the command as a person runs it, a new process each time
    command = [sys.executable, "-m", "moodrec", "recommend", "--face", str(photo), "--voice",
               str(clip), "--goal", args.goal, "--top", str(args.top), "--json",
               "--project-dir", str(ROOT), "--face-model", model_paths["face_model"],
               "--audio-model", model_paths["audio_model"]]
    command_s = []
    for _ in range(args.command_runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        command_s.append(time.perf_counter() - start)
        if done.returncode not in (0, 3):
            print(done.stderr, file=sys.stderr)
            return 1

    first_load, warm_loads = loads[0], loads[1:]
    first_run, warm_runs = runs[0], runs[1:]
    result = {
        "machine": {
            "cpu": cpu_model(), "os_cpu_count": os.cpu_count(),
            "usable_cores": (len(os.sched_getaffinity(0))
                             if hasattr(os, "sched_getaffinity") else None),
            "load_average_start": [round(v, 2) for v in load_start],
            "load_average_end": [round(v, 2) for v in os.getloadavg()],
            "python": platform.python_version(), "tensorflow": tf.__version__,
            "keras": keras.__version__,
        },
        "models": {k: {"path": v, "bytes": Path(v).stat().st_size} for k, v in model_paths.items()},
        "inputs": {"photo": str(photo), "clip": str(clip),
                   "faces_found": answer["senses"]["face"]["inputs"][0].get("faces_found"),
                   "clip_seconds": answer["senses"]["voice"]["inputs"][0]["seconds"],
                   "voice_windows": len(answer["senses"]["voice"]["inputs"][0]["windows"])},
        "repeats": args.repeats,
        "import_s": round(import_s, 3),
        "model_load_first_s": {k: round(v, 3) for k, v in first_load.items()},
        "model_load_median_s": {k: round(_median([t[k] for t in warm_loads]), 3)
                                for k in first_load},
        "inference_first_s": {k: round(v, 4) for k, v in first_run.items()},
        "inference_warm_median_s": {k: round(_median([t[k] for t in warm_runs]), 4)
                                    for k in first_run},
        "inference_warm_min_s": round(min(t["total"] for t in warm_runs), 4),
        "command_cold_s": [round(v, 2) for v in command_s],
        "target_warm_s": TARGET_WARM_S,
    }
    result["meets_target"] = result["inference_warm_median_s"]["total"] < TARGET_WARM_S

    m = result["machine"]
    print(f"machine: {m['cpu']}; os.cpu_count()={m['os_cpu_count']}, usable cores="
          f"{m['usable_cores']}; load average {m['load_average_start'][0]:.2f} at start, "
          f"{m['load_average_end'][0]:.2f} at end; Python {m['python']}, TensorFlow "
          f"{m['tensorflow']}, Keras {m['keras']}")
    print(f"inputs: {photo.name} ({result['inputs']['faces_found']} face found), {clip.name} "
          f"({result['inputs']['clip_seconds']} s, {result['inputs']['voice_windows']} windows)")
    print(f"start-up (imports):        {import_s:8.3f} s")
    print(f"model load, first:         {first_load['total']:8.3f} s  "
          + ", ".join(f"{k} {v:.3f}" for k, v in first_load.items() if k != "total"))
    print(f"model load, median of {args.repeats}:  "
          f"{result['model_load_median_s']['total']:8.3f} s  "
          + ", ".join(f"{k} {v:.3f}" for k, v in result["model_load_median_s"].items()
                      if k != "total"))
    print(f"inference, first run:      {first_run['total']:8.3f} s")
    print(f"inference, warm median of {args.repeats}: "
          f"{result['inference_warm_median_s']['total']:6.3f} s (min "
          f"{result['inference_warm_min_s']:.3f})  "
          + ", ".join(f"{k} {v:.3f}" for k, v in result["inference_warm_median_s"].items()
                      if k != "total"))
    if command_s:
        print(f"command, cold (new process): {', '.join(f'{v:.2f}' for v in command_s)} s")
    print(f"target: warm inference < {TARGET_WARM_S:g} s: "
          f"{'met' if result['meets_target'] else 'NOT met'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
