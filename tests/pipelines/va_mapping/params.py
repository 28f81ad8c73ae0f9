"""The project's real parameters (conf/base), with the run-time choices filled in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CONF = Path(__file__).resolve().parents[3] / "conf" / "base"


def load_params(pipeline: str, soundtrack_set: str = "set1", prediction_source: str = "study",
                **overrides: Any) -> dict[str, Any]:
    params = yaml.safe_load((CONF / f"parameters_{pipeline}.yml").read_text())[pipeline]
    params["soundtrack_set"] = soundtrack_set
    if "prediction_source" in params:
        params["prediction_source"] = prediction_source
    params.update(overrides)
    return params
