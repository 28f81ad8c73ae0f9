"""What the report is made of: each section's metrics and plots, named here and read through
the catalog by name (metrics loaded, plots located by their catalog entry's ``filepath``), and
which of them are missing. Nothing is guessed from dataset classes or layers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Section:
    """One pipeline's part of the report: its metrics (JSON datasets) and plots (PNG files)."""

    pipeline: str
    title: str
    intro: str
    metrics: tuple[str, ...]
    plots: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "face_training",
        "Faces: FER2013 emotion models",
        "Trained on `Training`, selected on `PrivateTest`, reported on `PublicTest`; CK+48 by "
        "subject beside it (never trained or selected on).",
        metrics=("face_metrics", "face_ckplus_metrics"),
        plots=("face_confusion_matrix", "face_training_curves"),
    ),
    Section(
        "audio_training",
        "Voices: four corpora (RAVDESS, EmoDB, EMOVO, URDU)",
        "Leaving one corpus out is the headline; grouped cross-validation by speaker, the fixed "
        "split, the robustness suite and the study's random split (which leaks speakers and "
        "augmented copies) are shown beside it.",
        metrics=("audio_metrics_loco", "audio_calibration_metrics", "audio_metrics",
                 "audio_metrics_fixed_split", "audio_metrics_study_protocol"),
        plots=("audio_confusion_matrix", "audio_robustness_plot", "audio_search_history"),
    ),
    Section(
        "va_mapping",
        "Emotion points on the valence-arousal plane",
        "Per-category means of the soundtrack catalogue's ratings.",
        metrics=(),
        plots=("va_plane_plot",),
    ),
    Section(
        "recommendation",
        "Recommendations",
        "hit@k: share of recommended excerpts whose category is the person's true emotion.",
        metrics=("recommendation_metrics",),
        plots=(),
    ),
)


def collect(catalog: Any, catalog_config: Mapping[str, Any],
            project_root: Path) -> dict[str, dict[str, Any]]:
    """``{pipeline: {name: value}}``: each section's metrics loaded from ``catalog`` and its
    plots' files located through ``catalog_config`` (the resolved catalog configuration;
    relative paths from ``project_root``); ``None`` for what does not exist yet."""
    found: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        plots = {name: project_root / catalog_config[name]["filepath"] for name in section.plots}
        found[section.pipeline] = {
            **{name: catalog.load(name) if catalog.exists(name) else None
               for name in section.metrics},
            **{name: path if path.is_file() else None for name, path in plots.items()}}
    return found
