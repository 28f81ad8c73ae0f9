"""Scaling of the voice_features pipeline: the features of every RAVDESS file, in one process
and on Dask.

Runs ``kedro run --pipelines voice_features`` over ``--folder`` (default: data/01_raw/ravdess,
all 1,440 speech files) once per configuration, each in a fresh process (``dask_scaling.py``
says what is measured): in the kedro process alone, then ``--env dask`` with each
``--workers`` n. The features are training's (eGeMAPS + MFCC statistics of the level-normalised
speech), the recordings only (``voice_features.augmented_copies: 0``).

    python benchmarks/voice_features_scaling.py --json docs/benchmarks/voice_features_scaling.json

The output is recorded in docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd
import soundfile
from dask_scaling import ROOT, machine, measure_run, medians, run_children, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "data" / "01_raw" / "ravdess")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--output", type=Path, default=ROOT / "data" / "04_feature" /
                        "voice_features_benchmark.csv", help="the features table (rewritten)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the configurations")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single run (a child)
    args = parser.parse_args()
    if args.one is not None:
        from moodrec.pipelines.voice_features import nodes

        params = {"audio_folder": str(args.folder), "features_output": str(args.output)}
        print(json.dumps(measure_run("voice_features", params, args.one, nodes, "run_tasks")))
        return

    files = sorted(p for p in args.folder.rglob("*") if p.is_file())
    runs = run_children(__file__, args.workers,
                        ["--folder", str(args.folder), "--output", str(args.output)], args.repeats)
    table = pd.read_csv(args.output, usecols=["file", "variant"])
    for run in runs:
        run["files_per_s"] = round(len(files) / run["tasks_s"], 2)
        run["files_per_cpu_s"] = round(len(files) / run["tasks_cpu_s"], 2)
        print(summary(run, len(files), "files"))
    report = {
        "command": "python benchmarks/voice_features_scaling.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(), "files": len(files), "clips_with_features": int(
            table["file"].nunique()), "rows": len(table),
        "audio_hours": round(sum(soundfile.info(p).duration for p in files) / 3600, 3),
        "medians": medians(runs, len(files), "files"), "runs": runs,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
