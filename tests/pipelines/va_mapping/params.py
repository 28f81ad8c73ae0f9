"""The project's real parameters (conf/base), resolved as Kedro resolves them, with the
run-time choices filled in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro.config import OmegaConfigLoader

CONF = Path(__file__).resolve().parents[3] / "conf"


def load_params(pipeline: str, soundtrack_set: str = "set1", prediction_source: str = "study",
                **overrides: Any) -> dict[str, Any]:
    loader = OmegaConfigLoader(str(CONF), base_env="base", default_run_env="local", runtime_params={
        "soundtrack_set": soundtrack_set, "prediction_source": prediction_source})
    return {**loader["parameters"][pipeline], **overrides}
