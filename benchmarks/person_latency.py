"""Latency and memory of the person path: one photo plus one 3 s voice clip -> explained music.

Measures what a person waits for (targets of docs/person.md, "Latency"):

1. **the command, cold**: ``python -m moodrec recommend --face F --voice V --json`` in a new
   process, as a person runs it: wall time and the process's peak resident memory
   (``wait4``'s ``ru_maxrss``), ``--command-runs`` times (the OS file cache is warm after the
   first; the first is reported separately);
2. **the service, warm** (what the page and ``moodrec read`` use):
   :class:`moodrec.app.service.PersonService` started once (configuration, catalogue,
   models), then ``answer()`` ``--repeats`` times: the first answer and the median;
3. **where a cold start goes**: ``python -X importtime`` of the command, the ten largest
   top-level imports.

Without ``--photo``/``--clip`` it makes its inputs: the first FER2013 face of
``data/01_raw/face-data.csv.gz`` that the detector finds once enlarged 4x into a 640x480 colour
JPEG, and 3 s of a RAVDESS clip (held-out actor 22) as stereo 44.1 kHz WAV.

    python benchmarks/person_latency.py --json docs/benchmarks/person_latency.json

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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs from a checkout without installing, too
os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")

from moodrec.training.machine import cpu_model  # noqa: E402

TARGETS = {"cold_wall_s": 1.5, "cold_peak_mib": 300.0, "warm_answer_s": 0.3}


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


def cold_command(photo: Path, clip: Path) -> dict[str, float]:
    """One ``moodrec recommend`` in a new process: wall seconds and peak RSS (MiB)."""
    command = [sys.executable, "-m", "moodrec", "recommend", "--face", str(photo), "--voice",
               str(clip), "--json"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"moodrec recommend failed: {process.stderr.read().decode()[-2000:]}")
    return {"wall_s": round(wall, 3), "peak_mib": round(usage.ru_maxrss / 1024, 1)}


def import_costs(photo: Path, clip: Path, top: int = 10) -> list[tuple[str, float]]:
    """The largest top-level imports of a cold command (``-X importtime``), in seconds."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "moodrec", "recommend", "--face", str(photo),
         "--voice", str(clip), "--json", "--verbose"],  # (quiet, native stderr is closed)
        cwd=ROOT, capture_output=True, text=True, check=False)
    costs = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        # "| name": imported by the command itself; "|   name": by another import
        if not name.startswith("  ") and cumulative.strip().isdigit():
            costs.append((name.strip(), int(cumulative) / 1e6))
    return sorted(costs, key=lambda c: -c[1])[:top]


def warm_service(photo: Path, clip: Path, repeats: int) -> dict[str, float]:
    """Start the service once; the first answer and the median of ``repeats`` answers."""
    from moodrec.app.service import PersonService

    start = time.perf_counter()
    service = PersonService.start(ROOT)
    started = time.perf_counter() - start
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        service.answer([str(photo)], [str(clip)])
        times.append(time.perf_counter() - start)
    return {"start_s": round(started, 3), "first_answer_s": round(times[0], 3),
            "median_answer_s": round(statistics.median(times[1:]), 4),
            "min_answer_s": round(min(times[1:]), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photo", type=Path, default=None, help="a photo (default: made)")
    parser.add_argument("--clip", type=Path, default=None, help="a voice clip (default: made)")
    parser.add_argument("--repeats", type=int, default=20, help="warm answers per median (20)")
    parser.add_argument("--command-runs", type=int, default=5, help="cold commands (5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        photo = args.photo or make_photo(Path(tmp), ROOT / "data/01_raw/face-data.csv.gz")
        clip = args.clip or make_clip(Path(tmp))
        runs = [cold_command(photo, clip) for _ in range(args.command_runs)]
        imports = import_costs(photo, clip)
        warm = warm_service(photo, clip, args.repeats)
    later = runs[1:] or runs
    result: dict[str, Any] = {
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_start": round(load_start[0], 2),
                    "load_average_end": round(os.getloadavg()[0], 2)},
        "cold_command": {"first": runs[0],
                         "median_wall_s": round(statistics.median(r["wall_s"] for r in later), 3),
                         "max_peak_mib": max(r["peak_mib"] for r in runs), "runs": runs},
        "largest_imports_s": dict(imports),
        "warm_service": warm,
        "targets": TARGETS,
    }
    cold = result["cold_command"]
    met = {"cold_wall_s": cold["median_wall_s"] <= TARGETS["cold_wall_s"],
           "cold_peak_mib": cold["max_peak_mib"] <= TARGETS["cold_peak_mib"],
           "warm_answer_s": warm["median_answer_s"] <= TARGETS["warm_answer_s"]}
    result["met"] = met
    print(f"cold moodrec recommend: first {runs[0]['wall_s']:.2f} s; median of the next "
          f"{len(later)} {cold['median_wall_s']:.2f} s (target <= {TARGETS['cold_wall_s']} s: "
          f"{'met' if met['cold_wall_s'] else 'NOT met'}); peak {cold['max_peak_mib']:.0f} MiB "
          f"(target <= {TARGETS['cold_peak_mib']:.0f}: "
          f"{'met' if met['cold_peak_mib'] else 'NOT met'})")
    print("largest imports of a cold command: " + ", ".join(f"{n} {s:.2f} s" for n, s in imports))
    print(f"service: start {warm['start_s']:.2f} s, first answer {warm['first_answer_s']:.3f} s, "
          f"warm median {warm['median_answer_s']:.3f} s of {args.repeats} (target <= "
          f"{TARGETS['warm_answer_s']} s: {'met' if met['warm_answer_s'] else 'NOT met'})")
    print(f"machine: {result['machine']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
