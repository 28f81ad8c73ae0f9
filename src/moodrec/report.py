"""``moodrec report``: write ``docs/results.md`` from the pipelines' metrics datasets.

The report is generated, never edited by hand. It reads every JSON (metrics) and matplotlib
(plot) dataset of the ``reporting`` layer that the registered pipelines output, through the
project's Kedro catalog (``--env`` picks the configuration, e.g. ``smoke``), and writes:

* a table of accuracy figures per face architecture and per voice evaluation protocol (every
  other figure of the metrics in a folded table below it),
* the hit@k table per similarity mode of the recommendation,
* throughput figures found in the metrics (images/s, clips/s, persons/s ...),
* every plot, copied next to the report under ``images/``.

A dataset that was not produced yet is reported as such, with the command that makes it; the
report never fails because a pipeline has not run.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moodrec.atomic import atomic_file
from moodrec.catalog_files import dataset_filepath

NAME = "report"

#: Keys whose values are detail (arrays, per-class tables), not headline figures.
DETAIL_KEYS = {
    "confusion_matrix",
    "per_class",
    "classification_report",
    "report",
    "labels",
    "classes",
    "y_true",
    "y_pred",
    "history",
    "trials",
    "losses",
}
#: Only datasets of this kedro-viz layer are reported (models, scalers, configs are not).
REPORTING_LAYER = "reporting"
#: Words that mark a figure as a throughput (shown in the throughput section as well).
THROUGHPUT_WORDS = ("per_s", "per_second", "_per_sec", "throughput", "images_s", "clips_s")
#: Figures of a section's headline table (matched on the key's last part), with throughputs.
HEADLINE_KEYS = {"architecture", "split", "protocol", "n", "accuracy", "macro_f1"}


@dataclass(frozen=True)
class Section:
    pipeline: str
    title: str
    intro: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "face_training",
        "Faces: FER2013 emotion models",
        "Trained on `Training`, selected on `PrivateTest`, reported on `PublicTest`.",
    ),
    Section(
        "audio_training",
        "Voices: RAVDESS emotion models",
        "Grouped cross-validation by actor is the headline; the fixed split, the robustness "
        "suite and the study's random split (which leaks speakers and augmented copies) are "
        "shown beside it.",
    ),
    Section(
        "va_mapping",
        "Emotion points on the valence-arousal plane",
        "Per-category means of the soundtrack catalogue's ratings.",
    ),
    Section(
        "recommendation",
        "Recommendations",
        "hit@k: share of recommended excerpts whose category is the person's true emotion.",
    ),
)


@dataclass
class Found:
    """What the catalog holds for one pipeline: metrics (loaded or missing) and plots."""

    metrics: dict[str, Any]
    missing_metrics: list[str]
    plots: dict[str, Path]
    missing_plots: list[str]


# --------------------------------------------------------------------------- reading


def _dataset_kind(catalog, name: str) -> str | None:
    """``metrics`` or ``plot`` for a dataset of the reporting layer, else None."""
    try:
        dataset = catalog.get(name)
    except Exception:  # a name the catalog cannot resolve (memory dataset, typo)
        return None
    metadata = getattr(dataset, "metadata", None) or {}
    if (metadata.get("kedro-viz") or {}).get("layer") != REPORTING_LAYER:
        return None
    from kedro_datasets.json import JSONDataset
    from kedro_datasets.matplotlib import MatplotlibDataset

    if isinstance(dataset, JSONDataset):  # the project's atomic datasets subclass these
        return "metrics"
    if isinstance(dataset, MatplotlibDataset):
        return "plot"
    return None


def _filepath(catalog, name: str, project_root: Path) -> Path | None:
    raw = dataset_filepath(catalog, name)
    if raw is None:
        return None
    path = Path(raw)
    return path if path.is_absolute() else project_root / path


def collect(catalog, pipelines: Mapping[str, Any], project_root: Path) -> dict[str, Found]:
    """Loads every metrics dataset and locates every plot that each section's pipeline outputs."""
    found: dict[str, Found] = {}
    for section in SECTIONS:
        result = Found({}, [], {}, [])
        pipeline = pipelines.get(section.pipeline)
        outputs = sorted(pipeline.all_outputs()) if pipeline is not None else []
        for name in outputs:
            kind = _dataset_kind(catalog, name)
            if kind is None:
                continue
            exists = catalog.exists(name)
            if kind == "metrics":
                if exists:
                    result.metrics[name] = catalog.load(name)
                else:
                    result.missing_metrics.append(name)
            else:
                path = _filepath(catalog, name, project_root)
                if exists and path is not None and path.is_file():
                    result.plots[name] = path
                else:
                    result.missing_plots.append(name)
        found[section.pipeline] = result
    return found


# --------------------------------------------------------------------------- rendering


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def scalars(data: Any, prefix: str = "") -> dict[str, Any]:
    """Headline figures of a metrics document: scalar leaves, nested keys joined by ``.``."""
    flat: dict[str, Any] = {}
    if not isinstance(data, Mapping):
        return flat
    for key, value in data.items():
        if str(key) in DETAIL_KEYS:
            continue
        name = f"{prefix}{key}"
        if _is_scalar(value):
            flat[name] = value
        elif isinstance(value, Mapping):
            flat.update(scalars(value, prefix=f"{name}."))
    return flat


def fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict[str, Any]], first: str) -> list[str]:
    """A markdown table; columns in order of first appearance, ``first`` leading."""
    columns = [first]
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    def numeric(column: str) -> bool:
        values = [row[column] for row in rows if row.get(column) is not None]
        return bool(values) and all(isinstance(v, int | float) for v in values)

    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---:" if numeric(c) else "---" for c in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(fmt(row.get(c)) for c in columns) + " |")
    return lines


def _has_hit(figures: Any) -> bool:
    return isinstance(figures, Mapping) and any("hit" in str(key) for key in figures)


def _hit_at_k_rows(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows ``mode [/ group] -> figures`` from a recommendation metrics document.

    Accepts ``{mode: {hit@3: ...}}``, ``{mode: {group: {hit@3: ...}}}`` (group: all, face,
    audio ...), either under any top-level key (e.g. ``modes``), and records
    ``[{"mode": ..., "hit@3": ...}, ...]`` under any key.
    """
    candidates = [metrics, *[v for v in metrics.values() if isinstance(v, Mapping | list)]]
    for value in candidates:
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            key = next((k for k in ("mode", "similarity", "name") if k in value[0]), None)
            if key:
                return [{"mode": row[key], **scalars(row)} for row in value]
    mappings = [value for value in candidates if isinstance(value, Mapping)]
    for value in mappings:  # {mode: {figures}}
        modes = {k: v for k, v in value.items() if isinstance(v, Mapping)}
        if any(_has_hit(v) for v in modes.values()):
            return [{"mode": mode, **scalars(figures)} for mode, figures in modes.items()]
    for value in mappings:  # {mode: {group: {figures}}}
        modes = {k: v for k, v in value.items() if isinstance(v, Mapping)}
        if any(_has_hit(g) for v in modes.values() for g in v.values()):
            return [
                {"mode": mode, "group": group, **scalars(figures)}
                for mode, groups in modes.items()
                for group, figures in groups.items()
                if isinstance(figures, Mapping)
            ]
    return []


def _is_throughput(key: str) -> bool:
    return any(word in key.lower() for word in THROUGHPUT_WORDS)


def _metrics_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The headline figures (accuracy ...) as a table; every figure in a folded one below."""
    headline = [
        {k: v for k, v in row.items()
         if k == "dataset" or k.rsplit(".", 1)[-1] in HEADLINE_KEYS or _is_throughput(k)}
        for row in rows
    ]
    if all(len(row) == 1 for row in headline):
        return ["Metrics:", "", *table(rows, "dataset"), ""]
    return [
        "Metrics:", "", *table(headline, "dataset"), "",
        "<details><summary>All figures</summary>", "", *table(rows, "dataset"), "",
        "</details>", "",
    ]


def _throughput(all_metrics: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for dataset, metrics in all_metrics.items():
        for key, value in scalars(metrics).items():
            if _is_throughput(key) and _is_scalar(value):
                rows.append({"dataset": f"`{dataset}`", "figure": key, "value": value})
    return rows


def _benchmark_lines(project_root: Path, docs: Path) -> list[str]:
    """Benchmarks recorded by ``benchmarks/`` scripts as JSON under ``docs/`` (if any)."""
    lines: list[str] = []
    for path in sorted(docs.glob("benchmarks/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        rows = [{"figure": k, "value": v} for k, v in scalars(data).items()]
        if rows:
            lines += [f"From `{path.relative_to(project_root)}`:", "", *table(rows, "figure"), ""]
    return lines


def render(
    found: Mapping[str, Found],
    env: str | None,
    images: dict[str, str],
    benchmark_lines: Iterable[str] = (),
) -> str:
    """The markdown report (pure: the plots are already copied; ``images`` maps name -> link)."""
    env_option = f" --env {env}" if env else ""
    out = [
        "# moodrec: results",
        "",
        "<!-- Generated by `moodrec report`; do not edit by hand. -->",
        "",
        f"Generated by `moodrec report{env_option}` from the pipeline outputs of the "
        f"`{env or 'default'}` configuration (metrics JSON datasets and plots in the Kedro "
        "catalog). Regenerate after a `kedro run` with the same command.",
        "",
    ]
    all_metrics: dict[str, Mapping[str, Any]] = {}
    for section in SECTIONS:
        result = found.get(section.pipeline) or Found({}, [], {}, [])
        command = f"kedro run --pipelines {section.pipeline}{env_option}"
        out += [f"## {section.title}", "", section.intro, ""]
        rows = []
        for name, metrics in result.metrics.items():
            hits = _hit_at_k_rows(metrics) if section.pipeline == "recommendation" else []
            if hits:
                out += [f"hit@k per similarity mode (`{name}`):", "", *table(hits, "mode"), ""]
                metrics = {k: v for k, v in metrics.items() if _is_scalar(v)}
            rows.append({"dataset": f"`{name}`", **scalars(metrics)})
        if rows:
            out += _metrics_lines(rows)
        all_metrics.update(result.metrics)
        missing = result.missing_metrics + result.missing_plots
        if not result.metrics and not result.missing_metrics:
            out += [f"No metrics datasets defined yet for `{section.pipeline}`.", ""]
        for name in missing:
            out.append(f"- `{name}`: not yet produced (run `{command}`)")
        if missing:
            out.append("")
        for name in result.plots:
            out += [f"![{name}]({images[name]})", ""]
    out += ["## Throughput", ""]
    rows = _throughput(all_metrics)
    if rows:
        out += table(rows, "dataset") + [""]
    lines = list(benchmark_lines)
    out += lines
    if not rows and not lines:
        out += ["No throughput figures produced yet (run the pipelines and `benchmarks/`).", ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- writing


def _atomic_write(path: Path, text: str) -> None:
    with atomic_file(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def _copy_plots(found: Mapping[str, Found], output: Path) -> dict[str, str]:
    images_dir = output.parent / "images"
    links: dict[str, str] = {}
    for result in found.values():
        for name, source in result.plots.items():
            target = images_dir / f"{name.replace('.', '_')}{source.suffix}"
            with atomic_file(target) as temporary:
                shutil.copyfile(source, temporary)
            links[name] = target.relative_to(output.parent).as_posix()
    return links


def write_report(project_root: Path, output: Path, env: str | None = None) -> Path:
    """Reads the catalog of ``env`` and writes the report to ``output`` (plots beside it)."""
    from kedro.framework.project import pipelines
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(project_root)
    with KedroSession.create(project_path=project_root, env=env) as session:
        context = session.load_context()
        found = collect(context.catalog, pipelines, project_root)
    links = _copy_plots(found, output)
    text = render(found, env, links, _benchmark_lines(project_root, project_root / "docs"))
    _atomic_write(output, text)
    return output


# --------------------------------------------------------------------------- command line


def _handle(args: argparse.Namespace) -> int:
    from moodrec.project import ProjectNotFoundError, locate_project

    try:
        project = locate_project()
    except ProjectNotFoundError as err:
        print(f"moodrec report: {err}", file=sys.stderr)
        return 2
    if project.note:
        print(f"moodrec report: note: {project.note}", file=sys.stderr)
    project_root = project.root
    output = args.output if args.output.is_absolute() else project_root / args.output
    written = write_report(project_root, output, env=args.env)
    print(f"wrote {written}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``report`` subcommand to the ``moodrec`` parser."""
    parser = subparsers.add_parser(
        NAME,
        help="write docs/results.md from the pipelines' metrics and plots",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--env", default=None, help="Kedro configuration environment (default: local/base)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("docs/results.md"),
        help="report path, relative to the project root (default: docs/results.md)",
    )
    parser.set_defaults(handler=_handle)
    return parser
