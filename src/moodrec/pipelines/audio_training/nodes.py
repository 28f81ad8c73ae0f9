"""Nodes of ``audio_training``: pure functions, no I/O (the catalog reads and writes).

Exceptions, on purpose and documented: :func:`extract_feature_table` calls the lazy loaders the
catalog's :class:`~moodrec.audio.datasets.AudioFolderDataset` hands it (that *is* reading the
input), and :func:`search_hyperparameters` writes its checkpoint through the handle the catalog's
:class:`~moodrec.audio.datasets.HyperoptTrialsDataset` hands it, after every trial.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio.features import DEFAULTS, FEATURE_NAMES, VARIANTS, clip_features
from moodrec.audio.naming import RavdessNameError, parse_ravdess_name
from moodrec.audio.scaling import apply_scaler, fit_scaler, scale_features
from moodrec.emotions import EMOTIONS, labels_to_indices
from moodrec.evaluation import (
    classification_metrics,
    confusion_matrix_figure,
    prediction_table,
    training_curves_figure,
)

logger = logging.getLogger(__name__)

SKIPPED_COLUMNS = ["file", "stage", "reason"]
ID_COLUMNS = ["clip_id", "actor", "variant", "label"]

#: Named subsets of the 162 features (a parameter; the search may choose among them).
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "all": FEATURE_NAMES,
    "no_mel": tuple(n for n in FEATURE_NAMES if not n.startswith("mel_")),
    "mfcc": tuple(n for n in FEATURE_NAMES if n.startswith(("mfcc_", "zcr", "rms"))),
}


# --------------------------------------------------------------------------- index
def index_clips(
    clips: Mapping[str, Callable[..., np.ndarray]], params: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse every file name into the clip index; report the files that are not clips.

    Returns the index (one row per RAVDESS file: every field of the name, ``label`` (canonical
    emotion) and ``kept`` with the reason a clip is left out: calm/disgust, song, not in the
    subset) and the skipped-files report (``file, stage, reason``) for files with another
    extension, names that are not RAVDESS-shaped, and duplicated clip ids.
    """
    extensions = {e.lower() for e in params.get("extensions", [".wav", ".flac"])}
    rows, skipped, seen = [], [], {}
    for file in sorted(clips):
        suffix = PurePosixPath(file).suffix.lower()
        if suffix not in extensions:
            skipped.append((file, "index", f"extension {suffix or '(none)'} is not one of "
                            f"{sorted(extensions)}"))
            continue
        try:
            clip = parse_ravdess_name(file)
        except RavdessNameError as err:
            skipped.append((file, "index", str(err)))
            continue
        if clip.clip_id in seen:
            skipped.append((file, "index", f"duplicate clip id {clip.clip_id} "
                            f"(already read from {seen[clip.clip_id]})"))
            continue
        seen[clip.clip_id] = file
        row = {"file": file, **clip.as_dict()}
        row["label"] = clip.emotion if clip.emotion in EMOTIONS else ""
        if clip.emotion not in EMOTIONS:
            row["kept"], row["reason"] = False, f"emotion {clip.emotion} is dropped"
        elif params.get("speech_only", True) and clip.vocal_channel != "speech":
            row["kept"], row["reason"] = False, f"vocal channel {clip.vocal_channel}"
        else:
            row["kept"], row["reason"] = True, ""
        rows.append(row)
    columns = ["file", "clip_id", "modality", "vocal_channel", "emotion", "intensity",
               "statement", "repetition", "actor", "sex", "label", "kept", "reason"]
    index = pd.DataFrame(rows, columns=columns)
    index = _apply_subset(index, params.get("subset") or {})
    report = pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)
    if len(report):
        logger.warning("%d file(s) are not usable RAVDESS clips and are listed in the skipped-"
                       "files report, e.g. %s: %s", len(report), report.file[0], report.reason[0])
    if not index.kept.any():
        raise ValueError(
            f"no usable RAVDESS clip among {len(clips)} file(s); "
            f"first problems: {report.head(3).to_dict('records')}"
        )
    logger.info("clip index: %d files, %d kept (%s)", len(index), int(index.kept.sum()),
                index[index.kept].label.value_counts().to_dict())
    return index, report


def _apply_subset(index: pd.DataFrame, subset: Mapping[str, Any]) -> pd.DataFrame:
    """Keep only ``subset.actors`` and at most ``subset.per_actor`` clips each (spread evenly
    over the actor's sorted clips, so over emotions). For the smoke configuration and tests."""
    index = index.copy()
    actors = subset.get("actors")
    if actors is not None:
        out = index.kept & ~index.actor.isin([int(a) for a in actors])
        index.loc[out, ["kept", "reason"]] = [False, "actor not in subset"]
    per_actor = subset.get("per_actor")
    if per_actor is not None:
        for _, group in index[index.kept].groupby("actor"):
            spread = np.linspace(0, len(group) - 1, int(per_actor))
            positions = np.unique(spread.round().astype(int))
            out = group.index.difference(group.index[positions])
            index.loc[out, ["kept", "reason"]] = [False, "beyond subset.per_actor"]
    return index


# --------------------------------------------------------------------------- features
def extract_feature_table(
    clips: Mapping[str, Callable[..., np.ndarray]],
    clip_index: pd.DataFrame,
    skipped_files: pd.DataFrame,
    params: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The features table (one row per kept clip and variant), the skipped-files report with
    the clips that could not be used added, and an extraction report (counts, throughput).

    Runs on ``n_jobs`` worker processes (joblib, ``-1`` = all cores) with a progress bar.
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    settings = {**DEFAULTS, **{k: v for k, v in params.items() if k in DEFAULTS}}
    variants = list(params.get("variants", VARIANTS))
    unknown = set(variants) - set(VARIANTS)
    if unknown or "original" not in variants:
        raise ValueError(
            f"variants must include 'original' and be among {VARIANTS}; got {variants}")
    kept = clip_index[clip_index.kept].reset_index(drop=True)
    missing = sorted(set(kept.file) - set(clips))
    if missing:
        raise ValueError(f"clip index names {len(missing)} file(s) the folder lacks: {missing[:3]}")
    n_jobs = int(params.get("n_jobs", -1))
    workers = os.cpu_count() if n_jobs < 0 else n_jobs
    start = time.perf_counter()
    jobs = (delayed(clip_features)(clips[f], c, variants, settings)
            for f, c in zip(kept.file, kept.clip_id, strict=True))
    results = list(tqdm(
        Parallel(n_jobs=n_jobs, return_as="generator", batch_size=4)(jobs),
        total=len(kept), desc="audio features", unit="clip",
    ))
    seconds = time.perf_counter() - start
    rows, bad = [], []
    for clip, result in zip(kept.itertuples(), results, strict=True):
        if isinstance(result, str):
            bad.append((clip.file, "extraction", result))
            continue
        for variant, values in zip(variants, result, strict=True):
            rows.append((clip.clip_id, int(clip.actor), variant, clip.label, *values))
    features = pd.DataFrame(rows, columns=ID_COLUMNS + list(FEATURE_NAMES))
    report = pd.concat([skipped_files, pd.DataFrame(bad, columns=SKIPPED_COLUMNS)],
                       ignore_index=True)
    if bad:
        logger.warning("%d clip(s) rejected at extraction (see the skipped-files report), "
                       "e.g. %s: %s", len(bad), bad[0][0], bad[0][2])
    if features.empty:
        raise ValueError(f"no clip gave features; rejected: {bad[:3]}")
    n_ok = len(kept) - len(bad)
    extraction = {
        "clips": int(len(kept)),
        "clips_with_features": int(n_ok),
        "clips_rejected": int(len(bad)),
        "files_skipped_at_index": int(len(skipped_files)),
        "variants": variants,
        "rows": int(len(features)),
        "wall_s": round(seconds, 2),
        "clips_per_s": round(len(kept) / seconds, 2) if seconds > 0 else None,
        "n_jobs": n_jobs,
        "workers": workers,
        "settings": {k: settings[k] for k in sorted(settings)},
    }
    logger.info("features: %d clips x %d variants in %.1f s (%.2f clips/s, %s workers)",
                n_ok, len(variants), seconds, extraction["clips_per_s"] or 0, workers)
    return features, report, extraction


# --------------------------------------------------------------------------- splits
def split_by_actor(features: pd.DataFrame, params: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The actor-held-out split: train (every variant), validation and test (original only).

    Returns arrays ``{split}_x`` (all 162 features), ``{split}_y`` (class indices),
    ``{split}_actor``, ``{split}_variant`` and ``{split}_clip_id`` for train, val and test.

    Raises:
        ValueError: an actor is named in two splits, or a split has no rows.
    """
    _check_features(features)
    splits = {name: {int(a) for a in params[f"{name}_actors"]} for name in ("train", "val", "test")}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        shared = splits[a] & splits[b]
        if shared:
            raise ValueError(f"actor(s) {sorted(shared)} are in both {a}_actors and {b}_actors")
    present = set(features.actor.astype(int))
    unused = present - set().union(*splits.values())
    if unused:
        logger.warning("actors %s are in no split and are not used", sorted(unused))
    out: dict[str, np.ndarray] = {}
    for name, actors in splits.items():
        rows = features[features.actor.astype(int).isin(actors)]
        if name != "train":
            rows = rows[rows.variant == "original"]
        if rows.empty:
            raise ValueError(
                f"the {name} split is empty: none of actors {sorted(actors)} has clips "
                f"(actors with clips: {sorted(present)}); change {name}_actors"
            )
        out[f"{name}_x"] = rows[list(FEATURE_NAMES)].to_numpy(np.float32)
        out[f"{name}_y"] = labels_to_indices(rows.label, where=f"features ({name} split)")
        out[f"{name}_actor"] = rows.actor.to_numpy(np.int64)
        out[f"{name}_variant"] = rows.variant.to_numpy(str)
        out[f"{name}_clip_id"] = rows.clip_id.to_numpy(str)
    logger.info("actor split: train %d rows (actors %s), val %d, test %d",
                len(out["train_y"]), sorted(splits["train"]), len(out["val_y"]), len(out["test_y"]))
    return out


def _check_features(features: pd.DataFrame) -> None:
    missing = [c for c in ID_COLUMNS + list(FEATURE_NAMES) if c not in features.columns]
    if missing:
        raise ValueError(f"features table lacks column(s) {missing[:5]}")
    bad = features[list(FEATURE_NAMES)].isna().any(axis=1)
    if bad.any():
        raise ValueError(f"features table: row {int(np.flatnonzero(bad)[0])} has missing values")


def feature_names(feature_set: str) -> list[str]:
    """The features of a named feature set, in ``FEATURE_NAMES`` order."""
    if feature_set not in FEATURE_SETS:
        raise ValueError(
            f"unknown feature_set {feature_set!r}; expected one of {list(FEATURE_SETS)}")
    return list(FEATURE_SETS[feature_set])


def _fit_scaler_on(x: np.ndarray, feature_set: str) -> dict[str, Any]:
    """A scaler of a feature set, fitted on rows of all 162 features."""
    names = feature_names(feature_set)
    return fit_scaler(x[:, [FEATURE_NAMES.index(n) for n in names]], names)


# --------------------------------------------------------------------------- search
def _train_and_score(config: Mapping[str, Any], x_train, y_train, x_val, y_val,
                     *, max_epochs: int, patience: int, seed: int) -> dict[str, Any]:
    """Fit one configuration (scaler on train only) and score it on the validation rows."""
    from moodrec.keras_support import set_seed
    from moodrec.pipelines.audio_training.models import build_model, fit_model

    scaler = _fit_scaler_on(x_train, config.get("feature_set", "all"))
    xt, xv = scale_features(x_train, scaler), scale_features(x_val, scaler)
    set_seed(seed)
    model = build_model(xt.shape[1], config)
    start = time.perf_counter()
    history = fit_model(model, xt, y_train, batch_size=int(config["batch_size"]),
                        epochs=max_epochs, validation=(xv, y_val), patience=patience, seed=seed)
    val_loss = history.history["val_loss"]
    best_epoch = int(np.argmin(val_loss)) + 1
    probabilities = model.predict(xv, verbose=0, batch_size=512)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_val))
    return {
        "val_accuracy": accuracy,
        "val_loss": float(np.min(val_loss)),
        "best_epoch": best_epoch,
        "epochs_run": len(val_loss),
        "seconds": round(time.perf_counter() - start, 2),
    }


def _normalise_config(config: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in config.items():
        if isinstance(value, float) and key in ("filters", "kernel_size", "dense_units",
                                                "batch_size", "pool_size"):
            value = int(round(value))
        out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def search_hyperparameters(
    split: dict[str, np.ndarray], checkpoint, params: Mapping[str, Any]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """TPE search scored on the validation actors only; resumes from ``checkpoint``.

    Returns the trials table and the best configuration (with its validation scores, the
    epoch count to retrain for, and the number of trials).
    """
    from moodrec.pipelines.audio_training.search import fingerprint, run_search, trials_table

    seed = int(params.get("seed", 42))
    search = params["search"]
    base = dict(params.get("model", {}))
    max_epochs, patience = int(search["max_epochs"]), int(search["patience"])
    score = search.get("score", "accuracy")

    def objective(sampled: dict[str, Any]) -> dict[str, Any]:
        config = _normalise_config({**base, **sampled})
        trial_seed = seed + int(1000 * np.random.default_rng(hash_config(config)).uniform())
        result = _train_and_score(config, split["train_x"], split["train_y"], split["val_x"],
                                  split["val_y"], max_epochs=max_epochs, patience=patience,
                                  seed=trial_seed)
        loss = 1.0 - result["val_accuracy"] if score == "accuracy" else result["val_loss"]
        return {"loss": loss, "config": config, **result}

    settings = {"space": search["space"], "model": base, "seed": seed, "max_epochs": max_epochs,
                "patience": patience, "score": score}
    start = time.perf_counter()
    trials = run_search(
        objective, search["space"], max_evals=int(search["max_evals"]), seed=seed,
        checkpoint=checkpoint, resume=bool(search.get("resume", True)),
        fingerprint_value=fingerprint(split["train_x"], split["train_y"], split["val_x"],
                                      split["val_y"], settings=settings),
        stop_after=search.get("stop_after"),
    )
    table = trials_table(trials)
    if table.empty:
        raise ValueError("the hyperparameter search finished no trial")
    best = table.loc[table.loss.idxmin()]
    best_result = trials.trials[int(best.trial)]["result"]
    best_config = {
        "config": best_result["config"],
        "trial": int(best.trial),
        "trials": int(len(table)),
        "val_accuracy": float(best_result["val_accuracy"]),
        "val_loss": float(best_result["val_loss"]),
        "best_epoch": int(best_result["best_epoch"]),
        "score": score,
        "search_wall_s_this_run": round(time.perf_counter() - start, 1),
        "search_trial_seconds_total": round(float(table.seconds.sum()), 1),
    }
    logger.info("best of %d trials: #%d, val accuracy %.3f, %s", len(table), best_config["trial"],
                best_config["val_accuracy"], best_config["config"])
    return table, best_config


def hash_config(config: Mapping[str, Any]) -> int:
    """A stable integer from a configuration (seeds a trial from what it trains)."""
    import hashlib
    import json

    text = json.dumps(config, sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


# --------------------------------------------------------------------------- final model
def _final_rows(split: dict[str, np.ndarray], train_on: str) -> tuple[np.ndarray, np.ndarray]:
    if train_on == "train":
        return split["train_x"], split["train_y"]
    if train_on == "train_val":
        return (np.concatenate([split["train_x"], split["val_x"]]),
                np.concatenate([split["train_y"], split["val_y"]]))
    raise ValueError(f"final.train_on must be 'train' or 'train_val'; got {train_on!r}")


def fit_final_scaler(split: dict[str, np.ndarray], best: Mapping[str, Any],
                     params: Mapping[str, Any]) -> dict[str, Any]:
    """The shipped scaler: fitted on the final model's training rows only (never test)."""
    x, _ = _final_rows(split, params["final"]["train_on"])
    return _fit_scaler_on(x, best["config"].get("feature_set", "all"))


def train_final_model(split: dict[str, np.ndarray], scaler: dict[str, Any],
                      best: Mapping[str, Any], params: Mapping[str, Any]):
    """Retrain the best configuration for its best epoch count; returns model and history."""
    from moodrec.keras_support import set_seed
    from moodrec.pipelines.audio_training.models import build_model, fit_model

    x, y = _final_rows(split, params["final"]["train_on"])
    x = scale_features(x, scaler)
    config = best["config"]
    set_seed(int(params.get("seed", 42)))
    model = build_model(x.shape[1], config)
    history = fit_model(model, x, y,
                        batch_size=int(config["batch_size"]), epochs=int(best["best_epoch"]),
                        seed=int(params.get("seed", 42)), verbose_every=5)
    return model, pd.DataFrame(history.history)


def evaluate_actor_held_out(
    model, scaler: dict[str, Any], split: dict[str, np.ndarray], best: Mapping[str, Any],
    extraction: Mapping[str, Any], params: Mapping[str, Any],
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Headline metrics on the test actors (original signals only) and the probability table
    ``va_mapping`` reads (six emotion columns, ``pred_label``, ``true_label``, by clip id)."""
    def predict(x: np.ndarray) -> np.ndarray:
        return model.predict(scale_features(x, scaler), verbose=0, batch_size=512)

    probabilities = predict(split["test_x"])
    metrics = classification_metrics(split["test_y"], probabilities.argmax(axis=1))
    val_probabilities = predict(split["val_x"])
    split_params = {k: [int(a) for a in params["split"][k]]
                    for k in ("train_actors", "val_actors", "test_actors")}
    report = {
        "protocol": "actor_held_out",
        "description": "speakers disjoint: train on train actors (original + augmented), "
                       "test on held-out actors' original clips only",
        **split_params,
        "rows": {s: int(len(split[f"{s}_y"])) for s in ("train", "val", "test")},
        "final_model_trained_on": params["final"]["train_on"],
        "test": metrics,
        "val_accuracy_of_final_model":
            float(np.mean(val_probabilities.argmax(1) == split["val_y"])),
        "search": dict(best),
        "extraction": dict(extraction),
    }
    table = prediction_table(probabilities, split["test_y"],
                             index=pd.Index(split["test_clip_id"], name="clip_id"))
    logger.info("actor-held-out test: accuracy %.3f, macro-F1 %.3f (%d clips)",
                metrics["accuracy"], metrics["macro_f1"], metrics["n"])
    return report, table.reset_index()


def evaluate_study_protocol(
    features: pd.DataFrame, best: Mapping[str, Any], params: Mapping[str, Any]
) -> dict[str, Any]:
    """The study's protocol, for comparison only: a random 75/25 split over *all* rows
    (augmented copies of one clip land on both sides: leaky), scaler fitted on the 75 %.

    ``study_protocol.network``: ``study`` trains the study's own network (``model``) for
    ``study_protocol.epochs`` epochs, as the study did; ``best`` trains the search's best
    configuration for its best epoch count (the same network as the headline figure)."""
    from sklearn.model_selection import train_test_split

    from moodrec.keras_support import set_seed
    from moodrec.pipelines.audio_training.models import build_model, fit_model

    _check_features(features)
    study = params["study_protocol"]
    rows = features.sort_values(["clip_id", "variant"], kind="stable").reset_index(drop=True)
    network = study.get("network", "best")
    if network not in ("study", "best"):
        raise ValueError(f"study_protocol.network must be 'study' or 'best'; got {network!r}")
    config = dict(params["model"]) if network == "study" else best["config"]
    epochs = int(study["epochs"]) if network == "study" else int(best["best_epoch"])
    names = feature_names(config.get("feature_set", "all"))
    x = rows[names].to_numpy(np.float32)
    y = labels_to_indices(rows.label, where="features")
    positions = np.arange(len(rows))
    train_pos, test_pos = train_test_split(positions, test_size=float(study["test_size"]),
                                           random_state=int(study["random_state"]), shuffle=True)
    scaler = fit_scaler(x[train_pos], names)
    seed = int(params.get("seed", 42))
    set_seed(seed)
    model = build_model(len(names), config)
    fit_model(model, apply_scaler(x[train_pos], scaler), y[train_pos],
              batch_size=int(config["batch_size"]), epochs=epochs, seed=seed)
    predicted = model.predict(apply_scaler(x[test_pos], scaler), verbose=0).argmax(axis=1)
    metrics = classification_metrics(y[test_pos], predicted)
    train_clips = set(rows.clip_id[train_pos])
    leaked = float(np.mean(rows.clip_id[test_pos].isin(train_clips)))
    logger.info("study protocol (leaky): accuracy %.3f; %.0f %% of test rows have a variant "
                "of the same clip in training", metrics["accuracy"], 100 * leaked)
    return {
        "protocol": "study_random_split",
        "warning": "LEAKY: random split over augmented rows; copies of one clip (and every "
                   "actor) are on both sides. Not a measure of accuracy on new speakers.",
        "test_size": float(study["test_size"]),
        "random_state": int(study["random_state"]),
        "test_rows_whose_clip_is_also_in_training": leaked,
        "network": network,
        "config": dict(config),
        "epochs": epochs,
        "test": metrics,
    }


# --------------------------------------------------------------------------- plots
def plot_confusion(metrics: Mapping[str, Any], title: str):
    """Confusion-matrix figure of a metrics report's test block."""
    return confusion_matrix_figure(metrics["test"], title)


def plot_actor_confusion(metrics: Mapping[str, Any]):
    return plot_confusion(metrics, "audio, actor-held-out test actors")


def plot_study_confusion(metrics: Mapping[str, Any]):
    return plot_confusion(metrics, "audio, study protocol (leaky random split)")


def plot_training_curves(history: pd.DataFrame):
    return training_curves_figure(history, "audio final model (no validation: retrained)")


def plot_search_history(trials: pd.DataFrame):
    """Validation accuracy of each trial and the running best."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(trials.trial, trials.val_accuracy, "o", alpha=0.6, label="trial")
    ax.plot(trials.trial, trials.val_accuracy.cummax(), "-", label="best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel("validation accuracy (validation actors)")
    ax.set_title(f"hyperopt TPE, {len(trials)} trials")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig
