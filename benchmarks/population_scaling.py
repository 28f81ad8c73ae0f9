"""Scaling of the population pipeline: Parquet in, Parquet out, in one process and on Dask.

Writes ``--persons`` (default 10,000,000) random persons (six Dirichlet-drawn emotion
probabilities and an id, seeded per partition) as ``--partitions`` Parquet files, then runs
the pipeline as a person would, once per configuration, each in a fresh process:

* ``kedro run --pipelines population --params population=<in>,population_output=<out>``
  (``workers = 0``: the partitions one after another in the kedro process);
* ``kedro run --env dask ... ,dask_workers=<n>`` for each ``--workers`` n: a LocalCluster of n
  worker processes of one thread (conf/dask/dask.yml).

Per run: the wall time of ``session.run`` (cluster start and the upstream nodes included), of
the partitions alone (the output dataset's save: read, map, rank, write every partition),
persons/s over the latter, and the peak resident memory of each worker process (its
``ru_maxrss``, asked for just before the cluster closes) or of the kedro process. The load
average is recorded before and after every run: the 2-core machine is shared.

    python benchmarks/population_scaling.py --json docs/benchmarks/population_scaling.json
    python benchmarks/population_scaling.py --persons 1000000 --workers 1 2 4

The output is recorded in docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs from a checkout without installing, too
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)

from moodrec.core.emotions import EMOTIONS  # noqa: E402


def write_population(folder: Path, persons: int, partitions: int) -> None:
    """The input, unless ``folder`` already holds it (its ``manifest.json`` says so)."""
    manifest = {"persons": persons, "partitions": partitions}
    stamp = folder / "manifest.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == manifest:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    bounds = np.linspace(0, persons, partitions + 1).astype(np.int64)
    for i, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        rng = np.random.default_rng(i)
        table = pd.DataFrame(rng.dirichlet(np.full(len(EMOTIONS), 0.5), size=stop - start),
                             columns=list(EMOTIONS))
        table.insert(0, "person", np.arange(start, stop))
        table.to_parquet(folder / f"part-{i:04d}.parquet", index=False)
    stamp.write_text(json.dumps(manifest))


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() \
            else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def peak_mib(rusage_kib: int) -> float:
    return round(rusage_kib / 1024, 1)


def run_once(source: Path, output: Path, workers: int) -> dict[str, Any]:
    """One ``kedro run`` in this process; its timings and peak memory."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    from moodrec.datasets.parquet_partitions import ParquetPartitionsDataset
    from moodrec.run import dask_cluster

    figures: dict[str, Any] = {"workers": workers}
    save, close = ParquetPartitionsDataset.save, dask_cluster.close_client

    def timed_save(self, data):
        start = time.perf_counter()
        save(self, data)
        figures["partitions_s"] = round(time.perf_counter() - start, 2)

    def measured_close(client):
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        figures["worker_peak_rss_mib"] = sorted(peak_mib(v) for v in peaks.values())
        close(client)

    ParquetPartitionsDataset.save = timed_save
    dask_cluster.close_client = measured_close
    bootstrap_project(ROOT)
    params = {"population": str(source), "population_output": str(output)}
    if workers:
        params["dask_workers"] = workers
    start = time.perf_counter()
    with KedroSession.create(ROOT, env="dask" if workers else None,
                             runtime_params=params) as session:
        session.run(pipeline_names=["population"])
    figures["run_s"] = round(time.perf_counter() - start, 2)
    figures["process_peak_rss_mib"] = peak_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--folder", type=Path, default=ROOT / "data" / "05_model_input" /
                        "population_benchmark", help="where the input is written (kept)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single run (a child)
    args = parser.parse_args()
    output = args.folder.parent / f"{args.folder.name}_out"
    if args.one is not None:
        print(json.dumps(run_once(args.folder, output, args.one)))
        return

    start = time.perf_counter()
    write_population(args.folder, args.persons, args.partitions)
    input_mib = sum(p.stat().st_size for p in args.folder.glob("*.parquet")) / 2**20
    print(f"input: {args.persons:,} persons in {args.partitions} Parquet files, "
          f"{input_mib:.0f} MiB (ready in {time.perf_counter() - start:.1f} s)", flush=True)
    runs = []
    for workers in [0, *args.workers]:
        load_start = os.getloadavg()
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(workers), "--folder", str(args.folder)],
            capture_output=True, text=True, check=True, cwd=ROOT)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        figures["persons_per_s"] = round(args.persons / figures["partitions_s"])
        figures["load_average_start"] = [round(v, 2) for v in load_start]
        figures["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
        figures["output_mib"] = round(sum(p.stat().st_size for p in output.glob("*.parquet"))
                                      / 2**20)
        runs.append(figures)
        print(json.dumps(figures), flush=True)
    report = {
        "command": "python benchmarks/population_scaling.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpu": cpu_name(),
                    "cpu_count": os.cpu_count(), "nice": os.nice(0)},
        "persons": args.persons, "partitions": args.partitions,
        "input_mib": round(input_mib), "runs": runs,
    }
    for run in runs:
        where = f"{run['workers']} Dask worker(s)" if run["workers"] else "one process"
        print(f"SUMMARY {where}: {run['persons_per_s']:,} persons/s (partitions "
              f"{run['partitions_s']} s, run {run['run_s']} s), peak RSS "
              f"{run.get('worker_peak_rss_mib', run['process_peak_rss_mib'])} MiB, "
              f"load {run['load_average_start'][0]} -> {run['load_average_end'][0]}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
