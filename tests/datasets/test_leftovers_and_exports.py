"""Issue 19, family 3: catalogue text that a spreadsheet would run as a formula is written as
text (a killed population run's hidden folders: test_partitions.py)."""

from __future__ import annotations

import pandas as pd

from moodrec.datasets import ExportCSVDataset
from moodrec.datasets.tables import formula_safe
from moodrec.person.datasets import PersonRecommendationDataset

FORMULAS = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_text_that_a_spreadsheet_would_run_is_written_as_text():
    table = pd.DataFrame({"album": [*FORMULAS, "Gladiator"], "n": range(7),
                          "v": [-1.5] * 7})
    safe = formula_safe(table)
    assert list(safe["album"]) == [f"'{f}" for f in FORMULAS] + ["Gladiator"]
    assert safe["n"].tolist() == list(range(7)) and safe["v"].tolist() == [-1.5] * 7
    assert table["album"].iloc[0] == FORMULAS[0]  # the caller's table is left as it was


def test_the_exports_are_formula_safe(tmp_path):
    """Before: an album or track starting with =, +, - or @ went into the CSV as it was."""
    export = ExportCSVDataset(filepath=str(tmp_path / "recommendations.csv"))
    export.save(pd.DataFrame({"track": ["=1+1"], "similarity": [-0.5]}))
    assert (tmp_path / "recommendations.csv").read_text().splitlines() == [
        "track,similarity", "'=1+1,-0.5"]
    answer = PersonRecommendationDataset(str(tmp_path / "p.json"))
    answer.save({"excerpts": [{"album": "@evil", "track": "ok"}]})
    assert (tmp_path / "p.csv").read_text().splitlines() == ["album,track", "'@evil,ok"]
    assert answer.load()["excerpts"][0]["album"] == "@evil"  # the JSON keeps the text
