"""Throughput of the recommendation ranking: random persons against the real catalogue.

Ranks ``--persons`` (default 1,000,000) random (valence, arousal) points, uniform over the
catalogue's rating scale, against its items (``--catalogue``; soundtracks_set1: the 180
excerpts of the six emotions' categories; pmemo 767 songs, songs1000 744, pmemo+songs1000
1,511), with the project's own code: the items are built by ``va_mapping``'s nodes
(``benchmarks/catalogue_items.py``) from ``data/01_raw`` and ``conf/base``, and ranked by
:func:`moodrec.core.ranking.rank_excerpts` once per similarity mode (from
``KERNEL_MIN_PERSONS`` persons that is the compiled kernel, on every usable core).

For each mode it prints persons/s (best and median of ``--repeats`` timed runs) on all usable
cores and on one thread, and the peak memory of one run (``tracemalloc``: every NumPy and
numba allocation), next to the size of the (persons x excerpts) score matrix that an
unchunked implementation would hold. It checks a
sample of the results, bit for bit, against the NumPy path (a full score matrix per chunk:
the brute-force ranking), times the first call of the process (numba import and loading of
its cached machine code, or the compile on a fresh install), and (``--study-persons``)
measures the study's per-row pandas ``apply`` on a few persons. One ``SUMMARY`` line per mode
closes the output.

    python benchmarks/recommendation_throughput.py                      # set 1, 1,000,000 persons
    python benchmarks/recommendation_throughput.py --catalogue pmemo
    python benchmarks/recommendation_throughput.py --persons 10000000 --json docs/benchmarks/x.json

The output is recorded in docs/recommendation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue_items import load_items  # noqa: E402

from moodrec.core.ranking import KERNEL_MIN_PERSONS, rank_excerpts  # noqa: E402
from moodrec.core.scoring import MODES  # noqa: E402
from moodrec.core.valence_arousal import catalogue_settings  # noqa: E402
from moodrec.pipelines.recommendation.nodes import scale_centre  # noqa: E402
from moodrec.training.machine import cpu_model  # noqa: E402


def load_catalogue(catalogue: str) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    """The items of a catalogue, built by the pipelines' own nodes."""
    items, _, params = load_items(catalogue)
    return items, params["va_mapping"], params["recommendation"]


def study_style_rate(persons: np.ndarray, excerpts: pd.DataFrame, k: int) -> float:
    """Persons/s of the study's approach: for every person a pandas ``apply`` over the
    catalogue rows computing sklearn's cosine similarity pair by pair, then a sort."""
    from sklearn.metrics.pairwise import cosine_similarity

    table = excerpts[["item", "valence", "arousal"]].copy()
    start = time.perf_counter()
    for valence, arousal in persons:
        table["similarity"] = table.apply(
            lambda row, v=valence, a=arousal: cosine_similarity(
                [[v, a]], [[row["valence"], row["arousal"]]])[0][0], axis=1)
        table.sort_values("similarity", ascending=False).head(k)
    return len(persons) / (time.perf_counter() - start)


def check_sample(persons: np.ndarray, points: np.ndarray, result: tuple[np.ndarray, np.ndarray],
                 mode: str, k: int, centre: np.ndarray, size: int) -> int:
    """Rows of a random sample whose indices or similarities (bits) differ from the NumPy
    path's (the sample is smaller than ``KERNEL_MIN_PERSONS``, so NumPy ranks it)."""
    size = min(size, len(persons), KERNEL_MIN_PERSONS - 1)
    rows = np.sort(np.random.default_rng(1).choice(len(persons), size, replace=False))
    indices, similarities = rank_excerpts(persons[rows], points, mode, k, centre)
    differ = (indices != result[0][rows]).any(axis=1)
    differ |= (similarities.view(np.int64) != result[1][rows].view(np.int64)).any(axis=1)
    return int(differ.sum())


def timed(persons: np.ndarray, points: np.ndarray, mode: str, k: int, centre: np.ndarray,
          chunk_size: int, repeats: int, threads: int | None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``repeats`` rankings of all persons."""
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        rank_excerpts(persons, points, mode, k, centre, chunk_size=chunk_size, threads=threads)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return times, cpu_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--catalogue", default="soundtracks_set1",
                        help="pmemo, songs1000, soundtracks_set2 or a '+' list")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--k", type=int, default=None, help="default: recommendation.k")
    parser.add_argument("--chunk-size", type=int, default=None,
                        help="default: recommendation.chunk_size")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--study-persons", type=int, default=50,
                        help="persons ranked the study's way for comparison (0: skip)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-rows", type=int, default=50_000,
                        help="rows compared with the NumPy path (below KERNEL_MIN_PERSONS)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)

    excerpts, va_params, rec_params = load_catalogue(args.catalogue)
    k = args.k or int(rec_params["k"])
    chunk_size = args.chunk_size or int(rec_params["chunk_size"])
    low, high = catalogue_settings(va_params)["scale"]
    centre = scale_centre(rec_params)
    points = excerpts[["valence", "arousal"]].to_numpy(np.float64)
    m = len(points)
    persons = np.random.default_rng(args.seed).uniform(low, high, (args.persons, 2))
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]

    load_start = load = os.getloadavg()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    print(f"machine: {cpu_model()}; os.cpu_count()={os.cpu_count()}, usable cores={affinity}; "
          f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"nice {os.nice(0)}")
    print(f"catalogue: {args.catalogue}, {m} items; persons: "
          f"{args.persons:,} uniform on [{low}, {high}]^2 (seed {args.seed}); k={k}, "
          f"chunk_size={chunk_size} (NumPy path), kernel from {KERNEL_MIN_PERSONS:,} persons, "
          f"repeats={args.repeats}")
    unchunked = args.persons * m * 8
    cold = persons[:max(KERNEL_MIN_PERSONS, min(args.persons, 200_000))]
    start = time.perf_counter()
    rank_excerpts(cold, points, modes[0], k, centre, chunk_size=chunk_size)
    first_call = time.perf_counter() - start
    print(f"first call of the process ({len(cold):,} persons, {modes[0]}): {first_call:.2f} s "
          "(numba import + loading its cached code, or compiling it on a fresh install)")
    results: dict[str, Any] = {}
    summaries = []
    for mode in modes:
        rank_excerpts(cold, points, mode, k, centre, chunk_size=chunk_size)  # warm
        times, cpu_times = timed(persons, points, mode, k, centre, chunk_size, args.repeats,
                                 None)
        single, _ = timed(persons, points, mode, k, centre, chunk_size, args.repeats, 1)
        tracemalloc.start()
        result = rank_excerpts(persons, points, mode, k, centre, chunk_size=chunk_size)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        wrong = check_sample(persons, points, result, mode, k, centre, args.check_rows)
        output_bytes = result[0].nbytes + result[1].nbytes
        del result
        best, median = args.persons / min(times), args.persons / statistics.median(times)
        best_1, median_1 = args.persons / min(single), args.persons / statistics.median(single)
        per_cpu_s = args.persons / min(cpu_times)
        load = os.getloadavg()
        results[mode] = {
            "persons_per_s_best": round(best),
            "persons_per_s_median": round(median),
            "single_thread_persons_per_s_best": round(best_1),
            "single_thread_persons_per_s_median": round(median_1),
            "persons_per_cpu_second": round(per_cpu_s),
            "seconds": [round(t, 3) for t in times],
            "cpu_seconds": [round(t, 3) for t in cpu_times],
            "single_thread_seconds": [round(t, 3) for t in single],
            "peak_traced_mib": round(peak / 2**20, 1),
            "results_mib": round(output_bytes / 2**20, 1),
            "working_mib": round((peak - output_bytes) / 2**20, 1),
            "checked_rows": min(args.check_rows, args.persons, KERNEL_MIN_PERSONS - 1),
            "sample_rows_differing_from_numpy_path": wrong,
            "load_average_after": [round(x, 2) for x in load],
        }
        print(f"{mode:>15}: {affinity} threads {best:>12,.0f} persons/s best, {median:>12,.0f} "
              f"median (wall {', '.join(f'{t:.2f}' for t in times)} s; CPU "
              f"{', '.join(f'{t:.2f}' for t in cpu_times)} s = {per_cpu_s:,.0f} persons per "
              f"CPU second); 1 thread {best_1:,.0f} best, {median_1:,.0f} median (wall "
              f"{', '.join(f'{t:.2f}' for t in single)} s); peak traced memory "
              f"{peak / 2**20:.1f} MiB = results {output_bytes / 2**20:.1f} MiB + working "
              f"{(peak - output_bytes) / 2**20:.1f} MiB; load average now {load[0]:.2f}")
        summaries.append(
            f"SUMMARY {mode}: {best:,.0f} persons/s on {affinity} cores (median {median:,.0f}), "
            f"{best_1:,.0f} on 1 thread (median {median_1:,.0f}), {per_cpu_s:,.0f} per CPU "
            f"second; {args.persons:,} persons, "
            f"k={k}; peak traced {peak / 2**20:.0f} MiB (results {output_bytes / 2**20:.0f} "
            f"MiB); {'identical to' if not wrong else f'{wrong} rows differ from'} the NumPy "
            f"path on {results[mode]['checked_rows']:,} sampled rows; load {load[0]:.2f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"unchunked score matrix would be {unchunked / 2**30:.2f} GiB "
          f"({args.persons:,} x {m} float64); process peak RSS {rss:.0f} MiB "
          f"(includes Python, pandas, kedro and the {persons.nbytes / 2**20:.0f} MiB of persons)")
    study_rate = None
    if args.study_persons:
        study_rate = study_style_rate(persons[:args.study_persons], excerpts, k)
        print(f"study-style per-row pandas apply (cosine): {study_rate:,.1f} persons/s "
              f"({args.study_persons} persons)")
    load = os.getloadavg()
    print(f"load average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("\n".join(summaries))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": "python benchmarks/recommendation_throughput.py "
                       + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "machine": {"cpu": cpu_model(), "cpu_count": os.cpu_count(),
                        "usable_cores": affinity, "nice": os.nice(0),
                        "load_average_start": [round(x, 2) for x in load_start],
                        "load_average_end": [round(x, 2) for x in load]},
            "python": platform.python_version(), "numpy": np.__version__,
            "catalogue": args.catalogue, "persons": args.persons, "excerpts": m,
            "k": k, "chunk_size": chunk_size, "kernel_min_persons": KERNEL_MIN_PERSONS,
            "first_call_seconds": round(first_call, 3), "modes": results,
            "study_style_persons_per_s": study_rate,
            "process_peak_rss_mib": round(rss),
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
