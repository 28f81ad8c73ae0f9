"""A smoke run of benchmarks/simulated_listeners.py on the real PMEmo songs (few listeners and
rounds; the full run's figures are in docs/catalogues.md)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from moodrec.core.checks import probability_table
from moodrec.pipelines.va_mapping.nodes import emotion_points
from tests.conftest import PROJECT_ROOT
from tests.pipelines.va_mapping.params import load_params, real_items

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from simulated_listeners import arguments, simulate  # noqa: E402

pytestmark = pytest.mark.real_data


def test_simulated_listeners_smoke(shared_data):
    va = load_params("va_mapping", "pmemo")
    params = {"va_mapping": va, "recommendation": load_params("recommendation", "pmemo")}
    items = real_items(shared_data, va)
    points = emotion_points(va, pd.DataFrame(), **items)
    study = pd.read_csv(shared_data / "seed" / "facial-recommendation.csv")
    probabilities, _ = probability_table(study, "facial-recommendation.csv", 1e-3)
    args = arguments(["--listeners", "30", "--rounds", "8"])
    result = simulate(items["pmemo"], points, params, probabilities, args)
    assert result["problems"] == []  # round 1 identical, cool-down kept, artists distinct
    assert result["like_rate_none"][0] == result["like_rate_learning"][0]
    assert len(result["like_rate_learning"]) == 8
    late = slice(4, 8)
    assert np.mean(result["like_rate_learning"][late]) > np.mean(result["like_rate_none"][late])
    assert 0 < result["coverage"]["learning"] <= 1
