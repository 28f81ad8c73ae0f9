"""Scaling of the population pipeline: Parquet in, Parquet out, in one process and on Dask.

Writes ``--persons`` (default 10,000,000) random persons (six Dirichlet-drawn emotion
probabilities and an id, seeded per partition) as ``--partitions`` Parquet files, then runs
the pipeline as a person would, once per configuration, each in a fresh process
(``dask_scaling.py`` says what is measured):

* ``kedro run --pipelines population --params population=<in>,population_output=<out>``
  (``workers = 0``: the partitions one after another in the kedro process);
* ``kedro run --env dask ... ,dask_workers=<n>`` for each ``--workers`` n: a LocalCluster of n
  worker processes of one thread.

    python benchmarks/population_scaling.py --json docs/benchmarks/population_scaling.json
    python benchmarks/population_scaling.py --persons 1000000 --workers 1 2 4

The output is recorded in docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from dask_scaling import ROOT, machine, measure_run, medians, run_children, summary

from moodrec.core.emotions import EMOTIONS


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


def partition_stages(source: Path, repeats: int = 3) -> dict[str, float]:
    """Seconds per stage of one partition's task in this process (medians of ``repeats``,
    one BLAS thread as in a task): read, map and rank (``recommend_persons``), write."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project
    from threadpoolctl import threadpool_limits

    from moodrec.core.population import population_settings, recommend_persons

    bootstrap_project(ROOT)
    with KedroSession.create(ROOT) as session:
        context = session.load_context()
        catalog, params = context.catalog, context.params
    settings = population_settings(catalog.load("emotion_va_points"),
                                   catalog.load("recommendable_excerpts"),
                                   params["recommendation"], params["va_mapping"],
                                   params["population_ranking"])
    times: dict[str, list[float]] = {"read": [], "map_and_rank": [], "write": []}
    with threadpool_limits(limits=1), tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats + 1):  # the first round loads the kernel: not counted
            start = time.perf_counter()
            table = pd.read_parquet(source)
            middle = time.perf_counter()
            table = recommend_persons(table, str(source), settings)
            end = time.perf_counter()
            table.to_parquet(Path(tmp) / source.name, index=False)
            for stage, seconds in zip(times, (middle - start, end - middle,
                                               time.perf_counter() - end), strict=True):
                times[stage].append(seconds)
    return {stage: round(statistics.median(values[1:]), 3) for stage, values in times.items()}


def folder_mib(folder: Path) -> int:
    return round(sum(p.stat().st_size for p in folder.glob("*.parquet")) / 2**20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--folder", type=Path, default=ROOT / "data" / "05_model_input" /
                        "population_benchmark", help="where the input is written (kept)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the configurations")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single run (a child)
    args = parser.parse_args()
    output = args.folder.parent / f"{args.folder.name}_out"
    if args.one is not None:
        from moodrec.datasets.partitions import AtomicPartitionedDataset

        params = {"population": str(args.folder), "population_output": str(output)}
        print(json.dumps(measure_run("population", params, args.one, AtomicPartitionedDataset,
                                     "save")))
        return

    start = time.perf_counter()
    write_population(args.folder, args.persons, args.partitions)
    print(f"input: {args.persons:,} persons in {args.partitions} Parquet files, "
          f"{folder_mib(args.folder)} MiB (ready in {time.perf_counter() - start:.1f} s)",
          flush=True)
    runs = run_children(__file__, args.workers, ["--folder", str(args.folder)], args.repeats)
    for run in runs:
        run["persons_per_s"] = round(args.persons / run["tasks_s"])
        run["persons_per_cpu_s"] = round(args.persons / run["tasks_cpu_s"])
        print(summary(run, args.persons, "persons"))
    first = sorted(args.folder.glob("*.parquet"))[0]
    stages = partition_stages(first)
    print(f"one partition ({args.persons // args.partitions:,} persons) in this process: "
          f"{stages} s")
    report = {
        "command": "python benchmarks/population_scaling.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(), "persons": args.persons, "partitions": args.partitions,
        "input_mib": folder_mib(args.folder), "output_mib": folder_mib(output),
        "medians": medians(runs, args.persons, "persons"),
        "one_partition_seconds": {"persons": args.persons // args.partitions, **stages},
        "runs": runs,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
