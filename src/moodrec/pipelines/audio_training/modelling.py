"""Nodes of ``audio_training`` that choose, fit and score the voice model.

Every score comes from actors the model never trained on: grouped cross-validation by actor
(the headline), and a fixed split kept beside it. The study's leaky random split is computed
by a node that says so in its name. :func:`search_voice_model` writes its checkpoint through
the handle the catalog's :class:`~moodrec.datasets.audio.HyperoptTrialsDataset` hands it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from moodrec.audio import voice_model as vm
from moodrec.audio.voice_reader import VoiceModel
from moodrec.core.emotions import EMOTIONS, labels_to_indices
from moodrec.training.evaluation import classification_metrics, prediction_table

logger = logging.getLogger(__name__)

MODEL_KEYS = {"logreg": ("C",), "svm": ("C", "gamma"), "mlp": ("hidden_units", "alpha")}


def _config(sampled: Mapping[str, Any]) -> dict[str, Any]:
    """A sampled point of the search space, kept to what its model family uses."""
    family = sampled["family"]
    config = {"feature_set": sampled["feature_set"], "family": family}
    for key in MODEL_KEYS[family]:
        value = sampled[key]
        config[key] = int(value) if key == "hidden_units" else float(value)
    return config


def _oof_metrics(oof: pd.DataFrame) -> dict[str, Any]:
    scores = vm.fold_scores(oof)
    pooled = classification_metrics(oof["true"].to_numpy(),
                                    oof[list(EMOTIONS)].to_numpy().argmax(axis=1))
    return {
        "accuracy_mean": float(scores["accuracy"].mean()),
        "accuracy_sd": float(scores["accuracy"].std(ddof=1)) if len(scores) > 1 else 0.0,
        "macro_f1_mean": float(scores["macro_f1"].mean()),
        "macro_f1_sd": float(scores["macro_f1"].std(ddof=1)) if len(scores) > 1 else 0.0,
        "folds": scores.to_dict("records"),
        "pooled": pooled,
    }


def search_voice_model(features: pd.DataFrame, checkpoint, params: Mapping[str, Any]
                       ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """TPE over feature set x model family x hyperparameters, each trial scored by the mean
    grouped-CV accuracy over actor folds; resumes from ``checkpoint``."""
    from .search import fingerprint, run_search, trials_table

    seed, search = int(params["seed"]), params["search"]
    folds = vm.actor_folds(features["actor"], int(params["evaluation"]["folds"]))

    def objective(sampled: dict[str, Any]) -> dict[str, Any]:
        config = _config(sampled)
        scores = vm.fold_scores(vm.cross_validate(features, config, folds, seed,
                                                  params["neutral_label"]))
        return {"loss": 1.0 - float(scores["accuracy"].mean()), "config": config,
                "cv_accuracy": float(scores["accuracy"].mean()),
                "cv_macro_f1": float(scores["macro_f1"].mean())}

    trials = run_search(
        objective, search["space"], max_evals=int(search["max_evals"]), seed=seed,
        checkpoint=checkpoint, resume=bool(search["resume"]),
        fingerprint_value=fingerprint(features.to_numpy(str), settings={
            "space": search["space"], "folds": folds, "seed": seed}),
    )
    best = min((t["result"] for t in trials.trials if t["result"].get("status") == "ok"),
               key=lambda r: r["loss"])
    logger.info("best voice model: %s, grouped-CV accuracy %.3f", best["config"],
                best["cv_accuracy"])
    return trials_table(trials), {"config": best["config"], "cv_accuracy": best["cv_accuracy"],
                                  "cv_macro_f1": best["cv_macro_f1"],
                                  "trials": len(trials.trials)}


def cross_validate_voice_model(features: pd.DataFrame, best: Mapping[str, Any],
                               params: Mapping[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The headline: out-of-fold probabilities of every original clip (grouped by actor), the
    temperature fitted on them, and accuracy / macro-F1 mean +- sd, per class and shares."""
    folds = vm.actor_folds(features["actor"], int(params["evaluation"]["folds"]))
    oof = vm.cross_validate(features, best["config"], folds, int(params["seed"]),
                            params["neutral_label"])
    probabilities = oof[list(EMOTIONS)].to_numpy()
    temperature = vm.fit_temperature(probabilities, oof["true"].to_numpy())
    metrics = {"protocol": f"grouped cross-validation, {len(folds)} folds of actors "
                           f"{folds}; original clips scored, augmented copies only trained",
               **_oof_metrics(oof), "temperature": temperature,
               "mean_top_probability": {
                   "raw": float(probabilities.max(axis=1).mean()),
                   "tempered": float(vm.tempered(probabilities, temperature).max(axis=1).mean())},
               "config": dict(best["config"]),
               "settings": {k: params["features"][k] for k in ("sample_rate", "target_dbfs")}}
    logger.info("voice model, grouped CV: accuracy %.3f +- %.3f, macro-F1 %.3f; temperature "
                "%.2f", metrics["accuracy_mean"], metrics["accuracy_sd"],
                metrics["macro_f1_mean"], temperature)
    return oof, metrics


def _voice_model(table: pd.DataFrame, config: Mapping[str, Any], params: Mapping[str, Any],
                 temperature: float) -> VoiceModel:
    seed, neutral = int(params["seed"]), params["neutral_label"]
    return VoiceModel(
        classifier=vm.fit(table, config, seed, neutral),
        relative_classifier=vm.fit(table, {**config, "speaker_relative": True}, seed, neutral),
        settings={**{k: params["features"][k] for k in ("sample_rate", "target_dbfs",
                                                          "speech_checks")},
                  "feature_set": config["feature_set"]},
        feature_names=vm.feature_columns(table, config["feature_set"]),
        temperature=temperature,
    )


def fit_voice_model(features: pd.DataFrame, cv_metrics: Mapping[str, Any],
                    params: Mapping[str, Any]) -> VoiceModel:
    """The shipped model: the chosen configuration fitted on every actor (all variants),
    with the temperature of the grouped cross-validation."""
    return _voice_model(features, cv_metrics["config"], params, cv_metrics["temperature"])


def fit_fixed_split_model(features: pd.DataFrame, cv_metrics: Mapping[str, Any],
                          params: Mapping[str, Any]) -> VoiceModel:
    """The same configuration fitted on the fixed split's training actors only (for the
    fixed-split table, the robustness suite and the calibration measurement)."""
    train = features["actor"].isin(params["evaluation"]["fixed_split"]["train_actors"])
    return _voice_model(features[train], cv_metrics["config"], params,
                        cv_metrics["temperature"])


def evaluate_fixed_split(model: VoiceModel, features: pd.DataFrame,
                         params: Mapping[str, Any]) -> tuple[dict[str, Any], pd.DataFrame]:
    """Scores on the fixed split's test actors (original clips) and their probability
    table (what ``va_mapping`` reads as the project's audio predictions)."""
    split = params["evaluation"]["fixed_split"]
    test = features[features["actor"].isin(split["test_actors"])
                    & features["variant"].eq(vm.ORIGINAL)]
    probabilities = model.read_features(test[model.feature_names].to_numpy(float))
    y = labels_to_indices(test["label"], where="audio_features.label")
    metrics = classification_metrics(y, probabilities.argmax(axis=1))
    return ({"protocol": f"fixed split: trained on actors {split['train_actors']}, tested "
                         f"on actors {split['test_actors']}", **metrics},
            prediction_table(probabilities, y_true=y))


def evaluate_leaky_protocol(features: pd.DataFrame, cv_metrics: Mapping[str, Any],
                            params: Mapping[str, Any]) -> dict[str, Any]:
    """The study's protocol, for comparison only, trained here on purpose: a random split
    over *every* row, so copies of one clip and the same actors sit on both sides (leaky)."""
    from sklearn.model_selection import train_test_split

    study = params["evaluation"]["study_protocol"]
    train, test = train_test_split(features, test_size=float(study["test_size"]),
                                   random_state=int(study["random_state"]), shuffle=True)
    config, seed, neutral = cv_metrics["config"], int(params["seed"]), params["neutral_label"]
    model = vm.fit(train, config, seed, neutral)
    x, y = vm.design(test, config, neutral)
    leaked = float(test["clip_id"].isin(set(train["clip_id"])).mean())
    return {"protocol": "the study's random split over every row (LEAKY: copies of a clip "
                        "and every actor on both sides; not a measure of new speakers)",
            "test_rows_whose_clip_is_also_in_train": leaked,
            **classification_metrics(y, vm.probabilities(model, x).argmax(axis=1))}
