"""The report's text: tables of headline figures, hit@k per mode, throughputs, plots."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from moodrec.report.collect import SECTIONS, Found

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
#: Words that mark a figure as a throughput (shown in the throughput section as well).
THROUGHPUT_WORDS = ("per_s", "per_second", "_per_sec", "throughput", "images_s", "clips_s")
#: Figures of a section's headline table (matched on the key's last part), with throughputs.
HEADLINE_KEYS = {"architecture", "split", "protocol", "n", "accuracy", "macro_f1"}


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
            if _is_throughput(key):
                rows.append({"dataset": f"`{dataset}`", "figure": key, "value": value})
    return rows


def benchmark_lines(project_root: Path, docs: Path) -> list[str]:
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
