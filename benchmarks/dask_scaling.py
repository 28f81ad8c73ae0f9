"""What the Dask scaling benchmarks share: one ``kedro run`` of a pipeline, measured in a
fresh process, in the kedro process alone (``workers = 0``) or with ``--env dask`` on a
LocalCluster of ``workers`` worker processes (conf/dask/dask.yml, ``dask_workers=<n>``).

Measured per run: the wall time of ``session.run`` (the cluster's start and every node), the
wall and CPU time of the tasks (the call that runs them, ``owner.attribute``: the population's
output dataset's ``save``, which makes and writes the partitions, or the voice features node's
``run_tasks``; CPU = user + system of every thread of the kedro process and of every worker,
which other work on the machine barely changes), the peak resident memory of each worker (its
``ru_maxrss``, asked for just before the cluster closes) and of the kedro process, and the load
average before and after (the 2-core machine is shared).

Used by ``population_scaling.py`` and ``voice_features_scaling.py``.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs from a checkout without installing, too
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)


def cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    for line in cpuinfo.read_text().splitlines() if cpuinfo.exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    return {"cpu": cpu_name(), "cpu_count": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "nice": os.nice(0), "python": platform.python_version()}


def cpu_seconds() -> float:
    """CPU time (user + system, all threads) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib() -> float:
    """This process's peak resident memory (Linux reports ``ru_maxrss`` in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure_run(pipeline: str, params: dict[str, Any], workers: int, owner: Any,
                attribute: str) -> dict[str, Any]:
    """One ``kedro run --pipelines <pipeline>`` in this process; ``owner.attribute`` is the
    call that runs the pipeline's tasks (timed)."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    from moodrec.run import dask_cluster

    figures: dict[str, Any] = {"workers": workers}
    tasks, close = getattr(owner, attribute), dask_cluster.close_client

    def cpu_now(client: Any) -> dict[str, float]:
        return {**(client.run(cpu_seconds) if client else {}), "kedro": cpu_seconds()}

    def timed_tasks(*args, **kwargs):
        client = dask_cluster.active_client()
        cpu_start = cpu_now(client)
        start = time.perf_counter()
        result = tasks(*args, **kwargs)
        figures["tasks_s"] = round(time.perf_counter() - start, 2)
        cpu_end = cpu_now(client)
        figures["tasks_cpu_s"] = round(sum(cpu_end[w] - cpu_start[w] for w in cpu_end), 2)
        return result

    def measured_close(client):
        figures["worker_peak_rss_mib"] = sorted(client.run(peak_mib).values())
        close(client)

    setattr(owner, attribute, timed_tasks)
    dask_cluster.close_client = measured_close
    bootstrap_project(ROOT)
    if workers:
        params = {**params, "dask_workers": workers}
    start = time.perf_counter()
    with KedroSession.create(ROOT, env="dask" if workers else None,
                             runtime_params=params) as session:
        session.run(pipeline_names=[pipeline])
    figures["run_s"] = round(time.perf_counter() - start, 2)
    figures["kedro_peak_rss_mib"] = peak_mib()
    return figures


def run_children(script: str, workers: list[int], args: list[str],
                 repeats: int) -> list[dict[str, Any]]:
    """``python <script> --one <n> <args>`` for n = 0 and each of ``workers``, ``repeats``
    rounds of them (interleaved, so that a change of the machine's load touches every
    configuration alike), each in a fresh process; their figures (the last line of their
    output, JSON) with the load average before and after."""
    runs = []
    for n in [0, *workers] * repeats:
        load_start = os.getloadavg()
        child = subprocess.run([sys.executable, script, "--one", str(n), *args],
                               capture_output=True, text=True, check=True, cwd=ROOT)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        figures["load_average_start"] = [round(v, 2) for v in load_start]
        figures["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
        runs.append(figures)
        print(json.dumps(figures), flush=True)
    return runs


def medians(runs: list[dict[str, Any]], count: int, unit: str) -> dict[str, Any]:
    """Per configuration: the median throughput over the tasks' wall and CPU time, and the
    largest peak memory of a worker (or of the kedro process)."""
    out = {}
    for n in sorted({run["workers"] for run in runs}):
        mine = [run for run in runs if run["workers"] == n]
        out[str(n)] = {
            "runs": len(mine),
            f"{unit}_per_s": round(statistics.median(count / r["tasks_s"] for r in mine), 1),
            f"{unit}_per_s_range": [round(f(count / r["tasks_s"] for r in mine), 1)
                                   for f in (min, max)],
            f"{unit}_per_cpu_s": round(statistics.median(count / r["tasks_cpu_s"] for r in mine),
                                       1),
            "peak_rss_mib": max(max(r.get("worker_peak_rss_mib", [r["kedro_peak_rss_mib"]]))
                                for r in mine),
            "load_average_1min": [min(r["load_average_start"][0] for r in mine),
                                  max(r["load_average_end"][0] for r in mine)],
        }
    return out


def summary(run: dict[str, Any], count: int, unit: str) -> str:
    """One ``SUMMARY`` line: throughput over the tasks' wall and CPU time, memory, load."""
    where = f"{run['workers']} Dask worker(s)" if run["workers"] else "one process"
    peak = run.get("worker_peak_rss_mib", run["kedro_peak_rss_mib"])
    return (f"SUMMARY {where}: {count / run['tasks_s']:,.1f} {unit}/s (tasks {run['tasks_s']} s,"
            f" run {run['run_s']} s; {count / run['tasks_cpu_s']:,.1f} {unit} per CPU-second),"
            f" peak RSS {peak} MiB, load {run['load_average_start'][0]} -> "
            f"{run['load_average_end'][0]}")
