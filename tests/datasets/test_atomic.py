"""The catalog's file datasets (moodrec.datasets) never leave a half-written output.

Each save is interrupted in the middle of writing: Ctrl-C after half the bytes reached the
file, or an error while serialising. The atomic dataset leaves the previous file as it was and
no temporary behind; kedro-datasets' own class, shown for contrast, leaves a damaged file.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from fsspec.implementations.local import LocalFileOpener, LocalFileSystem  # noqa: E402
from kedro.io import AbstractDataset, DatasetError, Version  # noqa: E402
from kedro_datasets.json import JSONDataset  # noqa: E402
from kedro_datasets.matplotlib import MatplotlibDataset  # noqa: E402
from kedro_datasets.pandas import CSVDataset  # noqa: E402
from kedro_datasets.pickle import PickleDataset  # noqa: E402
from kedro_datasets.text import TextDataset  # noqa: E402

from moodrec.datasets import (  # noqa: E402
    AtomicCSVDataset,
    AtomicJSONDataset,
    AtomicMatplotlibDataset,
    AtomicPickleDataset,
    AtomicTextDataset,
)
from tests.conftest import PROJECT_ROOT  # noqa: E402


def _figure(colour: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1], color=colour)
    return fig


#: (atomic class, kedro-datasets class, file name, old data, new data)
CASES = [
    (AtomicCSVDataset, CSVDataset, "table.csv", pd.DataFrame({"x": [1, 2]}),
     pd.DataFrame({"x": range(5000)})),
    (AtomicJSONDataset, JSONDataset, "metrics.json", {"hit": 0.5}, {"hit": list(range(5000))}),
    (AtomicTextDataset, TextDataset, "card.md", "old card\n", "new card\n" * 1000),
    (AtomicPickleDataset, PickleDataset, "trials.pkl", [1, 2], list(range(5000))),
    (AtomicMatplotlibDataset, MatplotlibDataset, "plot.png", None, None),
]
IDS = ["csv", "json", "text", "pickle", "matplotlib"]


def _data(case, which: str):
    cls, _, _, old, new = case
    if cls is AtomicMatplotlibDataset:
        return _figure("red" if which == "old" else "blue")
    return old if which == "old" else new


def _save_with_ctrl_c_mid_write(dataset, data, monkeypatch) -> None:
    """Save with every write to a local file cut: half its bytes reach the file, then Ctrl-C."""
    write = LocalFileOpener.write

    def half_then_interrupt(self, chunk, *args, **kwargs):
        write(self, chunk[: max(1, len(chunk) // 2)])
        raise KeyboardInterrupt

    monkeypatch.setattr(LocalFileOpener, "write", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        dataset.save(data)
    monkeypatch.undo()


@pytest.mark.parametrize("atomic", [True, False], ids=["moodrec", "kedro-datasets"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_ctrl_c_mid_save(tmp_path, case, atomic, monkeypatch):
    """moodrec.datasets keep the old file whole and leave no temporary; kedro-datasets' own
    class (the catalog's type before) leaves a damaged file."""
    cls = case[0] if atomic else case[1]
    target = tmp_path / case[2]
    dataset = cls(filepath=str(target))
    dataset.save(_data(case, "old"))
    before = target.read_bytes()
    _save_with_ctrl_c_mid_write(dataset, _data(case, "new"), monkeypatch)
    assert (target.read_bytes() == before) is atomic
    if atomic:
        assert [p.name for p in tmp_path.iterdir()] == [case[2]]  # no temporary left
        dataset.save(_data(case, "new"))  # and the next save works
        assert target.read_bytes() != before


def test_error_while_serialising_keeps_the_old_file(tmp_path):
    """A value that cannot be written, met after the first rows were: the error names the
    dataset's own file (not the temporary), the old table stays."""

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("cannot format this cell")

    target = tmp_path / "recommendations.csv"
    dataset = AtomicCSVDataset(filepath=str(target), save_args={"index": False, "chunksize": 1})
    dataset.save(pd.DataFrame({"x": [1, 2]}))
    with pytest.raises(DatasetError, match=rf"{target}.*\n.*cannot format this cell"):
        dataset.save(pd.DataFrame({"x": [1, 2, 3, Unprintable()]}))
    assert dataset.load()["x"].tolist() == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["recommendations.csv"]

    metrics = AtomicJSONDataset(filepath=str(tmp_path / "m.json"))
    metrics.save({"hit": 0.5})
    with pytest.raises(DatasetError, match="not JSON serializable"):
        metrics.save({"hit": 0.6, "when": object()})
    assert json.loads((tmp_path / "m.json").read_text()) == {"hit": 0.5}


def test_versioned_and_created_from_the_catalog(tmp_path):
    config = {"type": "moodrec.datasets.AtomicCSVDataset", "filepath": str(tmp_path / "v.csv"),
              "versioned": True}
    dataset = AbstractDataset.from_config("v", config, save_version=Version(None, "v1").save)
    dataset.save(pd.DataFrame({"x": [1]}))
    assert (tmp_path / "v.csv" / "v1" / "v.csv").is_file()
    assert dataset.load()["x"].tolist() == [1]
    assert sorted(p.name for p in (tmp_path / "v.csv" / "v1").iterdir()) == ["v.csv"]


def test_a_folder_of_figures_is_refused_by_name(tmp_path):
    dataset = AtomicMatplotlibDataset(filepath=str(tmp_path / "plots"))
    with pytest.raises(DatasetError, match="saves one figure; got a list"):
        dataset.save([_figure("red")])


@pytest.mark.slow
def test_keras_model_copy_interrupted_keeps_the_old_model(tmp_path, monkeypatch):
    import keras
    import numpy as np

    from moodrec.datasets import AtomicTensorFlowModelDataset

    def model(bias: float) -> keras.Model:
        inputs = keras.Input((3,))
        dense = keras.layers.Dense(2)
        m = keras.Model(inputs, dense(inputs))
        dense.set_weights([np.zeros((3, 2), np.float32), np.full(2, bias, np.float32)])
        return m

    target = tmp_path / "model.keras"
    dataset = AtomicTensorFlowModelDataset(filepath=str(target))
    dataset.save(model(1.0))
    before = target.read_bytes()
    copy = LocalFileSystem.cp_file

    def half_copy_then_interrupt(self, path1, path2, **kwargs):
        Path(path2).write_bytes(Path(path1).read_bytes()[:1000])
        raise KeyboardInterrupt

    monkeypatch.setattr(LocalFileSystem, "cp_file", half_copy_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        dataset.save(model(2.0))
    monkeypatch.setattr(LocalFileSystem, "cp_file", copy)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]
    dataset.save(model(3.0))
    assert float(dataset.load().layers[-1].get_weights()[1][0]) == 3.0


def _catalog_types(folder: Path) -> dict[str, str]:
    types = {}
    for path in sorted(folder.glob("catalog_*.yml")):
        for name, entry in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(entry, dict) and "type" in entry and not name.startswith("_"):
                types[f"{path.parent.name}/{name}"] = entry["type"]
    return types


def test_every_written_file_of_the_catalog_is_atomic():
    """No catalog entry writes through a kedro-datasets file class directly (inputs that the
    project never writes may: the raw ones, the population's folder)."""
    types = {**_catalog_types(PROJECT_ROOT / "conf" / "base"),
             **_catalog_types(PROJECT_ROOT / "conf" / "smoke")}
    raw = yaml.safe_load((PROJECT_ROOT / "conf" / "base" / "catalog_01_raw.yml").read_text())
    inputs = {*raw, "population_emotions"}
    plain = {name: t for name, t in types.items()
             if not t.startswith("moodrec.") and name.removeprefix("base/") not in inputs}
    assert plain == {}
