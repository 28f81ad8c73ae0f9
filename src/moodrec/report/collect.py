"""What the report is made of: the catalog's metrics and plots of each pipeline's reporting
layer (and which of them are missing)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moodrec.run.catalog_files import dataset_filepath

#: Only datasets of this kedro-viz layer are reported (models, scalers, configs are not).
REPORTING_LAYER = "reporting"

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
