"""``tensorflow.TensorFlowModelDataset``, saved atomically (a module of its own: importing it
imports TensorFlow, which the datasets of :mod:`moodrec.datasets.atomic` do not need)."""

from __future__ import annotations

from kedro_datasets.tensorflow import TensorFlowModelDataset

from moodrec.datasets.atomic import AtomicSave


class AtomicTensorFlowModelDataset(AtomicSave, TensorFlowModelDataset):
    """Keras writes the model to its own temporary folder; the copy into the target folder
    goes through a temporary there too, so an interrupted copy leaves the old model whole."""
