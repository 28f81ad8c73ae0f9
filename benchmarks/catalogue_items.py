"""The benchmarks' catalogue: a catalogue's items and emotion points, built in memory by the
``va_mapping`` pipeline's own nodes from ``data/01_raw`` and the configuration in ``conf/``
(nothing is written)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs from a checkout without installing, too
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)


def load_items(catalogue: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """``(recommendable_excerpts, emotion_va_points, parameters)`` of ``catalogue``."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    from moodrec.pipelines.va_mapping import create_pipeline

    bootstrap_project(ROOT)
    with KedroSession.create(ROOT, runtime_params={"catalogue": catalogue}) as session:
        context = session.load_context()
        catalog, params = context.catalog, context.params
    wanted = ("recommendable_excerpts", "emotion_va_points")
    data: dict[str, Any] = {}
    for node in create_pipeline().to_outputs(*wanted).nodes:  # in dependency order
        inputs = {name: data[name] if name in data else
                  params[name.removeprefix("params:")] if name.startswith("params:") else
                  catalog.load(name) for name in node.inputs}
        data.update(node.run(inputs))
    return data[wanted[0]], data[wanted[1]], params
