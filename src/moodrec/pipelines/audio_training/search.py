"""Hyperparameter search with hyperopt TPE, checkpointed after every trial.

The search runs one trial at a time (``fmin`` with ``max_evals = done + 1``), with a random
state seeded by (seed, trial number): an interrupted search that resumes from its checkpoint
proposes exactly the trials an uninterrupted one would have. The checkpoint holds a fingerprint
of the data, the search space and the training settings; a checkpoint from another setup is
refused (clear error) rather than silently mixed in.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


def hyperopt_space(spec: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A hyperopt space from a parameters dict such as
    ``{"learning_rate": {"loguniform": [1e-4, 1e-2]}, "filters": {"choice": [64, 128]}}``.

    Kinds: ``choice`` (list), ``uniform`` / ``loguniform`` ([low, high]), ``quniform``
    ([low, high, q]), ``fixed`` (a value, not searched).
    """
    from hyperopt import hp

    space: dict[str, Any] = {}
    for name, entry in spec.items():
        if not isinstance(entry, Mapping) or len(entry) != 1:
            raise ValueError(f"search space entry {name!r} must be one of "
                             f"{{choice|uniform|loguniform|quniform|fixed: ...}}; got {entry!r}")
        (kind, args), = entry.items()
        if kind == "choice":
            space[name] = hp.choice(name, list(args))
        elif kind == "uniform":
            space[name] = hp.uniform(name, float(args[0]), float(args[1]))
        elif kind == "loguniform":
            space[name] = hp.loguniform(name, math.log(float(args[0])), math.log(float(args[1])))
        elif kind == "quniform":
            space[name] = hp.quniform(name, float(args[0]), float(args[1]), float(args[2]))
        elif kind == "fixed":
            space[name] = args
        else:
            raise ValueError(f"search space entry {name!r}: unknown kind {kind!r}")
    return space


def fingerprint(*arrays: np.ndarray, settings: Mapping[str, Any]) -> str:
    """A hash of the data and the settings that make trials comparable."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:16]


class MemoryCheckpoint:
    """A checkpoint kept in memory (a search nested in an evaluation; nothing to resume)."""

    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        return self.state

    def write(self, state: dict[str, Any]) -> None:
        self.state = state


def run_search(
    objective: Callable[[dict[str, Any]], dict[str, Any]],
    space_spec: Mapping[str, Mapping[str, Any]],
    *,
    max_evals: int,
    seed: int,
    checkpoint,
    fingerprint_value: str,
    resume: bool = True,
    stop_after: int | None = None,
):
    """Run TPE until ``max_evals`` trials exist, writing ``checkpoint`` after each trial.

    ``checkpoint`` has ``read() -> state | None`` and ``write(state)``
    (:class:`moodrec.datasets.audio.TrialsCheckpoint`). ``stop_after`` ends the call after that
    many new trials (used by the tests to simulate an interruption). Returns the ``Trials``.
    """
    from hyperopt import STATUS_OK, Trials, fmin, tpe
    from tqdm.auto import tqdm

    state = checkpoint.read() if resume else None
    if state is not None and state.get("fingerprint") != fingerprint_value:
        raise ValueError(
            f"{checkpoint!r} holds a search over other data or settings (fingerprint "
            f"{state.get('fingerprint')} != {fingerprint_value}); delete it, point the catalog "
            "entry elsewhere, or set search.resume: false to start afresh"
        )
    trials = state["trials"] if state is not None else Trials()
    done = len(trials.trials)
    if done:
        logger.info("resuming hyperopt search from %s: %d of %d trials done",
                    checkpoint, done, max_evals)
    space = hyperopt_space(space_spec)

    def wrapped(config: dict[str, Any]) -> dict[str, Any]:
        result = objective(config)
        return {"status": STATUS_OK, **result}

    new = 0
    with tqdm(total=max_evals, initial=done, desc="hyperopt trials", unit="trial") as bar:
        while len(trials.trials) < max_evals and (stop_after is None or new < stop_after):
            n = len(trials.trials)
            fmin(wrapped, space, algo=tpe.suggest, max_evals=n + 1, trials=trials,
                 rstate=np.random.default_rng([seed, n]), show_progressbar=False)
            checkpoint.write({"fingerprint": fingerprint_value, "trials": trials})
            new += 1
            bar.update(1)
            last = trials.trials[-1]["result"]
            logger.info("trial %d/%d: loss %.4f (%s)", n + 1, max_evals, last["loss"],
                        json.dumps(last.get("config", {}), default=str))
    return trials


def trials_table(trials) -> pd.DataFrame:
    """One row per finished trial: number, loss, the scores and the configuration."""
    rows = []
    for trial in trials.trials:
        result = trial["result"]
        if result.get("status") != "ok":
            continue
        row = {"trial": int(trial["tid"]), "loss": float(result["loss"])}
        row.update({k: v for k, v in result.items()
                    if k not in ("loss", "status", "config") and np.isscalar(v)})
        row.update({f"param_{k}": v for k, v in result.get("config", {}).items()})
        rows.append(row)
    return pd.DataFrame(rows)


