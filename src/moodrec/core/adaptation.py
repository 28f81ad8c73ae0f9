"""Person adaptation: a new reading of a person adapted by that person's earlier readings.

A model reads some people consistently off (one person's calm voice sounds sad to it, another's
angry face neutral). Each earlier reading shows that bias in its log-probabilities: the bias of
a class is the person's mean level of that class, each reading centred on its own mean over
the classes, and the new reading's log-probabilities are moved by minus that bias.

The mean also holds the person's moods: a history mostly of one mood has that mood high in
most readings, and centring on it would read that mood away. Three settings (one block per
sense, ``person.adaptation.<sense>`` in conf/base/parameters_person.yml) keep it in check:

* ``top_class_weight`` (>= 0): how many readings' worth the readings whose top class is a
  class count, all of them together, towards that class's bias; every other class of every
  reading counts one. A class's bias thus comes mostly from the readings that did not pick
  it (their level of it is less the person's mood, more the model's bias), and a history of
  one mood, however long, moves that mood by a bounded amount: it cannot read it away.
* ``prior_readings`` (> 0): the bias starts as that many pseudo-readings at the average
  level, so one or two readings move it little.
* ``max_shift`` (>= 0): no class moves by more than this (natural-log units).

``log_floor`` bounds log-probabilities from below (a probability of 0 is ``-inf``) while the
bias is estimated. With no earlier readings a reading is read as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from moodrec.core.emotions import EMOTIONS

#: The keys of one sense's ``person.adaptation`` block (all required; values only in conf).
SETTINGS: tuple[str, ...] = ("top_class_weight", "prior_readings", "max_shift", "log_floor")


def log_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """Natural-log probabilities of a model's reading, as the history keeps them and
    :func:`adapt` takes them (a probability of 0 has no logarithm: the smallest float's)."""
    return np.log(np.maximum(np.asarray(probabilities, dtype=float), np.finfo(float).tiny))


def softmax(log_p: np.ndarray) -> np.ndarray:
    """Probabilities from log-probabilities (numpy's own: scipy's costs a cold start 0.1 s)."""
    shifted = np.exp(log_p - np.max(log_p))
    return shifted / shifted.sum()


def person_bias(earlier: np.ndarray, settings: Mapping[str, Any]) -> np.ndarray:
    """The person's bias per class (six values summing to 0) from their earlier readings'
    natural-log probabilities ``(n, 6)``, oldest first (the order does not matter)."""
    rows = np.maximum(np.asarray(earlier, dtype=float), float(settings["log_floor"]))
    rows = rows - rows.mean(axis=1, keepdims=True)
    weights = np.ones_like(rows)
    top = rows.argmax(axis=1)  # all readings of one top class share top_class_weight
    weights[np.arange(len(rows)), top] = (float(settings["top_class_weight"])
                                          / np.bincount(top)[top])
    level = (weights * rows).sum() / weights.sum()
    prior = float(settings["prior_readings"])
    bias = ((weights * rows).sum(axis=0) + prior * level) / (weights.sum(axis=0) + prior)
    cap = float(settings["max_shift"])
    return np.clip(bias - bias.mean(), -cap, cap)


def adapt(log_probabilities: np.ndarray, earlier: np.ndarray,
          settings: Mapping[str, Any]) -> np.ndarray:
    """The six probabilities of a new reading (natural-log probabilities ``(6,)`` in
    :data:`~moodrec.core.emotions.EMOTIONS` order) adapted by the same person's earlier
    readings of the same sense (``(n, 6)``, raw, oldest first; ``n`` may be 0: the reading is
    then ``softmax(log_probabilities)``, as read).

    Raises:
        ValueError: a reading is not six values, or an earlier one is not finite-or-``-inf``.
    """
    new = np.asarray(log_probabilities, dtype=float)
    past = np.asarray(earlier, dtype=float)
    if new.shape != (len(EMOTIONS),) or past.ndim != 2 or past.shape[1] != len(EMOTIONS):
        raise ValueError(f"adapt: a reading is {len(EMOTIONS)} log-probabilities; got "
                         f"{new.shape} and earlier readings {past.shape}")
    if np.isnan(past).any() or np.isposinf(past).any():
        raise ValueError("adapt: an earlier reading holds NaN or +inf log-probabilities")
    if not len(past):
        return softmax(new)
    return softmax(new - person_bias(past, settings))
